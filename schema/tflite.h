/* The TFLite model as read from a .tflite file (schema/tflite_read.c) or built for writing
   (schema/tflite_write.c). Arrays of scalars are zero-copy views into the file (TflVec), so a
   hostile file that shares one large vector among many tables costs nothing per share. */
#ifndef MODELC_TFLITE_H
#define MODELC_TFLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/err.h"

/* A little-endian array of n scalars at p (unaligned). Builders may point it at host arrays. */
typedef struct TflVec {
  const uint8_t *p;
  uint32_t n;
} TflVec;

static inline int32_t tfl_i32(TflVec v, uint32_t i) { int32_t x; memcpy(&x, v.p + 4 * (size_t)i, 4); return x; }
static inline float tfl_f32(TflVec v, uint32_t i) { float x; memcpy(&x, v.p + 4 * (size_t)i, 4); return x; }
static inline int64_t tfl_i64(TflVec v, uint32_t i) { int64_t x; memcpy(&x, v.p + 8 * (size_t)i, 8); return x; }
static inline TflVec tfl_vec(const void *p, uint32_t n) { return (TflVec){(const uint8_t *)p, n}; }

enum TflType {
#define TYPE(NAME, code, str, size) TFL_##NAME = code,
#include "types.def"
#undef TYPE
  TFL_TYPE_COUNT
};
const char *tfl_type_name(int type);  /* "int8"; "type 99" style for unknown codes is the caller's */
unsigned tfl_type_size(int type);      /* bytes per element; 0 for string, int4 and unknown */

enum TflOpCode {
#define OP(NAME, code, opts, imin, imax, omin, omax, shape) TFL_OP_##NAME = code,
#include "ops.def"
#undef OP
};
const char *tfl_op_name(int32_t code);  /* NULL for codes outside the table */

/* Options: one struct per BuiltinOptions member that has fields, generated from the table. */
enum TflOptionsType {
  TFL_OPTS_NONE = 0,
#define OPTS(Name, tag, fields) TFL_OPTS_##Name = tag,
#define OPTS0(Name, tag) TFL_OPTS_##Name = tag,
#include "tflite_options.def"
#undef OPTS
#undef OPTS0
  TFL_OPTS_COUNT
};
typedef int8_t tfl_I8;
typedef bool tfl_BOOL;
typedef int32_t tfl_I32;
typedef uint32_t tfl_U32;
typedef int64_t tfl_I64;
typedef float tfl_F32;
typedef TflVec tfl_IVEC;
typedef TflVec tfl_FVEC;
typedef const char *tfl_STR;
#define F(name, id, kind, def) tfl_##kind name;
#define OPTS(Name, tag, fields) typedef struct Tfl##Name { fields } Tfl##Name;
#define OPTS0(Name, tag)
#include "tflite_options.def"
#undef OPTS
#undef OPTS0
#undef F
typedef union TflOptions {
#define OPTS(Name, tag, fields) Tfl##Name Name;
#define OPTS0(Name, tag)
#include "tflite_options.def"
#undef OPTS
#undef OPTS0
} TflOptions;
const char *tfl_options_name(int type);  /* "Conv2DOptions"; NULL outside the union */
/* Fills o with the schema defaults of options type `type`. */
void tfl_options_defaults(int type, TflOptions *o);

typedef struct TflQuant {
  TflVec min, max, scale;  /* float */
  TflVec zero_point;       /* int64 */
  int32_t quantized_dimension;
  uint8_t details_type;    /* 1: CustomQuantization */
  TflVec custom;           /* bytes of CustomQuantization.custom */
} TflQuant;

typedef struct TflDimMeta {
  int8_t format;                 /* 0 dense, 1 sparse CSR */
  int32_t dense_size;
  uint8_t segments_type, indices_type;  /* SparseIndexVector tag: 1 int32, 2 uint16, 3 uint8 */
  TflVec segments, indices;      /* elements of 4, 2 or 1 bytes by type */
} TflDimMeta;

typedef struct TflSparsity {
  TflVec traversal_order, block_map;  /* int32 */
  uint32_t ndim;
  TflDimMeta *dim;
} TflSparsity;

typedef struct TflTensor {
  uint32_t off;          /* file offset of the table, for messages */
  const char *name;      /* never NULL ("" when absent) */
  TflVec shape;          /* int32 */
  TflVec shape_signature;
  bool has_shape_signature;
  int8_t type;
  uint32_t buffer;
  bool has_quant;
  TflQuant quant;
  bool is_variable;
  bool has_rank;
  TflSparsity *sparsity;  /* NULL: dense */
  uint32_t nvariant;      /* variant_tensors entries (not decoded further) */
} TflTensor;

typedef struct TflOperator {
  uint32_t off;
  uint32_t opcode_index;
  TflVec inputs, outputs, intermediates;  /* int32; -1 marks an omitted optional input */
  TflVec mutating_variable_inputs;        /* bytes (bool) */
  uint8_t options_type;                   /* TflOptionsType */
  bool options_decoded;                   /* false: a union member this reader does not know */
  TflOptions options;
  TflVec custom_options;                  /* bytes */
  int8_t custom_options_format;
  uint64_t large_custom_options_offset, large_custom_options_size;
  uint8_t options2_type;                  /* BuiltinOptions2 tag; its table is not decoded */
} TflOperator;

typedef struct TflSubgraph {
  uint32_t off;
  const char *name;
  uint32_t ntensors, nops;
  TflTensor *tensors;
  TflOperator *ops;
  TflVec inputs, outputs;  /* int32 */
} TflSubgraph;

typedef struct TflOpcode {
  uint32_t off;
  int8_t deprecated_builtin_code;
  int32_t builtin_code;
  int32_t version;
  const char *custom_code;  /* NULL when absent */
  int32_t code;             /* effective: the larger of the two builtin fields */
} TflOpcode;

typedef struct TflBuffer {
  uint32_t off;
  const uint8_t *data;  /* NULL when empty */
  uint64_t size;
  bool external;        /* stored after the FlatBuffer through the offset/size fields */
} TflBuffer;

typedef struct TflMetadata {
  const char *name;
  uint32_t buffer;
} TflMetadata;

typedef struct TflTensorMap {
  const char *name;
  uint32_t tensor_index;
} TflTensorMap;

typedef struct TflSignature {
  const char *key;
  uint32_t subgraph_index;
  uint32_t ninputs, noutputs;
  TflTensorMap *inputs, *outputs;
} TflSignature;

typedef struct TflModel {
  uint32_t version;
  const char *description;
  uint32_t nopcodes, nsubgraphs, nbuffers, nmetadata, nsignatures;
  TflOpcode *opcodes;
  TflSubgraph *subgraphs;
  TflBuffer *buffers;
  TflMetadata *metadata;
  TflSignature *signatures;
  TflVec metadata_buffer;  /* int32 */
  size_t file_size;
} TflModel;

/* Reads and checks a whole model; everything decoded lives in `a` and in `buf`, which must outlive
   the model. Indices between tables (tensor -> buffer, operator -> opcode, subgraph inputs ->
   tensors, ...) are checked here too, so users of TflModel may index without checking. */
int tfl_read(const uint8_t *buf, size_t n, Arena *a, TflModel *m, Err *err);

/* Serialises m as a .tflite file (malloc'd into *out, *n bytes). Buffers marked external are
   written after the FlatBuffer with offset/size, as TFLite does for models over 2 GB. */
int tfl_write(const TflModel *m, uint8_t **out, size_t *n, Err *err);

#endif
