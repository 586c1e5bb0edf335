/* int8/uint8 ADD and SUB for x86-64-avx2 when neither operand is broadcast: add_avx2_q (targets/
   x86-64-avx2/) runs binary_q.c's element function, add_xnn or add_q, 8 lanes at a time with the
   same constants, bit-identical to it; the layer's elements are split into parts for --threads.
   The fused epilogue of fuse-residual-add runs the same element function on a convolution's
   result in registers (avx2_out_add.c; conv_add.c). */
#include <string.h>

#include "codegen/ops/binary.h"

bool add_avx2_eligible(Emit *e, const Tensor *a, const Tensor *b, const Tensor *y, bool xnn,
                       const int32_t *q) {
  if (!emit_x86(e)) return false;
  if ((y->type != TFL_INT8 && y->type != TFL_UINT8) || a->type != y->type || b->type != y->type)
    return false;
  if (a->elems != y->elems || b->elems != y->elems || y->elems < 8) return false;
  if (xnn) return q[3] >= 0 && q[3] <= 31;
  /* avx2_rq_dbl's domain: multipliers >= 0, shifts in [-31, 31]; the left shift below 32. */
  for (int k = 3; k <= 7; k += 2)
    if (q[k] < 0 || q[k + 1] < -31 || q[k + 1] > 31) return false;
  return q[2] >= 0 && q[2] < 32;
}

int add_avx2_kernels(Emit *e, int type, bool xnn, char vec[AVX2_ADD_VEC_MAX]) {
  const char *s = emit_tsuffix(type), *ct = emit_ctype(type);
  char inst[32], T[32], CVT[48], PACK[40], VEC[64], ELEM[48];
  snprintf(inst, sizeof inst, "%s_%s", xnn ? "xnn" : "dbl", s);
  snprintf(T, sizeof T, "T=%s", ct);
  snprintf(CVT, sizeof CVT, "CVT=%s", type == TFL_INT8 ? "_mm256_cvtepi8_epi32" : "_mm256_cvtepu8_epi32");
  snprintf(PACK, sizeof PACK, "PACK=%s", type == TFL_INT8 ? "_mm_packs_epi16" : "_mm_packus_epi16");
  snprintf(vec, AVX2_ADD_VEC_MAX, "add_avx2_%s8_%s", xnn ? "xnn" : "dbl", inst);
  snprintf(VEC, sizeof VEC, "VEC=%s", vec);
  snprintf(ELEM, sizeof ELEM, "ELEM=%s", xnn ? "add_xnn_x" : "add_q_dbl");
  if ((xnn ? emit_kernel(e, "add_xnn", "x", NULL)
           : emit_kernel(e, "add_q", "dbl", "RQ=mc_requant_dbl", NULL)) ||
      emit_kernel(e, "avx2_common", "x", NULL) || emit_kernel(e, "avx2_requant", "x", NULL) ||
      emit_kernel(e, "add_avx2_q", inst, T, CVT, PACK, VEC, ELEM, NULL))
    return -1;
  return 0;
}

void add_avx2_consts(const int32_t *q, int nq, bool xnn, int32_t a_offset,
                     int32_t out[AVX2_ADD_CONSTS]) {
  memset(out, 0, AVX2_ADD_CONSTS * sizeof *out);
  memcpy(out, q, (size_t)nq * sizeof *q);
  /* add_xnn's bias + (a + a_offset) * m = (bias + a_offset * m) + a * m, and add_q's
     (a + a_offset) - zero point: the same int32 values, as wrapping arithmetic regroups. */
  const int64_t fold = xnn ? (int64_t)a_offset * out[1] : a_offset;
  out[0] = (int32_t)((uint32_t)out[0] + (uint32_t)fold);
  /* add_q's multipliers and shifts, each broadcast to 8 lanes: avx2_rq_dbl's tables. */
  for (int t = 0; t < 6; t++)
    for (int j = 0; j < 8; j++) out[16 + 8 * t + j] = out[3 + t];
}

int gen_add_avx2(Emit *e, int type, bool xnn, const int32_t *q, int nq, const char *a,
                 const char *b, const char *y, int64_t n) {
  char vec[AVX2_ADD_VEC_MAX];
  int32_t aq[AVX2_ADD_CONSTS];
  if (add_avx2_kernels(e, type, xnn, vec)) return -1;
  add_avx2_consts(q, nq, xnn, 0, aq);
  const char *qn = emit_i32_table(e, "addq", aq, AVX2_ADD_CONSTS);
  /* About 6 convolution multiply-accumulates of time per element; parts of whole 8-blocks. */
  emit_parallel(e, n / 8, n * 6, "add_avx2_%s_%s(%s, %s, %s, %lld, %s, t_, n_)",
                xnn ? "xnn" : "dbl", emit_tsuffix(type), a, b, y, (long long)n, qn);
  return 0;
}
