/* Single-operator .tflite models built in C with the schema writer, for the per-operator tests:
   describe the tensors and the operator, get a file TensorFlow Lite and modelc both read. */
#ifndef MODELC_TEST_OPMODEL_H
#define MODELC_TEST_OPMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "schema/tflite.h"

enum { OM_MAX_T = 8, OM_MAX_Q = 128 };

typedef struct OmTensor {
  const char *name;
  int type;                 /* TFL_INT8, ... */
  int rank;
  int32_t dims[6];
  int nq;                   /* quantization entries: 0 none, 1 per-tensor, >1 per-channel */
  float scale[OM_MAX_Q];
  int64_t zp[OM_MAX_Q];
  int qdim;
  const void *data;         /* constant data, or NULL for an activation */
  size_t size;
} OmTensor;

typedef struct OmSpec {
  int32_t code;             /* BuiltinOperator */
  int version;
  int options_type;         /* TflOptionsType, 0 none */
  TflOptions options;       /* start from tfl_options_defaults */
  int nt;
  OmTensor t[OM_MAX_T];
  int nin, nout;
  int32_t in[OM_MAX_T], out[OM_MAX_T];  /* tensor indices; -1 an omitted optional input */
} OmSpec;

/* Several operators: for the graph-pass tests. Graph inputs and outputs are given explicitly. */
enum { OM_MAX_GT = 24, OM_MAX_OPS = 8 };
typedef struct OmOp {
  int32_t code;
  int version;
  int options_type;
  TflOptions options;       /* start from om_op_options */
  int nin, nout;
  int32_t in[OM_MAX_T], out[OM_MAX_T];
} OmOp;
typedef struct OmGraph {
  int nt, nops, nin, nout;
  OmTensor t[OM_MAX_GT];
  OmOp op[OM_MAX_OPS];
  int32_t in[OM_MAX_T], out[OM_MAX_T];
} OmGraph;
/* Appends an operator with default options of options_type; returns it to adjust. */
OmOp *om_add_op(OmGraph *g, int32_t code, int options_type, int nin, const int32_t *in, int nout,
                const int32_t *out);
int om_write_graph(const OmGraph *g, const char *path);

/* An activation tensor (scale 0: not quantized) and a constant one over caller-owned data. */
OmTensor om_act(const char *name, int type, int rank, const int32_t *dims, float scale, int zp);
OmTensor om_cst(const char *name, int type, int rank, const int32_t *dims, const void *data,
                size_t size);

/* Sets options to the schema defaults for type. */
void om_options(OmSpec *s, int options_type);
/* Writes the model to path: graph inputs are the operator's non-constant inputs, graph outputs
   its outputs. Returns 0 or -1. */
int om_write(const OmSpec *s, const char *path);
/* Deterministic pseudo-random fill: n values uniform in [lo, hi] of a type's element size. */
void om_fill_i8(int8_t *p, size_t n, uint32_t seed, int lo, int hi);
void om_fill_i32(int32_t *p, size_t n, uint32_t seed, int32_t lo, int32_t hi);
void om_fill_f32(float *p, size_t n, uint32_t seed, float lo, float hi);
int64_t om_elems(const OmTensor *t);

#endif
