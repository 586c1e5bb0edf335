/* The graph IR: tensors and operators of each subgraph, imported from a TflModel
   (compiler/import.c), then checked and completed by compiler/shape.c and compiler/verify.c, and
   measured by compiler/stats.c. Operator kinds come from the one table, schema/ops.def. */
#ifndef MODELC_IR_H
#define MODELC_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "schema/tflite.h"

enum { IR_MAX_RANK = 8 };

typedef enum OpKind {
#define OP(NAME, code, opts, imin, imax, omin, omax, shape) OP_##NAME,
#include "schema/ops.def"
#undef OP
  OP_UNKNOWN /* a builtin code newer than the table */
} OpKind;

typedef struct Graph Graph;
typedef struct Op Op;
/* Verifies op's operands for its kind and infers (or checks) its output shapes. */
typedef int (*ShapeFn)(Graph *g, Op *op, Err *err);

typedef struct OpInfo {
  const char *name;
  int32_t code;
  int options;          /* TflOptionsType it carries; 0 none; -1 any */
  int imin, imax, omin, omax;  /* -1: not checked */
  ShapeFn shape;        /* NULL: output shapes are the file's */
} OpInfo;

extern const OpInfo op_info[OP_UNKNOWN + 1];
OpKind op_kind(int32_t builtin_code);

typedef struct Quant {
  uint32_t n;           /* 0: not quantized */
  float *scale;
  int32_t *zero_point;
  int32_t dim;          /* quantized_dimension, normalised (see import.c) */
} Quant;

typedef struct Tensor {
  uint32_t index;
  const char *name;
  int type;                    /* TflType */
  int rank;                    /* -1: unknown */
  int32_t dims[IR_MAX_RANK];
  bool shape_known;            /* false until shape inference fills it */
  Quant q;
  const uint8_t *data;         /* constant data, NULL for activations */
  uint64_t data_size;
  bool is_variable, is_input, is_output;
  int32_t producer;            /* operator index, -1 for inputs and constants */
  uint32_t nconsumers;
  uint32_t *consumers;         /* operator indices, in execution order */
  int64_t elems, bytes;        /* from dims; bytes 0 for strings */
  uint32_t off;                /* file offset of its table */
} Tensor;

struct Op {
  uint32_t index;              /* its position in Graph.ops */
  uint32_t src;                /* its index in the file's subgraph (passes delete operators) */
  OpKind kind;
  int32_t code;                /* builtin code as in the file */
  const char *custom_code;     /* CUSTOM ops only */
  int32_t version;
  uint32_t nin, nout, ninter;
  int32_t *in, *out, *inter;   /* tensor indices; in[i] -1 for an omitted optional input */
  int options_type;
  const TflOptions *opt;       /* decoded options, schema defaults when absent */
  /* Explicit padding, set by fold-pad (compiler/passes/fold_pad.c): CONV_2D, DEPTHWISE_CONV_2D
     and MAX_POOL_2D pad by pad[] = {top, left, bottom, right} instead of their options'
     SAME/VALID (compiler/shape.c; codegen/ops/conv_common.c's conv_pads for every emitter). */
  bool pad_explicit;
  int32_t pad[4];
  /* Set by fuse-residual-add (compiler/passes/fuse_residual_add.c): this int8/uint8 CONV_2D or
     DEPTHWISE_CONV_2D also computes the ADD that was the only reader of its result. out[0] is
     the ADD's output; the convolution's own result is tensor `mid` (its shape and quantization
     only: no operator writes or reads it), which was the ADD's input `mid_pos` (0 or 1); the
     ADD's other input is in[nin - 1]; act is the ADD's fused activation. */
  struct {
    bool on;
    int32_t mid;
    int mid_pos, act;
  } fadd;
  int64_t macs;                /* multiply-accumulates (CONV_2D, DEPTHWISE_CONV_2D, FC, TRANSPOSE_CONV) */
  int64_t weight_bytes;        /* bytes of its constant inputs */
  uint32_t off;
};

struct Graph {
  uint32_t index;
  const char *name;
  uint32_t ntensors, nops, nin, nout;
  Tensor *t;
  Op *ops;
  int32_t *in, *out;
  /* Filled by stats.c: */
  int64_t macs, weight_bytes, constant_bytes, state_bytes, peak_bytes;
  uint32_t peak_op;            /* the operator at which peak_bytes is reached */
};

typedef struct Model {
  const TflModel *src;
  Arena *a;                    /* where the IR lives */
  int64_t buffer_bytes;        /* all buffers of the file, metadata included (stats.c) */
  uint32_t ngraphs;
  Graph *g;
  uint32_t nnotes;
  const char **notes;          /* things read leniently, as TFLite Micro does; inspect prints them */
} Model;

/* Reads, imports, infers shapes, verifies and measures a model in one call; everything lives in
   `a` and `buf`. On failure err says what and where. */
int ir_load(const uint8_t *buf, size_t n, Arena *a, TflModel *src, Model *m, Err *err);

int ir_import(const TflModel *src, Arena *a, Model *m, Err *err);
int ir_verify(Model *m, Err *err);   /* compiler/verify.c: arity, topology, constants */
int ir_shapes(Model *m, Err *err);   /* compiler/verify.c: runs compiler/shape.c's families */
int ir_stats(Model *m, Err *err);    /* compiler/stats.c */
/* Sets t->elems and t->bytes from its dims; fails past 2^40 elements or 2^31 - 1 bytes. */
int ir_size_tensor(Tensor *t, Err *err);
int ir_note(Model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Counts from hostile files can be astronomically large: these saturate instead of overflowing. */
static inline int64_t ir_sat_add(int64_t a, int64_t b) {
  return a > INT64_MAX - b ? INT64_MAX : a + b;
}
static inline int64_t ir_sat_sub(int64_t a, int64_t b) {  /* b >= 0 */
  return a < INT64_MIN + b ? INT64_MIN : a - b;
}
static inline int64_t ir_sat_mul(int64_t a, int64_t b) {
  return a && b > INT64_MAX / a ? INT64_MAX : a * b;  /* a, b >= 0 */
}

/* Integer element i of a constant int32 or int64 tensor (shape, padding, permutation operands). */
int64_t ir_const_int(const Tensor *t, int64_t i);

const char *ir_op_name(const Op *op);  /* "CONV_2D", or "builtin 250" style via a static buffer */
/* "tensor 17 'conv1/weights'" into buf */
const char *ir_tensor_label(const Tensor *t, char *buf, unsigned n);

#endif
