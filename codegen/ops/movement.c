#include "movement.h"

#include <stdlib.h>

void box_strides(int rank, const int32_t *dims, int64_t *strides) {
  int64_t s = 1;
  for (int i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= dims[i];
  }
}

const char *box_ctype_subst(Emit *e, int type) {
  const char *ct = emit_ctype(type);
  if (!ct) return NULL;
  char buf[48];
  snprintf(buf, sizeof buf, "T=%s", ct);
  return arena_strdup(e->a, buf);
}

static bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

int emit_copy_box(Emit *e, int type, const char *dst, int64_t dst_off, const char *src,
                  int64_t src_off, int rank, const int64_t *n, const int64_t *ss,
                  const int64_t *ds) {
  int64_t bn[IR_MAX_RANK + 1], bs[IR_MAX_RANK + 1], bd[IR_MAX_RANK + 1];
  int r = 0;
  for (int i = 0; i < rank; i++) {
    if (n[i] == 0) return 0;  /* nothing to copy */
    if (n[i] == 1) continue;  /* a unit dimension's stride never matters */
    /* Merge into the previous dimension when this one continues it on both sides. */
    if (r && bs[r - 1] == ss[i] * n[i] && bd[r - 1] == ds[i] * n[i]) {
      bn[r - 1] *= n[i];
      bs[r - 1] = ss[i];
      bd[r - 1] = ds[i];
      continue;
    }
    bn[r] = n[i], bs[r] = ss[i], bd[r] = ds[i];
    r++;
  }
  if (r > BOX_MAX_RANK) return emit_unsupported(e, "a copy of %d strided dimensions", r);
  int32_t N[BOX_MAX_RANK], S[BOX_MAX_RANK], D[BOX_MAX_RANK];
  int pad = BOX_MAX_RANK - r;
  for (int i = 0; i < BOX_MAX_RANK; i++) {
    int k = i - pad;
    if (k < 0) {
      N[i] = 1, S[i] = 0, D[i] = 0;
      continue;
    }
    if (!fits32(bn[k]) || !fits32(bs[k]) || !fits32(bd[k]))
      return emit_unsupported(e, "a tensor too large for 32-bit strides");
    N[i] = (int32_t)bn[k], S[i] = (int32_t)bs[k], D[i] = (int32_t)bd[k];
  }
  if (r == 0) N[BOX_MAX_RANK - 1] = 1, S[BOX_MAX_RANK - 1] = D[BOX_MAX_RANK - 1] = 1;
  const char *T = box_ctype_subst(e, type);
  if (!T) return emit_unsupported(e, "dtype %s", tfl_type_name(type));
  const char *sfx = emit_tsuffix(type);
  if (emit_kernel(e, "copy_box", sfx, T, NULL)) return -1;
  ef(e, "  copy_box_%s((const int32_t[6]){%d, %d, %d, %d, %d, %d}, %s + %lld,\n"
        "             (const int32_t[6]){%d, %d, %d, %d, %d, %d}, %s + %lld,\n"
        "             (const int32_t[6]){%d, %d, %d, %d, %d, %d});\n",
     sfx, N[0], N[1], N[2], N[3], N[4], N[5], src, (long long)src_off, S[0], S[1], S[2], S[3],
     S[4], S[5], dst, (long long)dst_off, D[0], D[1], D[2], D[3], D[4], D[5]);
  return 0;
}
