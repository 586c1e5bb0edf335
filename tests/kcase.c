#include "tests/kcase.h"

#include <criterion/criterion.h>
#include <string.h>

#include "tests/opmodel.h"

static int out_size(const KCase *c, int in, int k) {
  int eff = (k - 1) * c->dil + 1;
  return c->padding == SAME ? (in + c->stride - 1) / c->stride : (in - eff) / c->stride + 1;
}

/* The quantization of an integer case: x, w, y and the bias (if any), per tensor or per channel. */
static void quantize_case(const KCase *c, OmSpec *s) {
  bool u8 = c->type == TFL_UINT8, dw = c->code == DW, fc = c->code == FC;
  s->t[0].nq = s->t[2].nq = 1;
  s->t[0].scale[0] = (c->flags & POT) ? 0.5f : 0.05f, s->t[0].zp[0] = u8 ? 128 : -3;
  s->t[2].scale[0] = (c->flags & POT) ? 8.0f : 0.25f, s->t[2].zp[0] = u8 ? 100 : 5;
  if (u8 || fc) {
    s->t[1].nq = 1, s->t[1].scale[0] = (c->flags & POT) ? 0.5f : 0.02f;
    s->t[1].zp[0] = u8 ? 120 : (c->flags & FC_ZP) ? 9 : 0;
  } else {
    cr_assert_leq(c->cout, OM_MAX_Q, "%s: per-channel scales for %d channels", c->name, c->cout);
    s->t[1].nq = c->cout, s->t[1].qdim = dw ? 3 : 0;
    for (int i = 0; i < c->cout; i++)
      s->t[1].scale[i] = (c->flags & POT) ? 0.5f : 0.004f + 0.012f * (float)(i % 5) / 4.0f;
  }
  if (!(c->flags & NO_BIAS)) {
    s->t[3].nq = s->t[1].nq;
    for (int i = 0; i < s->t[1].nq; i++) s->t[3].scale[i] = s->t[0].scale[0] * s->t[1].scale[i];
  }
}

/* The operator's options: padding, strides, dilation, depth multiplier, activation. */
static void options_case(const KCase *c, OmSpec *s) {
  if (c->code == CONV) {
    om_options(s, TFL_OPTS_Conv2DOptions);
    TflConv2DOptions *o = &s->options.Conv2DOptions;
    o->padding = (int8_t)c->padding, o->stride_h = o->stride_w = c->stride;
    o->dilation_h_factor = o->dilation_w_factor = c->dil;
    o->fused_activation_function = (int8_t)c->act;
  } else if (c->code == DW) {
    om_options(s, TFL_OPTS_DepthwiseConv2DOptions);
    TflDepthwiseConv2DOptions *o = &s->options.DepthwiseConv2DOptions;
    o->padding = (int8_t)c->padding, o->stride_h = o->stride_w = c->stride;
    o->dilation_h_factor = o->dilation_w_factor = c->dil;
    o->depth_multiplier = c->cout / c->cin;
    o->fused_activation_function = (int8_t)c->act;
  } else {
    om_options(s, TFL_OPTS_FullyConnectedOptions);
    s->options.FullyConnectedOptions.fused_activation_function = (int8_t)c->act;
  }
}

void kcase_build(const KCase *c, const char *path) {
  static int8_t w8[65536];
  static int32_t b32[512];
  static float wf[65536], bf[512];
  bool u8 = c->type == TFL_UINT8, f32 = c->type == TFL_FLOAT32, fc = c->code == FC;
  OmSpec s = {.code = c->code, .version = 2, .nout = 1};
  int32_t wd[4] = {c->cout, c->kh, c->kw, c->cin};
  if (c->code == DW) wd[0] = 1, wd[3] = c->cout;
  size_t nw = fc ? (size_t)c->cout * c->cin : (size_t)wd[0] * wd[1] * wd[2] * wd[3];
  cr_assert_leq(nw, sizeof w8);
  cr_assert_leq(c->cout, 512);
  om_fill_i8(w8, nw, 7, u8 ? 0 : -127, 127);
  if (u8) for (size_t i = 0; i < nw; i++) w8[i] = (int8_t)(uint8_t)(w8[i] + 128);
  om_fill_i32(b32, (size_t)c->cout, 9, -3000, 3000);
  om_fill_f32(wf, nw, 7, -1, 1);
  om_fill_f32(bf, (size_t)c->cout, 9, -1, 1);
  OmTensor *x = &s.t[0], *wt = &s.t[1], *y = &s.t[2];
  if (fc) {
    *x = (OmTensor){.name = "x", .type = c->type, .rank = 2, .dims = {c->batch, c->cin}};
    *wt = (OmTensor){.name = "w", .type = c->type, .rank = 2, .dims = {c->cout, c->cin}};
    *y = (OmTensor){.name = "y", .type = c->type, .rank = 2, .dims = {c->batch, c->cout}};
  } else {
    *x = (OmTensor){.name = "x", .type = c->type, .rank = 4, .dims = {c->batch, c->h, c->w, c->cin}};
    *wt = (OmTensor){.name = "w", .type = c->type, .rank = 4};
    memcpy(wt->dims, wd, sizeof wd);
    *y = (OmTensor){.name = "y", .type = c->type, .rank = 4,
                    .dims = {c->batch, out_size(c, c->h, c->kh), out_size(c, c->w, c->kw), c->cout}};
  }
  wt->data = f32 ? (const void *)wf : w8, wt->size = nw * (f32 ? 4 : 1);
  s.nt = 3;
  s.in[s.nin++] = 0, s.in[s.nin++] = 1;
  if (!(c->flags & NO_BIAS)) {
    s.t[3] = (OmTensor){.name = "b", .type = f32 ? TFL_FLOAT32 : TFL_INT32, .rank = 1,
                        .dims = {c->cout}, .data = f32 ? (const void *)bf : b32,
                        .size = (size_t)c->cout * 4};
    s.in[s.nin++] = 3;
    s.nt = 4;
  }
  s.out[0] = 2;
  if (!f32) quantize_case(c, &s);
  options_case(c, &s);
  cr_assert_eq(om_write(&s, path), 0, "cannot write %s", path);
}
