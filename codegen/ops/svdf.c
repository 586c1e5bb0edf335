/* SVDF: a fully connected layer factored into feature and time filters over a sliding memory kept
   in a variable state tensor (input 4). float32, and TFLite's integer form: int8 input/output with
   int16 state and time weights; int8 state and time weights are handled the same way (TFLite Micro's
   8-bit variant). Hybrid (float input, int8 weights) is not supported. */
#include "codegen/emit.h"

int64_t scratch_svdf(const Graph *g, const Op *op, bool *over_in0) {
  if (op->nin < 2 || op->in[0] < 0 || op->in[1] < 0) return 0;
  const Tensor *x = &g->t[op->in[0]], *wf = &g->t[op->in[1]];
  if (x->rank != 2 || wf->rank != 2) return 0;
  return (int64_t)x->dims[0] * wf->dims[0] * 4;  /* int32 or float per (batch, filter) */
}

int gen_svdf(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *wf = emit_tin(e, 1), *wt = emit_tin(e, 2),
               *b = emit_tin(e, 3), *st = emit_tin(e, 4), *y = emit_tout(e, 0);
  const TflSVDFOptions *o = &op->opt->SVDFOptions;
  if (!x || !wf || !wt || !st) return emit_unsupported(e, "missing operand");
  if (!st->is_variable) return emit_unsupported(e, "the state (input 4) is not a variable tensor");
  if (x->rank != 2 || wf->rank != 2 || wt->rank != 2 || o->rank <= 0 || wf->dims[0] % o->rank)
    return emit_unsupported(e, "shapes");
  int batches = x->dims[0], input_size = x->dims[1], filters = wf->dims[0],
      units = filters / o->rank, memory = wt->dims[1];
  if (memory < 1 || st->elems != (int64_t)batches * filters * memory)
    return emit_unsupported(e, "state of %lld elements", (long long)st->elems);
  if (x->type == TFL_FLOAT32 && wf->type == TFL_FLOAT32 && wt->type == TFL_FLOAT32 &&
      st->type == TFL_FLOAT32 && y->type == TFL_FLOAT32 && (!b || b->type == TFL_FLOAT32)) {
    float lo, hi;
    if (quant_act_range_f32(o->fused_activation_function, &lo, &hi))
      return emit_unsupported(e, "activation %d", o->fused_activation_function);
    if (emit_kernel(e, "svdf_f32", "f32", NULL)) return -1;
    ef(e, "  svdf_f32(%d, %d, %d, %d, %d, %d, %s, %s, %s, %s, in4, out0, %s, %s, (float *)scratch);\n"
          "  return 0;\n", batches, input_size, filters, units, o->rank, memory, emit_in(e, 0),
       emit_in(e, 1), emit_in(e, 2), b ? emit_in(e, 3) : "0", emit_f32(e, lo), emit_f32(e, hi));
    return 0;
  }
  if (x->type != TFL_INT8 || wf->type != TFL_INT8 || y->type != TFL_INT8 ||
      (st->type != TFL_INT16 && st->type != TFL_INT8) || wt->type != st->type ||
      (b && b->type != TFL_INT32))
    return emit_unsupported(e, "%s input, %s feature weights, %s time weights, %s state",
                            tfl_type_name(x->type), tfl_type_name(wf->type),
                            tfl_type_name(wt->type), tfl_type_name(st->type));
  /* TFLite's integer SVDF refuses every other activation (and then does not apply it). */
  if (o->fused_activation_function != ACT_RELU)
    return emit_unsupported(e, "integer SVDF needs the RELU activation, has %d",
                            o->fused_activation_function);
  if (!x->q.n || !wf->q.n || !wt->q.n || !st->q.n || !y->q.n)
    return emit_unsupported(e, "missing quantization parameters");
  /* Prepare computes these products in float (all operands are float) before widening. */
  float s1 = x->q.scale[0] * wf->q.scale[0];
  s1 = s1 / st->q.scale[0];
  float s2 = st->q.scale[0] * wt->q.scale[0];
  s2 = s2 / y->q.scale[0];
  int32_t m1, m2;
  int sh1, sh2;
  quant_multiplier((double)s1, e->o.rounding, &m1, &sh1);
  quant_multiplier((double)s2, e->o.rounding, &m2, &sh2);
  bool s16 = st->type == TFL_INT16;
  if (emit_kernel(e, "svdf_q", s16 ? "s16" : "s8", s16 ? "T=int16_t" : "T=int8_t",
                  s16 ? "TMIN=-32768" : "TMIN=-128", s16 ? "TMAX=32767" : "TMAX=127", NULL))
    return -1;
  ef(e, "  svdf_%s(%d, %d, %d, %d, %d, %d, %s, %d, %s, %s, %s, in4, out0, %d, %d, %d, %d, %d, "
        "(int32_t *)scratch);\n  return 0;\n", s16 ? "s16" : "s8", batches, input_size, filters,
     units, o->rank, memory, emit_in(e, 0), x->q.zero_point[0], emit_in(e, 1), emit_in(e, 2),
     b ? emit_in(e, 3) : "0", y->q.zero_point[0], m1, sh1, m2, sh2);
  return 0;
}
