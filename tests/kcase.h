/* Single-operator CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED models for the target tests: one
   description of a kernel's edge case (shape, stride, dilation, padding, dtype, activation),
   written as a .tflite that every target's test compiles and compares with the generic one. */
#ifndef MODELC_TEST_KCASE_H
#define MODELC_TEST_KCASE_H

#include <stdbool.h>

#include "schema/tflite.h"

typedef struct KCase {
  char name[32];  /* inline: Criterion copies parameters into fresh processes */
  int code;       /* TFL_OP_CONV_2D, TFL_OP_DEPTHWISE_CONV_2D, TFL_OP_FULLY_CONNECTED */
  int type;       /* TFL_INT8, TFL_UINT8 or TFL_FLOAT32 (float weights and bias) */
  int batch, h, w, cin, cout, kh, kw, stride, dil, padding, act;
  int flags;      /* NO_BIAS, POT, FC_ZP */
} KCase;

enum {
  NO_BIAS = 1,    /* no bias operand */
  POT = 2,        /* power-of-two scales: requantization ties on every other value */
  FC_ZP = 4,      /* an int8 fully connected layer with a weight zero point */
};

enum { SAME = 0, VALID = 1, NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3 };
#define CONV TFL_OP_CONV_2D
#define DW TFL_OP_DEPTHWISE_CONV_2D
#define FC TFL_OP_FULLY_CONNECTED

/* Writes the case's model to path (cr_assert on failure). Weights and bias are seeded random;
   zero points sit away from 0 so the folded terms are exercised; int8 convolutions have
   per-channel weight scales. */
void kcase_build(const KCase *c, const char *path);

/* The integer edge cases every SIMD target is checked on: channel counts that are not multiples
   of 4, 8 or 16, strides, SAME borders, 1x1 rows read in place, dilation, uint8 weight zero
   points, no bias. name, op, dtype, batch, h, w, cin, cout, kh, kw, stride, dilation, padding,
   act, flags. */
#define KCASES_INT_EDGES \
  {"conv_s8_odd_same_s2", CONV, TFL_INT8, 1, 11, 9, 5, 13, 3, 3, 2, 1, SAME, RELU, 0}, \
  {"conv_s8_1x1_direct", CONV, TFL_INT8, 2, 5, 7, 32, 19, 1, 1, 1, 1, SAME, RELU6, 0}, \
  {"conv_s8_1x1_c37", CONV, TFL_INT8, 1, 7, 6, 37, 6, 1, 1, 1, 1, SAME, NONE, 0}, \
  {"conv_s8_5x5_c3", CONV, TFL_INT8, 1, 10, 13, 3, 8, 5, 5, 1, 1, SAME, NONE, 0}, \
  {"conv_s8_even_k_s2", CONV, TFL_INT8, 1, 8, 8, 6, 24, 4, 2, 2, 1, SAME, RELU_N1_TO_1, 0}, \
  {"conv_s8_dil2", CONV, TFL_INT8, 1, 12, 11, 4, 9, 3, 3, 1, 2, SAME, NONE, 0}, \
  {"conv_s8_tiny", CONV, TFL_INT8, 1, 2, 3, 1, 1, 3, 3, 1, 1, SAME, NONE, 0}, \
  {"conv_u8_zp_same_s2", CONV, TFL_UINT8, 1, 10, 9, 7, 17, 3, 3, 2, 1, SAME, RELU6, 0}, \
  {"conv_u8_1x1_direct", CONV, TFL_UINT8, 1, 5, 5, 48, 24, 1, 1, 1, 1, SAME, RELU, 0}, \
  {"conv_u8_dil3_valid", CONV, TFL_UINT8, 2, 12, 12, 3, 10, 3, 3, 1, 3, VALID, NONE, NO_BIAS}, \
  {"dw_s8_c7_same_s2", DW, TFL_INT8, 1, 11, 10, 7, 7, 3, 3, 2, 1, SAME, RELU6, 0}, \
  {"dw_s8_c40_same", DW, TFL_INT8, 2, 8, 9, 40, 40, 3, 3, 1, 1, SAME, RELU, 0}, \
  {"dw_s8_5x5_dil2", DW, TFL_INT8, 1, 13, 12, 9, 9, 5, 5, 1, 2, SAME, RELU_N1_TO_1, 0}, \
  {"dw_s8_mult3", DW, TFL_INT8, 1, 9, 8, 5, 15, 3, 3, 1, 1, SAME, NONE, 0}, \
  {"dw_u8_zp_c24_s2", DW, TFL_UINT8, 1, 11, 9, 24, 24, 3, 3, 2, 1, SAME, RELU6, 0}, \
  {"dw_u8_c3_nobias", DW, TFL_UINT8, 2, 6, 6, 3, 3, 3, 3, 1, 1, VALID, NONE, NO_BIAS}, \
  {"fc_s8_odd", FC, TFL_INT8, 3, 1, 1, 37, 13, 1, 1, 1, 1, 0, RELU, 0}, \
  {"fc_s8_direct_zp", FC, TFL_INT8, 5, 1, 1, 64, 10, 1, 1, 1, 1, 0, NONE, FC_ZP}, \
  {"fc_s8_wide", FC, TFL_INT8, 1, 1, 1, 250, 70, 1, 1, 1, 1, 0, NONE, 0}, \
  {"fc_u8_zp", FC, TFL_UINT8, 2, 1, 1, 33, 41, 1, 1, 1, 1, 0, RELU6, 0}, \
  {"fc_u8_nobias", FC, TFL_UINT8, 1, 1, 1, 8, 3, 1, 1, 1, 1, 0, NONE, NO_BIAS}

#endif
