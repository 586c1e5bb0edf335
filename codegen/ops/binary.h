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

/* The constants of the 8-bit (and general int16) ADD/SUB forms, as the runtime `oracle` (single
   rounding) or TFLite Micro stands for: *xnn with 7 constants q for add_xnn, else 13 for add_q;
   -1 (emit_unsupported) when TFLite would reject the scales. */
int add_q_form(Emit *e, bool sub, bool oracle, const Tensor *a, const Tensor *b, const Tensor *y,
               int act, bool *xnn, int32_t q[13], int *nq);
/* binary_call with the operands' C expressions and dtypes given (a fused epilogue's). */
int binary_call_ptrs(Emit *e, const BinaryShape *s, const char *elem_file, const char *elem_inst,
                     const char *elem_fn, const int32_t *q, int nq, const float *f, int nf,
                     int type, int ytype, const char *a, const char *b);

/* x86-64-avx2 (add_avx2.c): whether the AVX2 kernel computes binary_q.c's add_xnn (xnn, 7
   constants q) or add_q (13) for operands a, b and output y; then the call y = a (+/-) b over n
   elements of `type`, a, b, y C expressions, split into parts. */
bool add_avx2_eligible(Emit *e, const Tensor *a, const Tensor *b, const Tensor *y, bool xnn,
                       const int32_t *q);
int gen_add_avx2(Emit *e, int type, bool xnn, const int32_t *q, int nq, const char *a,
                 const char *b, const char *y, int64_t n);
/* The kernels gen_add_avx2 calls, instantiated; vec is the 8-lane element function's name. */
enum { AVX2_ADD_VEC_MAX = 48, AVX2_ADD_CONSTS = 16 + 6 * 8 };
int add_avx2_kernels(Emit *e, int type, bool xnn, char vec[AVX2_ADD_VEC_MAX]);
/* The element function's constants as add_avx2_q.c and avx2_out_add.c read them: q (nq of 16),
   with a_offset folded into the first operand's (the ADD of a + a_offset and b), then the six
   per-lane tables the add_q form requantizes with. */
void add_avx2_consts(const int32_t *q, int nq, bool xnn, int32_t a_offset,
                     int32_t out[AVX2_ADD_CONSTS]);

#endif
