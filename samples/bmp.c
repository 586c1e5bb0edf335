#include "bmp.h"

#include <stdio.h>
#include <stdlib.h>

static uint32_t le32(const uint8_t *p) {
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The whole image as RGB rows, top first (malloc'd), or NULL. */
static uint8_t *read_bmp(const char *path, int *w, int *h) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t hdr[54], *rgb = NULL, *raw = NULL;
  if (fread(hdr, 1, 54, f) != 54 || hdr[0] != 'B' || hdr[1] != 'M') goto done;
  int32_t width = (int32_t)le32(hdr + 18), height = (int32_t)le32(hdr + 22);
  int bpp = hdr[28] | hdr[29] << 8, rows = height < 0 ? -height : height;
  if (bpp != 24 || le32(hdr + 30) != 0 || width <= 0 || width > 16384 || rows <= 0 || rows > 16384)
    goto done;
  size_t stride = ((size_t)width * 3 + 3) / 4 * 4;
  raw = malloc(stride * (size_t)rows);
  rgb = malloc((size_t)width * (size_t)rows * 3);
  if (!raw || !rgb || fseek(f, (long)le32(hdr + 10), SEEK_SET) ||
      fread(raw, 1, stride * (size_t)rows, f) != stride * (size_t)rows) {
    free(rgb), rgb = NULL;
    goto done;
  }
  for (int y = 0; y < rows; y++) {  /* bottom-up unless the height is negative; stored B G R */
    const uint8_t *src = raw + stride * (size_t)(height > 0 ? rows - 1 - y : y);
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++) rgb[((size_t)y * width + x) * 3 + c] = src[x * 3 + 2 - c];
  }
  *w = width, *h = rows;
done:
  free(raw);
  fclose(f);
  return rgb;
}

int bmp_square(const char *path, int side, uint8_t *out) {
  int w, h;
  uint8_t *rgb = read_bmp(path, &w, &h);
  if (!rgb) return -1;
  int sq = w < h ? w : h, x0 = (w - sq) / 2, y0 = (h - sq) / 2;
  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      for (int c = 0; c < 3; c++) {
        int ya = y0 + y * sq / side, yb = y0 + (y + 1) * sq / side;
        int xa = x0 + x * sq / side, xb = x0 + (x + 1) * sq / side;
        if (yb == ya) yb++;  /* upscaling: at least the nearest pixel */
        if (xb == xa) xb++;
        long sum = 0, n = 0;
        for (int yy = ya; yy < yb; yy++)
          for (int xx = xa; xx < xb; xx++) sum += rgb[((size_t)yy * w + xx) * 3 + c], n++;
        out[(y * side + x) * 3 + c] = (uint8_t)((sum + n / 2) / n);
      }
  free(rgb);
  return 0;
}
