/* Helpers shared by the operator emitters: text buffers, kernel instantiation, operands and
   constant arrays. */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

#include "codegen/kernel_src.h"

void text_put(Text *t, const char *s, size_t n) {
  if (t->oom) return;
  if (t->n + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->n + n + 1) cap *= 2;
    char *p = realloc(t->p, cap);
    if (!p) {
      t->oom = true;
      return;
    }
    t->p = p, t->cap = cap;
  }
  memcpy(t->p + t->n, s, n);
  t->n += n;
  t->p[t->n] = 0;
}

static void text_vprintf(Text *t, const char *fmt, va_list ap) {
  char buf[1024];
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  if (n < 0) {
    t->oom = true;
  } else if ((size_t)n < sizeof buf) {
    text_put(t, buf, (size_t)n);
  } else {
    char *big = malloc((size_t)n + 1);
    if (!big) t->oom = true;
    else {
      vsnprintf(big, (size_t)n + 1, fmt, ap2);
      text_put(t, big, (size_t)n);
      free(big);
    }
  }
  va_end(ap2);
}

void text_printf(Text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  text_vprintf(t, fmt, ap);
  va_end(ap);
}

void ef(Emit *e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  text_vprintf(&e->layers, fmt, ap);
  va_end(ap);
}

/* Below this much work (AVX2 convolution multiply-accumulates, about 1 us) a layer runs on one
   thread: the other threads' cache misses on its input cost more than the half it would save.
   (The barrier that ends a split layer costs no more than the one after an unsplit layer.)
   Measured on vww_96_int8 with 2 threads: 50,000 rather than 200,000 is 3-8% faster. */
enum { PARALLEL_MIN_WORK = 50000 };

bool emit_splits(Emit *e, int64_t units, int64_t work) {
  if (units < 2 || (!e->split && work < PARALLEL_MIN_WORK)) return false;
  return e->split = true;
}

void emit_once(Emit *e, const char *clauses) {
  if (e->split) ef(e, "  MC_OMP(omp single%s%s)\n", clauses ? " " : "", clauses ? clauses : "");
}

void emit_parallel(Emit *e, int64_t units, int64_t work, const char *call, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, call);
  vsnprintf(buf, sizeof buf, call, ap);
  va_end(ap);
  if (!emit_splits(e, units, work)) {
    emit_once(e, NULL);
    ef(e, "  {\n    const int t_ = 0, n_ = 1;\n    %s;\n  }\n", buf);
    return;
  }
  ef(e, "  {\n    const int n_ = mc_nparts(%lld);\n"
        "    for (int t_ = mc_team_rank(); t_ < n_; t_ += mc_team_size()) %s;\n"
        "    mc_team_wait(team);\n  }\n", (long long)units, buf);
}

const char *emit_ctype(int type) {
  switch (type) {
  case TFL_FLOAT32: return "float";
  case TFL_INT8: return "int8_t";
  case TFL_UINT8: return "uint8_t";
  case TFL_INT16: return "int16_t";
  case TFL_INT32: return "int32_t";
  case TFL_INT64: return "int64_t";
  case TFL_BOOL: return "uint8_t";
  case TFL_UINT16: return "uint16_t";
  case TFL_UINT32: return "uint32_t";
  default: return NULL;
  }
}

const char *emit_tsuffix(int type) {
  switch (type) {
  case TFL_FLOAT32: return "f32";
  case TFL_INT8: return "s8";
  case TFL_UINT8: return "u8";
  case TFL_INT16: return "s16";
  case TFL_INT32: return "s32";
  case TFL_INT64: return "s64";
  case TFL_BOOL: return "b8";
  default: return "x";
  }
}

const char *emit_find_kernel(const char *target, const char *file) {
  for (const KernelSrc *k = kernel_srcs; k->name; k++) {
    const char *slash = strchr(k->name, '/');
    if (slash && (size_t)(slash - k->name) == strlen(target) &&
        strncmp(k->name, target, strlen(target)) == 0 && strcmp(slash + 1, file) == 0)
      return k->text;
  }
  return NULL;
}

const char *emit_target_kernel(const char *target, const char *file) {
  const char *src = emit_find_kernel(target, file);
  if (!src && strcmp(target, "x86-64-avx512") == 0) src = emit_find_kernel("x86-64-avx2", file);
  return src ? src : emit_find_kernel("generic", file);
}

bool emit_x86(const Emit *e) {
  return strcmp(e->o.target, "x86-64-avx2") == 0 || emit_vnni(e);
}

bool emit_vnni(const Emit *e) { return strcmp(e->o.target, "x86-64-avx512") == 0; }

int text_template(Text *out, const char *src, const char *inst, const char *const *subst, int ns,
                  Err *err) {
  for (const char *p = src; *p;) {
    if (*p != '$') {
      const char *q = strchr(p, '$');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      text_put(out, p, n);
      p += n;
      continue;
    }
    const char *k = ++p;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) p++;
    size_t kn = (size_t)(p - k);
    if (kn == 1 && *k == 'S') {
      text_put(out, inst, strlen(inst));
      continue;
    }
    int i = 0;
    for (; i < ns; i++)
      if (strncmp(subst[i], k, kn) == 0 && subst[i][kn] == '=') break;
    if (i == ns) return errf(err, -1, "internal: template has no value for $%.*s", (int)kn, k);
    text_put(out, subst[i] + kn + 1, strlen(subst[i] + kn + 1));
  }
  text_put(out, "\n", 1);
  return 0;
}

int emit_kernel(Emit *e, const char *file, const char *inst, ...) {
  char key[128];
  snprintf(key, sizeof key, "%s/%s", file, inst);
  for (uint32_t i = 0; i < e->nkernel_done; i++)
    if (strcmp(e->kernel_done[i], key) == 0) return 0;
  const char *src = emit_target_kernel(e->o.target, file);
  if (!src) return errf(e->err, -1, "internal: no kernel '%s'", file);
  if (e->nkernel_done == e->kernel_cap) {
    uint32_t cap = e->kernel_cap ? 2 * e->kernel_cap : 32;
    const char **p = arena_array(e->a, cap, sizeof *p);
    if (!p) return errf(e->err, -1, "out of memory");
    if (e->nkernel_done) memcpy(p, e->kernel_done, e->nkernel_done * sizeof *p);
    e->kernel_done = p, e->kernel_cap = cap;
  }
  e->kernel_done[e->nkernel_done++] = arena_strdup(e->a, key);
  const char *subst[16];
  int ns = 0;
  va_list ap;
  va_start(ap, inst);
  for (const char *s; ns < 15 && (s = va_arg(ap, const char *));) subst[ns++] = s;
  va_end(ap);
  return text_template(&e->kernels, src, inst, subst, ns, e->err);
}

const Tensor *emit_tin(Emit *e, int k) {
  if (k >= (int)e->op->nin || e->op->in[k] < 0) return NULL;
  return &e->g->t[e->op->in[k]];
}

const Tensor *emit_tout(Emit *e, int k) { return &e->g->t[e->op->out[k]]; }

const char *emit_in(Emit *e, int k) {
  const Tensor *t = emit_tin(e, k);
  if (!t) return "0";
  if (t->data && !t->is_variable) return emit_weights(e, t);
  char buf[16];
  snprintf(buf, sizeof buf, "in%d", k);
  return arena_strdup(e->a, buf);
}

const char *emit_out(Emit *e, int k) {
  char buf[16];
  snprintf(buf, sizeof buf, "out%d", k);
  return arena_strdup(e->a, buf);
}

/* A C identifier from a tensor name: "conv1/weights:0" -> "conv1_weights_0", kept short. */
static void ident(char *out, size_t cap, const char *s) {
  size_t n = 0;
  const char *last = strrchr(s, '/');
  if (last && strlen(last + 1) >= 4) s = last + 1;  /* "model/block_3/conv/weights" -> "weights" */
  for (; *s && n + 1 < cap && n < 40; s++) {
    char c = *s;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (ok) out[n++] = c;
    else if (n && out[n - 1] != '_') out[n++] = '_';
  }
  while (n && out[n - 1] == '_') n--;
  out[n] = 0;
}

const char *emit_weights(Emit *e, const Tensor *t) {
  if (e->weight_name[t->index]) return e->weight_name[t->index];
  const char *ct = emit_ctype(t->type);
  char id[64], name[96];
  ident(id, sizeof id, t->name ? t->name : "");
  snprintf(name, sizeof name, "w%u%s%s", t->index, *id ? "_" : "", id);
  const char *nm = e->weight_name[t->index] = arena_strdup(e->a, name);
  int64_t n = t->elems;
  unsigned sz = tfl_type_size(t->type);
  if (!ct || !sz || (uint64_t)n * sz > t->data_size) {
    errf(e->err, -1, "constant tensor %u: dtype %s not supported", t->index, tfl_type_name(t->type));
    return "0";
  }
  text_printf(&e->consts, "/* tensor %u '%s' %s%s */\nstatic const %s %s[%lld] MODELC_ALIGN = {",
              t->index, t->name ? t->name : "", tfl_type_name(t->type), emit_shape(e, t), ct, nm,
              (long long)(n ? n : 1));
  char buf[48];
  for (int64_t i = 0; i < n; i++) {
    const uint8_t *p = t->data + (size_t)i * sz;
    int len = 0;
    switch (t->type) {
    case TFL_INT8: len = snprintf(buf, sizeof buf, "%d", (int8_t)p[0]); break;
    case TFL_UINT8: case TFL_BOOL: len = snprintf(buf, sizeof buf, "%u", p[0]); break;
    case TFL_INT16: { int16_t v; memcpy(&v, p, 2); len = snprintf(buf, sizeof buf, "%d", v); break; }
    case TFL_UINT16: { uint16_t v; memcpy(&v, p, 2); len = snprintf(buf, sizeof buf, "%u", v); break; }
    case TFL_INT32: {
      int32_t v;
      memcpy(&v, p, 4);
      len = v == INT32_MIN ? snprintf(buf, sizeof buf, "(-2147483647-1)") : snprintf(buf, sizeof buf, "%d", v);
      break;
    }
    case TFL_UINT32: { uint32_t v; memcpy(&v, p, 4); len = snprintf(buf, sizeof buf, "%uu", v); break; }
    case TFL_INT64: {
      int64_t v;
      memcpy(&v, p, 8);
      len = v == INT64_MIN ? snprintf(buf, sizeof buf, "(-9223372036854775807ll-1)")
                           : snprintf(buf, sizeof buf, "%lldll", (long long)v);
      break;
    }
    case TFL_FLOAT32: { float v; memcpy(&v, p, 4); len = snprintf(buf, sizeof buf, "%s", emit_f32(e, v)); break; }
    }
    text_put(&e->consts, i % 16 ? "," : (i ? ",\n  " : "\n  "), i % 16 ? 1 : (i ? 4 : 3));
    text_put(&e->consts, buf, (size_t)len);
  }
  text_put(&e->consts, "\n};\n", 4);
  return nm;
}

const char *emit_i32_table(Emit *e, const char *what, const int32_t *v, uint32_t n) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const int32_t %s[%u] = {", name, n ? n : 1);
  for (uint32_t i = 0; i < n; i++)
    text_printf(&e->consts, "%s%d", i % 12 ? ", " : (i ? ",\n  " : "\n  "), v[i]);
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

int emit_unsupported(Emit *e, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return errf(e->err, (long)e->op->off, "%s", msg);
}

const char *emit_f32(Emit *e, float v) {
  char buf[48];
  if (v != v) snprintf(buf, sizeof buf, "(0.0f/0.0f)");
  else if (v > 3.4028235e38f) snprintf(buf, sizeof buf, "(1.0f/0.0f)");
  else if (v < -3.4028235e38f) snprintf(buf, sizeof buf, "(-1.0f/0.0f)");
  else {
    snprintf(buf, sizeof buf, "%.9g", (double)v);
    if (!strpbrk(buf, ".e")) strcat(buf, ".0");
    strcat(buf, "f");
  }
  return arena_strdup(e->a, buf);
}

const char *emit_shape(Emit *e, const Tensor *t) {
  char buf[128];
  size_t n = 0;
  buf[n++] = '[';
  for (int i = 0; i < t->rank && n < sizeof buf - 16; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%d", i ? "," : "", t->dims[i]);
  buf[n++] = ']';
  buf[n] = 0;
  return arena_strdup(e->a, buf);
}

int32_t dim4(const Tensor *t, int i) {
  int k = i - (4 - t->rank);
  return k < 0 ? 1 : t->dims[k];
}

int64_t dims_prod(const Tensor *t, int from, int to) {
  int64_t p = 1;
  for (int i = from; i < to && i < t->rank; i++) p *= t->dims[i];
  return p;
}
