/* Differential tests of one target against the generic one: `modelc run` both on a model with
   the same seed and compare every output byte for byte. Shared by the SIMD targets' tests. */
#ifndef MODELC_TEST_XTARGET_H
#define MODELC_TEST_XTARGET_H

#include <stdbool.h>
#include <stddef.h>

/* The dtypes of graph 0's outputs (at most XT_MAX_OUTPUTS); their number. */
enum { XT_MAX_OUTPUTS = 16 };
int xt_output_types(const char *model, int *types);
bool have_prog(const char *prog);
/* The tools a target's tests need (NULL-ended): when one is missing the test reports the target
   by name as not run (a skip), or fails when $CI is set, since tests/run.sh installs them. */
void need_tools(const char *target, const char *const *progs);
/* Runs cmd, keeping what it prints in out; its exit status (-1 if it did not exit). */
int capture(const char *cmd, char *out, size_t cap);
/* modelc run model into dir with args (target, cpu, rounding); true on success. */
bool xt_run(const char *model, const char *args, int seed, const char *dir);
/* Every output_K.bin in a and b is byte-identical (what names the variant in messages). */
void xt_same_files(const char *model, const char *what, const char *a, const char *b);
/* generic on the host with each rounding a variant needs, then each variant ({rounding, args}
   pairs, NULL-ended), compared byte for byte. */
void xt_compare(const char *model, int seed, const char *const (*variants)[2]);
/* The same against --target base instead of generic. */
void xt_compare_to(const char *model, int seed, const char *base,
                   const char *const (*variants)[2]);
/* The SHARED_MODEL list (tests/shared_models.def) holds every model below ../shared/models. */
void shared_models_listed(void);

#endif
