/* The float32 kernels' epilogue: 8 sums (channels [0, n) of y, n <= 8) plus the bias, clamped to
   [lo, hi], stored. In the generic kernels' order: the bias is added after the whole sum, and
   only when there is one (adding 0.0f would turn a -0.0f sum into +0.0f); the clamp is
   mc_clamp_f32's, NaN included: MAXPS and MINPS return their second operand when either is NaN,
   so with the bound first a NaN sum passes through, as `x < lo ? lo : x > hi ? hi : x` lets it.
   A masked store for the last partial block never writes past channel n. */
MC_AVX2_INLINE void avx2_store_$S(__m256 acc, const float *bias, int n, float lo, float hi,
                                  float *y) {
  if (bias) acc = _mm256_add_ps(acc, _mm256_loadu_ps(bias));
  acc = _mm256_min_ps(_mm256_set1_ps(hi), _mm256_max_ps(_mm256_set1_ps(lo), acc));
  if (n == 8) _mm256_storeu_ps(y, acc);
  else _mm256_maskstore_ps(y, mc_avx2_mask(n), acc);
}
