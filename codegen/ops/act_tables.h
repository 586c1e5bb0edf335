/* Lookup tables that activation emitters compute at compile time (as TFLite's Prepare does) and
   place among the generated file's constants. */
#ifndef MODELC_OPS_ACT_TABLES_H
#define MODELC_OPS_ACT_TABLES_H

#include "codegen/emit.h"

/* A static const table of n integers of C type ctype ("int8_t", "int16_t", ...) named
   op<index>_<what>; returns its name. */
const char *emit_int_table(Emit *e, const char *what, const char *ctype, const int32_t *v, int n);
/* The same for floats, each written so that it reads back exactly. */
const char *emit_float_table(Emit *e, const char *what, const float *v, int n);

/* The layer body of an 8-bit to 8-bit function of x into y by lookup (lut8): table[byte of x]
   is the output, placed among the constants. Returns 0 or -1. */
int emit_lut8(Emit *e, const Tensor *x, const Tensor *y, const int32_t table[256]);

/* TFLite's CheckedLog2: log2(x) rounded, and whether x is within 1e-3 (in log2) of a power of
   two; computed in float as TFLite does. */
bool act_checked_log2(float x, int *log2);

#endif
