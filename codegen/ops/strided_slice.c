/* STRIDED_SLICE: TFLite's StartForAxis/StopForAxis semantics (begin, end and shrink_axis masks,
   negative indices and strides, the offset flag where end counts from begin) folded into one
   strided box copy. Ellipsis and new_axis masks, which TFLite's kernel rejects, are unsupported. */
#include <string.h>

#include "codegen/emit.h"
#include "codegen/ops/movement.h"

static int64_t const_i32(const Tensor *t, int i) {
  int32_t v;
  memcpy(&v, t->data + 4 * i, 4);
  return v;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

int gen_strided_slice(Emit *e, const Op *op) {
  const TflStridedSliceOptions *o = &op->opt->StridedSliceOptions;
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  const Tensor *b = emit_tin(e, 1), *en = emit_tin(e, 2), *st = emit_tin(e, 3);
  if (x->type != y->type) return emit_unsupported(e, "input and output dtypes differ");
  if (o->ellipsis_mask || o->new_axis_mask) return emit_unsupported(e, "ellipsis or new_axis mask");
  if (!b || !en || !st || !b->data || !en->data || !st->data || b->type != TFL_INT32 ||
      en->type != TFL_INT32 || st->type != TFL_INT32)
    return emit_unsupported(e, "begin, end and strides must be constant int32");
  int r = x->rank;
  if (b->elems != r || en->elems != r || st->elems != r)
    return emit_unsupported(e, "begin, end and strides need %d elements", r);
  bool quantized = x->type == TFL_INT8 || x->type == TFL_UINT8 || x->type == TFL_INT16;
  if (quantized && x->q.n && y->q.n &&
      (x->q.scale[0] != y->q.scale[0] || x->q.zero_point[0] != y->q.zero_point[0]))
    return emit_unsupported(e, "input and output quantization differ");
  int64_t n[IR_MAX_RANK], xs[IR_MAX_RANK], ss[IR_MAX_RANK], ds[IR_MAX_RANK], off = 0, total = 1;
  int32_t len32[IR_MAX_RANK];
  box_strides(r, x->dims, xs);
  for (int i = 0; i < r; i++) {
    int64_t size = x->dims[i], stride = const_i32(st, i);
    int64_t begin = const_i32(b, i), end = const_i32(en, i);
    if (stride == 0) return emit_unsupported(e, "stride %d is 0", i);
    if (o->offset) end += begin;
    bool shrink = (o->shrink_axis_mask >> i) & 1;
    int64_t start, stop;
    if (size == 0) {
      start = stop = 0;
    } else {
      start = (o->begin_mask >> i) & 1 ? (stride > 0 ? INT32_MIN : INT32_MAX) : begin;
      if (start < 0) start += size;
      start = stride > 0 ? clamp64(start, 0, size) : clamp64(start, -1, size - 1);
      if (shrink) {
        stop = start + 1;
      } else {
        stop = (o->end_mask >> i) & 1 ? (stride > 0 ? INT32_MAX : INT32_MIN) : end;
        if (stop < 0) stop += size;
        stop = stride > 0 ? clamp64(stop, 0, size) : clamp64(stop, -1, size - 1);
      }
    }
    int64_t len = stride > 0 ? (stop - start + stride - 1) / stride : (start - stop - stride - 1) / -stride;
    if (len < 0) len = 0;
    /* A shrunk axis whose begin is past its end clamps to the axis size and still counts one
       element, which would be read from past the input (TFLite reads it; TensorFlow rejects
       the index): refused. */
    if (shrink && (len != 1 || start < 0 || start >= size))
      return emit_unsupported(e, "shrunk axis %d is out of range", i);
    n[i] = len, len32[i] = (int32_t)len;
    ss[i] = len > 1 ? xs[i] * stride : 0;  /* a stride no step takes may exceed the axis */
    if (len) off += start * xs[i];
    total *= len;
  }
  if (total != y->elems) return emit_unsupported(e, "slice of %lld elements for an output of %lld",
                                                 (long long)total, (long long)y->elems);
  box_strides(r, len32, ds);
  if (emit_copy_box(e, x->type, "out0", 0, emit_in(e, 0), off, r, n, ss, ds)) return -1;
  ef(e, "  return 0;\n");
  return 0;
}
