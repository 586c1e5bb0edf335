#include "quant_params.h"

#include <stdlib.h>

int emit_channel_quant(Emit *e, const Tensor *x, const Tensor *w, const Tensor *y, int channels,
                       ChannelQuant *cq) {
  if (!x->q.n || !w->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
  if (w->q.n != 1 && w->q.n != (uint32_t)channels)
    return emit_unsupported(e, "weights have %u scales for %d channels", w->q.n, channels);
  int32_t *m = arena_array(e->a, (size_t)channels, sizeof *m);
  int32_t *s = arena_array(e->a, (size_t)channels, sizeof *s);
  if (!m || !s) return errf(e->err, -1, "out of memory");
  for (int c = 0; c < channels; c++) {
    double ws = w->q.scale[w->q.n == 1 ? 0 : c];
    double real = (double)x->q.scale[0] * ws / (double)y->q.scale[0];
    int sh;
    quant_multiplier(real, e->o.rounding, &m[c], &sh);
    s[c] = sh;
  }
  cq->mult = emit_i32_table(e, "mult", m, (uint32_t)channels);
  cq->shift = emit_i32_table(e, "shift", s, (uint32_t)channels);
  return 0;
}
