#include "fbb.h"

#include <stdlib.h>
#include <string.h>

void fbb_init(Fbb *b, Err *err) {
  memset(b, 0, sizeof *b);
  b->max_size = FBB_MAX_SIZE;
  b->minalign = 1;
  b->err = err;
}

void fbb_free(Fbb *b) {
  free(b->buf);
  free(b->vtables);
  b->buf = NULL;
  b->vtables = NULL;
  b->cap = b->size = b->nvtables = b->vtables_cap = 0;
}

/* Marks the builder failed after errf has filled the message; returns rc (-1). */
static int failed(Fbb *b, int rc) {
  b->failed = true;
  return rc;
}

static bool valid_size(unsigned size) { return size == 1 || size == 2 || size == 4 || size == 8; }

static int too_big(Fbb *b) {
  return failed(b, errf(b->err, -1,
                        "FlatBuffer would exceed %zu bytes, the reach of its 32-bit offsets",
                        b->max_size));
}

/* Makes room for n more bytes at the front, keeping the built bytes at the end of buf. */
static int reserve(Fbb *b, size_t n) {
  if (n > b->max_size - b->size) return too_big(b);
  if (n <= b->cap - b->size) return 0;
  size_t want = b->size + n;
  size_t cap = b->cap > b->max_size / 2 ? b->max_size : 2 * b->cap;
  if (cap < want) cap = want;
  if (cap < 1024) cap = 1024;
  uint8_t *p = realloc(b->buf, cap);
  if (!p)
    return failed(b, errf(b->err, -1, "out of memory growing the FlatBuffer to %zu bytes", cap));
  memmove(p + cap - b->size, p + b->cap - b->size, b->size);
  b->buf = p;
  b->cap = cap;
  return 0;
}

static uint8_t *front(Fbb *b) { return b->buf + b->cap - b->size; }

static int push(Fbb *b, const void *data, size_t n) {
  if (reserve(b, n)) return -1;
  b->size += n;
  if (n) memcpy(front(b), data, n);
  return 0;
}

static int push_zeros(Fbb *b, size_t n) {
  if (reserve(b, n)) return -1;
  b->size += n;
  memset(front(b), 0, n);
  return 0;
}

static int push_u32(Fbb *b, uint32_t v) { return push(b, &v, 4); }

/* Pads so that the object of `len` bytes pushed next starts `align`-aligned. Offsets are counted
   from the end and fbb_finish pads the total to a multiple of minalign, so alignment from the end
   is alignment in the file. */
static int align_for(Fbb *b, size_t align, size_t len) {
  if (align > b->minalign) b->minalign = align;
  size_t over = (b->size + len) % align;
  return over ? push_zeros(b, align - over) : 0;
}

/* A uoffset stored at the next 4 bytes, pointing at ref (which lies after it). */
static int push_uoffset(Fbb *b, FbbRef ref) {
  if (ref == 0 || ref > b->size)
    return failed(b, errf(b->err, -1, "offset to object %u, which was not built yet", ref));
  if (align_for(b, 4, 0)) return -1;
  return push_u32(b, (uint32_t)(b->size + 4 - ref));
}

int fbb_vec(Fbb *b, const void *data, uint32_t n, unsigned elem, unsigned force_align,
            FbbRef *out) {
  *out = 0;
  if (b->failed) return -1;
  if (!valid_size(elem) || (force_align & (force_align - 1)) || (n && !data))
    return failed(b, errf(b->err, -1, "vector of %u-byte elements: invalid arguments", elem));
  uint64_t len = (uint64_t)n * elem;
  if (len > b->max_size) return too_big(b);
  unsigned align = elem > 4 ? elem : 4;  /* 4: the length word before the elements */
  if (force_align > align) align = force_align;
  if (align_for(b, align, (size_t)len) || push(b, data, (size_t)len) || push_u32(b, n)) return -1;
  *out = (FbbRef)b->size;
  return 0;
}

int fbb_vec_refs(Fbb *b, const FbbRef *refs, uint32_t n, FbbRef *out) {
  *out = 0;
  if (b->failed) return -1;
  uint64_t len = (uint64_t)n * 4;
  if (len > b->max_size) return too_big(b);
  if (align_for(b, 4, (size_t)len)) return -1;
  for (uint32_t i = n; i-- > 0;)  /* back to front: element 0 ends up first */
    if (push_uoffset(b, refs[i])) return -1;
  if (push_u32(b, n)) return -1;
  *out = (FbbRef)b->size;
  return 0;
}

int fbb_string(Fbb *b, const char *s, FbbRef *out) {
  *out = 0;
  if (b->failed) return -1;
  size_t len = strlen(s);
  if (len >= b->max_size) return too_big(b);
  if (align_for(b, 4, len + 1) || push_zeros(b, 1) || push(b, s, len) ||
      push_u32(b, (uint32_t)len))
    return -1;
  *out = (FbbRef)b->size;
  return 0;
}

int fbb_table_start(Fbb *b) {
  if (b->failed) return -1;
  if (b->in_table) return failed(b, errf(b->err, -1, "table started inside another table"));
  b->in_table = true;
  b->nfields = 0;
  return 0;
}

static int add_field(Fbb *b, unsigned id, unsigned size, bool is_ref, uint64_t value) {
  if (b->failed) return -1;
  if (!b->in_table) return failed(b, errf(b->err, -1, "field %u set outside a table", id));
  if (id >= FBB_MAX_FIELDS)
    return failed(b, errf(b->err, -1, "field id %u past the builder's %u", id, FBB_MAX_FIELDS));
  for (unsigned i = 0; i < b->nfields; i++)
    if (b->fields[i].id == id) return failed(b, errf(b->err, -1, "field %u set twice", id));
  b->fields[b->nfields++] = (FbbField){(uint16_t)id, (uint8_t)size, is_ref, value};
  return 0;
}

int fbb_field(Fbb *b, unsigned id, const void *value, unsigned size) {
  if (b->failed) return -1;
  if (!valid_size(size))
    return failed(b, errf(b->err, -1, "field %u: scalar size %u is invalid", id, size));
  uint64_t v = 0;
  memcpy(&v, value, size);  /* little-endian: the low `size` bytes are the value */
  return add_field(b, id, size, false, v);
}

/* A failed builder fails the call even when the value is the default and nothing is written, so
   whether a call fails never depends on the value. */
#define SCALAR_FIELD(name, type)                                   \
  int fbb_##name(Fbb *b, unsigned id, type v, type def) {          \
    if (memcmp(&v, &def, sizeof v) == 0) return b->failed ? -1 : 0; \
    return fbb_field(b, id, &v, sizeof v);                         \
  }
SCALAR_FIELD(i8, int8_t)
SCALAR_FIELD(u8, uint8_t)
SCALAR_FIELD(i32, int32_t)
SCALAR_FIELD(u32, uint32_t)
SCALAR_FIELD(i64, int64_t)
SCALAR_FIELD(u64, uint64_t)
SCALAR_FIELD(f32, float)
#undef SCALAR_FIELD

int fbb_bool(Fbb *b, unsigned id, bool v, bool def) { return fbb_u8(b, id, v, def); }

int fbb_ref(Fbb *b, unsigned id, FbbRef ref) {
  return ref ? add_field(b, id, 4, true, ref) : (b->failed ? -1 : 0);
}

/* Largest fields first, so each is aligned with the least padding; stable, so the layout depends
   only on the order of the calls. */
static void sort_fields(Fbb *b) {
  for (unsigned i = 1; i < b->nfields; i++) {
    FbbField f = b->fields[i];
    unsigned j = i;
    for (; j > 0 && b->fields[j - 1].size < f.size; j--) b->fields[j] = b->fields[j - 1];
    b->fields[j] = f;
  }
}

static int push_field(Fbb *b, const FbbField *f, FbbRef *at) {
  if (f->is_ref ? push_uoffset(b, (FbbRef)f->value)
                : (align_for(b, f->size, 0) || push(b, &f->value, f->size)))
    return -1;
  *at = (FbbRef)b->size;
  return 0;
}

/* An identical vtable written before, or 0. */
static FbbRef find_vtable(const Fbb *b, const uint16_t *vt) {
  for (size_t i = 0; i < b->nvtables; i++) {
    const uint8_t *p = b->buf + b->cap - b->vtables[i];
    if (memcmp(p, vt, 2) == 0 && memcmp(p, vt, vt[0]) == 0) return b->vtables[i];
  }
  return 0;
}

static int push_vtable(Fbb *b, const uint16_t *vt, FbbRef *out) {
  if (b->nvtables == b->vtables_cap) {
    size_t cap = b->vtables_cap ? 2 * b->vtables_cap : 16;
    FbbRef *p = realloc(b->vtables, cap * sizeof *p);
    if (!p) return failed(b, errf(b->err, -1, "out of memory for %zu vtables", cap));
    b->vtables = p;
    b->vtables_cap = cap;
  }
  if (align_for(b, 2, vt[0]) || push(b, vt, vt[0])) return -1;
  *out = b->vtables[b->nvtables++] = (FbbRef)b->size;
  return 0;
}

int fbb_table_end(Fbb *b, FbbRef *out) {
  *out = 0;
  if (b->failed) return -1;
  if (!b->in_table) return failed(b, errf(b->err, -1, "table ended but none was started"));
  b->in_table = false;
  sort_fields(b);
  size_t start = b->size;
  FbbRef at[FBB_MAX_FIELDS];
  for (unsigned i = 0; i < b->nfields; i++)
    if (push_field(b, &b->fields[i], &at[i])) return -1;
  if (align_for(b, 4, 0) || push_u32(b, 0)) return -1;  /* soffset to the vtable, patched below */
  size_t table = b->size;
  uint16_t vt[2 + FBB_MAX_FIELDS] = {0};
  unsigned slots = 0;
  for (unsigned i = 0; i < b->nfields; i++) {
    vt[2 + b->fields[i].id] = (uint16_t)(table - at[i]);
    if (b->fields[i].id + 1u > slots) slots = b->fields[i].id + 1u;
  }
  vt[0] = (uint16_t)(2 * (2 + slots));
  vt[1] = (uint16_t)(table - start);  /* at most 64 fields of 8 bytes plus padding */
  FbbRef vtref = find_vtable(b, vt);
  if (!vtref && push_vtable(b, vt, &vtref)) return -1;
  int32_t soffset = (int32_t)((int64_t)vtref - (int64_t)table);
  memcpy(b->buf + b->cap - table, &soffset, 4);
  *out = (FbbRef)table;
  return 0;
}

int fbb_finish(Fbb *b, FbbRef root, const char *ident, uint8_t **out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (b->failed) return -1;
  if (b->in_table) return failed(b, errf(b->err, -1, "finish with a table still open"));
  size_t head = ident ? 8 : 4;
  if (align_for(b, b->minalign > 4 ? b->minalign : 4, head) ||
      (ident && push(b, ident, 4)) || push_uoffset(b, root))
    return -1;
  memmove(b->buf, front(b), b->size);
  uint8_t *shrunk = realloc(b->buf, b->size);
  *out = shrunk ? shrunk : b->buf;
  *n = b->size;
  b->buf = NULL;
  Err *err = b->err;
  size_t max_size = b->max_size;
  fbb_free(b);
  fbb_init(b, err);
  b->max_size = max_size;
  return 0;
}
