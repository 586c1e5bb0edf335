/* fold-constants: RESHAPE/SQUEEZE/EXPAND_DIMS/TRANSPOSE/CAST/QUANTIZE/DEQUANTIZE whose inputs are
   all constant become constant tensors holding the result; legal because these kernels are pure
   functions of their inputs, evaluated here with the generated code's own arithmetic. */
#include <string.h>

#include "compiler/passes/passes.h"

static bool constant(const Tensor *t) { return t->data && !t->is_variable; }

/* Element k of a constant integer vector (TRANSPOSE's perm is int32 or int64). */
static bool int_at(const Tensor *t, int64_t k, int64_t *v) {
  if (t->type == TFL_INT32) {
    int32_t x;
    memcpy(&x, t->data + 4 * k, 4);
    *v = x;
    return true;
  }
  if (t->type == TFL_INT64) {
    memcpy(v, t->data + 8 * k, 8);
    return true;
  }
  return false;
}

static bool transpose(const Tensor *x, const Tensor *perm, const Tensor *y, uint8_t *out) {
  int r = x->rank;
  if (r != y->rank || r < 1 || r > IR_MAX_RANK || perm->elems != r || x->type != y->type) return false;
  int p[IR_MAX_RANK];
  for (int d = 0; d < r; d++) {
    int64_t v;
    if (!int_at(perm, d, &v)) return false;
    if (v < 0) v += r;  /* TFLite accepts negative axes */
    if (v < 0 || v >= r || y->dims[d] != x->dims[v]) return false;
    p[d] = (int)v;
  }
  size_t es = tfl_type_size(x->type);
  if (!es) return false;
  int64_t xstride[IR_MAX_RANK], idx[IR_MAX_RANK] = {0};
  xstride[r - 1] = 1;
  for (int d = r - 2; d >= 0; d--) xstride[d] = xstride[d + 1] * x->dims[d + 1];
  for (int64_t i = 0; i < y->elems; i++) {
    int64_t src = 0;
    for (int d = 0; d < r; d++) src += idx[d] * xstride[p[d]];
    memcpy(out + (size_t)i * es, x->data + (size_t)src * es, es);
    for (int d = r - 1; d >= 0 && ++idx[d] == y->dims[d]; d--) idx[d] = 0;
  }
  return true;
}

/* CAST as codegen/ops/cast.c compiles it: C's conversion; float to integer truncates, saturates
   out of range and maps NaN to 0 (cast_f2i.c); to bool, x != 0. */
typedef union Num { double f; int64_t i; } Num;

static bool load(int type, const uint8_t *p, Num *v, bool *is_float) {
  *is_float = false;
  switch (type) {
  case TFL_FLOAT32: { float f; memcpy(&f, p, 4); v->f = f; *is_float = true; return true; }
  case TFL_INT8: v->i = *(const int8_t *)p; return true;
  case TFL_UINT8: v->i = *p; return true;
  case TFL_BOOL: v->i = *p; return true;  /* uint8_t in the generated code */
  case TFL_INT16: { int16_t x; memcpy(&x, p, 2); v->i = x; return true; }
  case TFL_UINT16: { uint16_t x; memcpy(&x, p, 2); v->i = x; return true; }
  case TFL_INT32: { int32_t x; memcpy(&x, p, 4); v->i = x; return true; }
  case TFL_UINT32: { uint32_t x; memcpy(&x, p, 4); v->i = x; return true; }
  case TFL_INT64: memcpy(&v->i, p, 8); return true;
  default: return false;
  }
}

static bool cast_store(int type, uint8_t *p, Num v, bool is_float, float f32) {
  if (type == TFL_BOOL) {
    *p = is_float ? f32 != 0 : v.i != 0;
    return true;
  }
  if (type == TFL_FLOAT32) {
    float f = is_float ? f32 : (float)v.i;  /* int64 holds every source value exactly */
    memcpy(p, &f, 4);
    return true;
  }
  if (is_float) {
    double lo, hi, d = (double)f32;
    switch (type) {
    case TFL_INT8: lo = -128.0, hi = 127.0; break;
    case TFL_UINT8: lo = 0.0, hi = 255.0; break;
    case TFL_INT16: lo = -32768.0, hi = 32767.0; break;
    case TFL_UINT16: lo = 0.0, hi = 65535.0; break;
    case TFL_INT32: lo = -2147483648.0, hi = 2147483647.0; break;
    case TFL_UINT32: lo = 0.0, hi = 4294967295.0; break;
    case TFL_INT64: lo = -9223372036854775808.0, hi = 9223372036854774784.0; break;
    default: return false;
    }
    d = d != d ? 0 : d <= lo ? lo : d >= hi ? hi : d;
    v.i = type == TFL_UINT32 ? (int64_t)(uint32_t)d : (int64_t)d;
  }
  /* Integer to narrower integer: modulo 2^bits, which is what the generated code's C
     conversion does on every compiler modelc targets. */
  switch (type) {
  case TFL_INT8: *(int8_t *)p = (int8_t)(uint8_t)v.i; return true;
  case TFL_UINT8: *p = (uint8_t)v.i; return true;
  case TFL_INT16: { int16_t x = (int16_t)(uint16_t)v.i; memcpy(p, &x, 2); return true; }
  case TFL_UINT16: { uint16_t x = (uint16_t)v.i; memcpy(p, &x, 2); return true; }
  case TFL_INT32: { int32_t x = (int32_t)(uint32_t)v.i; memcpy(p, &x, 4); return true; }
  case TFL_UINT32: { uint32_t x = (uint32_t)v.i; memcpy(p, &x, 4); return true; }
  case TFL_INT64: memcpy(p, &v.i, 8); return true;
  default: return false;
  }
}

static bool cast(const Tensor *x, const Tensor *y, uint8_t *out) {
  size_t xs = tfl_type_size(x->type), ys = tfl_type_size(y->type);
  if (!xs || !ys) return false;
  if (x->type == y->type) {  /* no conversion at all, NaN payloads included */
    memcpy(out, x->data, (size_t)y->bytes);
    return true;
  }
  for (int64_t i = 0; i < y->elems; i++) {
    Num v;
    bool is_float;
    if (!load(x->type, x->data + (size_t)i * xs, &v, &is_float)) return false;
    if (!cast_store(y->type, out + (size_t)i * ys, v, is_float, is_float ? (float)v.f : 0.0f))
      return false;
  }
  return true;
}

static bool int_load(int type, const uint8_t *p, int32_t *v) {
  Num n;
  bool f;
  if (type == TFL_INT64 || type == TFL_UINT32 || !load(type, p, &n, &f) || f) return false;
  *v = (int32_t)n.i;
  return true;
}

static bool int_store(int type, uint8_t *p, int32_t v) {
  Num n = {.i = v};
  return cast_store(type, p, n, false, 0);
}

/* QUANTIZE and DEQUANTIZE, per-tensor, in the cases codegen/ops/quantize.c and dequantize.c
   compile (anything else is left for the emitter to report). */
static bool quantize(const PassCtx *c, const Op *op, const Tensor *x, const Tensor *y, uint8_t *out) {
  size_t xs = tfl_type_size(x->type), ys = tfl_type_size(y->type);
  if (!xs || !ys) return false;
  if (op->kind == OP_DEQUANTIZE) {
    if (y->type != TFL_FLOAT32 || x->q.n != 1 || x->type == TFL_INT64) return false;
    for (int64_t i = 0; i < y->elems; i++) {
      int32_t v;
      if (!int_load(x->type, x->data + (size_t)i * xs, &v)) return false;
      float f = pass_sim_dequantize(x, v);
      memcpy(out + (size_t)i * 4, &f, 4);
    }
    return true;
  }
  if (y->q.n != 1 || (y->type != TFL_INT8 && y->type != TFL_UINT8 && y->type != TFL_INT16))
    return false;
  if (x->type == TFL_FLOAT32) {
    for (int64_t i = 0; i < y->elems; i++) {
      float f;
      memcpy(&f, x->data + (size_t)i * 4, 4);
      if (!int_store(y->type, out + (size_t)i * ys, pass_sim_quantize_f32(y, f))) return false;
    }
    return true;
  }
  if (x->q.n != 1 || (x->type != TFL_INT8 && x->type != TFL_UINT8 && x->type != TFL_INT16))
    return false;
  for (int64_t i = 0; i < y->elems; i++) {
    int32_t v;
    if (!int_load(x->type, x->data + (size_t)i * xs, &v) ||
        !int_store(y->type, out + (size_t)i * ys, pass_sim_requantize(x, y, c->o->rounding, v)))
      return false;
  }
  return true;
}

int pass_fold_constants(PassCtx *c, Graph *g, uint32_t *changes, Err *err) {
  for (uint32_t i = 0; i < g->nops; i++) {
    Op *op = &g->ops[i];
    switch (op->kind) {
    case OP_RESHAPE: case OP_SQUEEZE: case OP_EXPAND_DIMS: case OP_TRANSPOSE: case OP_CAST:
    case OP_QUANTIZE: case OP_DEQUANTIZE: break;
    default: continue;
    }
    if (op->nout != 1 || op->nin < 1 || op->in[0] < 0) continue;
    bool all = true;
    for (uint32_t k = 0; k < op->nin; k++) all = all && (op->in[k] < 0 || constant(&g->t[op->in[k]]));
    Tensor *x = &g->t[op->in[0]], *y = &g->t[op->out[0]];
    if (!all || y->is_variable || !y->shape_known || y->bytes <= 0 || y->type == TFL_STRING ||
        x->elems != y->elems)
      continue;
    uint8_t *out = NULL;
    bool ok = false;
    if (op->kind == OP_RESHAPE || op->kind == OP_SQUEEZE || op->kind == OP_EXPAND_DIMS) {
      /* The same bytes, read with another shape: share them. */
      ok = x->type == y->type && x->bytes == y->bytes && x->data_size == (uint64_t)y->bytes;
      out = (uint8_t *)x->data;
    } else {
      if (!(out = arena_alloc(c->m->a, (size_t)y->bytes)))
        return errf(err, -1, "out of memory folding operator %u", i);
      if (op->kind == OP_TRANSPOSE) ok = op->nin == 2 && op->in[1] >= 0 && transpose(x, &g->t[op->in[1]], y, out);
      else if (op->kind == OP_CAST) ok = cast(x, y, out);
      else ok = quantize(c, op, x, y, out);
    }
    if (!ok) continue;
    y->data = out;
    y->data_size = (uint64_t)y->bytes;
    y->producer = -1;
    c->dead[i] = true;
    ++*changes;
  }
  return 0;
}
