/* How a user embeds modelc's output: the MLPerf Tiny image-classification model (a ResNet for
   CIFAR-10, int8), compiled ahead of time to pretrainedResnet_quant.c/.h, names what a 24-bit BMP
   photo shows. The model's code needs nothing but the C library and one static arena; this
   program adds only the image handling. Build: see samples/CMakeLists.txt (or README). */
#include <stdint.h>
#include <stdio.h>

#include "bmp.h"
#include "pretrainedResnet_quant.h"

enum { SIDE = 32, CLASSES = 10 };
static const char *const labels[CLASSES] = {"airplane", "automobile", "bird", "cat",  "deer",
                                            "dog",      "frog",       "horse", "ship", "truck"};

int main(int argc, char **argv) {
  if (argc != 2) return fprintf(stderr, "usage: %s PHOTO.bmp\n", argv[0]), 2;
  /* The model takes raw 0..255 pixels quantized with scale 1 and zero point -128: pixel - 128. */
  static uint8_t rgb[SIDE * SIDE * 3];
  static int8_t input[pretrainedResnet_quant_INPUT0_SIZE];
  static int8_t output[pretrainedResnet_quant_OUTPUT0_SIZE];
  if (bmp_square(argv[1], SIDE, rgb)) return fprintf(stderr, "%s: not a readable 24-bit BMP\n", argv[1]), 1;
  for (int i = 0; i < SIDE * SIDE * 3; i++) input[i] = (int8_t)(rgb[i] - 128);
  const void *in[] = {input};
  void *out[] = {output};
  int rc = pretrainedResnet_quant_invoke(NULL, in, out);  /* NULL: the static arena */
  if (rc) return fprintf(stderr, "invoke failed: %d\n", rc), 1;
  const pretrainedResnet_quant_tensor_info *o = &pretrainedResnet_quant_outputs[0];
  int best = 0;
  for (int k = 1; k < CLASSES; k++) if (output[k] > output[best]) best = k;
  printf("%s: %s (%.2f; arena %d bytes)\n", argv[1], labels[best],
         o->scale * (float)(output[best] - o->zero_point), pretrainedResnet_quant_ARENA_SIZE);
  return 0;
}
