/* UNIDIRECTIONAL_SEQUENCE_LSTM, integer 8x8->16: TFLite's EvalInteger8x8_16 (lstm_eval.cc). int8
   input, weights and output state, int16 cell state (power-of-two scale), int16 gates in Q3.12
   (Q0.15 after the activations). Gate order in the arrays: input, forget, cell, output. Effective
   biases fold the zero points into the gate biases (TFLite's Prepare). Layer normalization is
   applied when ln_w[gate] is set. Requantization is gemmlowp's double rounding in every build: the
   TFLite oracle's LSTM (its tensor_utils) matches only that, while its other kernels round once. */
static int32_t lstm_q_requant(int32_t x, int32_t multiplier, int shift) {
  /* The layer norm's shift + 12 may pass 31, where TFLite's is undefined: saturated. */
  int left = shift > 31 ? 31 : shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  return mc_rdbpot(mc_srdhm((int32_t)((uint32_t)x << left), multiplier), right);
}

typedef struct lstm_q_params {
  int n_batch, n_input, n_cell, n_output, steps, time_major;
  const int8_t *w_x[4], *w_h[4];      /* w_x[0] == 0: CIFG (input gate = 1 - forget gate) */
  const int32_t *b_x[4], *b_h[4];     /* effective biases of the input and recurrent matmuls */
  int32_t m_x[4], m_h[4];
  int s_x[4], s_h[4];
  const int16_t *w_c[4];              /* peephole weights, or 0 */
  int32_t m_c[4];
  int s_c[4];
  const int16_t *ln_w[4];             /* layer norm weights, or 0 */
  const int32_t *ln_b[4];
  int32_t m_ln[4];
  int s_ln[4];
  int32_t ln_guard[4];
  int cell_scale;                     /* log2 of the cell state's scale */
  int16_t cell_clip;                  /* 0: none */
  int8_t proj_clip;
  int32_t m_hidden;
  int s_hidden;
  int32_t hidden_zp;
  const int8_t *w_proj;               /* 0: no projection */
  const int32_t *b_proj;
  int32_t m_proj;
  int s_proj;
  int32_t h_zp;                       /* output state zero point */
} lstm_q_params;

/* out[b][r] = sat_T(out[b][r] + requant(bias[r] + sum_c x[b][c] * w[r][c]) + zp). */
static void lstm_q_matmul16(const int8_t *x, const int32_t *bias, const int8_t *w, int32_t mult,
                            int shift, int n_batch, int n_in, int n_out, int16_t *out) {
  for (int b = 0; b < n_batch; b++)
    for (int r = 0; r < n_out; r++) {
      int32_t acc = bias[r];
      const int8_t *wr = w + (size_t)r * n_in, *xb = x + (size_t)b * n_in;
      for (int c = 0; c < n_in; c++) acc += xb[c] * wr[c];
      acc = lstm_q_requant(acc, mult, shift);
      out[(size_t)b * n_out + r] =
          (int16_t)mc_clamp_offset(acc, out[(size_t)b * n_out + r], INT16_MIN, INT16_MAX);
    }
}

/* 1/sqrt(v) as a multiplier and left shift (GetInvSqrtQuantizedMultiplierExp, reverse_shift -1). */
static void lstm_q_inv_sqrt(int32_t v, int32_t *mult, int *shift) {
  if (v <= 1) {
    *mult = INT32_MAX, *shift = 0;
    return;
  }
  int s = 11;
  while (v >= (1 << 29)) v /= 4, s++;
  int lz = 0;
  for (uint32_t u = (uint32_t)v; !(u & 0x80000000u); u <<= 1) lz++;
  int pairs = (lz - 1) / 2 - 1;
  s -= pairs;
  v <<= 2 * pairs;
  /* Newton-Raphson in Q3.28 (gemmlowp FixedPoint<int32_t, 3>). */
  int32_t half_input = mc_rdbpot(v >> 1, 1), half_three = (1 << 28) + (1 << 27), x = 1 << 28;
  for (int i = 0; i < 5; i++) {
    int32_t x3 = mc_sat_shl(mc_srdhm(mc_srdhm(x, x), x), 6);
    x = mc_sat_shl((int32_t)((uint32_t)mc_srdhm(half_three, x) - (uint32_t)mc_srdhm(half_input, x3)), 3);
  }
  x = mc_srdhm(x, 1518500250);
  if (s < 0) x = (int32_t)((uint32_t)x << -s), s = 0;
  *mult = x, *shift = -s;
}

static void lstm_q_layer_norm(int16_t *g, const int16_t *w, const int32_t *bias, int32_t mult,
                              int shift, int32_t guard, int n_batch, int n) {
  for (int b = 0; b < n_batch; b++, g += n) {
    int64_t sum = 0, sum_sq = 0;
    for (int j = 0; j < n; j++) sum += g[j], sum_sq += (int32_t)g[j] * g[j];
    int32_t mean = (int32_t)(sum * 1024 / n);
    int64_t variance = sum_sq * ((1 << 20) / n) - (int64_t)mean * mean;
    int32_t variance2 = (int32_t)(variance / (1 << 20));
    if (variance2 < 1) variance2 = guard;
    int32_t inv_m;
    int inv_s;
    lstm_q_inv_sqrt(variance2, &inv_m, &inv_s);
    for (int j = 0; j < n; j++) {
      int32_t rescaled = lstm_q_requant(1024 * g[j] - mean, inv_m, inv_s);
      /* TFLite forms this product in int32 before widening. */
      int64_t v3 = (int32_t)((uint32_t)rescaled * (uint32_t)(int32_t)w[j] + (uint32_t)bias[j]);
      int32_t v4 = (int32_t)((v3 > 0 ? v3 + 512 : v3 - 512) / 1024);
      g[j] = (int16_t)mc_clamp_i32(lstm_q_requant(v4, mult, shift + 12), INT16_MIN, INT16_MAX);
    }
  }
}

static void lstm_q_gate(const lstm_q_params *p, int k, int n_batch, const int8_t *x,
                        const int8_t *h, const int16_t *c, int16_t *g) {
  int n = n_batch * p->n_cell;
  for (int i = 0; i < n; i++) g[i] = 0;
  lstm_q_matmul16(x, p->b_x[k], p->w_x[k], p->m_x[k], p->s_x[k], n_batch, p->n_input, p->n_cell, g);
  lstm_q_matmul16(h, p->b_h[k], p->w_h[k], p->m_h[k], p->s_h[k], n_batch, p->n_output, p->n_cell, g);
  if (p->w_c[k]) /* TFLite walks n_output peephole weights per batch here (equal to n_cell). */
    for (int i = 0; i < n_batch * p->n_output; i++) {
      int32_t v = lstm_q_requant(p->w_c[k][i % p->n_output] * c[i], p->m_c[k], p->s_c[k]);
      g[i] = (int16_t)mc_clamp_offset(v, g[i], INT16_MIN, INT16_MAX);
    }
  if (p->ln_w[k])
    lstm_q_layer_norm(g, p->ln_w[k], p->ln_b[k], p->m_ln[k], p->s_ln[k], p->ln_guard[k], n_batch,
                      p->n_cell);
  for (int i = 0; i < n; i++) g[i] = k == 2 ? fx16_tanh(g[i], 3) : fx16_logistic(g[i], 3);
}

/* One time step for n_batch rows. gates: 4 * n_batch * n_cell int16; hidden: n_batch * n_cell. */
static void lstm_q_step(const lstm_q_params *p, int n_batch, const int8_t *x, int8_t *h,
                        int16_t *c, int8_t *out, int16_t *gates, int8_t *hidden) {
  int n = n_batch * p->n_cell;
  int16_t *gi = gates, *gf = gates + n, *gc = gates + 2 * n, *go = gates + 3 * n;
  if (p->w_x[0]) lstm_q_gate(p, 0, n_batch, x, h, c, gi);
  lstm_q_gate(p, 1, n_batch, x, h, c, gf);
  lstm_q_gate(p, 2, n_batch, x, h, c, gc);
  /* Cell update: c = f * c + i * g, with i = 1 - f for CIFG. */
  for (int i = 0; i < n; i++) {
    int16_t fc = (int16_t)mc_rdbpot(gf[i] * c[i], 15);
    int16_t in = p->w_x[0] ? gi[i] : (int16_t)(32767 - gf[i]);
    int16_t ig = (int16_t)mc_rdbpot(in * gc[i], 30 + p->cell_scale);
    int32_t v = mc_clamp_i32((int32_t)fc + ig, INT16_MIN, INT16_MAX);
    if (p->cell_clip > 0) v = mc_clamp_i32(v, -p->cell_clip, p->cell_clip);
    c[i] = (int16_t)v;
  }
  lstm_q_gate(p, 3, n_batch, x, h, c, go);
  /* Hidden = o * tanh(c), requantized to int8; TFLite subtracts the hidden zero point here and
     adds it back through the projection's effective bias. */
  for (int i = 0; i < n; i++) {
    int32_t v = lstm_q_requant(go[i] * fx16_tanh(c[i], 15 + p->cell_scale), p->m_hidden, p->s_hidden);
    hidden[i] = (int8_t)mc_clamp_offset(v, -p->hidden_zp, -128, 127);
  }
  int m = n_batch * p->n_output;
  if (p->w_proj) {
    for (int b = 0; b < n_batch; b++)
      for (int r = 0; r < p->n_output; r++) {
        int32_t acc = p->b_proj[r];
        const int8_t *wr = p->w_proj + (size_t)r * p->n_cell, *hb = hidden + (size_t)b * p->n_cell;
        for (int j = 0; j < p->n_cell; j++) acc += hb[j] * wr[j];
        int32_t v = mc_clamp_offset(lstm_q_requant(acc, p->m_proj, p->s_proj), p->h_zp, -128, 127);
        if (p->proj_clip > 0) v = mc_clamp_i32(v, -p->proj_clip, p->proj_clip);
        h[(size_t)b * p->n_output + r] = (int8_t)v;
      }
  } else {
    for (int i = 0; i < m; i++) h[i] = hidden[i];
  }
  for (int i = 0; i < m; i++) out[i] = h[i];
}

/* The sequence: time-major steps all batches at once; batch-major runs each batch row through
   its steps with its own slice of the states, as TFLite does. */
static void lstm_q_$S(const lstm_q_params *p, const int8_t *x, int8_t *h, int16_t *c, int8_t *y,
                      void *scratch) {
  int16_t *gates = (int16_t *)scratch;
  int8_t *hidden = (int8_t *)(gates + 4 * (size_t)p->n_batch * p->n_cell);
  if (p->time_major) {
    for (int t = 0; t < p->steps; t++)
      lstm_q_step(p, p->n_batch, x + (size_t)t * p->n_batch * p->n_input, h, c,
                  y + (size_t)t * p->n_batch * p->n_output, gates, hidden);
  } else {
    for (int b = 0; b < p->n_batch; b++)
      for (int t = 0; t < p->steps; t++) {
        size_t bt = (size_t)b * p->steps + t;
        lstm_q_step(p, 1, x + bt * p->n_input, h + (size_t)b * p->n_output,
                    c + (size_t)b * p->n_cell, y + bt * p->n_output, gates, hidden);
      }
  }
}
