/* UNIDIRECTIONAL_SEQUENCE_LSTM, float32: TFLite's EvalFloat (lstm_eval.cc). Gate order in the
   arrays: input, forget, cell, output; each gate = act(bias + Wx.x + Wh.h [+ peephole .* c]), with
   layer normalization (then the bias) when ln_w[gate] is set. */
typedef struct lstm_f_params {
  int n_batch, n_input, n_cell, n_output, steps, time_major;
  int act;                           /* ActivationFunctionType of the cell gate and output */
  const float *w_x[4], *w_h[4], *bias[4], *w_c[4], *ln_w[4];  /* w_x[0] == 0: CIFG */
  float cell_clip, proj_clip;        /* 0: none */
  const float *w_proj, *b_proj;      /* w_proj == 0: no projection */
} lstm_f_params;

static float lstm_f_act(int act, float v) {
  switch (act) {
  case 1: return v < 0.0f ? 0.0f : v;
  case 2: return mc_clamp_f32(v, -1.0f, 1.0f);
  case 3: return mc_clamp_f32(v, 0.0f, 6.0f);
  case 4: return tanhf(v);
  default: return v;
  }
}

static float lstm_f_sigmoid(float v) { return 1.0f / (1.0f + expf(-v)); }

static void lstm_f_gate(const lstm_f_params *p, int k, int n_batch, const float *x,
                        const float *h, const float *c, float *g) {
  int nc = p->n_cell;
  for (int b = 0; b < n_batch; b++)
    for (int r = 0; r < nc; r++) {
      float acc = p->ln_w[k] ? 0.0f : p->bias[k][r];
      const float *wr = p->w_x[k] + (size_t)r * p->n_input, *xb = x + (size_t)b * p->n_input;
      float dot = 0.0f;
      for (int i = 0; i < p->n_input; i++) dot += wr[i] * xb[i];
      acc += dot;
      const float *ur = p->w_h[k] + (size_t)r * p->n_output, *hb = h + (size_t)b * p->n_output;
      dot = 0.0f;
      for (int i = 0; i < p->n_output; i++) dot += ur[i] * hb[i];
      acc += dot;
      if (p->w_c[k]) acc += p->w_c[k][r] * c[(size_t)b * nc + r];
      g[(size_t)b * nc + r] = acc;
    }
  if (p->ln_w[k])
    for (int b = 0; b < n_batch; b++) {  /* MeanStddevNormalization, then weights and bias */
      float *gb = g + (size_t)b * nc, sum = 0.0f, sq = 0.0f;
      for (int r = 0; r < nc; r++) sum += gb[r];
      float mean = sum / (float)nc;
      for (int r = 0; r < nc; r++) sq += (gb[r] - mean) * (gb[r] - mean);
      float inv = 1.0f / sqrtf(sq / (float)nc + 1e-8f);
      for (int r = 0; r < nc; r++) gb[r] = (gb[r] - mean) * inv * p->ln_w[k][r] + p->bias[k][r];
    }
  for (int i = 0; i < n_batch * nc; i++) g[i] = k == 2 ? lstm_f_act(p->act, g[i]) : lstm_f_sigmoid(g[i]);
}

static void lstm_f_step(const lstm_f_params *p, int n_batch, const float *x, float *h, float *c,
                        float *out, float *gates) {
  int n = n_batch * p->n_cell;
  float *gi = gates, *gf = gates + n, *gc = gates + 2 * n, *go = gates + 3 * n;
  if (p->w_x[0]) lstm_f_gate(p, 0, n_batch, x, h, c, gi);
  lstm_f_gate(p, 1, n_batch, x, h, c, gf);
  lstm_f_gate(p, 2, n_batch, x, h, c, gc);
  for (int i = 0; i < n; i++) {
    float v = gf[i] * c[i];
    v += gc[i] * (p->w_x[0] ? gi[i] : 1.0f - gf[i]);
    if (p->cell_clip > 0.0f) v = mc_clamp_f32(v, -p->cell_clip, p->cell_clip);
    c[i] = v;
  }
  lstm_f_gate(p, 3, n_batch, x, h, c, go);
  for (int i = 0; i < n; i++) go[i] *= lstm_f_act(p->act, c[i]);
  int m = n_batch * p->n_output;
  if (p->w_proj) {
    for (int b = 0; b < n_batch; b++)
      for (int r = 0; r < p->n_output; r++) {
        const float *wr = p->w_proj + (size_t)r * p->n_cell, *hb = go + (size_t)b * p->n_cell;
        float dot = 0.0f;
        for (int j = 0; j < p->n_cell; j++) dot += wr[j] * hb[j];
        float v = (p->b_proj ? p->b_proj[r] : 0.0f) + dot;
        if (p->proj_clip > 0.0f) v = mc_clamp_f32(v, -p->proj_clip, p->proj_clip);
        h[(size_t)b * p->n_output + r] = v;
      }
  } else {
    for (int i = 0; i < m; i++) h[i] = go[i];
  }
  for (int i = 0; i < m; i++) out[i] = h[i];
}

static void lstm_f_$S(const lstm_f_params *p, const float *x, float *h, float *c, float *y,
                      void *scratch) {
  float *gates = (float *)scratch;
  if (p->time_major) {
    for (int t = 0; t < p->steps; t++)
      lstm_f_step(p, p->n_batch, x + (size_t)t * p->n_batch * p->n_input, h, c,
                  y + (size_t)t * p->n_batch * p->n_output, gates);
  } else {
    for (int b = 0; b < p->n_batch; b++)
      for (int t = 0; t < p->steps; t++) {
        size_t bt = (size_t)b * p->steps + t;
        lstm_f_step(p, 1, x + bt * p->n_input, h + (size_t)b * p->n_output,
                    c + (size_t)b * p->n_cell, y + bt * p->n_output, gates);
      }
  }
}
