/* An 8-bit to 8-bit table that is a constant byte offset, y = x + k modulo 256: QUANTIZE between
   int8 and uint8 at one scale (zero points 128 apart), where a lookup per byte would be the
   whole layer's cost. Eight bytes are added at once in a 64-bit word (the carry out of each
   byte's low 7 bits goes into its top bit, never the next byte); words are read before they are
   written, so y may be x (the planner may run it in place). */
static void byte_offset_$S(int64_t n, const $X *x, $Y *y, uint8_t k) {
  const uint64_t high = 0x8080808080808080u, kk = 0x0101010101010101u * k;
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, x + i, 8);
    w = ((w & ~high) + (kk & ~high)) ^ ((w ^ kk) & high);
    memcpy(y + i, &w, 8);
  }
  for (; i < n; i++) {
    uint8_t b;
    memcpy(&b, x + i, 1);
    b = (uint8_t)(b + k);
    memcpy(y + i, &b, 1);
  }
}
