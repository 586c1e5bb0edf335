/* Graph passes: rewrites of the verified IR that leave every output bit-identical, run between
   import/verify and planning (listed in compiler/passes/passes.def, one file per pass). A pass
   edits operators' operands and options and may delete operators; the driver then relinks
   producers and consumers, renumbers operators, re-measures, and checks the result. Tensor
   indices never change, so messages and inspect name tensors as the file does; a tensor a pass
   leaves unused is inert (no producer, no consumers, no data). */
#ifndef MODELC_PASSES_H
#define MODELC_PASSES_H

#include "compiler/ir.h"
#include "compiler/quant.h"

typedef enum PassId {
#define PASS(id, name, summary) PASS_##id,
#include "compiler/passes/passes.def"
#undef PASS
  PASS_COUNT
} PassId;

typedef struct PassInfo {
  const char *name, *summary;
} PassInfo;
extern const PassInfo pass_info[PASS_COUNT];

/* PassId of a command-line name, or -1. */
int pass_find(const char *name);

typedef struct PassOptions {
  uint32_t disabled;   /* bit (1u << PassId) per pass switched off */
  /* The requantization the generated code will use: fold-quantize-chain proves its rewrites
     against the kernels this selects (QUANTIZE goes to XNNPACK's form under single rounding). */
  Rounding rounding;
} PassOptions;

typedef struct PassReport {
  uint32_t changes[PASS_COUNT];  /* rewrites each pass made, over all graphs and rounds */
  uint32_t ops_before, ops_after;  /* graph 0 */
} PassReport;

/* Runs the enabled passes over every graph until none changes anything, then relinks,
   re-measures (ir_stats) and re-verifies. r may be NULL. */
int passes_run(Model *m, const PassOptions *o, PassReport *r, Err *err);
/* The IR invariants passes must keep: operator indices are positions, producer and consumer
   links match the operators' operands, every operand is in range, and operators read only
   tensors written earlier. */
int passes_check(const Model *m, Err *err);
/* "CONV_2D ADD RELU": graph g's operator kinds in order, into buf. */
const char *passes_op_list(const Graph *g, char *buf, size_t n);

/* ---- for the passes themselves ---- */

typedef struct PassCtx {
  Model *m;
  const PassOptions *o;
  bool *dead;          /* per operator of the graph being rewritten: delete it */
} PassCtx;

#define PASS(id, name, summary) int pass_##id(PassCtx *c, Graph *g, uint32_t *changes, Err *err);
#include "compiler/passes/passes.def"
#undef PASS

/* Same dtype, shape and quantization parameters: one can stand for the other. */
bool pass_same_tensor(const Tensor *a, const Tensor *b);
bool pass_same_quant(const Quant *a, const Quant *b);
/* A graph output, graph input or variable tensor: its identity is observable. */
bool pass_pinned(const Tensor *t);
/* Operator op computes y == x (same dtype, shape, quantization, and values). Makes everything
   that reads y read x instead and marks op dead; if y is a graph output, x's producer writes y
   instead. Returns false (nothing changed) when neither is possible. Links are stale until the
   driver relinks. */
bool pass_bypass(PassCtx *c, Graph *g, Op *op, int32_t x, int32_t y);
/* Recomputes every tensor's producer and consumers from the operators (skipping dead ones). */
int pass_relink(Graph *g, Arena *a, const bool *dead, Err *err);
/* A writable copy of op's options, so a pass can change them without touching the file's. */
TflOptions *pass_own_options(Op *op, Arena *a);
/* The fused_activation_function field of op's options, or NULL if its kind has none. */
int8_t *pass_act_field(TflOptions *o, const Op *op);
int pass_act_of(const Op *op);  /* its value, ACT_NONE without one */

/* What the generated kernels compute, per element, evaluated here at compile time with the same
   arithmetic (targets/generic/{dequantize,quantize_f32,requantize,xnn_requant8}.c and the kernel
   choices of codegen/ops/quantize.c and dequantize.c). Per-tensor parameters only. */
float pass_sim_dequantize(const Tensor *x, int32_t v);
int32_t pass_sim_quantize_f32(const Tensor *y, float f);
/* Integer QUANTIZE x -> y as gen_quantize compiles it under `r`. */
int32_t pass_sim_requantize(const Tensor *x, const Tensor *y, Rounding r, int32_t v);
/* Per-tensor quantized int8/uint8/int16: the types whose every value can be tried. */
bool pass_enumerable(const Tensor *t);

#endif
