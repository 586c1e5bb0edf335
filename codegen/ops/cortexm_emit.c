/* Helpers the cortex-m emitters share: --cpu, operand checks, packed tables, kernel
   instantiation. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/cortexm.h"

/* Hard-float ABIs with each core's FPU (single precision on the M4, double on the M7 and M55),
   and the QEMU machine modelling it: mps2-an386 (M4) and mps2-an500 (M7) both map 4 MB of code
   SSRAM at 0, 4 MB of data SSRAM at 0x20000000 and 16 MB of PSRAM (0x21000000, 0x60000000).
   The M55 builds with its DSP extension (Helium is not used); QEMU's M55 board, mps3-an547,
   has another memory map and is not wired up here. */
static const CmCpu cpus[] = {
    {"cortex-m4", "-mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16", "mps2-an386", 0x21000000u},
    {"cortex-m7", "-mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16", "mps2-an500", 0x60000000u},
    {"cortex-m55", "-mcpu=cortex-m55 -mfloat-abi=hard", NULL, 0},
};
const char cm_cpu_names[] = "cortex-m4 (default), cortex-m7, cortex-m55";

const CmCpu *cm_cpu(const char *cpu) {
  if (!cpu) return &cpus[0];
  for (size_t i = 0; i < sizeof cpus / sizeof cpus[0]; i++)
    if (strcmp(cpus[i].name, cpu) == 0) return &cpus[i];
  return NULL;
}

static bool is_const(const Tensor *t) { return t->data && !t->is_variable; }

bool cm_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                    int channels) {
  if (strcmp(e->o.target, "cortex-m") != 0) return false;
  bool s8 = x->type == TFL_INT8 && w->type == TFL_INT8 && y->type == TFL_INT8;
  bool u8 = x->type == TFL_UINT8 && w->type == TFL_UINT8 && y->type == TFL_UINT8;
  if (!(s8 || u8) || !x->q.n || !w->q.n || !y->q.n || !is_const(w)) return false;
  /* The GEMM pads with the zero points (so they must be values of the dtype) and the depthwise
     kernel adds x_offset and w_offset in int16 halves (exact only for such zero points). */
  int64_t lo = s8 ? -128 : 0, hi = s8 ? 127 : 255;
  if (x->q.zero_point[0] < lo || x->q.zero_point[0] > hi || w->q.zero_point[0] < lo ||
      w->q.zero_point[0] > hi)
    return false;
  if (b && (b->type != TFL_INT32 || !is_const(b) || b->elems != channels ||
            b->data_size < (uint64_t)channels * 4))
    return false;
  return (uint64_t)w->elems <= w->data_size;
}

/* Writes `static const T op<index>_<what>[n] = {...};` from int32 values. */
static const char *int_table(Emit *e, const char *ctype, const char *what, const int32_t *v,
                             size_t n) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const %s %s[%zu] = {", ctype, name, n ? n : 1);
  for (size_t i = 0; i < n; i++)
    text_printf(&e->consts, "%s%d", i % 16 ? "," : (i ? ",\n  " : "\n  "), (int)v[i]);
  if (!n) text_printf(&e->consts, "0");
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

static int weight(const Tensor *w, int64_t i) {
  return w->type == TFL_INT8 ? (int)(int8_t)w->data[i] : (int)w->data[i];
}

/* Where value i of a row goes: within each group of 4, the order w0 w2 w1 w3 (see conv_cm_q). */
static int slot(int i) { return (i & ~3) | ((i & 1) << 1) | ((i & 2) >> 1); }

int cm_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, int out_d, int k, int kp,
                   int x_offset, int w_offset, bool pairs, const char **wname,
                   const char **bname) {
  const int ocp = (out_d + 1) / 2 * 2;
  const size_t n = (size_t)ocp * kp;
  int32_t *pk = calloc(n ? n : 1, sizeof *pk), *bias = calloc((size_t)ocp, sizeof *bias);
  if (!pk || !bias) {
    free(pk), free(bias);
    return errf(e->err, -1, "out of memory");
  }
  for (int oc = 0; oc < out_d; oc++) {
    int64_t sum = 0;
    for (int i = 0; i < k; i++) {
      int v = weight(w, (int64_t)oc * k + i);
      pk[(size_t)oc * kp + (pairs ? slot(i) : i)] = v;
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

int cm_depthwise_tables(Emit *e, const Tensor *w, const Tensor *b, int taps, int channels,
                        const char **wname, const char **bname) {
  const int cp = (channels + 3) / 4 * 4;
  const size_t n = (size_t)taps * cp;
  int32_t *pk = calloc(n ? n : 1, sizeof *pk), *bias = calloc((size_t)cp, sizeof *bias);
  if (!pk || !bias) {
    free(pk), free(bias);
    return errf(e->err, -1, "out of memory");
  }
  for (int t = 0; t < taps; t++)
    for (int c = 0; c < channels; c++)
      pk[(size_t)t * cp + c] = weight(w, (int64_t)t * channels + c);
  for (int c = 0; b && c < channels; c++) memcpy(&bias[c], b->data + (size_t)c * 4, 4);
  *wname = int_table(e, w->type == TFL_INT8 ? "int8_t" : "uint8_t", "wpack", pk, n);
  *bname = int_table(e, "int32_t", "bias_pad", bias, (size_t)cp);
  free(pk), free(bias);
  return 0;
}

int cm_kernel(Emit *e, const char *file, const Tensor *x, const ConvQuant *q) {
  char T[16];
  snprintf(T, sizeof T, "T=%s", emit_tsuffix(x->type));
  if (emit_kernel(e, "cm_common", "x", NULL) ||
      emit_kernel(e, "cm_out", q->inst, q->Y, q->QM, q->REQUANT, NULL))
    return -1;
  return emit_kernel(e, file, q->inst, q->X, q->Y, q->QM, T, NULL);
}
