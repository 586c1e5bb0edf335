/* Bounds-checked reading of the FlatBuffers binary layout (flatbuffers.dev, "Internals").
   Every offset, vtable, vector and string is checked against the buffer and its alignment before
   it is used, as a generated verifier would; nothing here trusts the file. Values are read with
   memcpy (little-endian hosts only: fb_host_ok says so), so the buffer itself needs no alignment. */
#ifndef MODELC_FB_H
#define MODELC_FB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../base/err.h"

/* Largest FlatBuffer part we read: uoffsets are 32-bit, so offsets past 2 GB cannot be reached. */
#define FB_MAX_SIZE 0x7fffffffu
/* Each table visited costs one unit; a file cannot make us visit more tables than this. */
#define FB_MAX_TABLES 1000000u

/* Slots may share one object, so a small file can name the same long vector a million times.
   Honest files hand out each byte about once; past this many bytes per file byte we stop, so work
   stays proportional to the file. */
#define FB_BYTES_PER_FILE_BYTE 16u
#define FB_BYTES_SLACK (16u << 20)

typedef struct FbReader {
  const uint8_t *p;
  uint32_t n;       /* bytes of the FlatBuffer proper (<= FB_MAX_SIZE) */
  uint32_t tables;  /* tables opened so far, against FB_MAX_TABLES */
  uint64_t bytes;   /* vector and string bytes handed out so far, against fb_byte_budget */
  Err *err;
} FbReader;

typedef struct FbTable {
  uint32_t pos;     /* offset of the table (its soffset to the vtable) */
  uint32_t vt;      /* offset of the vtable */
  uint16_t vtsize;  /* bytes of the vtable */
  uint16_t tsize;   /* bytes of the table's inline part */
} FbTable;

typedef struct FbVec {
  uint32_t pos;  /* offset of the first element (0 and n 0 when absent) */
  uint32_t n;    /* element count */
} FbVec;

static inline uint16_t fb_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t fb_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t fb_u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

bool fb_host_ok(void);
int fb_init(FbReader *r, const uint8_t *p, size_t n, Err *err);
/* The root table; checks the 4-byte file identifier when ident is not NULL. */
int fb_root(FbReader *r, const char *ident, FbTable *t);
int fb_table_at(FbReader *r, uint32_t pos, FbTable *t);

/* Offset of field id's inline value, or 0 when absent; fails if the value would not fit in the
   table or is misaligned for size. */
int fb_field(FbReader *r, const FbTable *t, unsigned id, unsigned size, uint32_t *pos);
/* Scalars of 1, 2, 4 or 8 bytes, zero- or sign-extended by the caller's type; def when absent. */
int fb_scalar(FbReader *r, const FbTable *t, unsigned id, unsigned size, uint64_t def, uint64_t *v);
/* The vector at field id, whose elements are elem bytes each; n 0 when absent. */
int fb_vec(FbReader *r, const FbTable *t, unsigned id, unsigned elem, FbVec *v);
/* A string: NUL-terminated in the buffer, so *s can be used directly. NULL when absent. */
int fb_str(FbReader *r, const FbTable *t, unsigned id, const char **s);
/* A sub-table at field id; *present false when absent. */
int fb_sub(FbReader *r, const FbTable *t, unsigned id, FbTable *sub, bool *present);
/* Element i of a vector of tables. */
int fb_vec_table(FbReader *r, FbVec v, uint32_t i, FbTable *t);
/* Element i of a vector of strings. */
int fb_vec_str(FbReader *r, FbVec v, uint32_t i, const char **s);

#endif
