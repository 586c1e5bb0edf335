/* Hybrid CONV_2D for x86-64-avx2 (float32 input and output, int8 weights with float scales,
   float32 bias, groups == 1, no dilation), as conv_hybrid_avx2 in targets/x86-64-avx2/. The
   generic emitter (conv.c) has already checked the operands and emitted the quantizer and the
   weight scale table (conv_hybrid.c); this packs the weights into the kernel's layout
   ([block of 8 channels][pair][8][2], int8, zero-padded) and writes the layer: per batch the
   generic quantizer, then the kernel's parts. The output is byte-identical to the generic
   kernel's (the kernel's header says why). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"

bool conv_hybrid_avx2_eligible(Emit *e, const Op *op) {
  if (!emit_x86(e)) return false;
  if (op->nin < 2 || op->in[0] < 0 || op->in[1] < 0) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *y = emit_tout(e, 0);
  if (x->rank != 4 || w->rank != 4 || y->rank != 4) return false;
  if (x->type != TFL_FLOAT32 || w->type != TFL_INT8 || y->type != TFL_FLOAT32) return false;
  if (!w->data || w->is_variable || (uint64_t)w->elems > w->data_size) return false;
  if (w->dims[3] != x->dims[3] || y->dims[3] != w->dims[0]) return false;  /* groups == 1 */
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  if (o->stride_h < 1 || o->stride_w < 1 || o->dilation_h_factor != 1 ||
      o->dilation_w_factor != 1)
    return false;
  const int64_t k = (int64_t)w->dims[1] * w->dims[2] * w->dims[3];
  if (k < 1 || w->dims[0] < 1 || y->elems < 1) return false;
  /* Worst case of the int32 accumulator: k terms of |xq - zp| <= 255 times |w| <= 128. */
  if (k * 255 * 128 > INT32_MAX) return false;
  /* Four im2col rows of 2 * kp int16 on the stack. */
  return 4 * 2 * ((k + 1) / 2) * 2 <= AVX2_STACK_MAX;
}

int gen_conv_hybrid_avx2(Emit *e, const Op *op, const ConvHybrid *h) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  const int in_h = x->dims[1], in_w = x->dims[2], in_d = x->dims[3];
  const int out_h = y->dims[1], out_w = y->dims[2], out_d = w->dims[0];
  const int k_h = w->dims[1], k_w = w->dims[2];
  const int k = k_h * k_w * in_d, kp = (k + 1) / 2, nblk = (out_d + 7) / 8;
  int pad_h, pad_w;
  conv_pads(op, x, w, &pad_h, &pad_w);
  if (emit_kernel(e, "avx2_common", "x", NULL) || emit_kernel(e, "conv_hybrid_avx2", "s8", NULL))
    return -1;
  const size_t n = (size_t)nblk * kp * 16;
  uint8_t *pk = calloc(n, 1);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int oc = 0; oc < out_d; oc++)
    for (int i = 0; i < k; i++)
      pk[(size_t)(oc / 8) * kp * 16 + (size_t)(i / 2) * 16 + (size_t)(oc % 8) * 2 + i % 2] =
          w->data[(size_t)oc * k + i];
  const char *wn = avx2_u8_table(e, "hwpack", pk, n, true);
  free(pk);
  if (!wn) return errf(e->err, -1, "out of memory");
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_conv_hybrid_avx2(const int8_t *xq, int32_t zp, float s, "
              "const float *bias, float *y, int part, int nparts) {\n"
              "  int16_t a[%d];\n  (void)bias;\n"
              "  conv_hybrid_avx2_s8(xq, zp, s, y, %s, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %s, %s, a, part, nparts);\n}\n",
              op->index, 8 * kp, wn, h->w_scale, b ? "bias" : "0", in_h, in_w, in_d, out_h, out_w,
              out_d, k_h, k_w, o->stride_h, o->stride_w, pad_h, pad_w, kp,
              emit_f32(e, h->act_min), emit_f32(e, h->act_max));
  const int64_t in_size = (int64_t)in_h * in_w * in_d, out_size = (int64_t)out_h * out_w * out_d;
  const int64_t m = (int64_t)out_h * out_w, units = (m + 3) / 4, work = m * k * out_d * EMIT_WORK_AVX2_CONV;
  emit_splits(e, units, work);  /* then one thread quantizes the batch, for all */
  ef(e, "  for (int b_ = 0; b_ < %d; b_++) {\n    float s_;\n    int32_t zp_;\n", x->dims[0]);
  emit_once(e, "copyprivate(s_, zp_)");
  ef(e, "    %s(%lld, %s + (size_t)b_ * %lld, (int8_t *)scratch, &s_, &zp_);\n",
     h->QUANT + strlen("QUANT="), (long long)in_size, emit_in(e, 0), (long long)in_size);
  emit_parallel(e, units, work,
                "op%u_conv_hybrid_avx2((const int8_t *)scratch, zp_, s_, %s, out0 + (size_t)b_ * "
                "%lld, t_, n_)",
                op->index, b ? emit_in(e, 2) : "0", (long long)out_size);
  ef(e, "  }\n  return 0;\n");
  return 0;
}
