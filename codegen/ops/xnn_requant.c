#include "xnn_requant.h"

#include <math.h>

int xnn_requant8(Emit *e, const Tensor *x, const Tensor *y, float pos_ratio, float neg_ratio) {
  /* The delegate's limits: the positive ratio in [2^-8, 2^7], the negative one in
     [-0x1.FFFCp+6, 2^7] and at least 2^-8 in magnitude. */
  if (!(pos_ratio >= 0x1.0p-8f && pos_ratio <= 0x1.0p+7f)) return 1;
  if (!(neg_ratio >= -0x1.FFFC00p+6f && neg_ratio <= 0x1.0p+7f) || fabsf(neg_ratio) < 0x1.0p-8f) return 1;
  int32_t m_pos = (int32_t)lrintf(256.0f * pos_ratio), m_neg = (int32_t)lrintf(256.0f * neg_ratio);
  int32_t lo, hi;
  quant_type_range(y->type, &lo, &hi);
  const char *s = emit_tsuffix(x->type);
  char T[24];
  snprintf(T, sizeof T, "T=%s", emit_ctype(x->type));
  if (emit_kernel(e, "xnn_requant8", s, T, NULL)) return -1;
  ef(e, "  xnn_requant8_%s(%lld, %s, %d, out0, %d, %d, %d, %d, %d);\n  return 0;\n", s,
     (long long)y->elems, emit_in(e, 0), x->q.zero_point[0], y->q.zero_point[0], m_pos, m_neg, lo, hi);
  return 0;
}
