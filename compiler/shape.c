/* Shape inference and per-kind operand checks, one function per shape family of schema/ops.def
   (TFLite Micro's "prepare" step). Each computes its outputs' shapes from its inputs: an unknown
   output shape (missing, or -1 outside the batch dimension) is filled in; a known one must agree.
   Operands whose values decide a shape (RESHAPE's shape, PAD's paddings, ...) must be constants
   unless the file already states the output shape. */
#include <stdio.h>

#include "ir.h"

typedef struct Shape {
  int rank;
  int32_t d[IR_MAX_RANK];
} Shape;

static Tensor *input(Graph *g, const Op *op, uint32_t k) {
  return k < op->nin && op->in[k] >= 0 ? &g->t[op->in[k]] : NULL;
}

static Tensor *output(Graph *g, const Op *op, uint32_t k) {
  return k < op->nout ? &g->t[op->out[k]] : NULL;
}

static int fail(const Op *op, Err *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(const Op *op, Err *err, const char *fmt, ...) {
  char msg[ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return errf(err, op->off, "operator %u (%s): %s", op->index, ir_op_name(op), msg);
}

static const char *fmt_dims(int rank, const int32_t *d, char *buf, size_t n) {
  size_t k = (size_t)snprintf(buf, n, "[");
  for (int i = 0; i < rank && k < n; i++)
    k += (size_t)snprintf(buf + k, n - k, i ? ", %d" : "%d", d[i]);
  if (k < n) snprintf(buf + k, n - k, "]");
  return buf;
}

/* The operand must be present with a known shape of the given rank (-1: any rank). */
/* *out is set on failure too, so no caller's pointer ever looks unset to the optimiser. */
static int need(Graph *g, const Op *op, uint32_t k, int rank, Tensor **out, Err *err) {
  Tensor *t = input(g, op, k);
  *out = t;
  char label[300];
  if (!t) return fail(op, err, "input %u is missing", k);
  ir_tensor_label(t, label, sizeof label);
  if (!t->shape_known) return fail(op, err, "input %u %s has an unknown shape", k, label);
  if (rank >= 0 && t->rank != rank)
    return fail(op, err, "input %u %s has rank %d, expected %d", k, label, t->rank, rank);
  *out = t;
  return 0;
}

/* Integer element i of a constant int32 or int64 tensor; int64 values are clamped to +-2^40, far
   past any valid dimension, so sums and differences of a few of them cannot overflow. */
static int64_t const_int(const Tensor *t, int64_t i) {
  const int64_t v = ir_const_int(t, i), lim = INT64_C(1) << 40;
  return v > lim ? lim : v < -lim ? -lim : v;
}

/* A constant int32/int64 operand with its data fully present, or NULL. */
static const Tensor *const_ints(Graph *g, const Op *op, uint32_t k) {
  Tensor *t = input(g, op, k);
  if (!t || !t->data || !t->shape_known || (t->type != TFL_INT32 && t->type != TFL_INT64))
    return NULL;
  if (t->data_size < (uint64_t)t->elems * tfl_type_size(t->type)) return NULL;
  return t;
}

/* Computes elems and bytes; fails on absurd sizes so later arithmetic cannot overflow. */
int ir_size_tensor(Tensor *t, Err *err) {
  int64_t e = 1;
  for (int i = 0; i < t->rank; i++) {
    if (t->dims[i] < 0) return 0;
    if (t->dims[i] && e > (INT64_C(1) << 40) / t->dims[i]) {
      char label[300];
      return errf(err, t->off, "%s: more than 2^40 elements", ir_tensor_label(t, label, sizeof label));
    }
    e *= t->dims[i];
  }
  t->elems = e;
  t->bytes = t->type == TFL_INT4 ? (e + 1) / 2 : e * (int64_t)tfl_type_size(t->type);
  /* The generated kernels index a tensor with int: none may reach 2 GiB. */
  if (t->bytes > INT32_MAX) {
    char label[300];
    return errf(err, t->off, "%s: %lld bytes, more than modelc's limit of 2^31 - 1 per tensor",
                ir_tensor_label(t, label, sizeof label), (long long)t->bytes);
  }
  return 0;
}

/* Sets or checks output k. A dimension the file gives as -1 takes the computed value. */
static int set_out(Graph *g, const Op *op, uint32_t k, const Shape *s, Err *err) {
  Tensor *t = output(g, op, k);
  char label[300], a[160], b[160];
  if (!t) return fail(op, err, "output %u is missing", k);
  ir_tensor_label(t, label, sizeof label);
  if (t->rank >= 0) {
    bool same = t->rank == s->rank;
    for (int i = 0; same && i < s->rank; i++) same = t->dims[i] == s->d[i] || t->dims[i] < 0;
    if (!same)
      return fail(op, err, "output %s has shape %s in the file, but its inputs give %s", label,
                  fmt_dims(t->rank, t->dims, a, sizeof a), fmt_dims(s->rank, s->d, b, sizeof b));
  }
  t->rank = s->rank;
  memcpy(t->dims, s->d, sizeof s->d);
  t->shape_known = true;
  return ir_size_tensor(t, err);
}

static Shape shape_of(const Tensor *t) {
  Shape s = {t->rank, {0}};
  memcpy(s.d, t->dims, sizeof s.d);
  return s;
}

/* The output keeps the file's shape when its inputs cannot decide it (a runtime operand). */
static int keep_file_shape(Graph *g, const Op *op, uint32_t k, const char *why, Err *err) {
  Tensor *t = output(g, op, k);
  if (!t) return fail(op, err, "output %u is missing", k);
  if (!t->shape_known)
    return fail(op, err, "output shape is unknown and %s is not a constant", why);
  return 0;
}

static bool is_quantized_type(int type) {
  return type == TFL_INT8 || type == TFL_UINT8 || type == TFL_INT16;
}

/* Quantized activations need a scale; per-tensor only. */
static int check_act_quant(const Op *op, const Tensor *t, const char *role, Err *err) {
  char label[300];
  if (!is_quantized_type(t->type)) return 0;
  ir_tensor_label(t, label, sizeof label);
  if (t->q.n == 0) return fail(op, err, "%s %s is %s but has no quantization", role, label,
                               tfl_type_name(t->type));
  return 0;
}

static int same_type(const Op *op, const Tensor *a, const Tensor *b, Err *err) {
  if (a->type == b->type) return 0;
  char la[300], lb[300];
  return fail(op, err, "%s is %s but %s is %s", ir_tensor_label(a, la, sizeof la),
              tfl_type_name(a->type), ir_tensor_label(b, lb, sizeof lb), tfl_type_name(b->type));
}

/* ---- families ---- */

int shape_same(Graph *g, Op *op, Err *err) {
  Tensor *x;
  if (need(g, op, 0, -1, &x, err)) return -1;
  Shape s = shape_of(x);
  Tensor *y = output(g, op, 0);
  /* Conversions change the dtype by definition; TFLite's SOFTMAX may also widen int8 to int16. */
  bool converts = op->kind == OP_QUANTIZE || op->kind == OP_DEQUANTIZE || op->kind == OP_CAST ||
                  (op->kind == OP_SOFTMAX && y && x->type == TFL_INT8 && y->type == TFL_INT16);
  if (y && !converts && same_type(op, x, y, err)) return -1;
  if (y && op->kind != OP_DEQUANTIZE && op->kind != OP_CAST &&
      (check_act_quant(op, x, "input", err) || check_act_quant(op, y, "output", err)))
    return -1;
  return set_out(g, op, 0, &s, err);
}

int shape_binary(Graph *g, Op *op, Err *err) {
  Tensor *a, *b;
  char sa[160], sb[160];
  if (need(g, op, 0, -1, &a, err) || need(g, op, 1, -1, &b, err)) return -1;
  Shape s = {a->rank > b->rank ? a->rank : b->rank, {0}};
  for (int i = 0; i < s.rank; i++) {
    int ia = i - (s.rank - a->rank), ib = i - (s.rank - b->rank);
    int32_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
    if (da != db && da != 1 && db != 1)
      return fail(op, err, "shapes %s and %s do not broadcast",
                  fmt_dims(a->rank, a->dims, sa, sizeof sa), fmt_dims(b->rank, b->dims, sb, sizeof sb));
    s.d[i] = da == 1 ? db : da;
  }
  if (same_type(op, a, b, err) || check_act_quant(op, a, "input 0", err) ||
      check_act_quant(op, b, "input 1", err))
    return -1;
  if (set_out(g, op, 0, &s, err)) return -1;
  return same_type(op, a, output(g, op, 0), err) ||
         check_act_quant(op, output(g, op, 0), "output", err);
}

/* Output size of a window along one axis (0 rows, 1 columns), as TFLite computes it for SAME and
   VALID padding, or for an operator's explicit padding. */
static int window_out(const Op *op, int axis, int padding, int32_t in, int32_t k, int32_t stride,
                      int32_t dilation, int32_t *out, Err *err) {
  if (stride <= 0 || dilation <= 0 || k <= 0)
    return fail(op, err, "stride %d, dilation %d and window %d must be positive", stride,
                dilation, k);
  int64_t eff = (int64_t)(k - 1) * dilation + 1;
  /* SAME padding never looks at the window's extent here, but the padding computed from it must
     fit an int, as in TFLite. */
  if (eff > (1 << 30))
    return fail(op, err, "window %d dilated by %d spans %lld elements, more than 2^30", k, dilation,
                (long long)eff);
  if (padding == 0) *out = (int32_t)(((int64_t)in + stride - 1) / stride);       /* SAME */
  else if (padding == 1) *out = (int32_t)((in - eff + stride) / stride);         /* VALID */
  else return fail(op, err, "padding %d is neither SAME nor VALID", padding);
  if (op->pad_explicit)  /* fold-pad's padding: VALID over the padded extent */
    *out = (int32_t)((in + (int64_t)op->pad[axis] + op->pad[axis + 2] - eff + stride) / stride);
  if (*out <= 0) return fail(op, err, "window %d (dilated %lld) is larger than the input %d", k,
                             (long long)eff, in);
  return 0;
}

/* The quantized weight/bias checks shared by the convolution family and FULLY_CONNECTED. */
static int check_weights(const Op *op, const Tensor *x, const Tensor *w, const Tensor *bias,
                         int32_t channels, int qdim, Err *err) {
  char label[300];
  if (is_quantized_type(x->type)) {
    if (w->q.n != 1 && w->q.n != (uint32_t)channels)
      return fail(op, err, "weights %s have %u scales for %d output channels",
                  ir_tensor_label(w, label, sizeof label), w->q.n, channels);
    if (w->q.n > 1 && w->q.dim != qdim)
      return fail(op, err, "weights %s are quantized along dimension %d, expected %d",
                  ir_tensor_label(w, label, sizeof label), w->q.dim, qdim);
  }
  if (bias && bias->elems != channels)
    return fail(op, err, "bias %s has %lld elements for %d output channels",
                ir_tensor_label(bias, label, sizeof label), (long long)bias->elems, channels);
  return 0;
}

static int conv_like(Graph *g, Op *op, bool depthwise, Err *err) {
  Tensor *x, *w, *b = NULL;
  if (need(g, op, 0, 4, &x, err) || need(g, op, 1, 4, &w, err)) return -1;
  if (input(g, op, 2) && need(g, op, 2, -1, &b, err)) return -1;
  int padding, sw, sh, dw, dh;
  int32_t co;
  if (depthwise) {
    const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
    padding = o->padding, sw = o->stride_w, sh = o->stride_h;
    dw = o->dilation_w_factor, dh = o->dilation_h_factor;
    co = w->dims[3];
    if (w->dims[0] != 1 || co % x->dims[3])
      return fail(op, err, "depthwise filter [%d, %d, %d, %d] does not fit %d input channels",
                  w->dims[0], w->dims[1], w->dims[2], w->dims[3], x->dims[3]);
  } else {
    const TflConv2DOptions *o = &op->opt->Conv2DOptions;
    padding = o->padding, sw = o->stride_w, sh = o->stride_h;
    dw = o->dilation_w_factor, dh = o->dilation_h_factor;
    co = w->dims[0];
    if (w->dims[3] <= 0 || x->dims[3] % w->dims[3])
      return fail(op, err, "filter depth %d does not divide %d input channels", w->dims[3],
                  x->dims[3]);
  }
  Shape s = {4, {x->dims[0], 0, 0, co}};
  if (window_out(op, 0, padding, x->dims[1], w->dims[1], sh, dh, &s.d[1], err) ||
      window_out(op, 1, padding, x->dims[2], w->dims[2], sw, dw, &s.d[2], err) ||
      check_weights(op, x, w, b, co, depthwise ? 3 : 0, err) ||
      check_act_quant(op, x, "input", err) || set_out(g, op, 0, &s, err))
    return -1;
  int64_t per_output = ir_sat_mul((int64_t)w->dims[1] * w->dims[2], depthwise ? 1 : w->dims[3]);
  op->macs = ir_sat_mul(output(g, op, 0)->elems, per_output);
  return same_type(op, x, output(g, op, 0), err) ||
         check_act_quant(op, output(g, op, 0), "output", err);
}

int shape_conv(Graph *g, Op *op, Err *err) { return conv_like(g, op, false, err); }
int shape_dwconv(Graph *g, Op *op, Err *err) { return conv_like(g, op, true, err); }

int shape_fc(Graph *g, Op *op, Err *err) {
  Tensor *x, *w, *b = NULL;
  if (need(g, op, 0, -1, &x, err) || need(g, op, 1, 2, &w, err)) return -1;
  if (input(g, op, 2) && need(g, op, 2, -1, &b, err)) return -1;
  int32_t units = w->dims[0], depth = w->dims[1];
  if (depth <= 0 || x->elems % depth)
    return fail(op, err, "input of %lld elements is not a whole number of rows of %d",
                (long long)x->elems, depth);
  Shape s;
  if (op->opt->FullyConnectedOptions.keep_num_dims) {
    s = shape_of(x);
    s.d[s.rank - 1] = units;
  } else {
    s = (Shape){2, {(int32_t)(x->elems / depth), units}};
  }
  if (check_weights(op, x, w, b, units, 0, err) || check_act_quant(op, x, "input", err) ||
      set_out(g, op, 0, &s, err))
    return -1;
  op->macs = ir_sat_mul(x->elems / depth, ir_sat_mul(units, depth));
  return check_act_quant(op, output(g, op, 0), "output", err);
}

int shape_tconv(Graph *g, Op *op, Err *err) {
  Tensor *w, *x, *b = NULL;
  if (need(g, op, 1, 4, &w, err) || need(g, op, 2, 4, &x, err)) return -1;
  if (input(g, op, 3) && need(g, op, 3, -1, &b, err)) return -1;
  if (w->dims[3] != x->dims[3])
    return fail(op, err, "filter depth %d differs from %d input channels", w->dims[3], x->dims[3]);
  const Tensor *os = const_ints(g, op, 0);
  if (os) {
    if (os->elems != 4) return fail(op, err, "output_shape has %lld elements, expected 4",
                                    (long long)os->elems);
    Shape s = {4, {0}};
    for (int i = 0; i < 4; i++) s.d[i] = (int32_t)const_int(os, i);
    if (set_out(g, op, 0, &s, err)) return -1;
  } else if (keep_file_shape(g, op, 0, "output_shape", err)) {
    return -1;
  }
  Tensor *y = output(g, op, 0);
  if (y->rank != 4 || y->dims[3] != w->dims[0])
    return fail(op, err, "output channels differ from the filter's %d", w->dims[0]);
  if (y->dims[0] != x->dims[0])
    return fail(op, err, "output batch %d differs from the input's %d", y->dims[0], x->dims[0]);
  const TflTransposeConvOptions *o = &op->opt->TransposeConvOptions;
  if (o->stride_h <= 0 || o->stride_w <= 0 || w->dims[1] <= 0 || w->dims[2] <= 0)
    return fail(op, err, "stride %d x %d and filter %d x %d must be positive", o->stride_h,
                o->stride_w, w->dims[1], w->dims[2]);
  if (o->padding != 0 && o->padding != 1)
    return fail(op, err, "padding %d is neither SAME nor VALID", o->padding);
  op->macs = ir_sat_mul(x->elems, ir_sat_mul((int64_t)w->dims[0] * w->dims[1], w->dims[2]));
  return check_weights(op, x, w, b, w->dims[0], 0, err) || check_act_quant(op, x, "input", err) ||
         check_act_quant(op, y, "output", err);
}

int shape_pool(Graph *g, Op *op, Err *err) {
  Tensor *x;
  const TflPool2DOptions *o = &op->opt->Pool2DOptions;
  if (need(g, op, 0, 4, &x, err)) return -1;
  Shape s = {4, {x->dims[0], 0, 0, x->dims[3]}};
  if (window_out(op, 0, o->padding, x->dims[1], o->filter_height, o->stride_h, 1, &s.d[1], err) ||
      window_out(op, 1, o->padding, x->dims[2], o->filter_width, o->stride_w, 1, &s.d[2], err) ||
      set_out(g, op, 0, &s, err))
    return -1;
  return same_type(op, x, output(g, op, 0), err) || check_act_quant(op, x, "input", err) ||
         check_act_quant(op, output(g, op, 0), "output", err);
}

static int axis_of(const Op *op, int64_t axis, int rank, int *out, Err *err) {
  *out = 0;
  if (axis < -rank || axis >= rank)
    return fail(op, err, "axis %lld is outside rank %d", (long long)axis, rank);
  *out = (int)(axis < 0 ? axis + rank : axis);
  return 0;
}

int shape_concat(Graph *g, Op *op, Err *err) {
  Tensor *x;
  int axis;
  if (need(g, op, 0, -1, &x, err) ||
      axis_of(op, op->opt->ConcatenationOptions.axis, x->rank, &axis, err))
    return -1;
  Shape s = shape_of(x);
  int64_t total = x->dims[axis];
  for (uint32_t k = 1; k < op->nin; k++) {
    Tensor *y;
    if (need(g, op, k, x->rank, &y, err) || same_type(op, x, y, err)) return -1;
    for (int i = 0; i < s.rank; i++)
      if (i != axis && y->dims[i] != s.d[i])
        return fail(op, err, "input %u differs from input 0 in dimension %d", k, i);
    if ((total += y->dims[axis]) > INT32_MAX) return fail(op, err, "output is too large");
  }
  s.d[axis] = (int32_t)total;
  return set_out(g, op, 0, &s, err);
}

int shape_reshape(Graph *g, Op *op, Err *err) {
  Tensor *x;
  if (need(g, op, 0, -1, &x, err)) return -1;
  const Tensor *st = const_ints(g, op, 1);
  TflVec opt = op->opt->ReshapeOptions.new_shape;
  Shape s = {0, {0}};
  int64_t n = st ? st->elems : opt.n;
  if (!st && (input(g, op, 1) || opt.n == 0)) return keep_file_shape(g, op, 0, "the new shape", err);
  if (st && st->rank == 1 && st->dims[0] == 0 && x->elems != 1) n = 0;
  if (n > IR_MAX_RANK) return fail(op, err, "new shape has %lld dimensions", (long long)n);
  int unknown = -1;
  int64_t known = 1;
  s.rank = (int)n;
  for (int i = 0; i < s.rank; i++) {
    int64_t d = st ? const_int(st, i) : tfl_i32(opt, (uint32_t)i);
    if (d == -1 && unknown < 0) { unknown = i; continue; }
    if (d < 0 || d > INT32_MAX) return fail(op, err, "new shape dimension %d is %lld", i, (long long)d);
    s.d[i] = (int32_t)d;
    if (d && known > (INT64_C(1) << 40) / d) return fail(op, err, "new shape is too large");
    known *= d ? d : 1;
  }
  if (unknown >= 0) {
    if (known == 0 || x->elems % known) return fail(op, err, "cannot infer the -1 dimension");
    s.d[unknown] = (int32_t)(x->elems / known);
  }
  if (set_out(g, op, 0, &s, err)) return -1;
  if (output(g, op, 0)->elems != x->elems)
    return fail(op, err, "reshapes %lld elements into %lld", (long long)x->elems,
                (long long)output(g, op, 0)->elems);
  return 0;
}

int shape_squeeze(Graph *g, Op *op, Err *err) {
  Tensor *x;
  if (need(g, op, 0, -1, &x, err)) return -1;
  TflVec dims = op->opt->SqueezeOptions.squeeze_dims;
  bool drop[IR_MAX_RANK] = {false};
  for (uint32_t i = 0; i < dims.n; i++) {
    int a;
    if (axis_of(op, tfl_i32(dims, i), x->rank, &a, err)) return -1;
    if (x->dims[a] != 1) return fail(op, err, "dimension %d is %d, not 1", a, x->dims[a]);
    drop[a] = true;
  }
  Shape s = {0, {0}};
  for (int i = 0; i < x->rank; i++)
    if (dims.n ? !drop[i] : x->dims[i] != 1) s.d[s.rank++] = x->dims[i];
  return set_out(g, op, 0, &s, err);
}

int shape_expand_dims(Graph *g, Op *op, Err *err) {
  Tensor *x;
  if (need(g, op, 0, -1, &x, err)) return -1;
  const Tensor *ax = const_ints(g, op, 1);
  if (!ax || ax->elems != 1) return keep_file_shape(g, op, 0, "the axis", err);
  int a;
  if (x->rank + 1 > IR_MAX_RANK || axis_of(op, const_int(ax, 0), x->rank + 1, &a, err)) return -1;
  Shape s = {x->rank + 1, {0}};
  for (int i = 0, j = 0; i < s.rank; i++) s.d[i] = i == a ? 1 : x->dims[j++];
  return set_out(g, op, 0, &s, err);
}

int shape_pad(Graph *g, Op *op, Err *err) {
  Tensor *x;
  if (need(g, op, 0, -1, &x, err)) return -1;
  const Tensor *p = const_ints(g, op, 1);
  if (!p) return keep_file_shape(g, op, 0, "the paddings", err);
  if (p->rank != 2 || p->dims[0] != x->rank || p->dims[1] != 2)
    return fail(op, err, "paddings are not [%d, 2]", x->rank);
  Shape s = shape_of(x);
  for (int i = 0; i < s.rank; i++) {
    int64_t lo = const_int(p, 2 * i), hi = const_int(p, 2 * i + 1), d = s.d[i] + lo + hi;
    if (lo < 0 || hi < 0 || d > INT32_MAX) return fail(op, err, "padding of dimension %d is invalid", i);
    s.d[i] = (int32_t)d;
  }
  if (set_out(g, op, 0, &s, err)) return -1;
  return same_type(op, x, output(g, op, 0), err);
}

static int split_common(Graph *g, Op *op, Tensor *x, int axis, const int64_t *sizes, Err *err) {
  for (uint32_t k = 0; k < op->nout; k++) {
    Shape s = shape_of(x);
    s.d[axis] = (int32_t)sizes[k];
    if (set_out(g, op, k, &s, err)) return -1;
  }
  return 0;
}

int shape_split(Graph *g, Op *op, Err *err) {
  Tensor *x;
  int axis;
  const Tensor *ax = const_ints(g, op, 0);
  if (need(g, op, 1, -1, &x, err)) return -1;
  if (!ax || ax->elems != 1) return fail(op, err, "the axis is not a constant");
  if (axis_of(op, const_int(ax, 0), x->rank, &axis, err)) return -1;
  if (x->dims[axis] % (int32_t)op->nout)
    return fail(op, err, "dimension %d of %d does not split into %u", axis, x->dims[axis], op->nout);
  int64_t sizes[256];
  if (op->nout > 256) return fail(op, err, "more than 256 outputs");
  for (uint32_t k = 0; k < op->nout; k++) sizes[k] = x->dims[axis] / (int32_t)op->nout;
  return split_common(g, op, x, axis, sizes, err);
}

int shape_split_v(Graph *g, Op *op, Err *err) {
  Tensor *x;
  int axis;
  const Tensor *sz = const_ints(g, op, 1), *ax = const_ints(g, op, 2);
  if (need(g, op, 0, -1, &x, err)) return -1;
  if (!sz || !ax || ax->elems != 1) return fail(op, err, "sizes and axis must be constants");
  if (axis_of(op, const_int(ax, 0), x->rank, &axis, err)) return -1;
  if (sz->elems != op->nout || op->nout > 256)
    return fail(op, err, "%lld sizes for %u outputs", (long long)sz->elems, op->nout);
  int64_t sizes[256], sum = 0;
  int unknown = -1;
  for (uint32_t k = 0; k < op->nout; k++) {
    sizes[k] = const_int(sz, k);
    if (sizes[k] == -1 && unknown < 0) unknown = (int)k;
    else if (sizes[k] < 0) return fail(op, err, "size %u is %lld", k, (long long)sizes[k]);
    else sum += sizes[k];
  }
  if (unknown >= 0) sizes[unknown] = x->dims[axis] - sum, sum = x->dims[axis];
  if (sum != x->dims[axis] || (unknown >= 0 && sizes[unknown] < 0))
    return fail(op, err, "sizes do not add up to dimension %d of %d", axis, x->dims[axis]);
  return split_common(g, op, x, axis, sizes, err);
}

int shape_reduce(Graph *g, Op *op, Err *err) {
  Tensor *x;
  if (need(g, op, 0, -1, &x, err)) return -1;
  const Tensor *ax = const_ints(g, op, 1);
  if (!ax) return keep_file_shape(g, op, 0, "the axis", err);
  bool reduced[IR_MAX_RANK] = {false};
  for (int64_t i = 0; i < ax->elems; i++) {
    int a;
    if (axis_of(op, const_int(ax, i), x->rank, &a, err)) return -1;
    reduced[a] = true;
  }
  Shape s = {0, {0}};
  bool keep = op->opt->ReducerOptions.keep_dims;
  for (int i = 0; i < x->rank; i++)
    if (!reduced[i]) s.d[s.rank++] = x->dims[i];
    else if (keep) s.d[s.rank++] = 1;
  return set_out(g, op, 0, &s, err);
}

/* TFLite's StridedSlice for the masks the converters emit: begin, end and shrink_axis masks, with
   ellipsis and new_axis masks left to the file's output shape. */
int shape_strided_slice(Graph *g, Op *op, Err *err) {
  Tensor *x;
  const TflStridedSliceOptions *o = &op->opt->StridedSliceOptions;
  if (need(g, op, 0, -1, &x, err)) return -1;
  const Tensor *b = const_ints(g, op, 1), *e = const_ints(g, op, 2), *st = const_ints(g, op, 3);
  if (!b || !e || !st || o->ellipsis_mask || o->new_axis_mask)
    return keep_file_shape(g, op, 0, "the slice", err);
  if (b->elems != x->rank || e->elems != x->rank || st->elems != x->rank)
    return fail(op, err, "begin, end and strides need %d elements", x->rank);
  Shape s = {0, {0}};
  for (int i = 0; i < x->rank; i++) {
    int64_t n = x->dims[i], stride = const_int(st, i);
    int64_t lo = const_int(b, i), hi = const_int(e, i);
    if (stride == 0) return fail(op, err, "stride %d is 0", i);
    if (o->offset) hi += lo;
    bool shrink = (o->shrink_axis_mask >> i) & 1;
    if (lo < 0) lo += n;
    if (hi < 0) hi += n;
    if (stride > 0) {
      lo = (o->begin_mask >> i) & 1 ? 0 : (lo < 0 ? 0 : lo > n ? n : lo);
      hi = (o->end_mask >> i) & 1 ? n : (hi < 0 ? 0 : hi > n ? n : hi);
    } else {
      lo = (o->begin_mask >> i) & 1 ? n - 1 : (lo < -1 ? -1 : lo > n - 1 ? n - 1 : lo);
      hi = (o->end_mask >> i) & 1 ? -1 : (hi < -1 ? -1 : hi > n - 1 ? n - 1 : hi);
    }
    if (shrink) continue;
    int64_t len = stride > 0 ? (hi - lo + stride - 1) / stride : (lo - hi - stride - 1) / -stride;
    s.d[s.rank++] = (int32_t)(len > 0 ? len : 0);
  }
  return set_out(g, op, 0, &s, err);
}

int shape_transpose(Graph *g, Op *op, Err *err) {
  Tensor *x;
  if (need(g, op, 0, -1, &x, err)) return -1;
  const Tensor *p = const_ints(g, op, 1);
  if (!p) return keep_file_shape(g, op, 0, "the permutation", err);
  if (p->elems != x->rank) return fail(op, err, "permutation of %lld for rank %d",
                                       (long long)p->elems, x->rank);
  Shape s = {x->rank, {0}};
  bool used[IR_MAX_RANK] = {false};
  for (int i = 0; i < x->rank; i++) {
    int64_t a = const_int(p, i);
    if (a < 0 || a >= x->rank || used[a]) return fail(op, err, "permutation is invalid");
    used[a] = true;
    s.d[i] = x->dims[a];
  }
  return set_out(g, op, 0, &s, err);
}

int shape_resize(Graph *g, Op *op, Err *err) {
  Tensor *x;
  if (need(g, op, 0, 4, &x, err)) return -1;
  const Tensor *sz = const_ints(g, op, 1);
  if (!sz) return keep_file_shape(g, op, 0, "the size", err);
  if (sz->elems != 2) return fail(op, err, "size has %lld elements, expected 2", (long long)sz->elems);
  int64_t h = const_int(sz, 0), w = const_int(sz, 1);
  if (h <= 0 || w <= 0 || h > INT32_MAX || w > INT32_MAX) return fail(op, err, "size is invalid");
  Shape s = {4, {x->dims[0], (int32_t)h, (int32_t)w, x->dims[3]}};
  return set_out(g, op, 0, &s, err);
}

int shape_argminmax(Graph *g, Op *op, Err *err) {
  Tensor *x;
  int axis;
  if (need(g, op, 0, -1, &x, err)) return -1;
  const Tensor *ax = const_ints(g, op, 1);
  if (!ax || ax->elems != 1) return keep_file_shape(g, op, 0, "the axis", err);
  if (axis_of(op, const_int(ax, 0), x->rank, &axis, err)) return -1;
  Shape s = {0, {0}};
  for (int i = 0; i < x->rank; i++)
    if (i != axis) s.d[s.rank++] = x->dims[i];
  return set_out(g, op, 0, &s, err);
}

/* SVDF: input [batch, in], feature weights [filters, in], time weights [filters, memory],
   bias [units], state [batch, memory * filters]; filters = units * rank. */
int shape_svdf(Graph *g, Op *op, Err *err) {
  Tensor *x, *wf, *wt, *state;
  int32_t rank = op->opt->SVDFOptions.rank;
  if (need(g, op, 0, 2, &x, err) || need(g, op, 1, 2, &wf, err) || need(g, op, 2, 2, &wt, err) ||
      need(g, op, 4, 2, &state, err))
    return -1;
  if (rank <= 0 || wf->dims[0] % rank) return fail(op, err, "rank %d does not divide %d filters",
                                                   rank, wf->dims[0]);
  if (wf->dims[1] != x->dims[1] || wt->dims[0] != wf->dims[0])
    return fail(op, err, "weights do not match the input");
  Shape s = {2, {x->dims[0], wf->dims[0] / rank}};
  return set_out(g, op, 0, &s, err);
}

/* UNIDIRECTIONAL_SEQUENCE_LSTM: the output is the input with its last dimension replaced by the
   output size, which is dimension 1 of the recurrent-to-output weights (input 8). */
int shape_lstm(Graph *g, Op *op, Err *err) {
  Tensor *x, *w;
  if (need(g, op, 0, 3, &x, err) || need(g, op, 8, 2, &w, err)) return -1;
  Shape s = shape_of(x);
  s.d[2] = w->dims[1];
  return set_out(g, op, 0, &s, err);
}
