/* Helpers the cortex-m emitters share: --cpu, operand checks, packed tables, kernel
   instantiation. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/cortexm.h"
#include "codegen/ops/pack.h"

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

bool cm_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                    int channels) {
  return strcmp(e->o.target, "cortex-m") == 0 && pack_q8_operands(x, w, b, y, channels);
}

/* Where value i of a row goes: within each group of 4, the order w0 w2 w1 w3 (see conv_cm_q). */
static int slot(int i) { return (i & ~3) | ((i & 1) << 1) | ((i & 2) >> 1); }

int cm_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, int out_d, int k, int kp,
                   int x_offset, int w_offset, bool pairs, const char **wname,
                   const char **bname) {
  PackGemm p = {out_d, k, kp, 2, 0, pairs ? slot : NULL, x_offset, w_offset};
  return pack_gemm_tables(e, w, b, &p, wname, bname);
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
      pk[(size_t)t * cp + c] = pack_weight(w, (int64_t)t * channels + c);
  for (int c = 0; b && c < channels; c++) memcpy(&bias[c], b->data + (size_t)c * 4, 4);
  *wname = pack_table(e, w->type == TFL_INT8 ? "int8_t" : "uint8_t", "wpack", pk, n);
  *bname = pack_table(e, "int32_t", "bias_pad", bias, (size_t)cp);
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
