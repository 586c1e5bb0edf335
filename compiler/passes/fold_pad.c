/* fold-pad: a constant spatial PAD/PADV2 read only by a CONV_2D, DEPTHWISE_CONV_2D or MAX_POOL_2D
   becomes that operator's explicit padding (Op.pad); legal because the kernels skip taps outside
   the input, which is what reading the pad value does: a convolution tap on the input's zero
   point (0.0 for float) adds (zp - zp) * w = 0, and for MAX_POOL_2D a pad value equal to the
   type's minimum never exceeds a real value (and an all-padding window clamps to the same lo). */
#include <math.h>
#include <string.h>

#include "compiler/passes/passes.h"

/* AVERAGE_POOL_2D is left alone: TFLite divides by the number of window elements inside its
   input, so padding it reads counts in the divisor and skipped padding does not. Float
   MAX_POOL_2D too: a pad of -inf can come first in a window and then a NaN never wins, where the
   clipped window would start at the NaN and keep it. Hybrid convolutions (float input, int8
   weights) quantize the input by its range at run time, which padding changes. */

/* The value PAD/PADV2 op fills with, as codegen/ops/pad.c computes it; false if it is not a
   compile-time constant the emitter would accept. *v is raw for quantized types. */
static bool pad_value(const Graph *g, const Op *op, const Tensor *y, bool quantized, double *v) {
  int32_t cvi = op->nin > 2 ? op->in[2] : -1;
  if (cvi < 0) {
    *v = quantized ? y->q.zero_point[0] : 0.0;
    return true;
  }
  const Tensor *cv = &g->t[cvi];
  if (!cv->data || cv->type != y->type || cv->elems != 1) return false;
  if (quantized) {
    if (cv->q.n != 1 || cv->q.scale[0] != y->q.scale[0] || cv->q.zero_point[0] != y->q.zero_point[0])
      return false;
    if (cv->type == TFL_INT8) *v = (int8_t)cv->data[0];
    else if (cv->type == TFL_UINT8) *v = cv->data[0];
    else {
      int16_t s;
      memcpy(&s, cv->data, 2);
      *v = s;
    }
    return true;
  }
  float f;
  memcpy(&f, cv->data, 4);
  *v = f;
  return true;
}

/* The consumer's window, stride, dilation and SAME/VALID along axis a (0 rows, 1 columns). */
static void window(const Graph *g, const Op *c, int a, int *k, int *s, int *d, int *padding) {
  const Tensor *w = c->kind == OP_MAX_POOL_2D ? NULL : &g->t[c->in[1]];
  if (c->kind == OP_CONV_2D) {
    const TflConv2DOptions *o = &c->opt->Conv2DOptions;
    *s = a ? o->stride_w : o->stride_h, *d = a ? o->dilation_w_factor : o->dilation_h_factor;
    *padding = o->padding, *k = w->dims[1 + a];
  } else if (c->kind == OP_DEPTHWISE_CONV_2D) {
    const TflDepthwiseConv2DOptions *o = &c->opt->DepthwiseConv2DOptions;
    *s = a ? o->stride_w : o->stride_h, *d = a ? o->dilation_w_factor : o->dilation_h_factor;
    *padding = o->padding, *k = w->dims[1 + a];
  } else {
    const TflPool2DOptions *o = &c->opt->Pool2DOptions;
    *s = a ? o->stride_w : o->stride_h, *d = 1;
    *padding = o->padding, *k = a ? o->filter_width : o->filter_height;
  }
}

/* The weights multiply padding by 0.0: only finite weights give 0 (0 * inf is NaN). */
static bool finite_weights(const Tensor *w) {
  if (w->type != TFL_FLOAT32 || !w->data) return false;
  for (int64_t i = 0; i < w->elems; i++) {
    float f;
    memcpy(&f, w->data + 4 * i, 4);
    if (!isfinite(f)) return false;
  }
  return true;
}

/* Whether consumer c may read x padded with value v in its own padding. */
static bool absorbs(const Graph *g, const Op *c, const Tensor *x, bool quantized, double v) {
  if (c->kind == OP_MAX_POOL_2D) {
    if (!quantized) return false;
    int32_t lo, hi;
    quant_type_range(x->type, &lo, &hi);
    return v == lo;
  }
  if (c->kind != OP_CONV_2D && c->kind != OP_DEPTHWISE_CONV_2D) return false;
  if (c->nin < 2 || c->in[1] < 0) return false;
  const Tensor *w = &g->t[c->in[1]];
  if (w->rank != 4) return false;
  if (quantized) return v == x->q.zero_point[0];
  return v == 0.0 && finite_weights(w);
}

int pass_fold_pad(PassCtx *c, Graph *g, uint32_t *changes, Err *err) {
  (void)err;
  for (uint32_t i = 0; i < g->nops; i++) {
    Op *op = &g->ops[i];
    if (c->dead[i] || (op->kind != OP_PAD && op->kind != OP_PADV2) || op->nin < 2 ||
        op->nout != 1 || op->in[0] < 0 || op->in[1] < 0)
      continue;
    const Tensor *x = &g->t[op->in[0]], *p = &g->t[op->in[1]], *y = &g->t[op->out[0]];
    if (pass_pinned(y) || y->nconsumers != 1 || !x->shape_known || !y->shape_known ||
        x->rank != 4 || y->rank != 4 || x->type != y->type || !p->data || p->elems != 8 ||
        (p->type != TFL_INT32 && p->type != TFL_INT64))
      continue;
    bool quantized = x->type == TFL_INT8 || x->type == TFL_UINT8 || x->type == TFL_INT16;
    if (quantized ? x->q.n != 1 || !pass_same_quant(&x->q, &y->q)
                  : x->type != TFL_FLOAT32 || x->q.n || y->q.n)
      continue;
    int64_t pads[8];
    bool ok = true;
    for (int k = 0; k < 8; k++) pads[k] = ir_const_int(p, k), ok = ok && pads[k] >= 0;
    /* Only rows and columns: batch and channel padding has no counterpart in the consumer. */
    if (!ok || pads[0] || pads[1] || pads[6] || pads[7]) continue;
    double v;
    Op *cons = &g->ops[y->consumers[0]];
    if (c->dead[cons->index] || cons->nin < 1 || cons->in[0] != op->out[0] ||
        !pad_value(g, op, y, quantized, &v) || !absorbs(g, cons, x, quantized, v))
      continue;
    bool other_use = false;  /* the padded tensor as filter or bias too */
    for (uint32_t k = 1; k < cons->nin; k++) other_use = other_use || cons->in[k] == op->out[0];
    if (other_use) continue;
    /* The consumer's own padding of the padded tensor, then the sum: its output size over the
       unpadded input with the summed padding is the size it had (VALID over the same extent). */
    int32_t np[4];
    for (int a = 0; a < 2 && ok; a++) {
      int k, s, d, padding;
      window(g, cons, a, &k, &s, &d, &padding);
      int64_t in = y->dims[1 + a], eff = (int64_t)(k - 1) * d + 1, before, after;
      if (k < 1 || s < 1 || d < 1) ok = false;
      if (cons->pad_explicit) {
        before = cons->pad[a], after = cons->pad[a + 2];
      } else if (padding == 0) {  /* SAME, TFLite's ComputePaddingHeightWidth */
        int64_t out = (in + s - 1) / s, total = (out - 1) * s + eff - in;
        if (total < 0) total = 0;
        before = total / 2, after = total - before;
      } else {
        before = after = 0;
      }
      before += pads[2 + 2 * a], after += pads[3 + 2 * a];
      int64_t out = ok ? (x->dims[1 + a] + before + after - eff) / s + 1 : 0;
      /* Within a window of every side, the range the kernels handle for SAME padding already
         (and each window keeps at least one input tap). */
      ok = ok && before <= eff - 1 && after <= eff - 1 && out == g->t[cons->out[0]].dims[1 + a] &&
           x->dims[1 + a] + before + after >= eff;
      np[a] = (int32_t)before, np[a + 2] = (int32_t)after;
    }
    if (!ok) continue;
    cons->pad_explicit = true;
    memcpy(cons->pad, np, sizeof np);
    cons->in[0] = op->in[0];
    c->dead[i] = true;
    ++*changes;
  }
  return 0;
}
