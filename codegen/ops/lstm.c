/* UNIDIRECTIONAL_SEQUENCE_LSTM: float32, and TFLite's fully integer 8x8->16 form (int8 input,
   weights and output state, int16 cell state, five intermediate tensors). Gates are computed as in
   TFLite's lstm_eval.cc; Prepare's effective scales (computed in float, as TFLite does), effective
   biases (zero points folded into the biases) and clips are folded here into a per-layer constant
   parameter block. CIFG, peephole, projection and layer normalization variants are handled; hybrid
   (float input, int8 weights) is not. The output and cell states are variable tensors (inputs 18
   and 19) that persist across invocations. */
#include "codegen/emit.h"

#include <math.h>
#include <string.h>

enum { LSTM_X = 0, LSTM_WX = 1, LSTM_WH = 5, LSTM_WC = 9, LSTM_B = 12, LSTM_PROJ_W = 16,
       LSTM_PROJ_B = 17, LSTM_H = 18, LSTM_C = 19, LSTM_LN = 20 };

typedef struct Dims { int batch, steps, input, cell, output; } Dims;

static int lstm_dims(const Graph *g, const Op *op, Dims *d) {
  if (op->nin < 20 || op->in[0] < 0 || op->in[LSTM_WX + 3] < 0 || op->in[LSTM_WH + 3] < 0) return -1;
  const Tensor *x = &g->t[op->in[0]], *wo = &g->t[op->in[LSTM_WX + 3]],
               *ro = &g->t[op->in[LSTM_WH + 3]];
  if ((x->rank != 2 && x->rank != 3) || wo->rank != 2 || ro->rank != 2) return -1;
  bool tm = op->opt->UnidirectionalSequenceLSTMOptions.time_major;
  if (x->rank == 2) d->steps = 1, d->batch = x->dims[0];
  else d->steps = x->dims[tm ? 0 : 1], d->batch = x->dims[tm ? 1 : 0];
  d->input = x->dims[x->rank - 1], d->cell = wo->dims[0], d->output = ro->dims[1];
  return 0;
}

int64_t scratch_lstm(const Graph *g, const Op *op, bool *over_in0) {
  Dims d;
  if (lstm_dims(g, op, &d)) return 0;
  int64_t n = (int64_t)d.batch * d.cell;
  /* float: four gates; integer: four int16 gates and the int8 hidden vector. */
  return g->t[op->in[0]].type == TFL_FLOAT32 ? 16 * n : 9 * n;
}

static const Tensor *in_t(Emit *e, int k) { return emit_tin(e, k); }

/* "{a, b, c, d}" of four operand names (0 when absent). */
static const char *quad_names(Emit *e, int first, const char *cast) {
  char buf[512];
  size_t n = 0;
  for (int k = 0; k < 4; k++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s%s", k ? ", " : "{",
                          in_t(e, first + k) ? cast : "", in_t(e, first + k) ? emit_in(e, first + k) : "0");
  snprintf(buf + n, sizeof buf - n, "}");
  return arena_strdup(e->a, buf);
}

static const char *quad_ints(Emit *e, const int32_t v[4]) {
  char buf[128];
  snprintf(buf, sizeof buf, "{%d, %d, %d, %d}", v[0], v[1], v[2], v[3]);
  return arena_strdup(e->a, buf);
}

static bool is_const(const Tensor *t) { return t && t->data && !t->is_variable; }

/* Peephole weights sit at inputs 9 (input), 10 (forget), 11 (output); the cell gate has none. */
static const char *peephole_names(Emit *e) {
  char buf[256];
  snprintf(buf, sizeof buf, "{%s, %s, 0, %s}", in_t(e, LSTM_WC) ? emit_in(e, LSTM_WC) : "0",
           in_t(e, LSTM_WC + 1) ? emit_in(e, LSTM_WC + 1) : "0",
           in_t(e, LSTM_WC + 2) ? emit_in(e, LSTM_WC + 2) : "0");
  return arena_strdup(e->a, buf);
}

static int gen_lstm_f32(Emit *e, const Op *op, const Dims *d) {
  const TflUnidirectionalSequenceLSTMOptions *o = &op->opt->UnidirectionalSequenceLSTMOptions;
  for (int k = 1; k < (int)op->nin && k < 24; k++) {
    const Tensor *t = in_t(e, k);
    if (t && k != LSTM_H && k != LSTM_C && (t->type != TFL_FLOAT32 || !is_const(t)))
      return emit_unsupported(e, "input %d is %s%s (hybrid LSTM is not supported)", k,
                              is_const(t) ? "" : "non-constant ", tfl_type_name(t->type));
  }
  int act = o->fused_activation_function;
  if (act != ACT_NONE && act != ACT_RELU && act != ACT_RELU6 && act != ACT_RELU_N1_TO_1 && act != ACT_TANH)
    return emit_unsupported(e, "activation %d", act);
  if (emit_kernel(e, "lstm_f32", "f32", NULL)) return -1;
  e->need_math = true;
  ef(e, "  static const lstm_f_params p = {\n"
        "    %d, %d, %d, %d, %d, %d, %d,\n    %s,\n    %s,\n    %s,\n    %s,\n    %s,\n"
        "    %s, %s, %s, %s};\n",
     d->batch, d->input, d->cell, d->output, d->steps, o->time_major ? 1 : 0, act,
     quad_names(e, LSTM_WX, ""), quad_names(e, LSTM_WH, ""), quad_names(e, LSTM_B, ""),
     peephole_names(e), quad_names(e, LSTM_LN, ""), emit_f32(e, o->cell_clip),
     emit_f32(e, o->proj_clip), in_t(e, LSTM_PROJ_W) ? emit_in(e, LSTM_PROJ_W) : "0",
     in_t(e, LSTM_PROJ_B) ? emit_in(e, LSTM_PROJ_B) : "0");
  ef(e, "  lstm_f_f32(&p, %s, in18, in19, out0, scratch);\n  return 0;\n", emit_in(e, 0));
  return 0;
}

/* bias + zp * (row sums of w), in int32 as TFLite's PrecomputeZeroPointTimesWeightWithBias. */
static const char *effective_bias(Emit *e, const char *what, const Tensor *w, const Tensor *bias,
                                  int32_t zp) {
  int rows = w->dims[0], cols = w->dims[1];
  int32_t *v = arena_array(e->a, (size_t)rows, sizeof *v);
  if (!v) return NULL;
  for (int r = 0; r < rows; r++) {
    uint32_t acc = 0;
    if (bias) {
      int32_t bv;
      memcpy(&bv, bias->data + 4 * (size_t)r, 4);
      acc = (uint32_t)bv;
    }
    int32_t sum = 0;
    for (int c = 0; c < cols; c++) sum += (int8_t)w->data[(size_t)r * cols + c];
    acc += (uint32_t)sum * (uint32_t)zp;
    v[r] = (int32_t)acc;
  }
  return emit_i32_table(e, what, v, (uint32_t)rows);
}

static float scale_of(const Tensor *t) { return t && t->q.n ? t->q.scale[0] : 1.0f; }

static int gen_lstm_q(Emit *e, const Op *op, const Dims *d) {
  const TflUnidirectionalSequenceLSTMOptions *o = &op->opt->UnidirectionalSequenceLSTMOptions;
  const Tensor *x = in_t(e, LSTM_X), *h = in_t(e, LSTM_H), *c = in_t(e, LSTM_C),
               *y = emit_tout(e, 0), *pw = in_t(e, LSTM_PROJ_W), *pb = in_t(e, LSTM_PROJ_B);
  if (x->type != TFL_INT8 || h->type != TFL_INT8 || c->type != TFL_INT16 || y->type != TFL_INT8)
    return emit_unsupported(e, "%s input, %s output state, %s cell state, %s output (only the "
                            "8x8->16 integer LSTM)", tfl_type_name(x->type), tfl_type_name(h->type),
                            tfl_type_name(c->type), tfl_type_name(y->type));
  for (int k = 1; k < 24 && k < (int)op->nin; k++) {
    const Tensor *t = in_t(e, k);
    if (!t || k == LSTM_H || k == LSTM_C) continue;
    int want = (k >= LSTM_B && k < LSTM_B + 4) || k == LSTM_PROJ_B ? TFL_INT32
             : (k >= LSTM_WC && k < LSTM_WC + 3) || k >= LSTM_LN ? TFL_INT16 : TFL_INT8;
    if (t->type != want || !is_const(t))
      return emit_unsupported(e, "input %d is %s%s", k, is_const(t) ? "" : "non-constant ",
                              tfl_type_name(t->type));
    if ((want != TFL_INT32 && !t->q.n) || (want == TFL_INT8 && t->q.zero_point[0] != 0 && k != LSTM_PROJ_W))
      return emit_unsupported(e, "input %d quantization", k);
  }
  if (!x->q.n || !h->q.n || !c->q.n || !y->q.n) return emit_unsupported(e, "missing quantization");
  if (op->ninter != 5) return emit_unsupported(e, "%u intermediate tensors, 5 needed", op->ninter);
  bool use_ln = in_t(e, LSTM_LN + 1) != NULL, cifg = in_t(e, LSTM_WX) == NULL;
  float inter_s[5];
  int32_t inter_zp[5];
  for (int i = 0; i < 5; i++) {
    const Tensor *t = op->inter[i] >= 0 ? &e->g->t[op->inter[i]] : NULL;
    if (i < 4 && !use_ln) {
      inter_s[i] = 1.0f / 4096.0f, inter_zp[i] = 0;  /* Q3.12 gate inputs */
    } else {
      if (!t || !t->q.n) return emit_unsupported(e, "intermediate %d has no quantization", i);
      inter_s[i] = t->q.scale[0], inter_zp[i] = t->q.zero_point[0];
    }
  }
  /* The cell state's scale must be a power of two (CheckedLog2, in float). */
  float l2 = logf(c->q.scale[0]) * (1.0f / logf(2.0f)), l2r = roundf(l2);
  if (!(fabsf(l2 - l2r) < 1e-3f)) return emit_unsupported(e, "cell state scale is not a power of two");
  int cell_scale = (int)l2r;
  if (15 + cell_scale < 0 || 15 + cell_scale > 6)
    return emit_unsupported(e, "cell state scale 2^%d outside TFLite's tanh range", cell_scale);
  float xs = x->q.scale[0], hs = h->q.scale[0];
  int32_t m_x[4] = {0}, m_h[4] = {0}, m_c[4] = {0}, m_ln[4] = {0}, s_x[4] = {0}, s_h[4] = {0},
          s_c[4] = {0}, s_ln[4] = {0}, guard[4] = {0};
  const char *b_x[4], *b_h[4];
  /* The LSTM requantizes with double rounding whatever the build (see targets/generic/lstm_q.c). */
  Rounding r = ROUND_DOUBLE;
  for (int k = 0; k < 4; k++) {
    int sh;
    b_x[k] = b_h[k] = "0";
    const Tensor *wx = in_t(e, LSTM_WX + k), *wh = in_t(e, LSTM_WH + k);
    if (!wx != !wh || (!wx && k != 0)) return emit_unsupported(e, "gate %d weights missing", k);
    if (!wx) continue;
    float ex = scale_of(wx) * xs / inter_s[k], eh = scale_of(wh) * hs / inter_s[k];
    quant_multiplier((double)ex, r, &m_x[k], &sh), s_x[k] = sh;
    quant_multiplier((double)eh, r, &m_h[k], &sh), s_h[k] = sh;
    const Tensor *bias = in_t(e, LSTM_B + k);
    if (!bias) return emit_unsupported(e, "gate %d bias missing", k);
    char nm[16];
    snprintf(nm, sizeof nm, "bx%d", k);
    b_x[k] = effective_bias(e, nm, wx, use_ln ? NULL : bias, -x->q.zero_point[0]);
    snprintf(nm, sizeof nm, "bh%d", k);
    b_h[k] = effective_bias(e, nm, wh, NULL, -h->q.zero_point[0]);
    if (!b_x[k] || !b_h[k]) return errf(e->err, -1, "out of memory");
    if (k != 2 && in_t(e, LSTM_WC + (k == 3 ? 2 : k))) {
      float ec = powf(2.0f, (float)cell_scale) * scale_of(in_t(e, LSTM_WC + (k == 3 ? 2 : k))) / inter_s[k];
      quant_multiplier((double)ec, r, &m_c[k], &sh), s_c[k] = sh;
    }
    if (use_ln) {
      const Tensor *ln = in_t(e, LSTM_LN + k);
      if (!ln) return emit_unsupported(e, "layer norm coefficients of gate %d missing", k);
      quant_multiplier((double)scale_of(ln), r, &m_ln[k], &sh), s_ln[k] = sh;
      int32_t gv = (int32_t)(10000 * scale_of(ln));
      guard[k] = gv > 1 ? gv : 1;
    }
  }
  if (!cifg && (!in_t(e, LSTM_WC + 1) != !in_t(e, LSTM_WC)))
    return emit_unsupported(e, "peephole weights are not all present");
  float eff_hidden = powf(2.0f, -15.0f) / inter_s[4] * powf(2.0f, -15.0f);
  int32_t m_hidden, m_proj = 0;
  int s_hidden, s_proj = 0;
  quant_multiplier((double)eff_hidden, r, &m_hidden, &s_hidden);
  const char *b_proj = "0";
  if (pw) {
    quant_multiplier((double)(scale_of(pw) * inter_s[4] / hs), r, &m_proj, &s_proj);
    b_proj = effective_bias(e, "bproj", pw, pb, inter_zp[4]);
    if (!b_proj) return errf(e->err, -1, "out of memory");
  } else if (d->output != d->cell) {
    return emit_unsupported(e, "output size %d differs from cell size %d without projection",
                            d->output, d->cell);
  }
  int cell_clip = 0, proj_clip = 0;
  if (o->cell_clip > 0.0f)
    cell_clip = (int16_t)fminf(fmaxf(o->cell_clip / c->q.scale[0], -32768.0f), 32767.0f);
  if (o->proj_clip > 0.0f)
    proj_clip = (int8_t)fminf(fmaxf(o->proj_clip / y->q.scale[0], -128.0f), 127.0f);
  if (emit_kernel(e, "fx16", "s16", NULL) || emit_kernel(e, "lstm_q", "s8", NULL)) return -1;
  const char *wc = peephole_names(e);
  const char *lnb = use_ln ? quad_names(e, LSTM_B, "") : "{0, 0, 0, 0}";
  ef(e, "  static const lstm_q_params p = {\n"
        "    %d, %d, %d, %d, %d, %d,\n    %s,\n    %s,\n"
        "    {%s, %s, %s, %s},\n    {%s, %s, %s, %s},\n    %s, %s, %s, %s,\n"
        "    %s, %s, %s,\n    %s, %s, %s, %s, %s,\n"
        "    %d, %d, %d, %d, %d, %d,\n    %s, %s, %d, %d, %d};\n",
     d->batch, d->input, d->cell, d->output, d->steps, o->time_major ? 1 : 0,
     quad_names(e, LSTM_WX, ""), quad_names(e, LSTM_WH, ""), b_x[0], b_x[1], b_x[2], b_x[3],
     b_h[0], b_h[1], b_h[2], b_h[3], quad_ints(e, m_x), quad_ints(e, m_h), quad_ints(e, s_x),
     quad_ints(e, s_h), wc, quad_ints(e, m_c), quad_ints(e, s_c), quad_names(e, LSTM_LN, ""), lnb,
     quad_ints(e, m_ln), quad_ints(e, s_ln), quad_ints(e, guard), cell_scale, cell_clip, proj_clip,
     m_hidden, s_hidden, inter_zp[4], pw ? emit_in(e, LSTM_PROJ_W) : "0", b_proj, m_proj, s_proj,
     h->q.zero_point[0]);
  ef(e, "  lstm_q_s8(&p, %s, in18, in19, out0, scratch);\n  return 0;\n", emit_in(e, 0));
  return 0;
}

int gen_lstm(Emit *e, const Op *op) {
  const TflUnidirectionalSequenceLSTMOptions *o = &op->opt->UnidirectionalSequenceLSTMOptions;
  Dims d;
  if (lstm_dims(e->g, op, &d)) return emit_unsupported(e, "operand shapes");
  if (o->diagonal_recurrent_tensors) return emit_unsupported(e, "diagonal recurrent weights");
  const Tensor *h = in_t(e, LSTM_H), *c = in_t(e, LSTM_C);
  if (!h || !c || !h->is_variable || !c->is_variable)
    return emit_unsupported(e, "output and cell states (inputs 18, 19) must be variable tensors");
  if (h->elems != (int64_t)d.batch * d.output || c->elems != (int64_t)d.batch * d.cell)
    return emit_unsupported(e, "state sizes");
  if (in_t(e, LSTM_X)->type == TFL_FLOAT32) return gen_lstm_f32(e, op, &d);
  return gen_lstm_q(e, op, &d);
}
