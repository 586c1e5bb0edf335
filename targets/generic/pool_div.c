/* The averages' divisions: TFLite's integer average rounds half away from zero. */
static inline int32_t pool_div_round(int32_t acc, int count) {
  return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}
static inline float pool_div_f32(float acc, int count) { return acc / (float)count; }
