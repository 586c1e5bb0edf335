/* Helpers the cortex-m emitters share: --cpu, operand checks, packed tables, kernel
   instantiation. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/cortexm.h"
#include "codegen/ops/pack.h"

/* Hard-float ABIs with each core's FPU (single precision on the M4, double on the M7 and M55;
   on the M55 the same -mcpu also enables Helium, __ARM_FEATURE_MVE), and the QEMU board
   modelling each core:
   - mps2-an386 (M4) and mps2-an500 (M7): 4 MB of code SSRAM at 0 (the vector table in its
     first KB), 4 MB of data SSRAM at 0x20000000 and 16 MB of PSRAM (0x21000000 on the an386,
     0x60000000 on the an500);
   - mps3-an547 (M55, an SSE-300 with TrustZone): the core starts in the Secure state and
     nothing here switches it, so every region is a Secure alias (address bit 28 set), as
     Secure firmware on that board addresses it (QEMU 7.2 also answers the Non-secure ones
     from this state; tried): the vector table at the start of the 512 KB ITCM (0x10000000),
     8 MB of QSPI flash at 0x38000000 (read-only to the core, written by QEMU's loader), 4 MB
     of SRAM at 0x31000000 and 16 MB of the DDR at 0x70000000. */
static const CmCpu cpus[] = {
    {"cortex-m4", "-mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16", false, "mps2-an386",
     {0, 1u << 10}, {1u << 10, (4u << 20) - (1u << 10)}, {0x20000000u, 4u << 20},
     {0x21000000u, 16u << 20}},
    {"cortex-m7", "-mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16", false, "mps2-an500",
     {0, 1u << 10}, {1u << 10, (4u << 20) - (1u << 10)}, {0x20000000u, 4u << 20},
     {0x60000000u, 16u << 20}},
    {"cortex-m55", "-mcpu=cortex-m55 -mfloat-abi=hard", true, "mps3-an547",
     {0x10000000u, 512u << 10}, {0x38000000u, 8u << 20}, {0x31000000u, 4u << 20},
     {0x70000000u, 16u << 20}},
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

bool cm_mve(const Emit *e) {
  const CmCpu *c = cm_cpu(e->o.cpu);
  return c && c->mve;
}

int cm_gemm_kp(const Emit *e, int k) {
  const int step = cm_mve(e) ? 16 : 4;
  return (k + step - 1) / step * step;
}

/* Channels per depthwise block: cm_dsp's 4 (one word of bytes), cm_mve's 8 (two int32
   vectors). */
static int dw_block(const Emit *e) { return cm_mve(e) ? 8 : 4; }

/* Where value i of a row goes: within each group of 4, the order w0 w2 w1 w3 (see cm_dsp's
   conv_cm_tile). */
static int slot(int i) { return (i & ~3) | ((i & 1) << 1) | ((i & 2) >> 1); }

int cm_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, int out_d, int k, int kp,
                   int x_offset, int w_offset, bool pairs, const char **wname,
                   const char **bname) {
  PackGemm p = {out_d, k, kp, 2, 0, pairs ? slot : NULL, x_offset, w_offset};
  return pack_gemm_tables(e, w, b, &p, wname, bname);
}

int cm_depthwise_tables(Emit *e, const Tensor *w, const Tensor *b, int taps, int channels,
                        const char **wname, const char **bname) {
  const int cb = dw_block(e), cp = (channels + cb - 1) / cb * cb;
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

/* The substitutions the kernels take besides the requantization's: T (s8 or u8, for the
   helpers named by dtype), R (conv_cm_q's im2col row type: int16 for SMLAD, the raw bytes for
   VMLADAVA), CB (depthwise_conv_cm_q's channels per block) and TILE (the inner loop called,
   with its dtype suffix). */
int cm_kernel(Emit *e, const char *file, const char *tile, const Tensor *x, const ConvQuant *q) {
  const bool mve = cm_mve(e);
  const char *t = emit_tsuffix(x->type);
  char T[16], R[32], CB[16], TILE[96], X[32];
  snprintf(T, sizeof T, "T=%s", t);
  snprintf(X, sizeof X, "X=%s", emit_ctype(x->type));
  snprintf(R, sizeof R, "R=%s", mve ? emit_ctype(x->type) : "int16_t");
  snprintf(CB, sizeof CB, "CB=%d", dw_block(e));
  snprintf(TILE, sizeof TILE, "TILE=%s_%s", tile, t);
  if (emit_kernel(e, "cm_common", "x", NULL) ||
      emit_kernel(e, mve ? "cm_mve" : "cm_dsp", t, X, T, NULL) ||
      emit_kernel(e, "cm_out", q->inst, q->Y, q->QM, q->REQUANT, NULL))
    return -1;
  return emit_kernel(e, file, q->inst, q->X, q->Y, q->QM, T, R, CB, TILE, NULL);
}
