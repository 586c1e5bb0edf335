/* How a user embeds modelc's output: the MLPerf Tiny visual-wake-words model, compiled ahead of
   time to vww_96_int8.c/.h, classifies a 24-bit BMP photo as "person" or "no person".
   The model's code needs nothing but the C library and one static arena; this program adds only
   the image handling. Build: see samples/CMakeLists.txt (or README). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vww_96_int8.h"

enum { SIDE = 96 };

/* Reads a 24-bit uncompressed BMP; returns RGB rows, top first (malloc'd). */
static uint8_t *read_bmp(const char *path, int *w, int *h) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t hdr[54];
  uint8_t *rgb = NULL;
  if (fread(hdr, 1, 54, f) != 54 || hdr[0] != 'B' || hdr[1] != 'M') goto done;
  uint32_t off = hdr[10] | hdr[11] << 8 | (uint32_t)hdr[12] << 16 | (uint32_t)hdr[13] << 24;
  int32_t width = (int32_t)(hdr[18] | hdr[19] << 8 | (uint32_t)hdr[20] << 16 | (uint32_t)hdr[21] << 24);
  int32_t height = (int32_t)(hdr[22] | hdr[23] << 8 | (uint32_t)hdr[24] << 16 | (uint32_t)hdr[25] << 24);
  int bpp = hdr[28] | hdr[29] << 8;
  int rows = height < 0 ? -height : height;
  if (bpp != 24 || width <= 0 || width > 16384 || rows <= 0 || rows > 16384) goto done;
  size_t stride = ((size_t)width * 3 + 3) / 4 * 4;
  uint8_t *raw = malloc(stride * (size_t)rows);
  rgb = malloc((size_t)width * (size_t)rows * 3);
  if (!raw || !rgb || fseek(f, (long)off, SEEK_SET) || fread(raw, 1, stride * (size_t)rows, f) != stride * (size_t)rows) {
    free(raw), free(rgb), rgb = NULL;
    goto done;
  }
  for (int y = 0; y < rows; y++) {
    const uint8_t *src = raw + stride * (size_t)(height > 0 ? rows - 1 - y : y);
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++) rgb[((size_t)y * width + x) * 3 + c] = src[x * 3 + 2 - c];
  }
  free(raw);
  *w = width, *h = rows;
done:
  fclose(f);
  return rgb;
}

int main(int argc, char **argv) {
  if (argc != 2) return fprintf(stderr, "usage: %s PHOTO.bmp\n", argv[0]), 2;
  int w, h;
  uint8_t *rgb = read_bmp(argv[1], &w, &h);
  if (!rgb) return fprintf(stderr, "%s: not a readable 24-bit BMP\n", argv[1]), 1;
  /* Centre square, box-filtered down to 96x96; the model's input is pixel/255 quantized with
     scale 1/255 and zero point -128, i.e. pixel - 128. */
  static int8_t input[vww_96_int8_INPUT0_SIZE];
  static int8_t output[vww_96_int8_OUTPUT0_SIZE];
  int side = w < h ? w : h, x0 = (w - side) / 2, y0 = (h - side) / 2;
  for (int y = 0; y < SIDE; y++)
    for (int x = 0; x < SIDE; x++)
      for (int c = 0; c < 3; c++) {
        int ya = y0 + y * side / SIDE, yb = y0 + (y + 1) * side / SIDE;
        int xa = x0 + x * side / SIDE, xb = x0 + (x + 1) * side / SIDE;
        long sum = 0, n = 0;
        for (int yy = ya; yy < yb; yy++)
          for (int xx = xa; xx < xb; xx++) sum += rgb[((size_t)yy * w + xx) * 3 + c], n++;
        int pixel = (int)((sum + n / 2) / n);
        input[(y * SIDE + x) * 3 + c] = (int8_t)(pixel - 128);
      }
  free(rgb);
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
