/* An independent check of `modelc inspect --json` (docs/inspect-json.md): for every shared model,
   flatc converts the file to JSON with tests/data/tflite_subset.fbs, a schema that owes nothing to
   modelc's reader, and the two documents must agree on the model's structure: subgraphs, tensors
   (name, dtype, shape, shape_signature, buffer, variable, quantization), operators (op, inputs,
   outputs, per-kind counts), operator codes, graph inputs/outputs, signatures, buffer count and
   the schema version.

   Floats: flatc 2.0.8 prints a float as C++ `std::fixed << std::setprecision(6)` with trailing
   zeros stripped (one kept after the point), i.e. at most 6 decimals: 0.00012345 comes out as
   "0.000123". That cannot give back the float, so each float modelc prints (with %.9g, which
   does) is formatted the way flatc formats it, and the two strings must be equal. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <float.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_parse.h"
#include "util.h"

#define SCHEMA_PATH MODELC_TESTS_DIR "/data/tflite_subset.fbs"
/* Codes of the BuiltinOperator enum are below this (the largest upstream is 225). */
#define OP_CODE_LIMIT 1024

/* ---- formatting and messages ---- */

/* printf into a malloc'd string; aborts the test on failure. */
static char *format(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  cr_assert(n >= 0, "vsnprintf failed");
  char *s = malloc((size_t)n + 1);
  cr_assert(s, "out of memory");
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* Quotes a word for /bin/sh: 'it'\''s'. */
static char *shell_quote(const char *s) {
  size_t n = 3;
  for (const char *c = s; *c; c++) n += *c == '\'' ? 4 : 1;
  char *q = malloc(n), *o = q;
  cr_assert(q, "out of memory");
  *o++ = '\'';
  for (const char *c = s; *c; c++) {
    if (*c == '\'') {
      memcpy(o, "'\\''", 4);
      o += 4;
    } else {
      *o++ = *c;
    }
  }
  *o++ = '\'';
  *o = '\0';
  return q;
}

/* The text flatc 2.0.8 prints for a float: "%.6f" of the value widened to double (the digits
   libstdc++'s std::fixed with precision 6 produces), then trailing zeros stripped, keeping one
   digit after the point: 0.5 -> "0.5", 2 -> "2.0", 1e-7 -> "0.0", -0.0 -> "-0.0". */
static void flatc_float_text(float f, char *out, size_t size) {
  snprintf(out, size, "%.6f", (double)f);
  size_t len = strlen(out);
  while (len > 0 && out[len - 1] == '0') len--;
  if (len > 0 && out[len - 1] == '.') len++;
  out[len] = '\0';
}

/* The mismatches found in one model, as text for the failure message. */
typedef struct Mismatches {
  unsigned count;
  size_t len;
  char text[16384];
} Mismatches;

static void mismatch(Mismatches *m, const char *ctx, const char *fmt, ...) {
  m->count++;
  size_t room = sizeof m->text - m->len;
  if (room < 64) return;  /* the count still grows; the text says it was cut */
  int k = snprintf(m->text + m->len, room, "  %s: ", ctx);
  if (k < 0 || (size_t)k >= room) return;
  va_list ap;
  va_start(ap, fmt);
  int j = vsnprintf(m->text + m->len + (size_t)k, room - (size_t)k, fmt, ap);
  va_end(ap);
  if (j < 0) return;
  m->len += (size_t)k + (size_t)j;
  if (m->len + 1 >= sizeof m->text - 48) {
    m->len = sizeof m->text - 48;
    m->len += (size_t)snprintf(m->text + m->len, 48, "\n  ... (more mismatches cut)\n");
  } else {
    m->text[m->len++] = '\n';
    m->text[m->len] = '\0';
  }
}

/* ---- reading JSON values ---- */

/* A JSON number with an integer value (no fraction, no exponent). */
static bool as_int(const JsonNode *n, long long *out) {
  if (!n || n->type != JSON_NUMBER || strpbrk(n->text, ".eE")) return false;
  char *end;
  *out = strtoll(n->text, &end, 10);
  return *end == '\0';
}

/* A string's text, with an absent member and null read as "" (see compare_strings). */
static const char *as_text(const JsonNode *n) {
  return n && n->type == JSON_STRING ? n->text : "";
}

/* Member `member` of element i of arr (the element itself when member is NULL), as an integer. */
static bool int_at(const JsonNode *arr, size_t i, const char *member, long long *out) {
  const JsonNode *e = json_at(arr, i);
  return as_int(member ? json_get(e, member) : e, out);
}

/* A short rendering of a value for messages (lists cut after 16 elements). */
static const char *describe(const JsonNode *n, const char *member, char *buf, size_t size) {
  if (!n) return "(absent)";
  switch (n->type) {
    case JSON_NULL: return "null";
    case JSON_BOOL: return n->boolean ? "true" : "false";
    case JSON_NUMBER: return n->text;
    case JSON_STRING: snprintf(buf, size, "\"%s\"", n->text); return buf;
    case JSON_OBJECT: return "{...}";
    case JSON_ARRAY: break;
  }
  size_t len = (size_t)snprintf(buf, size, "[");
  for (size_t i = 0; i < json_len(n) && len + 24 < size; i++) {
    const JsonNode *e = member ? json_get(json_at(n, i), member) : json_at(n, i);
    const char *s = e && e->type == JSON_NUMBER ? e->text : e && e->type == JSON_STRING ? e->text
                                                                                       : "?";
    if (i == 16) {
      len += (size_t)snprintf(buf + len, size - len, ", ... %zu in all", json_len(n));
      break;
    }
    len += (size_t)snprintf(buf + len, size - len, "%s%.20s", i ? ", " : "", s);
  }
  snprintf(buf + len, size - len, "]");
  return buf;
}

/* ---- comparisons of single fields ---- */

static void compare_int(Mismatches *m, const char *ctx, const char *field, long long flatc,
                        const JsonNode *modelc) {
  long long v;
  char buf[64];
  if (!as_int(modelc, &v) || v != flatc)
    mismatch(m, ctx, "%s: flatc %lld, modelc %s", field, flatc, describe(modelc, NULL, buf, 64));
}

/* A scalar flatc printed (--defaults-json prints defaults too) against modelc's value. */
static void compare_int_field(Mismatches *m, const char *ctx, const char *field,
                              const JsonNode *flatc, const JsonNode *modelc) {
  long long v;
  char buf[64];
  if (!as_int(flatc, &v))
    mismatch(m, ctx, "%s: flatc printed %s, not an integer", field, describe(flatc, NULL, buf, 64));
  else
    compare_int(m, ctx, field, v, modelc);
}

static void compare_bool(Mismatches *m, const char *ctx, const char *field,
                         const JsonNode *flatc, const JsonNode *modelc) {
  char b1[64], b2[64];
  if (!flatc || flatc->type != JSON_BOOL || !modelc || modelc->type != JSON_BOOL ||
      flatc->boolean != modelc->boolean)
    mismatch(m, ctx, "%s: flatc %s, modelc %s", field, describe(flatc, NULL, b1, 64),
             describe(modelc, NULL, b2, 64));
}

/* A string flatc printed (a, alen bytes) against modelc's. An absent string in the file reads as
   "" (modelc's reader makes absent names ""), and modelc may print it as "" or null. */
static void compare_text(Mismatches *m, const char *ctx, const char *field, const char *a,
                         size_t alen, const JsonNode *modelc) {
  if (modelc && modelc->type == JSON_NULL && alen == 0) return;
  if (modelc && modelc->type == JSON_STRING && modelc->len == alen &&
      memcmp(modelc->text, a, alen) == 0)
    return;
  char buf[300];
  mismatch(m, ctx, "%s: flatc \"%.200s\", modelc %s", field, a, describe(modelc, NULL, buf, 300));
}

static void compare_strings(Mismatches *m, const char *ctx, const char *field,
                            const JsonNode *flatc, const JsonNode *modelc) {
  bool is_string = flatc && flatc->type == JSON_STRING;
  compare_text(m, ctx, field, is_string ? flatc->text : "", is_string ? flatc->len : 0, modelc);
}

/* Integer lists; flatc omits an absent vector, which reads as []. modelc_member, when not NULL,
   names the member of modelc's list elements that holds the integer. */
static void compare_int_lists(Mismatches *m, const char *ctx, const char *field,
                              const JsonNode *flatc, const JsonNode *modelc,
                              const char *modelc_member) {
  bool same = modelc && modelc->type == JSON_ARRAY && json_len(flatc) == json_len(modelc);
  for (size_t i = 0; same && i < json_len(flatc); i++) {
    long long a, b;
    same = int_at(flatc, i, NULL, &a) && int_at(modelc, i, modelc_member, &b) && a == b;
  }
  if (!same) {
    char b1[512], b2[512];
    mismatch(m, ctx, "%s: flatc %s, modelc %s", field,
             flatc ? describe(flatc, NULL, b1, 512) : "[] (absent)",
             describe(modelc, modelc_member, b2, 512));
  }
}

/* A float flatc printed against the number modelc printed for the same field. */
static void compare_float(Mismatches *m, const char *ctx, const char *field,
                          const JsonNode *flatc, const JsonNode *modelc) {
  char want[64], buf[64];
  if (!modelc || modelc->type != JSON_NUMBER) {
    mismatch(m, ctx, "%s: flatc %s, modelc %s", field, flatc ? flatc->text : "(absent)",
             describe(modelc, NULL, buf, 64));
    return;
  }
  flatc_float_text((float)modelc->number, want, sizeof want);
  if (!flatc || flatc->type != JSON_NUMBER || strcmp(flatc->text, want) != 0)
    mismatch(m, ctx, "%s: flatc %s, modelc %s (which flatc would print as %s)", field,
             flatc ? describe(flatc, NULL, buf, 64) : "(absent)", modelc->text, want);
}

/* ---- operator names, from the schema's BuiltinOperator enum ---- */

static char *op_names[OP_CODE_LIMIT];

/* Reads the enum's `NAME = code,` lines from the subset schema, once per process. */
static void load_op_names(void) {
  if (op_names[0]) return;
  size_t n;
  char *text = (char *)read_file(SCHEMA_PATH, &n);
  cr_assert(text, "cannot read %s", SCHEMA_PATH);
  text = realloc(text, n + 1);
  text[n] = '\0';
  const char *at = strstr(text, "enum BuiltinOperator");
  cr_assert(at, "%s has no BuiltinOperator enum", SCHEMA_PATH);
  const char *end = strchr(at, '}');
  for (at = strchr(at, '\n'); at && at < end; at = strchr(at + 1, '\n')) {
    char name[64];
    int code;
    if (sscanf(at, " %63[A-Z0-9_] = %d", name, &code) == 2 && code >= 0 && code < OP_CODE_LIMIT)
      op_names[code] = strdup(name);
  }
  free(text);
  cr_assert(op_names[0] && op_names[3] && !strcmp(op_names[3], "CONV_2D"),
            "BuiltinOperator enum of %s not understood", SCHEMA_PATH);
}

static const char *op_name(long long code) {
  return code >= 0 && code < OP_CODE_LIMIT && op_names[code] ? op_names[code] : NULL;
}

static long long op_code(const char *name) {
  for (int c = 0; c < OP_CODE_LIMIT; c++)
    if (op_names[c] && strcmp(op_names[c], name) == 0) return c;
  return -1;
}

/* builtin_code of an OperatorCode as flatc printed it: an enum name, or a number when the value
   is not in the enum (absent: the default, 0). -1 when flatc's text cannot be read. */
static long long builtin_code(const JsonNode *opcode) {
  const JsonNode *node = json_get(opcode, "builtin_code");
  long long code = 0;
  if (node && node->type == JSON_STRING) return op_code(node->text);
  if (node && !as_int(node, &code)) return -1;
  return code;
}

/* The effective builtin code: the larger of deprecated_builtin_code (files written before
   builtin_code existed have only it) and builtin_code. -1 when flatc's text cannot be read. */
static long long effective_code(const JsonNode *opcode) {
  long long dep = 0, code = builtin_code(opcode);
  const JsonNode *dep_node = json_get(opcode, "deprecated_builtin_code");
  if ((dep_node && !as_int(dep_node, &dep)) || code < 0) return -1;
  return dep > code ? dep : code;
}

/* ---- the model, piece by piece ---- */

/* The file's effective code and version of each operator code, for the operators. */
typedef struct Opcodes {
  size_t n;
  long long *code;
  const JsonNode **version;
} Opcodes;

static void compare_quantization(Mismatches *m, const char *ctx, const JsonNode *fq,
                                 const JsonNode *mq) {
  const JsonNode *scale = json_get(fq, "scale");
  if (json_len(scale) == 0) {
    if (mq) mismatch(m, ctx, "quantization: the file has no scale, modelc reports one");
    return;
  }
  if (!mq || mq->type != JSON_OBJECT) {
    mismatch(m, ctx, "quantization: the file has %zu scales, modelc reports none",
             json_len(scale));
    return;
  }
  const JsonNode *mscale = json_get(mq, "scale");
  if (json_len(mscale) != json_len(scale)) {
    mismatch(m, ctx, "quantization.scale: flatc %zu values, modelc %zu", json_len(scale),
             json_len(mscale));
  } else {
    for (size_t i = 0; i < json_len(scale); i++) {
      char field[48];
      snprintf(field, sizeof field, "quantization.scale[%zu]", i);
      compare_float(m, ctx, field, json_at(scale, i), json_at(mscale, i));
    }
  }
  compare_int_lists(m, ctx, "quantization.zero_point", json_get(fq, "zero_point"),
                    json_get(mq, "zero_point"), NULL);
  compare_int_field(m, ctx, "quantization.quantized_dimension",
                    json_get(fq, "quantized_dimension"), json_get(mq, "quantized_dimension"));
}

/* flatc prints a TensorType as its enum name ("INT8"); modelc's dtype is the lower-case name. */
static void compare_dtype(Mismatches *m, const char *ctx, const JsonNode *ft, const JsonNode *mt) {
  const JsonNode *type = json_get(ft, "type");
  char want[32] = "";
  if (type && type->type == JSON_STRING && type->len < sizeof want)
    for (size_t i = 0; i <= type->len; i++) want[i] = (char)tolower((unsigned char)type->text[i]);
  const JsonNode *dtype = json_get(mt, "dtype");
  char buf[64];
  if (!*want)
    mismatch(m, ctx, "dtype: flatc printed type %s, not a TensorType name",
             describe(type, NULL, buf, 64));
  else if (!dtype || dtype->type != JSON_STRING || strcmp(dtype->text, want) != 0)
    mismatch(m, ctx, "dtype: flatc %s (%s), modelc %s", type->text, want,
             describe(dtype, NULL, buf, 64));
}

static void compare_tensor(Mismatches *m, const char *ctx, const JsonNode *ft,
                           const JsonNode *mt) {
  compare_strings(m, ctx, "name", json_get(ft, "name"), json_get(mt, "name"));
  compare_dtype(m, ctx, ft, mt);
  compare_int_lists(m, ctx, "shape", json_get(ft, "shape"), json_get(mt, "shape"), NULL);
  const JsonNode *fsig = json_get(ft, "shape_signature"), *msig = json_get(mt, "shape_signature");
  if (!fsig != !msig)
    mismatch(m, ctx, "shape_signature: %s in the file, %s by modelc", fsig ? "present" : "absent",
             msig ? "reported" : "not reported");
  else if (fsig)
    compare_int_lists(m, ctx, "shape_signature", fsig, msig, NULL);
  compare_int_field(m, ctx, "buffer", json_get(ft, "buffer"), json_get(mt, "buffer"));
  compare_bool(m, ctx, "is_variable/variable", json_get(ft, "is_variable"),
               json_get(mt, "variable"));
  compare_quantization(m, ctx, json_get(ft, "quantization"), json_get(mt, "quantization"));
}

static void compare_operator(Mismatches *m, const char *ctx, const Opcodes *codes,
                             const JsonNode *fo, const JsonNode *mo) {
  long long index;
  if (!as_int(json_get(fo, "opcode_index"), &index) || index < 0 || (size_t)index >= codes->n) {
    mismatch(m, ctx, "flatc's opcode_index is not one of the %zu operator codes", codes->n);
    return;
  }
  compare_int(m, ctx, "opcode_index", index, json_get(mo, "opcode_index"));
  const char *name = op_name(codes->code[index]);
  if (!name) name = "(code not in the schema's BuiltinOperator)";
  compare_text(m, ctx, "op", name, strlen(name), json_get(mo, "op"));
  compare_int_field(m, ctx, "version", codes->version[index], json_get(mo, "version"));
  compare_int_lists(m, ctx, "inputs", json_get(fo, "inputs"), json_get(mo, "inputs"), NULL);
  compare_int_lists(m, ctx, "outputs", json_get(fo, "outputs"), json_get(mo, "outputs"), NULL);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many operators of each kind, from flatc's opcodes and from modelc's "op" strings. Implied by
   the per-operator check, but reported on its own so a summary mismatch reads at a glance. */
static void compare_op_counts(Mismatches *m, const char *ctx, const Opcodes *codes,
                              const JsonNode *fops, const JsonNode *mops) {
  size_t nf = json_len(fops), nm = json_len(mops);
  const char **a = calloc(nf + 1, sizeof *a), **b = calloc(nm + 1, sizeof *b);
  cr_assert(a && b, "out of memory");
  for (size_t i = 0; i < nf; i++) {
    long long idx;
    const char *name = NULL;
    if (as_int(json_get(json_at(fops, i), "opcode_index"), &idx) && idx >= 0 &&
        (size_t)idx < codes->n)
      name = op_name(codes->code[idx]);
    a[i] = name ? name : "?";
  }
  for (size_t i = 0; i < nm; i++) b[i] = as_text(json_get(json_at(mops, i), "op"));
  qsort(a, nf, sizeof *a, compare_names);
  qsort(b, nm, sizeof *b, compare_names);
  for (size_t i = 0, j = 0; i < nf || j < nm;) {
    /* The next kind in sorted order, and how many of it each side has. */
    const char *kind = j >= nm || (i < nf && strcmp(a[i], b[j]) <= 0) ? a[i] : b[j];
    size_t ca = 0, cb = 0;
    while (i < nf && strcmp(a[i], kind) == 0) i++, ca++;
    while (j < nm && strcmp(b[j], kind) == 0) j++, cb++;
    if (ca != cb) mismatch(m, ctx, "count of %s operators: flatc %zu, modelc %zu", kind, ca, cb);
  }
  free(a);
  free(b);
}

/* A graph input or output as modelc lists it ({"tensor", "name", "dtype", "shape", and "scale"
   and "zero_point" for a quantized tensor}) against the file's tensor. The scalar scale and
   zero point are compared only where the file has one scale: the document does not say what
   they are for per-channel quantization. */
static void compare_graph_io(Mismatches *m, const char *ctx, const JsonNode *ft,
                             const JsonNode *io) {
  compare_strings(m, ctx, "name", json_get(ft, "name"), json_get(io, "name"));
  compare_dtype(m, ctx, ft, io);
  compare_int_lists(m, ctx, "shape", json_get(ft, "shape"), json_get(io, "shape"), NULL);
  const JsonNode *q = json_get(ft, "quantization");
  if (json_len(json_get(q, "scale")) != 1) return;
  compare_float(m, ctx, "scale", json_at(json_get(q, "scale"), 0), json_get(io, "scale"));
  compare_int_field(m, ctx, "zero_point", json_at(json_get(q, "zero_point"), 0),
                    json_get(io, "zero_point"));
}

/* The subgraph's inputs (or outputs): tensor indices in the file, objects in modelc's list. */
static void compare_graph_ios(Mismatches *m, size_t s, const char *what, const JsonNode *fs,
                              const JsonNode *ms) {
  char ctx[300];
  snprintf(ctx, sizeof ctx, "subgraph %zu", s);
  const JsonNode *fl = json_get(fs, what), *ml = json_get(ms, what);
  compare_int_lists(m, ctx, what, fl, ml, "tensor");
  for (size_t i = 0; i < json_len(fl) && i < json_len(ml); i++) {
    long long t;
    const JsonNode *ft = as_int(json_at(fl, i), &t) && t >= 0
                             ? json_at(json_get(fs, "tensors"), (size_t)t) : NULL;
    if (!ft) continue;  /* an index out of range: modelc's reader rejects the file */
    snprintf(ctx, sizeof ctx, "subgraph %zu %s[%zu] (tensor %lld)", s, what, i, t);
    compare_graph_io(m, ctx, ft, json_at(ml, i));
  }
}

static void compare_subgraph(Mismatches *m, size_t s, const Opcodes *codes, const JsonNode *fs,
                             const JsonNode *ms) {
  char ctx[300];
  snprintf(ctx, sizeof ctx, "subgraph %zu", s);
  compare_strings(m, ctx, "name", json_get(fs, "name"), json_get(ms, "name"));
  compare_graph_ios(m, s, "inputs", fs, ms);
  compare_graph_ios(m, s, "outputs", fs, ms);
  const JsonNode *ft = json_get(fs, "tensors"), *mt = json_get(ms, "tensors");
  const JsonNode *fo = json_get(fs, "operators"), *mo = json_get(ms, "operators");
  const JsonNode *totals = json_get(ms, "totals");
  compare_int(m, ctx, "totals.tensors", (long long)json_len(ft), json_get(totals, "tensors"));
  compare_int(m, ctx, "totals.operators", (long long)json_len(fo), json_get(totals, "operators"));
  if (json_len(ft) != json_len(mt))
    mismatch(m, ctx, "tensor count: flatc %zu, modelc %zu", json_len(ft), json_len(mt));
  for (size_t i = 0; i < json_len(ft) && i < json_len(mt); i++) {
    const JsonNode *t = json_at(ft, i);
    snprintf(ctx, sizeof ctx, "subgraph %zu tensor %zu '%.200s'", s, i,
             as_text(json_get(t, "name")));
    compare_tensor(m, ctx, t, json_at(mt, i));
  }
  snprintf(ctx, sizeof ctx, "subgraph %zu", s);
  if (json_len(fo) != json_len(mo))
    mismatch(m, ctx, "operator count: flatc %zu, modelc %zu", json_len(fo), json_len(mo));
  compare_op_counts(m, ctx, codes, fo, mo);
  for (size_t i = 0; i < json_len(fo) && i < json_len(mo); i++) {
    snprintf(ctx, sizeof ctx, "subgraph %zu operator %zu", s, i);
    compare_operator(m, ctx, codes, json_at(fo, i), json_at(mo, i));
  }
}

/* Operator codes: reads each one's effective code (kept in codes) and compares the entries. */
static void compare_opcodes(Mismatches *m, const JsonNode *fc, const JsonNode *mc, Opcodes *codes) {
  codes->n = json_len(fc);
  codes->code = calloc(codes->n + 1, sizeof *codes->code);
  codes->version = calloc(codes->n + 1, sizeof *codes->version);
  cr_assert(codes->code && codes->version, "out of memory");
  if (json_len(fc) != json_len(mc))
    mismatch(m, "model", "operator code count: flatc %zu, modelc %zu", json_len(fc), json_len(mc));
  for (size_t i = 0; i < codes->n; i++) {
    const JsonNode *f = json_at(fc, i), *o = json_at(mc, i);
    char ctx[64];
    snprintf(ctx, sizeof ctx, "operator code %zu", i);
    codes->code[i] = effective_code(f);
    codes->version[i] = json_get(f, "version");
    if (!o) continue;
    const char *name = op_name(codes->code[i]);
    if (!name || strcmp(as_text(json_get(o, "op")), name) != 0)
      mismatch(m, ctx, "op: flatc %s (code %lld), modelc \"%s\"", name ? name : "?",
               codes->code[i], as_text(json_get(o, "op")));
    compare_int(m, ctx, "builtin_code", builtin_code(f), json_get(o, "builtin_code"));
    compare_int_field(m, ctx, "deprecated_builtin_code", json_get(f, "deprecated_builtin_code"),
                      json_get(o, "deprecated_builtin_code"));
    compare_int_field(m, ctx, "version", codes->version[i], json_get(o, "version"));
    compare_strings(m, ctx, "custom_code", json_get(f, "custom_code"), json_get(o, "custom_code"));
  }
}

static void compare_tensor_maps(Mismatches *m, const char *ctx, const char *what,
                                const JsonNode *fl, const JsonNode *ml) {
  if (json_len(fl) != json_len(ml)) {
    mismatch(m, ctx, "%s count: flatc %zu, modelc %zu", what, json_len(fl), json_len(ml));
    return;
  }
  for (size_t i = 0; i < json_len(fl); i++) {
    char field[64];
    snprintf(field, sizeof field, "%s[%zu].name", what, i);
    compare_strings(m, ctx, field, json_get(json_at(fl, i), "name"),
                    json_get(json_at(ml, i), "name"));
    snprintf(field, sizeof field, "%s[%zu].tensor", what, i);
    compare_int_field(m, ctx, field, json_get(json_at(fl, i), "tensor_index"),
                      json_get(json_at(ml, i), "tensor"));
  }
}

static void compare_signatures(Mismatches *m, const JsonNode *fsig, const JsonNode *msig) {
  if (json_len(fsig) != json_len(msig))
    mismatch(m, "model", "signature count: flatc %zu, modelc %zu", json_len(fsig),
             json_len(msig));
  for (size_t i = 0; i < json_len(fsig) && i < json_len(msig); i++) {
    const JsonNode *f = json_at(fsig, i), *o = json_at(msig, i);
    char ctx[64];
    snprintf(ctx, sizeof ctx, "signature %zu", i);
    compare_strings(m, ctx, "key", json_get(f, "signature_key"), json_get(o, "key"));
    compare_int_field(m, ctx, "subgraph", json_get(f, "subgraph_index"), json_get(o, "subgraph"));
    compare_tensor_maps(m, ctx, "inputs", json_get(f, "inputs"), json_get(o, "inputs"));
    compare_tensor_maps(m, ctx, "outputs", json_get(f, "outputs"), json_get(o, "outputs"));
  }
}

/* Compares flatc's document of a model with modelc's; the findings go to m. */
static void compare_model(Mismatches *m, const JsonNode *flatc, const JsonNode *modelc) {
  load_op_names();
  compare_int_field(m, "model", "version", json_get(flatc, "version"),
                    json_get(modelc, "version"));
  compare_strings(m, "model", "description", json_get(flatc, "description"),
                  json_get(modelc, "description"));
  compare_int(m, "model", "buffers", (long long)json_len(json_get(flatc, "buffers")),
              json_get(modelc, "buffers"));
  Opcodes codes;
  compare_opcodes(m, json_get(flatc, "operator_codes"), json_get(modelc, "operator_codes"),
                  &codes);
  const JsonNode *fs = json_get(flatc, "subgraphs"), *ms = json_get(modelc, "subgraphs");
  if (json_len(fs) != json_len(ms))
    mismatch(m, "model", "subgraph count: flatc %zu, modelc %zu", json_len(fs), json_len(ms));
  for (size_t s = 0; s < json_len(fs) && s < json_len(ms); s++)
    compare_subgraph(m, s, &codes, json_at(fs, s), json_at(ms, s));
  compare_signatures(m, json_get(flatc, "signature_defs"), json_get(modelc, "signatures"));
  free(codes.code);
  free(codes.version);
}

/* ---- running the tools ---- */

static const char *temp_root(void) {
  const char *t = getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

/* Parses a whole file or buffer, with a message on failure. */
static JsonNode *parse_or_explain(const char *text, size_t n, const char *what, char *err,
                                  size_t errsize) {
  char why[256];
  JsonNode *root = json_parse(text, n, why, sizeof why);
  if (!root) snprintf(err, errsize, "%s is not valid JSON: %s", what, why);
  return root;
}

/* The file name flatc gives its output: the input's name without directory and extension. */
static char *flatc_output_path(const char *dir, const char *model) {
  const char *base = strrchr(model, '/');
  base = base ? base + 1 : model;
  const char *dot = strrchr(base, '.');
  int len = dot ? (int)(dot - base) : (int)strlen(base);
  return format("%s/%.*s.json", dir, len, base);
}

/* Runs flatc on a model with the given schema and parses its JSON; NULL with err on failure. */
static JsonNode *flatc_json_with(const char *schema, const char *model, char *err,
                                 size_t errsize) {
  char *dir = format("%s/modelc-flatc-XXXXXX", temp_root());
  cr_assert(mkdtemp(dir), "mkdtemp %s failed", dir);
  char *qflatc = shell_quote(FLATC_BIN), *qdir = shell_quote(dir), *qschema = shell_quote(schema),
       *qmodel = shell_quote(model);
  char *cmd = format("%s --json --strict-json --defaults-json --raw-binary -o %s %s -- %s "
                     "2>%s/stderr",
                     qflatc, qdir, qschema, qmodel, qdir);
  int rc = system(cmd);
  char *out = flatc_output_path(dir, model), *log = format("%s/stderr", dir);
  size_t n = 0;
  char *text = rc == 0 ? (char *)read_file(out, &n) : NULL;
  JsonNode *root = NULL;
  if (text) {
    root = parse_or_explain(text, n, "flatc's output", err, errsize);
  } else {
    size_t ln;
    char *msg = (char *)read_file(log, &ln);
    snprintf(err, errsize, "flatc failed (status %d): %.*s", rc, msg ? (int)ln : 0,
             msg ? msg : "");
    free(msg);
  }
  free(text);
  unlink(out);
  unlink(log);
  rmdir(dir);
  free(out), free(log), free(cmd), free(qflatc), free(qdir), free(qschema), free(qmodel), free(dir);
  return root;
}

static JsonNode *flatc_json(const char *model, char *err, size_t errsize) {
  return flatc_json_with(SCHEMA_PATH, model, err, errsize);
}

/* Reads all of a stream into a malloc'd buffer. */
static char *read_stream(FILE *f, size_t *n) {
  size_t cap = 1 << 16, len = 0, got;
  char *buf = malloc(cap);
  cr_assert(buf, "out of memory");
  while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      buf = realloc(buf, cap *= 2);
      cr_assert(buf, "out of memory");
    }
  }
  *n = len;
  return buf;
}

/* Runs `modelc inspect --json MODEL` and parses its standard output; NULL with err on failure. */
static JsonNode *modelc_json(const char *model, char *err, size_t errsize) {
  char *qbin = shell_quote(modelc_bin()), *qmodel = shell_quote(model);
  char *cmd = format("%s inspect --json %s", qbin, qmodel);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "popen %s failed", cmd);
  size_t n;
  char *text = read_stream(p, &n);
  int status = pclose(p);
  JsonNode *root = NULL;
  if (status != 0)
    snprintf(err, errsize, "`%s` failed (%s %d)", cmd,
             WIFEXITED(status) ? "exit status" : "wait status",
             WIFEXITED(status) ? WEXITSTATUS(status) : status);
  else
    root = parse_or_explain(text, n, "modelc's output", err, errsize);
  free(text), free(cmd), free(qbin), free(qmodel);
  return root;
}

/* A missing flatc fails the test under CI (as missing shared data does, see tests/util.c) so CI
   cannot pass by skipping; locally the test skips. */
static bool flatc_present(void) {
  if (access(FLATC_BIN, X_OK) == 0) return true;
  if (getenv("CI")) cr_assert_fail("flatc (%s) is missing; CI is set: this is a failure", FLATC_BIN);
  return false;
}

/* Shared data, flatc and modelc: skips (or fails, see above) without the first two; modelc is
   built before the tests, so its absence is a failure. */
static void require_models_and_tools(void) {
  if (!shared_dir()) cr_skip_test("shared data not found");
  if (!flatc_present()) cr_skip_test("flatc (%s) not found", FLATC_BIN);
  cr_assert(access(modelc_bin(), X_OK) == 0, "modelc binary %s missing", modelc_bin());
}

/* Both documents of a model; false with err when a tool fails. */
static bool both_documents(const char *model, JsonNode **flatc, JsonNode **modelc, char *err,
                           size_t errsize) {
  *flatc = flatc_json(model, err, errsize);
  *modelc = *flatc ? modelc_json(model, err, errsize) : NULL;
  if (*modelc) return true;
  json_free(*flatc);
  *flatc = NULL;
  return false;
}

/* ---- tests ---- */

/* shared_models' list is the caller's to free: freed so leak checkers stay quiet. */
static void free_models(char **models, size_t n) {
  for (size_t i = 0; i < n; i++) free(models[i]);
  free(models);
}

Test(flatc, inspect_json_matches_flatc_on_every_model, .timeout = 600) {
  require_models_and_tools();
  size_t n;
  char **models = shared_models(&n);
  cr_assert_gt(n, 0, "no models under %s", shared_dir());
  unsigned bad = 0;
  for (size_t i = 0; i < n; i++) {
    static Mismatches m;
    JsonNode *flatc, *modelc;
    char err[1024];
    memset(&m, 0, sizeof m);
    if (both_documents(models[i], &flatc, &modelc, err, sizeof err))
      compare_model(&m, flatc, modelc);
    else
      mismatch(&m, "tools", "%s", err);
    json_free(flatc);
    json_free(modelc);
    cr_expect_eq(m.count, 0, "%s: %u mismatches between flatc and modelc inspect --json:\n%s",
                 models[i], m.count, m.text);
    bad += m.count != 0;
  }
  free_models(models, n);
  cr_assert_eq(bad, 0, "%u of %zu models differ", bad, n);
}

/* ---- scales to the bit ---- */

/* Writes into dir a copy of the subset schema whose QuantizationParameters.scale is [uint]: flatc
   then prints each scale's IEEE-754 bits, which the 6-decimal text cannot give. Returns its
   malloc'd path. */
static char *write_bits_schema(const char *dir) {
  size_t n;
  char *text = (char *)read_file(SCHEMA_PATH, &n);
  cr_assert(text, "cannot read %s", SCHEMA_PATH);
  static const char from[] = "  scale:[float];\n", to[] = "  scale:[uint]; \n";
  char *at = NULL;
  for (size_t i = 0; i + sizeof from - 1 <= n; i++)
    if (memcmp(text + i, from, sizeof from - 1) == 0) {
      cr_assert_null(at, "%s declares scale:[float] twice", SCHEMA_PATH);
      at = text + i;
    }
  cr_assert(at, "%s has no scale:[float] field", SCHEMA_PATH);
  memcpy(at, to, sizeof to - 1);  /* same length: the rest of the file stays in place */
  char *path = format("%s/tflite_subset_bits.fbs", dir);
  FILE *f = fopen(path, "wb");
  cr_assert(f && fwrite(text, 1, n, f) == n && fclose(f) == 0, "cannot write %s", path);
  free(text);
  return path;
}

static void compare_scale_bits_of_tensor(Mismatches *m, const char *ctx, const JsonNode *bits,
                                         const JsonNode *mscale) {
  for (size_t i = 0; i < json_len(bits) && i < json_len(mscale); i++) {
    long long want;
    const JsonNode *v = json_at(mscale, i);
    if (!as_int(json_at(bits, i), &want) || !v || v->type != JSON_NUMBER) continue;
    float f = (float)v->number, wf;
    uint32_t got, w = (uint32_t)want;
    memcpy(&got, &f, sizeof got);
    memcpy(&wf, &w, sizeof wf);
    if (got != w)
      mismatch(m, ctx, "quantization.scale[%zu]: the file holds 0x%08x (%.9g), modelc printed %s "
               "(0x%08x)", i, (unsigned)w, (double)wf, v->text, (unsigned)got);
  }
}

/* Every scale modelc prints, against the bits flatc read from the file. Counts and presence
   are compare_model's business; this looks only at values. */
static void compare_scale_bits(Mismatches *m, const JsonNode *bits, const JsonNode *modelc) {
  const JsonNode *fs = json_get(bits, "subgraphs"), *ms = json_get(modelc, "subgraphs");
  for (size_t s = 0; s < json_len(fs) && s < json_len(ms); s++) {
    const JsonNode *ft = json_get(json_at(fs, s), "tensors");
    const JsonNode *mt = json_get(json_at(ms, s), "tensors");
    for (size_t i = 0; i < json_len(ft) && i < json_len(mt); i++) {
      char ctx[300];
      const JsonNode *t = json_at(ft, i);
      snprintf(ctx, sizeof ctx, "subgraph %zu tensor %zu '%.200s'", s, i,
               as_text(json_get(t, "name")));
      compare_scale_bits_of_tensor(m, ctx, json_get(json_get(t, "quantization"), "scale"),
                                   json_get(json_get(json_at(mt, i), "quantization"), "scale"));
    }
  }
}

/* The 6-decimal comparison above lets a scale of 0.0000994 differ from the file's in its third
   significant digit unseen; this one compares every scale's bits. */
Test(flatc, scales_match_the_file_bit_for_bit, .timeout = 600) {
  require_models_and_tools();
  char *dir = format("%s/modelc-bits-XXXXXX", temp_root());
  cr_assert(mkdtemp(dir), "mkdtemp %s failed", dir);
  char *schema = write_bits_schema(dir);
  size_t n;
  char **models = shared_models(&n);
  unsigned bad = 0;
  for (size_t i = 0; i < n; i++) {
    static Mismatches m;
    char err[1024];
    memset(&m, 0, sizeof m);
    JsonNode *bits = flatc_json_with(schema, models[i], err, sizeof err);
    JsonNode *modelc = bits ? modelc_json(models[i], err, sizeof err) : NULL;
    if (modelc)
      compare_scale_bits(&m, bits, modelc);
    else
      mismatch(&m, "tools", "%s", err);
    json_free(bits);
    json_free(modelc);
    cr_expect_eq(m.count, 0, "%s: %u scales differ:\n%s", models[i], m.count, m.text);
    bad += m.count != 0;
  }
  free_models(models, n);
  unlink(schema);
  rmdir(dir);
  free(schema);
  free(dir);
  cr_assert_eq(bad, 0, "%u of %zu models differ", bad, n);
}

/* The first tensor of a flatc document with a non-empty scale list, or NULL. */
static JsonNode *first_quantized_tensor(const JsonNode *flatc) {
  const JsonNode *sgs = json_get(flatc, "subgraphs");
  for (size_t s = 0; s < json_len(sgs); s++) {
    const JsonNode *ts = json_get(json_at(sgs, s), "tensors");
    for (size_t i = 0; i < json_len(ts); i++)
      if (json_len(json_get(json_get(json_at(ts, i), "quantization"), "scale")))
        return json_at(ts, i);
  }
  return NULL;
}

/* A model of the shared set with at least one quantized tensor, with both documents; the
   returned path is malloc'd. */
static char *quantized_model(JsonNode **flatc, JsonNode **modelc) {
  size_t n;
  char **models = shared_models(&n);
  char err[1024], *found = NULL;
  for (size_t i = 0; i < n && !found; i++) {
    if (!both_documents(models[i], flatc, modelc, err, sizeof err)) continue;
    if (first_quantized_tensor(*flatc)) {
      found = strdup(models[i]);
    } else {
      json_free(*flatc);
      json_free(*modelc);
    }
  }
  free_models(models, n);
  cr_assert(found, "no shared model has a quantized tensor that both tools read");
  return found;
}

static void replace_text(JsonNode *node, const char *text) {
  free(node->text);
  node->text = strdup(text);
  node->len = strlen(text);
  node->number = strtod(text, NULL);
}

static unsigned count_mismatches(const JsonNode *flatc, const JsonNode *modelc, Mismatches *m) {
  memset(m, 0, sizeof *m);
  compare_model(m, flatc, modelc);
  return m->count;
}

/* The comparison must be able to fail: edits of flatc's document must each be reported. */
Test(flatc, comparison_reports_edited_fields, .timeout = 300) {
  require_models_and_tools();
  JsonNode *flatc, *modelc;
  char *model = quantized_model(&flatc, &modelc);
  static Mismatches m;
  unsigned base = count_mismatches(flatc, modelc, &m);

  JsonNode *tensor = first_quantized_tensor(flatc);
  JsonNode *scale = json_at(json_get(json_get(tensor, "quantization"), "scale"), 0);
  char *saved = strdup(scale->text);
  /* A value no scale of a real model has, and far from this one at 6 decimals. */
  replace_text(scale, strcmp(saved, "12345.5") ? "12345.5" : "0.25");
  cr_expect_gt(count_mismatches(flatc, modelc, &m), base, "%s: an edited scale went unseen", model);
  cr_expect(strstr(m.text, "quantization.scale[0]"), "%s: no scale mismatch reported:\n%s", model,
            m.text);
  replace_text(scale, saved);
  free(saved);
  cr_expect_eq(count_mismatches(flatc, modelc, &m), base, "%s: undoing the edit", model);

  JsonNode *type = json_get(tensor, "type");
  saved = strdup(type->text);
  replace_text(type, strcmp(saved, "INT16") ? "INT16" : "INT8");
  cr_expect_gt(count_mismatches(flatc, modelc, &m), base, "%s: an edited type went unseen", model);
  replace_text(type, saved);
  free(saved);

  JsonNode *dim = json_at(json_get(tensor, "shape"), 0);
  cr_assert(dim, "%s: quantized tensor without shape", model);
  saved = strdup(dim->text);
  replace_text(dim, "77777");
  cr_expect_gt(count_mismatches(flatc, modelc, &m), base, "%s: an edited shape went unseen", model);
  replace_text(dim, saved);
  free(saved);
  json_free(flatc);
  json_free(modelc);
  free(model);
}

/* flatc_float_text must format floats exactly as flatc does: a model written by flatc from JSON
   (floats given with 9 significant digits, so each names one float exactly) is printed back by
   flatc, and each value must read as flatc_float_text says. */
Test(flatc, float_text_matches_flatc) {
  if (!flatc_present()) cr_skip_test("flatc (%s) not found", FLATC_BIN);
  static const float values[] = {
      0.5f, 2.0f, 1e-7f, 5e-7f, 1.5e-6f, 2.5e-6f, 3.94e-5f, 0.00390625f, 0.1f, 1.0f / 3,
      -0.0f, -12.632198f, 123456.789f, 1e20f, FLT_MAX, FLT_MIN, 0.0000995f, 0.9999995f,
      0.0015771f, 7.4505806e-9f, 16777217.0f, -3.4028235e38f};
  size_t n = sizeof values / sizeof values[0];
  char *dir = format("%s/modelc-float-XXXXXX", temp_root());
  cr_assert(mkdtemp(dir));
  char *json = format("%s/floats.json", dir), *bin = format("%s/floats.bin", dir);
  FILE *f = fopen(json, "w");
  cr_assert(f);
  fprintf(f, "{\"version\": 3, \"subgraphs\": [{\"tensors\": [{\"quantization\": {\"scale\": [");
  for (size_t i = 0; i < n; i++) {
    /* flatc reads "-0" as an integer, losing the sign: keep every value a JSON float. */
    char text[32];
    snprintf(text, sizeof text, "%.9g", (double)values[i]);
    fprintf(f, "%s%s%s", i ? ", " : "", text, strpbrk(text, ".e") ? "" : ".0");
  }
  fprintf(f, "]}}]}]}\n");
  fclose(f);
  char *cmd = format("cd '%s' && '%s' -b '%s' floats.json && mv floats.tflite floats.bin", dir,
                     FLATC_BIN, SCHEMA_PATH);
  cr_assert_eq(system(cmd), 0, "%s failed", cmd);
  char err[512];
  JsonNode *root = flatc_json(bin, err, sizeof err);
  cr_assert(root, "%s", err);
  const JsonNode *scale = json_get(json_get(json_at(json_get(json_at(json_get(root, "subgraphs"),
                                                                     0), "tensors"), 0),
                                            "quantization"), "scale");
  cr_assert_eq(json_len(scale), n);
  for (size_t i = 0; i < n; i++) {
    char want[64];
    flatc_float_text(values[i], want, sizeof want);
    cr_expect_str_eq(json_at(scale, i)->text, want, "%.9g", (double)values[i]);
  }
  json_free(root);
  unlink(json), unlink(bin), rmdir(dir);
  free(cmd), free(json), free(bin), free(dir);
}

/* ---- the JSON parser ---- */

Test(json_parse, values_and_lookups) {
  const char *doc = " {\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\n\\u00e9\\ud83d\\ude00\","
                    " \"o\": {}, \"e\": [], \"a\": 0} ";
  char err[128];
  JsonNode *root = json_parse(doc, strlen(doc), err, sizeof err);
  cr_assert(root, "%s", err);
  const JsonNode *a = json_get(root, "a");
  cr_assert_eq(json_len(a), 5);
  cr_expect_str_eq(json_at(a, 1)->text, "-2.5e3");
  cr_expect_eq(json_at(a, 1)->number, -2500.0);
  cr_expect(json_at(a, 2)->type == JSON_BOOL && json_at(a, 2)->boolean);
  cr_expect(json_at(a, 3)->type == JSON_BOOL && !json_at(a, 3)->boolean);
  cr_expect_eq(json_at(a, 4)->type, JSON_NULL);
  cr_expect_null(json_at(a, 5));
  cr_expect_str_eq(json_get(root, "s")->text, "x\n\xc3\xa9\xf0\x9f\x98\x80");
  cr_expect_eq(json_len(json_get(root, "o")), 0);
  cr_expect_eq(json_get(root, "e")->type, JSON_ARRAY);
  cr_expect_null(json_get(root, "missing"));
  cr_expect_null(json_get(a, "a"));
  json_free(root);
}

Test(json_parse, keeps_nul_in_strings) {
  const char *doc = "\"a\\u0000b\"";
  JsonNode *root = json_parse(doc, strlen(doc), NULL, 0);
  cr_assert(root);
  cr_expect_eq(root->len, 3);
  cr_expect(memcmp(root->text, "a\0b", 3) == 0);
  json_free(root);
}

Test(json_parse, rejects_malformed_documents) {
  static const char *bad[] = {"", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "[01]", "[1.]", "[.5]",
                              "[1e]", "\"a", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "tru",
                              "[1] 2", "{1:2}", "[\"a\tb\"]", "nan", "[-]", "{\"a\":}"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char err[128];
    JsonNode *root = json_parse(bad[i], strlen(bad[i]), err, sizeof err);
    cr_expect_null(root, "accepted %s", bad[i]);
    cr_expect(err[0], "no message for %s", bad[i]);
    json_free(root);
  }
}

Test(json_parse, bounds_nesting_depth) {
  char doc[2 * (JSON_MAX_DEPTH + 1) + 1];
  for (int depth = JSON_MAX_DEPTH; depth <= JSON_MAX_DEPTH + 1; depth++) {
    memset(doc, '[', (size_t)depth);
    memset(doc + depth, ']', (size_t)depth);
    doc[2 * depth] = '\0';
    JsonNode *root = json_parse(doc, strlen(doc), NULL, 0);
    if (depth == JSON_MAX_DEPTH)
      cr_expect(root, "%d levels refused", depth);
    else
      cr_expect_null(root, "%d levels accepted", depth);
    json_free(root);
  }
}
