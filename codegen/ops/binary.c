/* Elementwise binary operators with broadcasting: ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM,
   SQUARED_DIFFERENCE. One loop kernel (binary_loop) walks the output with a stride per operand
   (0 along broadcast dimensions, adjacent dimensions merged at compile time, at most 6 left);
   the per-element function and its constants depend on the operator, the dtype and the runtime
   each --rounding stands for:
   - float32: plain float arithmetic, then the activation clamp.
   - MINIMUM / MAXIMUM: raw stored values compared, whatever the quantization (as TFLite does).
   - int32 ADD / SUB / MUL: wrapping integer arithmetic, then the activation's bounds.
   - quantized ADD / SUB / MUL / SQUARED_DIFFERENCE: see binary_q.c. */
#include <float.h>
#include <stdlib.h>

#include "codegen/ops/binary.h"

/* Output shape and operand strides, with dimensions of size 1 dropped and mergeable neighbours
   merged, padded to 6 from the left. Returns -1 if more than 6 dimensions remain. */
static int broadcast_plan(const Tensor *a, const Tensor *b, const Tensor *y, BinaryShape *s) {
  int r = y->rank;
  int32_t n[IR_MAX_RANK], sa[IR_MAX_RANK], sb[IR_MAX_RANK];
  int64_t ta = 1, tb = 1;
  const Tensor *ops[2] = {a, b};
  int64_t *tot[2] = {&ta, &tb};
  int32_t *st[2] = {sa, sb};
  for (int i = r - 1; i >= 0; i--) {
    n[i] = y->dims[i];
    for (int k = 0; k < 2; k++) {
      int j = i - (r - ops[k]->rank);
      int32_t d = j >= 0 ? ops[k]->dims[j] : 1;
      st[k][i] = d == 1 ? 0 : (int32_t)*tot[k];
      *tot[k] *= d;
    }
  }
  /* Keep the dimensions of size > 1, merging each into the previous kept one when both operands
     step through them contiguously (or both repeat). */
  int m = 0;
  int32_t cn[IR_MAX_RANK], ca[IR_MAX_RANK], cb[IR_MAX_RANK];
  for (int i = 0; i < r; i++) {
    if (n[i] == 1) continue;
    if (m > 0 && ca[m - 1] == sa[i] * n[i] && cb[m - 1] == sb[i] * n[i]) {
      cn[m - 1] *= n[i], ca[m - 1] = sa[i], cb[m - 1] = sb[i];
      continue;
    }
    cn[m] = n[i], ca[m] = sa[i], cb[m] = sb[i], m++;
  }
  if (m > 6) return -1;
  for (int i = 0; i < 6; i++) {
    int k = i - (6 - m);
    s->dims[i] = k >= 0 ? cn[k] : 1;
    s->sa[i] = k >= 0 ? ca[k] : 0;
    s->sb[i] = k >= 0 ? cb[k] : 0;
  }
  return 0;
}

static const char *i32_list(Emit *e, const int32_t *v, int n) {
  char buf[512];
  size_t k = 0;
  for (int i = 0; i < n && k < sizeof buf - 16; i++)
    k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%d", i ? ", " : "", v[i]);
  buf[k] = 0;
  return arena_strdup(e->a, buf);
}

int binary_call(Emit *e, const BinaryShape *s, const char *elem_file, const char *elem_inst,
                const char *elem_fn, const int32_t *q, int nq, const float *f, int nf) {
  return binary_call_ptrs(e, s, elem_file, elem_inst, elem_fn, q, nq, f, nf, emit_tin(e, 0)->type,
                          emit_tout(e, 0)->type, emit_in(e, 0), emit_in(e, 1));
}

int binary_call_ptrs(Emit *e, const BinaryShape *s, const char *elem_file, const char *elem_inst,
                     const char *elem_fn, const int32_t *q, int nq, const float *f, int nf,
                     int type, int ytype, const char *in0, const char *in1) {
  char inst[96], T[48], Y[48], P[96];
  snprintf(inst, sizeof inst, "%s_%s", elem_fn, emit_tsuffix(type));
  snprintf(T, sizeof T, "T=%s", emit_ctype(type));
  snprintf(Y, sizeof Y, "Y=%s", emit_ctype(ytype));
  snprintf(P, sizeof P, "ELEM=%s", elem_fn);
  if (elem_file && emit_kernel(e, elem_file, elem_inst, NULL)) return -1;
  if (emit_kernel(e, "binary_loop", inst, T, Y, P, NULL)) return -1;
  ef(e, "  binary_%s((const int32_t[6]){%s}, (const int32_t[6]){%s}, (const int32_t[6]){%s},\n"
        "    %s, %s, out0, ", inst, i32_list(e, s->dims, 6), i32_list(e, s->sa, 6),
     i32_list(e, s->sb, 6), in0, in1);
  if (nq) ef(e, "(const int32_t[16]){%s}, ", i32_list(e, q, nq));
  else ef(e, "0, ");
  if (nf) {
    ef(e, "(const float[4]){");
    for (int i = 0; i < nf; i++) ef(e, "%s%s", i ? ", " : "", emit_f32(e, f[i]));
    ef(e, "}");
  } else {
    ef(e, "0");
  }
  ef(e, ");\n  return 0;\n");
  return 0;
}

/* The float element functions of binary_plain.c by operator. */
static const char *float_elem(OpKind k) {
  switch (k) {
  case OP_ADD: return "binf_add";
  case OP_SUB: return "binf_sub";
  case OP_MUL: return "binf_mul";
  case OP_DIV: return "binf_div";
  case OP_SQUARED_DIFFERENCE: return "binf_squared_difference";
  case OP_MINIMUM: return "binf_minimum";
  case OP_MAXIMUM: return "binf_maximum";
  default: return NULL;
  }
}

static int activation_of(const Op *op) {
  switch (op->kind) {
  case OP_ADD: return op->opt->AddOptions.fused_activation_function;
  case OP_SUB: return op->opt->SubOptions.fused_activation_function;
  case OP_MUL: return op->opt->MulOptions.fused_activation_function;
  case OP_DIV: return op->opt->DivOptions.fused_activation_function;
  default: return ACT_NONE;
  }
}

int gen_binary(Emit *e, const Op *op) {
  const Tensor *a = emit_tin(e, 0), *b = emit_tin(e, 1), *y = emit_tout(e, 0);
  if (a->type != b->type || a->type != y->type)
    return emit_unsupported(e, "%s and %s inputs, %s output", tfl_type_name(a->type),
                            tfl_type_name(b->type), tfl_type_name(y->type));
  BinaryShape s;
  if (broadcast_plan(a, b, y, &s))
    return emit_unsupported(e, "broadcast over more than 6 dimensions");
  int act = activation_of(op);
  if (a->type == TFL_FLOAT32) {
    float f[2];
    if (quant_act_range_f32(act, &f[0], &f[1])) return emit_unsupported(e, "activation %d", act);
    return binary_call(e, &s, "binary_plain", "all", float_elem(op->kind), NULL, 0, f, 2);
  }
  if (op->kind == OP_MINIMUM || op->kind == OP_MAXIMUM) {
    if (a->type != TFL_INT8 && a->type != TFL_UINT8 && a->type != TFL_INT16 && a->type != TFL_INT32)
      return emit_unsupported(e, "%s", tfl_type_name(a->type));
    return binary_call(e, &s, "binary_plain", "all",
                       op->kind == OP_MINIMUM ? "bini_minimum" : "bini_maximum", NULL, 0, NULL, 0);
  }
  if (a->type == TFL_INT32 && (op->kind == OP_ADD || op->kind == OP_SUB || op->kind == OP_MUL)) {
    /* CalculateActivationRange on int32: the clamp bounds themselves, not quantized. */
    int32_t q[2] = {INT32_MIN, INT32_MAX};
    if (act == ACT_RELU) q[0] = 0;
    else if (act == ACT_RELU6) q[0] = 0, q[1] = 6;
    else if (act == ACT_RELU_N1_TO_1) q[0] = -1, q[1] = 1;
    else if (act != ACT_NONE) return emit_unsupported(e, "activation %d", act);
    const char *fn = op->kind == OP_ADD ? "bini_add" : op->kind == OP_SUB ? "bini_sub" : "bini_mul";
    return binary_call(e, &s, "binary_plain", "all", fn, q, 2, NULL, 0);
  }
  if (a->type != TFL_INT8 && a->type != TFL_UINT8 && a->type != TFL_INT16)
    return emit_unsupported(e, "%s", tfl_type_name(a->type));
  if (!a->q.n || !b->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
  switch (op->kind) {
  case OP_ADD: case OP_SUB: return binary_add_sub_q(e, op, &s, act);
  case OP_MUL: return binary_mul_q(e, op, &s, act);
  case OP_SQUARED_DIFFERENCE: return binary_sqdiff_q(e, op, &s);
  case OP_DIV: return binary_div_q(e, op, &s, act);
  default: return emit_unsupported(e, "quantized %s", ir_op_name(op));
  }
}
