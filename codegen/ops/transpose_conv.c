/* TRANSPOSE_CONV: inputs (output_shape int32[4], weights [out_d, k_h, k_w, in_d], input, optional
   bias). float32; int8 with per-channel int8 weights; uint8 with per-tensor uint8 weights; int16
   with int8 weights and int64 (or int32) bias, accumulated in int64 as TFLite does. Quantized
   kernels scatter into an accumulator in the layer's scratch. An output_shape computed at run
   time must equal the compiled one, else the layer returns NAME_ERR_SHAPE (-3). The fused
   activation is applied as current TFLite does (older TFLite, the oracle's, ignores it). */
#include "codegen/emit.h"
#include "codegen/ops/conv_common.h"

static int acc_bytes(int type) {
  return type == TFL_FLOAT32 ? 0 : type == TFL_INT16 ? 8 : 4;
}

int64_t scratch_transpose_conv(const Graph *g, const Op *op, bool *over_in0) {
  const Tensor *y = &g->t[op->out[0]];
  return y->elems * acc_bytes(y->type);
}

int gen_transpose_conv(Emit *e, const Op *op) {
  const Tensor *shape = emit_tin(e, 0), *w = emit_tin(e, 1), *x = emit_tin(e, 2);
  const Tensor *b = emit_tin(e, 3), *y = emit_tout(e, 0);
  const TflTransposeConvOptions *o = &op->opt->TransposeConvOptions;
  if (shape->type != TFL_INT32 || shape->elems != 4)
    return emit_unsupported(e, "output_shape is %s with %lld elements", tfl_type_name(shape->type),
                            (long long)shape->elems);
  int in_h = x->dims[1], in_w = x->dims[2], in_d = x->dims[3];
  int out_h = y->dims[1], out_w = y->dims[2], out_d = y->dims[3];
  int k_h = w->dims[1], k_w = w->dims[2];
  /* TFLite pads as for the forward convolution from the output back to the input (dilation 1). */
  int pad_h = conv_padding(o->padding, o->stride_h, 1, out_h, k_h, NULL);
  int pad_w = conv_padding(o->padding, o->stride_w, 1, out_w, k_w, NULL);
  if (!shape->data || shape->is_variable)
    ef(e, "  if (in0[0] != %d || in0[1] != %d || in0[2] != %d || in0[3] != %d) return -3;\n",
       y->dims[0], out_h, out_w, out_d);
  char geom[256];
  snprintf(geom, sizeof geom, "%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d", x->dims[0],
           in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, o->stride_h, o->stride_w, pad_h, pad_w);
  if (x->type == TFL_FLOAT32) {
    float lo, hi;
    if (conv_float(e, x, w, b, y, o->fused_activation_function, &lo, &hi)) return -1;
    if (emit_kernel(e, "transpose_conv_f32", "f32", NULL)) return -1;
    ef(e, "  transpose_conv_f32(%s,\n                     %s, %s, %s, out0, %s, %s);\n  return 0;\n",
       geom, emit_in(e, 2), emit_in(e, 1), b ? emit_in(e, 3) : "0", emit_f32(e, lo),
       emit_f32(e, hi));
    return 0;
  }
  ConvQuant q;
  if (conv_quant(e, CONV_TRANSPOSE, x, w, b, y, o->fused_activation_function, out_d, &q)) return -1;
  if (emit_kernel(e, "transpose_conv_q", q.inst, q.X, q.W, q.Y, q.B, q.ACC, q.REQUANT, q.QM, NULL))
    return -1;
  ef(e, "  transpose_conv_%s(%s,\n                   %s, %d, %s, %d, %s, out0, %d, %s, %s, %d, %d,\n"
     "                   (%s *)scratch);\n  return 0;\n", q.inst, geom, emit_in(e, 2), q.x_offset,
     emit_in(e, 1), q.w_offset, b ? emit_in(e, 3) : "0", q.y_offset, q.mult, q.shift, q.act_min,
     q.act_max, q.ACC + 4);
  return 0;
}
