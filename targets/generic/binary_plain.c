/* Unquantized elementwise operations for binary_loop. Float ones: f[0], f[1] are the fused
   activation's clamp. */
static inline float binf_add(float a, float b, const int32_t *q, const float *f) {
  (void)q;
  return mc_clamp_f32(a + b, f[0], f[1]);
}
static inline float binf_sub(float a, float b, const int32_t *q, const float *f) {
  (void)q;
  return mc_clamp_f32(a - b, f[0], f[1]);
}
static inline float binf_mul(float a, float b, const int32_t *q, const float *f) {
  (void)q;
  return mc_clamp_f32(a * b, f[0], f[1]);
}
static inline float binf_div(float a, float b, const int32_t *q, const float *f) {
  (void)q;
  return mc_clamp_f32(a / b, f[0], f[1]);
}
static inline float binf_squared_difference(float a, float b, const int32_t *q, const float *f) {
  float d = a - b;
  (void)q, (void)f;
  return d * d;
}
/* MINIMUM and MAXIMUM (no activation) for every dtype, on raw values: TFLite compares stored
   values whatever the quantization. */
static inline float binf_minimum(float a, float b, const int32_t *q, const float *f) {
  (void)q, (void)f;
  return a < b ? a : b;
}
static inline float binf_maximum(float a, float b, const int32_t *q, const float *f) {
  (void)q, (void)f;
  return a > b ? a : b;
}
static inline int32_t bini_minimum(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)q, (void)f;
  return a < b ? a : b;
}
static inline int32_t bini_maximum(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)q, (void)f;
  return a > b ? a : b;
}
/* int32 ADD, SUB and MUL (no quantization) with the activation clamp q[0], q[1]; wrapping on
   overflow as the two's-complement machine TFLite runs on does. */
static inline int32_t bini_add(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)f;
  return mc_clamp_i32((int32_t)((uint32_t)a + (uint32_t)b), q[0], q[1]);
}
static inline int32_t bini_sub(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)f;
  return mc_clamp_i32((int32_t)((uint32_t)a - (uint32_t)b), q[0], q[1]);
}
static inline int32_t bini_mul(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)f;
  return mc_clamp_i32((int32_t)((uint32_t)a * (uint32_t)b), q[0], q[1]);
}
