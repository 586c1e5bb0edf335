/* Requantization of the convolutions follows the runtime each --rounding mode stands for.
   - double: TFLite Micro, whose reference kernels all use MultiplyByQuantizedMultiplier (gemmlowp
     double rounding, mc_requant) and, for 16x8 with an int64 bias, its int64 form (mc_requant64).
   - single: TensorFlow Lite as the oracle (tests/oracle) runs it, measured on single-operator
     models with power-of-two scales, where requantization ties are frequent:
       int8/uint8 CONV_2D, DEPTHWISE_CONV_2D and uint8 TRANSPOSE_CONV run in the XNNPACK delegate:
         float(acc) * (s_x * s_w / s_y in float), rounded to nearest, ties to even (fp32);
       int8 TRANSPOSE_CONV is not delegated: TFLite's optimized kernel ends in
         MultiplyByQuantizedMultiplier, double rounding in that build (mc_requant_dbl);
       16x8 runs TFLite's reference kernels: mc_requant64 (the same in every build). */
#include "conv_common.h"

#include <stdio.h>
#include <string.h>

#include "codegen/ops/quant_params.h"

/* In int64: shape inference bounds the dilated window by 2^30, not the stride. */
int conv_padding(int padding, int stride, int dilation, int in, int k, int *offset) {
  int64_t eff = (int64_t)(k - 1) * dilation + 1;
  int64_t out = padding == 0 ? ((int64_t)in + stride - 1) / stride : ((int64_t)in + stride - eff) / stride;
  int64_t total = (out - 1) * stride + eff - in;
  if (total < 0) total = 0;
  if (offset) *offset = (int)(total % 2);
  return (int)(total / 2);
}

void conv_pads(const Op *op, const Tensor *x, const Tensor *w, int *pad_h, int *pad_w) {
  if (op->pad_explicit) {
    *pad_h = op->pad[0], *pad_w = op->pad[1];
    return;
  }
  int padding, sh, sw, dh, dw;
  if (op->kind == OP_DEPTHWISE_CONV_2D) {
    const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
    padding = o->padding, sh = o->stride_h, sw = o->stride_w;
    dh = o->dilation_h_factor, dw = o->dilation_w_factor;
  } else {
    const TflConv2DOptions *o = &op->opt->Conv2DOptions;
    padding = o->padding, sh = o->stride_h, sw = o->stride_w;
    dh = o->dilation_h_factor, dw = o->dilation_w_factor;
  }
  *pad_h = conv_padding(padding, sh, dh, x->dims[1], w->dims[1], NULL);
  *pad_w = conv_padding(padding, sw, dw, x->dims[2], w->dims[2], NULL);
}

int conv_float(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
               int activation, float *lo, float *hi) {
  (void)x;
  if (w->type != TFL_FLOAT32 || y->type != TFL_FLOAT32 || (b && b->type != TFL_FLOAT32))
    return emit_unsupported(e, "float32 input with %s weights, %s bias, %s output",
                            tfl_type_name(w->type), b ? tfl_type_name(b->type) : "no",
                            tfl_type_name(y->type));
  if (quant_act_range_f32(activation, lo, hi))
    return emit_unsupported(e, "activation %d", activation);
  return 0;
}

/* XNNPACK's per-channel requantization scales, computed in float as it does: (s_x * s_w[c]) / s_y.
   A zero shift table keeps the kernels' signature. */
static int fp32_scales(Emit *e, const Tensor *x, const Tensor *w, const Tensor *y, int channels,
                       ConvQuant *q) {
  if (w->q.n != 1 && w->q.n != (uint32_t)channels)
    return emit_unsupported(e, "weights have %u scales for %d channels", w->q.n, channels);
  int32_t *zero = arena_array(e->a, (size_t)channels, sizeof *zero);
  if (!zero) return errf(e->err, -1, "out of memory");
  memset(zero, 0, (size_t)channels * sizeof *zero);
  char name[64];
  snprintf(name, sizeof name, "op%u_scale", e->op->index);
  text_printf(&e->consts, "static const float %s[%d] = {", name, channels);
  for (int c = 0; c < channels; c++) {
    float s = x->q.scale[0] * w->q.scale[w->q.n == 1 ? 0 : c] / y->q.scale[0];
    text_printf(&e->consts, "%s%s", c % 8 ? ", " : (c ? ",\n  " : "\n  "), emit_f32(e, s));
  }
  text_printf(&e->consts, "\n};\n");
  q->mult = arena_strdup(e->a, name);
  q->shift = emit_i32_table(e, "shift0", zero, (uint32_t)channels);
  return 0;
}

int conv_quant(Emit *e, ConvKind kind, const Tensor *x, const Tensor *w, const Tensor *b,
               const Tensor *y, int activation, int channels, ConvQuant *q) {
  bool s8 = x->type == TFL_INT8 && w->type == TFL_INT8 && y->type == TFL_INT8;
  bool u8 = x->type == TFL_UINT8 && w->type == TFL_UINT8 && y->type == TFL_UINT8;
  bool s16 = x->type == TFL_INT16 && w->type == TFL_INT8 && y->type == TFL_INT16;
  if (!s8 && !u8 && !s16)
    return emit_unsupported(e, "%s input, %s weights, %s output", tfl_type_name(x->type),
                            tfl_type_name(w->type), tfl_type_name(y->type));
  int bt = b ? b->type : s16 ? TFL_INT64 : TFL_INT32;
  if (s16 ? (bt != TFL_INT64 && bt != TFL_INT32) : bt != TFL_INT32)
    return emit_unsupported(e, "%s bias with %s input", tfl_type_name(bt), tfl_type_name(x->type));
  if (!x->q.n || !w->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
  /* TFLite's 16x8 kernels have no input or output offsets: Prepare requires zero points of 0. */
  if (s16 && (x->q.zero_point[0] != 0 || y->q.zero_point[0] != 0))
    return emit_unsupported(e, "int16 zero points must be 0");
  /* Per-channel (int8, int16) kernels ignore the weights' zero points; uint8 ones subtract it. */
  if (u8 && w->q.n != 1) return emit_unsupported(e, "per-channel uint8 weights");
  q->x_offset = -x->q.zero_point[0];
  q->w_offset = u8 ? -w->q.zero_point[0] : 0;
  q->y_offset = y->q.zero_point[0];
  if (quant_act_range(y, activation, &q->act_min, &q->act_max))
    return emit_unsupported(e, "activation %d", activation);

  bool oracle = e->o.rounding == ROUND_SINGLE;
  bool fp32 = oracle && (u8 || (s8 && kind != CONV_TRANSPOSE));
  /* 16x8 accumulates in int64 with an int64 bias, and always in TRANSPOSE_CONV (TFLite's int64
     scratch); TFLite Micro's int32-bias convolutions keep int32 and the 32-bit requantization. */
  bool acc64 = s16 && (bt == TFL_INT64 || kind == CONV_TRANSPOSE);
  const char *requant = fp32 ? "mc_requant_fp32"
                        : acc64 ? "mc_requant64"
                        : oracle && s8 ? "mc_requant_dbl"
                        : "mc_requant";
  if (fp32) {
    if (fp32_scales(e, x, w, y, channels, q)) return -1;
  } else {
    ChannelQuant cq;
    if (emit_channel_quant(e, x, w, y, channels, &cq)) return -1;
    q->mult = cq.mult, q->shift = cq.shift;
  }
  /* The suffix names everything the template varies by. */
  snprintf(q->inst, sizeof q->inst, "%s%s%s", emit_tsuffix(x->type),
           s16 ? (bt == TFL_INT64 ? "_b64" : acc64 ? "_b32w" : "_b32") : "",
           fp32 ? "_f" : strcmp(requant, "mc_requant_dbl") == 0 ? "_d" : "");
  snprintf(q->X, sizeof q->X, "X=%s", emit_ctype(x->type));
  snprintf(q->W, sizeof q->W, "W=%s", emit_ctype(w->type));
  snprintf(q->Y, sizeof q->Y, "Y=%s", emit_ctype(y->type));
  snprintf(q->B, sizeof q->B, "B=%s", emit_ctype(bt));
  snprintf(q->ACC, sizeof q->ACC, "ACC=%s", acc64 ? "int64_t" : "int32_t");
  snprintf(q->REQUANT, sizeof q->REQUANT, "REQUANT=%s", requant);
  snprintf(q->QM, sizeof q->QM, "QM=%s", fp32 ? "float" : "int32_t");
  return 0;
}

static bool strides_ok(int sh, int sw, int dh, int dw) { return sh >= 1 && sw >= 1 && dh >= 1 && dw >= 1; }

bool conv_simd_shape(Emit *e, const Op *op) {
  if (op->nin < 2 || op->in[0] < 0 || op->in[1] < 0) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *y = emit_tout(e, 0);
  if (x->rank != 4 || w->rank != 4 || y->rank != 4) return false;
  if (w->dims[3] != x->dims[3] || y->dims[3] != w->dims[0] || w->dims[3] < 1) return false;
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  return strides_ok(o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor) &&
         y->dims[0] == x->dims[0] && y->dims[1] >= 1 && y->dims[2] >= 1;
}

int depthwise_simd_multiplier(Emit *e, const Op *op) {
  if (op->nin < 2 || op->in[0] < 0 || op->in[1] < 0) return 0;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *y = emit_tout(e, 0);
  if (x->rank != 4 || w->rank != 4 || y->rank != 4 || w->dims[0] != 1) return 0;
  const int in_d = x->dims[3], out_d = w->dims[3];
  if (in_d <= 0 || out_d % in_d || y->dims[3] != out_d) return 0;
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  if (o->depth_multiplier != 0 && o->depth_multiplier != out_d / in_d) return 0;
  if (!strides_ok(o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor)) return 0;
  return y->dims[0] == x->dims[0] && y->dims[1] >= 1 && y->dims[2] >= 1 ? out_d / in_d : 0;
}

bool fully_connected_simd_shape(Emit *e, const Op *op) {
  if (op->nin < 2 || op->in[0] < 0 || op->in[1] < 0) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *y = emit_tout(e, 0);
  const TflFullyConnectedOptions *o = &op->opt->FullyConnectedOptions;
  if (o->weights_format != 0 || w->rank != 2 || w->dims[1] <= 0 || w->dims[0] <= 0) return false;
  if (x->elems % w->dims[1] || y->elems != x->elems / w->dims[1] * w->dims[0]) return false;
  return x->elems / w->dims[1] <= INT32_MAX;
}

int fully_connected_quant(Emit *e, const Op *op, ConvQuant *q) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *y = emit_tout(e, 0);
  const int act = op->opt->FullyConnectedOptions.fused_activation_function;
  *q = (ConvQuant){.x_offset = -x->q.zero_point[0], .w_offset = -w->q.zero_point[0],
                   .y_offset = y->q.zero_point[0]};
  if (quant_act_range(y, act, &q->act_min, &q->act_max))
    return emit_unsupported(e, "activation %d", act);
  ChannelQuant cq;
  if (emit_channel_quant(e, x, w, y, w->dims[0], &cq)) return -1;
  q->mult = cq.mult, q->shift = cq.shift;
  snprintf(q->inst, sizeof q->inst, "%s", emit_tsuffix(x->type));
  snprintf(q->X, sizeof q->X, "X=%s", emit_ctype(x->type));
  snprintf(q->Y, sizeof q->Y, "Y=%s", emit_ctype(y->type));
  snprintf(q->QM, sizeof q->QM, "QM=int32_t");
  snprintf(q->REQUANT, sizeof q->REQUANT, "REQUANT=mc_requant");
  return 0;
}
