#include "fb.h"

bool fb_host_ok(void) {
  const uint16_t one = 1;
  uint8_t b;
  memcpy(&b, &one, 1);
  return b == 1;
}

int fb_init(FbReader *r, const uint8_t *p, size_t n, Err *err) {
  r->p = p;
  r->n = n > FB_MAX_SIZE ? FB_MAX_SIZE : (uint32_t)n;
  r->tables = 0;
  r->bytes = 0;
  r->err = err;
  if (!fb_host_ok()) return errf(err, -1, "big-endian hosts are not supported");
  return 0;
}

/* Is [pos, pos+len) inside the buffer? Written to avoid overflow. */
static bool in_bounds(const FbReader *r, uint64_t pos, uint64_t len) {
  return pos <= r->n && len <= r->n - pos;
}

/* Follows the uoffset stored at pos; the target must be inside the buffer and aligned. *out is
   0 on failure (set first, so that GCC, which cannot see errf return nonzero, sees it set). */
static int deref(FbReader *r, uint32_t pos, unsigned align, uint32_t *out, const char *what) {
  *out = 0;
  if (!in_bounds(r, pos, 4) || pos % 4)
    return errf(r->err, pos, "%s offset field out of bounds or misaligned", what);
  uint64_t target = (uint64_t)pos + fb_u32(r->p + pos);
  if (!in_bounds(r, target, 4))
    return errf(r->err, pos, "%s offset 0x%llx points outside the %u-byte buffer", what,
                (unsigned long long)target, r->n);
  if (target % align)
    return errf(r->err, pos, "%s at 0x%llx is not %u-byte aligned", what,
                (unsigned long long)target, align);
  *out = (uint32_t)target;
  return 0;
}

int fb_table_at(FbReader *r, uint32_t pos, FbTable *t) {
  if (++r->tables > FB_MAX_TABLES)
    return errf(r->err, pos, "more than %u tables: refusing to read further", FB_MAX_TABLES);
  if (!in_bounds(r, pos, 4) || pos % 4)
    return errf(r->err, pos, "table out of bounds or misaligned");
  int64_t vt = (int64_t)pos - (int32_t)fb_u32(r->p + pos);
  if (vt < 0 || !in_bounds(r, (uint64_t)vt, 4) || vt % 2)
    return errf(r->err, pos, "table's vtable at %lld is outside the buffer or misaligned",
                (long long)vt);
  uint16_t vtsize = fb_u16(r->p + vt), tsize = fb_u16(r->p + vt + 2);
  if (vtsize < 4 || vtsize % 2 || !in_bounds(r, (uint64_t)vt, vtsize))
    return errf(r->err, (long)vt, "vtable size %u is invalid or runs past the buffer", vtsize);
  if (tsize < 4 || !in_bounds(r, pos, tsize))
    return errf(r->err, pos, "table size %u runs past the buffer", tsize);
  t->pos = pos;
  t->vt = (uint32_t)vt;
  t->vtsize = vtsize;
  t->tsize = tsize;
  return 0;
}

int fb_root(FbReader *r, const char *ident, FbTable *t) {
  if (r->n < 8) return errf(r->err, 0, "file too small (%u bytes) to be a FlatBuffer", r->n);
  if (ident && memcmp(r->p + 4, ident, 4) != 0)
    return errf(r->err, 4, "file identifier is not \"%s\"", ident);
  uint32_t pos;
  if (deref(r, 0, 4, &pos, "root table")) return -1;
  return fb_table_at(r, pos, t);
}

int fb_field(FbReader *r, const FbTable *t, unsigned id, unsigned size, uint32_t *pos) {
  *pos = 0;
  unsigned slot = 4 + 2 * id;
  if (slot + 2 > t->vtsize) return 0;
  uint16_t fo = fb_u16(r->p + t->vt + slot);
  if (fo == 0) return 0;
  if (fo < 4 || (uint32_t)fo + size > t->tsize)
    return errf(r->err, t->pos, "field %u at table offset %u runs past the %u-byte table", id, fo,
                t->tsize);
  if ((t->pos + fo) % size)
    return errf(r->err, t->pos + fo, "field %u is not %u-byte aligned", id, size);
  *pos = t->pos + fo;
  return 0;
}

int fb_scalar(FbReader *r, const FbTable *t, unsigned id, unsigned size, uint64_t def,
              uint64_t *v) {
  uint32_t pos;
  if (fb_field(r, t, id, size, &pos)) return -1;
  if (!pos) { *v = def; return 0; }
  const uint8_t *p = r->p + pos;
  switch (size) {
    case 1: *v = p[0]; break;
    case 2: *v = fb_u16(p); break;
    case 4: *v = fb_u32(p); break;
    default: *v = fb_u64(p); break;
  }
  return 0;
}

static int vec_at(FbReader *r, uint32_t field_pos, unsigned elem, FbVec *v, const char *what) {
  uint32_t pos;
  v->pos = v->n = 0;  /* as deref's *out */
  /* The length word is 4-aligned, and so are the elements up to 4 bytes; 8-byte elements must sit
     on an 8-byte boundary. */
  if (deref(r, field_pos, 4, &pos, what)) return -1;
  uint32_t n = fb_u32(r->p + pos);
  if (!in_bounds(r, (uint64_t)pos + 4, (uint64_t)n * elem))
    return errf(r->err, pos, "%s of %u elements of %u bytes runs past the %u-byte buffer", what,
                n, elem, r->n);
  if (elem == 8 && n && (pos + 4) % 8)
    return errf(r->err, pos, "%s of 8-byte elements is misaligned", what);
  r->bytes += (uint64_t)n * elem;
  if (r->bytes > (uint64_t)r->n * FB_BYTES_PER_FILE_BYTE + FB_BYTES_SLACK)
    return errf(r->err, pos,
                "the file's tables reach %llu bytes of vectors and strings, over %ux its %u bytes: "
                "objects shared by many references",
                (unsigned long long)r->bytes, FB_BYTES_PER_FILE_BYTE, r->n);
  v->pos = pos + 4;
  v->n = n;
  return 0;
}

int fb_vec(FbReader *r, const FbTable *t, unsigned id, unsigned elem, FbVec *v) {
  uint32_t pos;
  v->pos = v->n = 0;
  if (fb_field(r, t, id, 4, &pos)) return -1;
  if (!pos) return 0;
  return vec_at(r, pos, elem, v, "vector");
}

static int str_at(FbReader *r, uint32_t field_pos, const char **s) {
  FbVec v;
  if (vec_at(r, field_pos, 1, &v, "string")) return -1;
  if (!in_bounds(r, v.pos, (uint64_t)v.n + 1) || r->p[v.pos + v.n] != 0)
    return errf(r->err, v.pos - 4, "string of %u bytes is not NUL-terminated", v.n);
  if (memchr(r->p + v.pos, 0, v.n))
    return errf(r->err, v.pos - 4, "string of %u bytes contains a NUL byte", v.n);
  *s = (const char *)r->p + v.pos;
  return 0;
}

int fb_str(FbReader *r, const FbTable *t, unsigned id, const char **s) {
  uint32_t pos;
  *s = NULL;
  if (fb_field(r, t, id, 4, &pos)) return -1;
  if (!pos) return 0;
  return str_at(r, pos, s);
}

int fb_sub(FbReader *r, const FbTable *t, unsigned id, FbTable *sub, bool *present) {
  uint32_t pos, target;
  *present = false;
  if (fb_field(r, t, id, 4, &pos)) return -1;
  if (!pos) return 0;
  if (deref(r, pos, 4, &target, "table")) return -1;
  *present = true;
  return fb_table_at(r, target, sub);
}

int fb_vec_table(FbReader *r, FbVec v, uint32_t i, FbTable *t) {
  uint32_t target;
  if (deref(r, v.pos + 4 * i, 4, &target, "table")) return -1;
  return fb_table_at(r, target, t);
}

int fb_vec_str(FbReader *r, FbVec v, uint32_t i, const char **s) {
  return str_at(r, v.pos + 4 * i, s);
}
