/* The operator table as data, names for messages, and ir_load: the one call that takes a file's
   bytes to a checked, measured IR. */
#include "ir.h"

#include <stdio.h>
#include <string.h>

#define OPTIONS_None 0
#define OPTIONS_Any (-1)
#define OPT_TAG(opts) OPTIONS_##opts
#define OPTS(Name, tag, fields) enum { OPTIONS_##Name = tag };
#define OPTS0(Name, tag) enum { OPTIONS_##Name = tag };
#include "schema/tflite_options.def"
#undef OPTS
#undef OPTS0

/* The shape families of compiler/shape.c; `none` has no function. */
#define SHAPE_FAMILY(f) int shape_##f(Graph *g, Op *op, Err *err);
SHAPE_FAMILY(same) SHAPE_FAMILY(binary) SHAPE_FAMILY(conv) SHAPE_FAMILY(dwconv) SHAPE_FAMILY(fc)
SHAPE_FAMILY(tconv) SHAPE_FAMILY(pool) SHAPE_FAMILY(concat) SHAPE_FAMILY(reshape)
SHAPE_FAMILY(squeeze) SHAPE_FAMILY(expand_dims) SHAPE_FAMILY(pad) SHAPE_FAMILY(split)
SHAPE_FAMILY(split_v) SHAPE_FAMILY(reduce) SHAPE_FAMILY(strided_slice) SHAPE_FAMILY(transpose)
SHAPE_FAMILY(resize) SHAPE_FAMILY(argminmax) SHAPE_FAMILY(svdf) SHAPE_FAMILY(lstm)
#define shape_none NULL

const OpInfo op_info[OP_UNKNOWN + 1] = {
#define OP(NAME, code, opts, imin, imax, omin, omax, shape) \
  {#NAME, code, OPT_TAG(opts), imin, imax, omin, omax, shape_##shape},
#include "schema/ops.def"
#undef OP
  {"UNKNOWN", -1, OPTIONS_Any, -1, -1, -1, -1, NULL},
};

OpKind op_kind(int32_t code) {
  switch (code) {
#define OP(NAME, code, opts, imin, imax, omin, omax, shape) case code: return OP_##NAME;
#include "schema/ops.def"
#undef OP
  }
  return OP_UNKNOWN;
}

const char *ir_op_name(const Op *op) {
  if (op->kind == OP_CUSTOM && op->custom_code) return op->custom_code;
  if (op->fadd.on) return op->kind == OP_CONV_2D ? "CONV_2D+ADD" : "DEPTHWISE_CONV_2D+ADD";
  return op_info[op->kind].name;
}

const char *ir_tensor_label(const Tensor *t, char *buf, unsigned n) {
  if (t->name && *t->name)
    snprintf(buf, n, "tensor %u '%s'", t->index, t->name);
  else
    snprintf(buf, n, "tensor %u", t->index);
  return buf;
}

int ir_note(Model *m, const char *fmt, ...) {
  Arena *a = m->a;
  char buf[ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char *s = arena_strdup(a, buf);
  if (!s) return -1;
  /* Capacity doubles at powers of two, so a file with a note per tensor stays linear. */
  if ((m->nnotes & (m->nnotes - 1)) == 0) {
    const char **notes = arena_array(a, m->nnotes ? 2 * m->nnotes : 4, sizeof *notes);
    if (!notes) return -1;
    if (m->nnotes) memcpy(notes, m->notes, m->nnotes * sizeof *notes);
    m->notes = notes;
  }
  m->notes[m->nnotes++] = s;
  return 0;
}

int ir_load(const uint8_t *buf, size_t n, Arena *a, TflModel *src, Model *m, Err *err) {
  if (tfl_read(buf, n, a, src, err) || ir_import(src, a, m, err) || ir_verify(m, err) ||
      ir_shapes(m, err))
    return -1;
  return ir_stats(m, err);
}

int64_t ir_const_int(const Tensor *t, int64_t i) {
  if (t->type == TFL_INT64) {
    int64_t v;
    memcpy(&v, t->data + 8 * i, 8);
    return v;
  }
  int32_t v;
  memcpy(&v, t->data + 4 * i, 4);
  return v;
}
