/* FULLY_CONNECTED: y = x . w^T + bias over the last dimension of w, with the fused activation.
   float32; int8 and uint8 (per-tensor or per-channel weights); int16 activations with int8
   weights and int64 bias (16x8). */
#include "codegen/emit.h"
#include "codegen/ops/avx2.h"
#include "codegen/ops/avx2_f32.h"
#include "codegen/ops/cortexm.h"
#include "codegen/ops/neon.h"
#include "codegen/ops/quant_params.h"

int gen_fully_connected(Emit *e, const Op *op) {
  if (fully_connected_avx2_eligible(e, op)) return gen_fully_connected_avx2(e, op);  /* --target x86-64-avx2 */
  if (fully_connected_avx2_f32_eligible(e, op)) return gen_fully_connected_avx2_f32(e, op);  /* float32, FMA */
  if (fully_connected_neon_eligible(e, op)) return gen_fully_connected_neon(e, op);  /* --target aarch64-neon */
  if (fully_connected_cm_eligible(e, op)) return gen_fully_connected_cm(e, op);  /* --target cortex-m */
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflFullyConnectedOptions *o = &op->opt->FullyConnectedOptions;
  if (o->weights_format != 0) return emit_unsupported(e, "shuffled weights format");
  if (w->rank != 2) return emit_unsupported(e, "weights of rank %d", w->rank);
  int in_depth = w->dims[1], out_depth = w->dims[0];
  int64_t batches = x->elems / in_depth;
  if (x->type == TFL_FLOAT32 && w->type == TFL_FLOAT32 && y->type == TFL_FLOAT32) {
    float lo, hi;
    if (quant_act_range_f32(o->fused_activation_function, &lo, &hi))
      return emit_unsupported(e, "activation %d", o->fused_activation_function);
    if (emit_kernel(e, "fully_connected_f32", "f32", NULL)) return -1;
    emit_parallel(e, out_depth, batches * in_depth * out_depth * EMIT_WORK_GENERIC,
                  "fully_connected_f32(%lld, %d, %d, %s, %s, %s, out0, %s, %s, t_, n_)",
                  (long long)batches, in_depth, out_depth, emit_in(e, 0), emit_in(e, 1),
                  b ? emit_in(e, 2) : "0", emit_f32(e, lo), emit_f32(e, hi));
    ef(e, "  return 0;\n");
    return 0;
  }
  bool q8 = (x->type == TFL_INT8 && w->type == TFL_INT8 && y->type == TFL_INT8) ||
            (x->type == TFL_UINT8 && w->type == TFL_UINT8 && y->type == TFL_UINT8);
  bool q16 = x->type == TFL_INT16 && w->type == TFL_INT8 && y->type == TFL_INT16;
  if (!q8 && !q16)
    return emit_unsupported(e, "%s input, %s weights, %s output", tfl_type_name(x->type),
                            tfl_type_name(w->type), tfl_type_name(y->type));
  if (b && b->type != (q16 ? TFL_INT64 : TFL_INT32) && !(q16 && b->type == TFL_INT32))
    return emit_unsupported(e, "%s bias", tfl_type_name(b->type));
  int32_t lo, hi;
  if (quant_act_range(y, o->fused_activation_function, &lo, &hi))
    return emit_unsupported(e, "activation %d", o->fused_activation_function);
  ChannelQuant cq;
  if (emit_channel_quant(e, x, w, y, out_depth, &cq)) return -1;
  char inst[48];
  const char *bt = b ? emit_ctype(b->type) : (q16 ? "int64_t" : "int32_t");
  snprintf(inst, sizeof inst, "%s%s", emit_tsuffix(x->type),
           q16 ? (b && b->type == TFL_INT32 ? "_b32" : "_b64") : "");
  char X[32], W[32], Y[32], B[32];
  snprintf(X, sizeof X, "X=%s", emit_ctype(x->type));
  snprintf(W, sizeof W, "W=%s", emit_ctype(w->type));
  snprintf(Y, sizeof Y, "Y=%s", emit_ctype(y->type));
  snprintf(B, sizeof B, "B=%s", bt);
  if (emit_kernel(e, "fully_connected_q", inst, X, W, Y, B, q16 ? "ACC=int64_t" : "ACC=int32_t",
                  q16 ? "REQUANT=mc_requant64" : "REQUANT=mc_requant", NULL))
    return -1;
  emit_parallel(e, out_depth, batches * in_depth * out_depth * EMIT_WORK_GENERIC,
                "fully_connected_%s(%lld, %d, %d, %s, %d, %s, %d, %s, out0, %d, %s, %s, %d, %d, t_, n_)",
                inst, (long long)batches, in_depth, out_depth, emit_in(e, 0), -x->q.zero_point[0],
                emit_in(e, 1), -w->q.zero_point[0], b ? emit_in(e, 2) : "0", y->q.zero_point[0],
                cq.mult, cq.shift, lo, hi);
  ef(e, "  return 0;\n");
  return 0;
}
