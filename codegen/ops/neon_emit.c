/* Helpers the aarch64-neon emitters share: --cpu, operand checks, packed tables, kernel
   instantiation. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/neon.h"
#include "codegen/ops/pack.h"

/* CPUs (gcc's -mcpu names) by whether they have the armv8.2 dot-product extension. */
static const char *const dot_cpus[] = {
    "cortex-a55", "cortex-a65", "cortex-a75", "cortex-a76", "cortex-a76ae", "cortex-a77",
    "cortex-a78", "cortex-a78c", "cortex-a710", "cortex-x1", "cortex-x2", "neoverse-n1",
    "neoverse-n2", "neoverse-v1", NULL};
static const char *const plain_cpus[] = {"generic", "cortex-a35", "cortex-a53", "cortex-a57",
                                         "cortex-a72", "cortex-a73", NULL};
const char neon_cpu_names[] =
    "generic, cortex-a35, cortex-a53, cortex-a57, cortex-a72, cortex-a73 (no SDOT); cortex-a55, "
    "cortex-a65, cortex-a75, cortex-a76, cortex-a76ae, cortex-a77, cortex-a78, cortex-a78c, "
    "cortex-a710, cortex-x1, cortex-x2, neoverse-n1, neoverse-n2, neoverse-v1 (SDOT); or "
    "armv8[.N]-a / armv9[.N]-a with +ext";

static bool in_list(const char *const *l, const char *s, size_t n) {
  for (; *l; l++)
    if (strlen(*l) == n && strncmp(*l, s, n) == 0) return true;
  return false;
}

int neon_cpu_dotprod(const char *cpu) {
  if (!cpu) return 0;
  size_t n = strcspn(cpu, "+");
  const char *ext = cpu + n;
  int dot;
  if (in_list(dot_cpus, cpu, n)) {
    dot = 1;
  } else if (in_list(plain_cpus, cpu, n)) {
    dot = 0;
  } else if (strncmp(cpu, "armv8", 5) == 0 || strncmp(cpu, "armv9", 5) == 0) {
    /* armv8-a, armv8.N-a, armv9-a, armv9.N-a: dotprod is mandatory from armv8.4-a. */
    int major = cpu[4] - '0', minor = 0;
    const char *p = cpu + 5;
    if (*p == '.') {
      if (p[1] < '0' || p[1] > '9') return -1;
      minor = atoi(p + 1);
      p++;
      while (*p >= '0' && *p <= '9') p++;
    }
    if (strncmp(p, "-a", 2) != 0 || p + 2 != ext) return -1;
    dot = major > 8 || minor >= 4;
  } else {
    return -1;
  }
  /* Extensions, in order: +dotprod adds it, +nodotprod removes it, others do not matter here. */
  for (const char *p = ext; *p == '+';) {
    size_t k = strcspn(p + 1, "+");
    if (k == 7 && strncmp(p + 1, "dotprod", 7) == 0) dot = 1;
    if (k == 9 && strncmp(p + 1, "nodotprod", 9) == 0) dot = 0;
    if (k == 0) return -1;
    p += 1 + k;
  }
  return dot;
}

const char *neon_fn_attr(Emit *e) { return neon_cpu_dotprod(e->o.cpu) == 1 ? "MC_NEON_DOTPROD" : ""; }

bool neon_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                      int channels) {
  return strcmp(e->o.target, "aarch64-neon") == 0 && pack_q8_operands(x, w, b, y, channels);
}

/* Rows padded with -w_offset: their x - zp_x, w - zp_w products are 0 whatever the padding x. */
int neon_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, int out_d, int k, int kp,
                     int x_offset, int w_offset, const char **wname, const char **bname) {
  PackGemm p = {out_d, k, kp, 4, -w_offset, NULL, x_offset, w_offset};
  return pack_gemm_tables(e, w, b, &p, wname, bname);
}

const char *neon_bias_table(Emit *e, const Tensor *b, int channels, int padded) {
  int32_t *v = arena_array(e->a, (size_t)padded, sizeof *v);
  if (!v) {
    errf(e->err, -1, "out of memory");
    return NULL;
  }
  memset(v, 0, (size_t)padded * sizeof *v);
  if (b) memcpy(v, b->data, (size_t)channels * sizeof *v);
  return emit_i32_table(e, "bias_pad", v, (uint32_t)padded);
}

int neon_kernel(Emit *e, const char *file, const Tensor *x, const ConvQuant *q) {
  bool fp32 = strcmp(q->REQUANT, "REQUANT=mc_requant_fp32") == 0;
  bool dot = neon_cpu_dotprod(e->o.cpu) == 1;
  const char *ts = emit_tsuffix(x->type);
  char T[16], DOT[40], TGT[40];
  snprintf(T, sizeof T, "T=%s", ts);
  snprintf(DOT, sizeof DOT, "DOT=mc_neon_%s_%s", dot ? "sdot" : "dot", ts);
  snprintf(TGT, sizeof TGT, "TGT=%s", neon_fn_attr(e));
  if (emit_kernel(e, "neon_common", "x", NULL) || (dot && emit_kernel(e, "neon_sdot", "x", NULL)) ||
      emit_kernel(e, fp32 ? "neon_out_fp32" : "neon_out_scalar", q->inst, q->Y, q->QM, q->REQUANT,
                  NULL))
    return -1;
  return emit_kernel(e, file, q->inst, q->X, q->Y, q->QM, T, DOT, TGT, NULL);
}
