/* Helpers the aarch64-neon emitters share: --cpu, operand checks, packed tables, kernel
   instantiation. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/neon.h"

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

static bool is_const(const Tensor *t) { return t->data && !t->is_variable; }

bool neon_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                      int channels) {
  if (strcmp(e->o.target, "aarch64-neon") != 0) return false;
  bool s8 = x->type == TFL_INT8 && w->type == TFL_INT8 && y->type == TFL_INT8;
  bool u8 = x->type == TFL_UINT8 && w->type == TFL_UINT8 && y->type == TFL_UINT8;
  if (!(s8 || u8) || !x->q.n || !w->q.n || !y->q.n || !is_const(w)) return false;
  /* The GEMM pads with the zero points (so they must be values of the dtype) and the
     depthwise kernel widens x - zp_x and w - zp_w to int16 (exact only for such zero points);
     a model with others keeps the generic int32 arithmetic. */
  int64_t lo = s8 ? -128 : 0, hi = s8 ? 127 : 255;
  if (x->q.zero_point[0] < lo || x->q.zero_point[0] > hi || w->q.zero_point[0] < lo ||
      w->q.zero_point[0] > hi)
    return false;
  if (b && (b->type != TFL_INT32 || !is_const(b) || b->elems != channels ||
            b->data_size < (uint64_t)channels * 4))
    return false;
  return (uint64_t)w->elems <= w->data_size;
}

int neon_weight(const Tensor *w, int64_t i) {
  return w->type == TFL_INT8 ? (int)(int8_t)w->data[i] : (int)w->data[i];
}

/* Writes `static const T name[n] = {...};` with n values from v (int32 storage). */
static const char *int_table(Emit *e, const char *ctype, const char *what, const int32_t *v,
                             size_t n) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const %s %s[%zu] = {", ctype, name, n ? n : 1);
  for (size_t i = 0; i < n; i++)
    text_printf(&e->consts, "%s%d", i % 16 ? "," : (i ? ",\n  " : "\n  "), (int)v[i]);
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

const char *neon_i16_table(Emit *e, const char *what, const int16_t *v, size_t n) {
  int32_t *t = malloc((n ? n : 1) * sizeof *t);
  if (!t) return errf(e->err, -1, "out of memory"), NULL;
  for (size_t i = 0; i < n; i++) t[i] = v[i];
  const char *name = int_table(e, "int16_t", what, t, n);
  free(t);
  return name;
}

int neon_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, int out_d, int k, int kp,
                     int x_offset, int w_offset, const char **wname, const char **bname) {
  const int ocp = (out_d + 3) / 4 * 4;
  const size_t n = (size_t)ocp * kp;
  int32_t *pk = calloc(n ? n : 1, sizeof *pk), *bias = calloc((size_t)ocp, sizeof *bias);
  if (!pk || !bias) {
    free(pk), free(bias);
    return errf(e->err, -1, "out of memory");
  }
  for (int oc = 0; oc < out_d; oc++) {
    int64_t sum = 0;
    for (int i = 0; i < kp; i++) {
      int v = i < k ? neon_weight(w, (int64_t)oc * k + i) : -w_offset;
      pk[(size_t)oc * kp + i] = v;
      sum += v;
    }
    int32_t b0 = 0;
    if (b) memcpy(&b0, b->data + (size_t)oc * 4, 4);
    /* Modulo 2^32, as the int32 accumulator it stands for. */
    uint64_t f = (uint64_t)(int64_t)b0 + (uint64_t)((int64_t)x_offset * sum) +
                 (uint64_t)((int64_t)kp * x_offset * w_offset);
    bias[oc] = (int32_t)(uint32_t)f;
  }
  *wname = int_table(e, w->type == TFL_INT8 ? "int8_t" : "uint8_t", "wpack", pk, n);
  *bname = int_table(e, "int32_t", "bias_fold", bias, (size_t)ocp);
  free(pk), free(bias);
  return 0;
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
