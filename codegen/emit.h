/* The C emitter's shared state and the helpers every operator's emitter (codegen/ops/) uses.
   An operator emitter writes the body of one layer function: it reads its operands' shapes and
   quantization from the IR, folds them into constants, instantiates the kernels it calls from
   targets/<target>/ and writes the call. */
#ifndef MODELC_EMIT_H
#define MODELC_EMIT_H

#include <stdarg.h>
#include <stdio.h>

#include "compiler/ir.h"
#include "compiler/plan.h"
#include "compiler/quant.h"

typedef struct Emit Emit;

/* One growable text buffer per section of the generated file. */
typedef struct Text {
  char *p;
  size_t n, cap;
  bool oom;
} Text;

typedef struct EmitOptions {
  const char *name;     /* C identifier: prefix of every public symbol */
  const char *source;   /* the model's file name, for the header comment */
  const char *target;   /* "generic" */
  const char *cpu;      /* --cpu (aarch64-neon: SDOT when it has dotprod); NULL: baseline */
  Rounding rounding;
  bool profile;         /* --profile: per-layer timers and NAME_profile_report (else no trace) */
  int threads;          /* --threads: NAME_set_threads' initial value (0 or 1: one thread) */
} EmitOptions;

struct Emit {
  const Model *m;
  const Graph *g;
  const Plan *plan;
  EmitOptions o;
  Arena *a;
  Err *err;
  Text kernels, consts, layers;
  const char **kernel_done;   /* instantiated kernel names */
  uint32_t nkernel_done, kernel_cap;
  const char **weight_name;   /* per tensor, once emitted */
  bool need_math;             /* a float kernel needs math.h */
  const Op *op;               /* the operator being emitted */
  bool split;                 /* it splits its work between threads (emit_parallel) */
};

/* Text output. */
void text_put(Text *t, const char *s, size_t n);
void text_printf(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies src into out replacing each $KEY with its value from subst ("KEY=value") and $S with
   inst. */
int text_template(Text *out, const char *src, const char *inst, const char *const *subst, int ns,
                  Err *err);
/* A file embedded from targets/<target>/ or rt/ by its stem; NULL if absent. */
const char *emit_find_kernel(const char *target, const char *file);
/* The kernel `file` for `target`: its own folder's, else (x86-64-avx512) x86-64-avx2's, else
   generic's; NULL if none has it. */
const char *emit_target_kernel(const char *target, const char *file);
/* x86-64-avx512 is x86-64-avx2 with AVX-512 VNNI convolutions: every AVX2 emitter and kernel
   applies to both (emit_x86), and the VNNI ones to x86-64-avx512 alone (emit_vnni). */
bool emit_x86(const Emit *e);
bool emit_vnni(const Emit *e);
/* Appends to the current layer body. */
void ef(Emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The C element type of a TFLite dtype ("int8_t"), NULL when unsupported. */
const char *emit_ctype(int type);
/* "s8", "u8", "s16", "s32", "f32", ... for kernel names. */
const char *emit_tsuffix(int type);

/* Copies the kernel `file` (e.g. "fully_connected_q") from the target's folder into the output once
   per `inst`, replacing each $KEY of the source with its value: subst is "KEY=value" strings, NULL
   ended. The kernel's function is named <file stem>_$S; $S is inst, a suffix naming the dtypes
   ("s8", "f32", "s16_b64"). */
int emit_kernel(Emit *e, const char *file, const char *inst, ...);

/* Appends to the layer body a call of `call` (printf-formatted), a statement that uses the
   variables t_ and n_: part t_ of n_ of the layer's work, at most `units` parts. With OpenMP
   (-fopenmp) the parts are shared out between the threads of NAME_invoke's team (up to
   NAME_set_threads) by rank, and the team then waits (mc_team_wait, the layer function's `team`
   parameter: a split layer has one); without it, and for layers under a microsecond
   or so of work, n_ is 1. `work` is the layer's multiply-accumulates weighted by how slow its
   kernel is next to the AVX2 convolution (EMIT_WORK_*). Every part must write disjoint outputs
   and use only its own scratch, so the output never depends on n_; and a layer that splits must
   return 0 (every thread runs it, so none can report an error alone). */
enum { EMIT_WORK_AVX2_CONV = 1, EMIT_WORK_AVX2_OTHER = 4, EMIT_WORK_GENERIC = 16 };
void emit_parallel(Emit *e, int64_t units, int64_t work, const char *call, ...)
    __attribute__((format(printf, 4, 5)));
/* Whether emit_parallel splits a part of this size. Once one part of a layer splits, the layer
   is split (e->split): every thread runs its body, so each later part of 2 or more units splits
   too, and any other statement must run on one thread: emit_once before it. A statement before
   the first split part needs the decision early: call this first. */
bool emit_splits(Emit *e, int64_t units, int64_t work);
/* In a split layer, makes the next statement run on one thread while the others wait (omp
   single, with `clauses` such as "copyprivate(s_)" or NULL); nothing otherwise. */
void emit_once(Emit *e, const char *clauses);

/* The C expression for operand k of the current operator: a layer parameter ("in0", "out0") or
   the name of its constant array. */
const char *emit_in(Emit *e, int k);
const char *emit_out(Emit *e, int k);
/* The tensor behind input k (NULL if omitted) and output k. */
const Tensor *emit_tin(Emit *e, int k);
const Tensor *emit_tout(Emit *e, int k);
/* The name of a constant tensor's data array, emitted on first use. */
const char *emit_weights(Emit *e, const Tensor *t);
/* A named static const int32 table for this layer (per-channel multipliers, shifts). */
const char *emit_i32_table(Emit *e, const char *what, const int32_t *v, uint32_t n);
/* Reports that the current operator cannot be compiled (returns -1). */
int emit_unsupported(Emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Float literal that reads back exactly ("0.5f", "1.17549435e-38f"). */
const char *emit_f32(Emit *e, float v);
/* "[1,28,28,3]" */
const char *emit_shape(Emit *e, const Tensor *t);

/* Shape helpers: dims[i] of t with rank r padded to 4 from the left (TFLite's Extend4D). */
int32_t dim4(const Tensor *t, int i);
/* Product of dims in [from, to). */
int64_t dims_prod(const Tensor *t, int from, int to);

/* Per-operator-kind code generation, one file per kind in codegen/ops/, listed in
   codegen/ops.def. */
typedef struct OpGen {
  int (*emit)(Emit *e, const Op *op);
  Reuse reuse;
  /* Bytes of scratch op needs (NULL: none); sets *over_in0 if the kernel may use the storage of
     input 0 as its scratch when that input dies with op (it writes scratch byte i only after
     reading input bytes up to i). */
  int64_t (*scratch)(const Graph *g, const Op *op, bool *over_in0);
} OpGen;
const OpGen *opgen_for(OpKind k);   /* NULL: no code generator for this kind */

/* The memory plan of graph g as the generated code will use it; fails if an operator has no
   generator. */
int emit_plan(const Graph *g, Arena *a, Plan *plan, Err *err);
/* Generates NAME.c and NAME.h for graph 0 of m into *c and *h (malloc'd). */
int emit_c(const Model *m, const EmitOptions *o, Arena *a, char **c, size_t *nc, char **h,
           size_t *nh, Plan *plan_out, Err *err);

#endif
