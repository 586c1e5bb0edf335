/* Shared by the elementwise binary operators' emitters (binary.c, binary_q.c). */
#ifndef MODELC_OPS_BINARY_H
#define MODELC_OPS_BINARY_H

#include "codegen/emit.h"

/* The loop's iteration space: the output's shape and each operand's element strides (0 where
   it is broadcast), 6 dimensions. */
typedef struct BinaryShape {
  int32_t dims[6], sa[6], sb[6];
} BinaryShape;

/* Emits the call binary_<elem_fn>_<dtype>(shape, in0, in1, out0, q, f) after instantiating the
   element functions' file elem_file (as elem_inst) and the loop. q: up to 16 integer constants,
   f: up to 4 float ones. */
int binary_call(Emit *e, const BinaryShape *s, const char *elem_file, const char *elem_inst,
                const char *elem_fn, const int32_t *q, int nq, const float *f, int nf);

/* Quantized operators (binary_q.c); act is the fused activation. */
int binary_add_sub_q(Emit *e, const Op *op, const BinaryShape *s, int act);
int binary_mul_q(Emit *e, const Op *op, const BinaryShape *s, int act);
int binary_sqdiff_q(Emit *e, const Op *op, const BinaryShape *s);
int binary_div_q(Emit *e, const Op *op, const BinaryShape *s, int act);

#endif
