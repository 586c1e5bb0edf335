/* CAST between float32, int8, uint8, int16, uint16, int32, uint32, int64 and bool: C's value
   conversion, as TFLite's static_cast; to bool, x != 0. Float to integer truncates and, where
   C leaves it undefined (out of range, NaN), saturates (NaN -> 0). */
#include "codegen/emit.h"

static bool castable(int t) {
  switch (t) {
  case TFL_FLOAT32: case TFL_INT8: case TFL_UINT8: case TFL_INT16: case TFL_UINT16:
  case TFL_INT32: case TFL_UINT32: case TFL_INT64: case TFL_BOOL: return true;
  default: return false;
  }
}

/* The conversion's range as doubles that convert back without overflow. */
static void int_range(int t, const char **lo, const char **hi) {
  switch (t) {
  case TFL_INT8: *lo = "-128.0", *hi = "127.0"; break;
  case TFL_UINT8: *lo = "0.0", *hi = "255.0"; break;
  case TFL_INT16: *lo = "-32768.0", *hi = "32767.0"; break;
  case TFL_UINT16: *lo = "0.0", *hi = "65535.0"; break;
  case TFL_INT32: *lo = "-2147483648.0", *hi = "2147483647.0"; break;
  case TFL_UINT32: *lo = "0.0", *hi = "4294967295.0"; break;
  default: *lo = "-9223372036854775808.0", *hi = "9223372036854774784.0"; break;
  }
}

static const char *suffix(int t) { return t == TFL_UINT16 ? "u16" : t == TFL_UINT32 ? "u32" : emit_tsuffix(t); }

int gen_cast(Emit *e, const Op *op) {
  (void)op;
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (!castable(x->type) || !castable(y->type))
    return emit_unsupported(e, "%s to %s", tfl_type_name(x->type), tfl_type_name(y->type));
  char inst[24], X[24], Y[24], CVT[40];
  snprintf(inst, sizeof inst, "%s_%s", suffix(x->type), suffix(y->type));
  snprintf(X, sizeof X, "X=%s", emit_ctype(x->type));
  snprintf(Y, sizeof Y, "Y=%s", emit_ctype(y->type));
  if (x->type == TFL_FLOAT32 && y->type != TFL_FLOAT32 && y->type != TFL_BOOL) {
    const char *lo, *hi;
    int_range(y->type, &lo, &hi);
    if (emit_kernel(e, "cast_f2i", inst, Y, NULL)) return -1;
    ef(e, "  cast_f2i_%s(%lld, %s, out0, %s, %s);\n  return 0;\n", inst, (long long)y->elems,
       emit_in(e, 0), lo, hi);
    return 0;
  }
  if (y->type == TFL_BOOL) snprintf(CVT, sizeof CVT, "CVT=0 != ");
  else snprintf(CVT, sizeof CVT, "CVT=(%s)", emit_ctype(y->type));
  if (emit_kernel(e, "cast", inst, X, Y, CVT, NULL)) return -1;
  ef(e, "  cast_%s(%lld, %s, out0);\n  return 0;\n", inst, (long long)y->elems, emit_in(e, 0));
  return 0;
}
