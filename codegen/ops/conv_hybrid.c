/* Hybrid convolutions as TensorFlow Lite's builtin kernels (conv.cc, depthwise_conv.cc) run them;
   TFLite Micro has no hybrid kernels. What each path quantizes and scales by:
   - CONV_2D with per-channel weight scales (more than one, not all equal): EvalHybridPerChannel,
     asymmetric int8 input per batch, y = acc * (w_scale[oc] * s_x) + bias;
   - CONV_2D otherwise: EvalHybrid, symmetric input (zero point 0, range +-127), scaled by the
     tensor's legacy scale, which TFLite sets only when there is exactly one: several equal
     per-channel scales leave it 0, and the layer outputs its clamped bias;
   - DEPTHWISE_CONV_2D: always per-channel (one scale per output channel, else TFLite refuses the
     model), asymmetric input, y = acc * s_x * w_scale[oc] + bias.
   TFLite ignores the weights' zero points, and so does the generated code. Its per-channel
   CONV_2D drops the dilation (and its hybrid im2col cannot group filters), so both are refused. */
#include "conv_hybrid.h"

#include <stdio.h>
#include <string.h>

bool conv_is_hybrid(const Tensor *x, const Tensor *w) {
  return x && w && x->type == TFL_FLOAT32 && w->type == TFL_INT8;
}

int64_t conv_hybrid_scratch(const Graph *g, const Op *op, bool *over_in0) {
  if (op->nin < 2 || op->in[0] < 0 || op->in[1] < 0) return 0;
  const Tensor *x = &g->t[op->in[0]], *w = &g->t[op->in[1]];
  if (!conv_is_hybrid(x, w) || x->rank < 1 || x->dims[0] <= 0) return 0;
  /* The int8 copy of batch b goes where the input starts: its quantizer writes byte i after
     reading float i (bytes 4i..4i+3), and batches after the first lie past the copy. */
  *over_in0 = true;
  return x->elems / x->dims[0];
}

int conv_hybrid(Emit *e, ConvKind kind, const Tensor *x, const Tensor *w, const Tensor *b,
                const Tensor *y, int activation, int channels, ConvHybrid *h) {
  (void)x;
  if (y->type != TFL_FLOAT32 || (b && b->type != TFL_FLOAT32))
    return emit_unsupported(e, "float32 input with int8 weights, %s bias, %s output",
                            b ? tfl_type_name(b->type) : "no", tfl_type_name(y->type));
  if (!w->q.n) return emit_unsupported(e, "hybrid int8 weights without scales");
  if (quant_act_range_f32(activation, &h->act_min, &h->act_max))
    return emit_unsupported(e, "activation %d", activation);
  bool per_channel = kind == CONV_DEPTHWISE;
  for (uint32_t c = 1; c < w->q.n; c++)
    if (w->q.scale[c] != w->q.scale[0]) per_channel = true;
  if (per_channel && w->q.n != (uint32_t)channels)
    return emit_unsupported(e, "hybrid weights have %u scales for %d channels", w->q.n, channels);
  if (per_channel && w->q.dim != (kind == CONV_DEPTHWISE ? 3 : 0))
    return emit_unsupported(e, "hybrid weights quantized along dimension %d", w->q.dim);
  float *sc = arena_array(e->a, (size_t)channels, sizeof *sc);
  if (!sc) return errf(e->err, -1, "out of memory");
  for (int c = 0; c < channels; c++)
    sc[c] = per_channel ? w->q.scale[c] : w->q.n == 1 ? w->q.scale[0] : 0.0f;
  char name[64];
  snprintf(name, sizeof name, "op%u_w_scale", e->op->index);
  text_printf(&e->consts, "static const float %s[%d] = {", name, channels);
  for (int c = 0; c < channels; c++)
    text_printf(&e->consts, "%s%s", c % 8 ? ", " : (c ? ",\n  " : "\n  "), emit_f32(e, sc[c]));
  text_printf(&e->consts, "\n};\n");
  h->w_scale = arena_strdup(e->a, name);
  if (!h->w_scale) return errf(e->err, -1, "out of memory");
  const char *quant = per_channel ? "hybrid_quant_asym" : "hybrid_quant_sym";
  snprintf(h->inst, sizeof h->inst, "%s", per_channel ? "asym" : "sym");
  snprintf(h->QUANT, sizeof h->QUANT, "QUANT=%s_s8", quant);
  return emit_kernel(e, quant, "s8", NULL);
}
