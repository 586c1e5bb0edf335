/* Shared by the data-movement emitters (PAD, STRIDED_SLICE, TRANSPOSE, SPLIT, CONCATENATION,
   GATHER): a strided box copy between two tensors, folded to literal shapes and strides, and the
   bookkeeping of row-major strides. */
#ifndef MODELC_OPS_MOVEMENT_H
#define MODELC_OPS_MOVEMENT_H

#include "codegen/emit.h"

enum { BOX_MAX_RANK = 6 };

/* Row-major element strides of dims[0..rank). */
void box_strides(int rank, const int32_t *dims, int64_t *strides);

/* Emits a copy of the box n[0..rank) of `type` elements from src + src_off (strides ss) to
   dst + dst_off (strides ds). Unit and contiguous dimensions are merged first; fails (unsupported)
   if more than BOX_MAX_RANK remain or an offset does not fit 32 bits. */
int emit_copy_box(Emit *e, int type, const char *dst, int64_t dst_off, const char *src,
                  int64_t src_off, int rank, const int64_t *n, const int64_t *ss,
                  const int64_t *ds);

/* "T=int8_t": the substitution for a kernel instantiated per dtype; NULL when unsupported. */
const char *box_ctype_subst(Emit *e, int type);

#endif
