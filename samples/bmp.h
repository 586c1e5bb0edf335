/* The samples' image input: a 24-bit BMP photo, centre-cropped to a square and box-filtered to
   side x side RGB pixels. Not part of modelc's output: only what the demos need to feed it. */
#ifndef SAMPLES_BMP_H
#define SAMPLES_BMP_H

#include <stdint.h>

/* Fills rgb[side * side * 3] (rows top first, R G B); returns 0, or -1 if the file is not a
   readable 24-bit uncompressed BMP. */
int bmp_square(const char *path, int side, uint8_t *rgb);

#endif
