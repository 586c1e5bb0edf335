/* GATHER with batch_dims 0: rows of the input along the axis picked by int32 or int64 indices,
   constant or computed at run time. An out-of-range index makes the layer fail with
   NAME_ERR_SHAPE (-3) (TFLite fails the invocation too). */
#include "codegen/emit.h"

int gen_gather(Emit *e, const Op *op) {
  const TflGatherOptions *o = &op->opt->GatherOptions;
  const Tensor *x = emit_tin(e, 0), *ix = emit_tin(e, 1), *y = emit_tout(e, 0);
  if (o->batch_dims != 0) return emit_unsupported(e, "batch_dims %d", o->batch_dims);
  if (!ix || (ix->type != TFL_INT32 && ix->type != TFL_INT64))
    return emit_unsupported(e, "indices are not int32/int64");
  if (x->type != y->type) return emit_unsupported(e, "input and output dtypes differ");
  int axis = o->axis < 0 ? o->axis + x->rank : o->axis;
  if (axis < 0 || axis >= x->rank) return emit_unsupported(e, "axis %d out of range", o->axis);
  int64_t outer = dims_prod(x, 0, axis), inner = dims_prod(x, axis + 1, x->rank);
  if (x->elems > INT32_MAX || y->elems > INT32_MAX || ix->elems > INT32_MAX)
    return emit_unsupported(e, "tensor too large");
  if (outer * ix->elems * inner != y->elems) return emit_unsupported(e, "output size mismatch");
  const char *ct = emit_ctype(x->type);
  if (!ct) return emit_unsupported(e, "dtype %s", tfl_type_name(x->type));
  char inst[16], T[32], I[32];
  snprintf(inst, sizeof inst, "%s_%s", emit_tsuffix(x->type), emit_tsuffix(ix->type));
  snprintf(T, sizeof T, "T=%s", ct);
  snprintf(I, sizeof I, "I=%s", emit_ctype(ix->type));
  if (emit_kernel(e, "gather", inst, T, I, NULL)) return -1;
  ef(e, "  if (gather_%s(%lld, %d, %lld, %s, %s, %lld, out0)) return -3;\n  return 0;\n", inst,
     (long long)outer, x->dims[axis], (long long)inner, emit_in(e, 0), emit_in(e, 1),
     (long long)ix->elems);
  return 0;
}
