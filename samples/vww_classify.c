/* How a user embeds modelc's output: the MLPerf Tiny visual-wake-words model, compiled ahead of
   time to vww_96_int8.c/.h, classifies a 24-bit BMP photo as "person" or "no person".
   The model's code needs nothing but the C library and one static arena; this program adds only
   the image handling. Build: see samples/CMakeLists.txt (or README). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bmp.h"
#include "vww_96_int8.h"

enum { SIDE = 96 };

int main(int argc, char **argv) {
  if (argc != 2) return fprintf(stderr, "usage: %s PHOTO.bmp\n", argv[0]), 2;
  /* The model's input is pixel/255 quantized with scale 1/255 and zero point -128: pixel - 128. */
  static uint8_t rgb[SIDE * SIDE * 3];
  static int8_t input[vww_96_int8_INPUT0_SIZE];
  static int8_t output[vww_96_int8_OUTPUT0_SIZE];
  if (bmp_square(argv[1], SIDE, rgb)) return fprintf(stderr, "%s: not a readable 24-bit BMP\n", argv[1]), 1;
  for (int i = 0; i < SIDE * SIDE * 3; i++) input[i] = (int8_t)(rgb[i] - 128);
  const void *in[] = {input};
  void *out[] = {output};
  vww_96_int8_reset(NULL);
  int rc = vww_96_int8_invoke(NULL, in, out);  /* NULL: the static arena in vww_96_int8.c */
  if (rc) return fprintf(stderr, "invoke failed: %d\n", rc), 1;
  const vww_96_int8_tensor_info *o = &vww_96_int8_outputs[0];
  float no_person = o->scale * (float)(output[0] - o->zero_point);
  float person = o->scale * (float)(output[1] - o->zero_point);
  printf("%s: %s (person %.2f, no person %.2f; arena %d bytes)\n", argv[1],
         person > no_person ? "person" : "no person", person, no_person, vww_96_int8_ARENA_SIZE);
  return 0;
}
