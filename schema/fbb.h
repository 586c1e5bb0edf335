/* A small FlatBuffers builder (binary layout from flatbuffers.dev, "Internals"). Like the official
   builder it writes back to front: children are built before their parents, so every uoffset
   points forward. An object is named by an FbbRef, its distance from the end of the buffer, which
   stays valid while the buffer grows at the front.

   Errors are sticky values: a failing call fills the Err and returns -1, and every later call
   (fbb_finish included) fails too, so a forgotten check cannot yield a half-built buffer.
   Little-endian hosts only (fb_host_ok): scalars are copied as they lie in memory. */
#ifndef MODELC_FBB_H
#define MODELC_FBB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

/* FlatBuffers caps a buffer at 2^31 - 1 bytes, so that the signed 32-bit soffset from a table to
   its vtable reaches anywhere in it (FLATBUFFERS_MAX_BUFFER_SIZE). */
#define FBB_MAX_SIZE 0x7fffffffu
/* Field ids of one table; TFLite's largest table (Operator) uses 13. */
#define FBB_MAX_FIELDS 64

typedef uint32_t FbbRef;  /* 0: no object */

typedef struct FbbField {
  uint16_t id;
  uint8_t size;  /* 1, 2, 4 or 8 bytes inline */
  bool is_ref;   /* value is an FbbRef, written as a uoffset */
  uint64_t value;
} FbbField;

typedef struct Fbb {
  uint8_t *buf;     /* the built bytes are the last `size` bytes of buf[0, cap) */
  size_t cap, size;
  size_t max_size;  /* FBB_MAX_SIZE; tests may lower it */
  size_t minalign;  /* largest alignment used, applied to the whole buffer at finish */
  FbbRef *vtables;  /* vtables written so far, shared between tables with the same layout */
  size_t nvtables, vtables_cap;
  bool in_table;
  unsigned nfields;
  FbbField fields[FBB_MAX_FIELDS];  /* fields of the open table, written at fbb_table_end */
  bool failed;
  Err *err;
} Fbb;

void fbb_init(Fbb *b, Err *err);
void fbb_free(Fbb *b);

/* A vector of n scalars of elem bytes (1, 2, 4 or 8) copied from data (little-endian, any
   alignment). Elements are aligned to elem, or to force_align (a power of two) when larger. */
int fbb_vec(Fbb *b, const void *data, uint32_t n, unsigned elem, unsigned force_align,
            FbbRef *out);
/* A vector of uoffsets to the objects refs[0..n). */
int fbb_vec_refs(Fbb *b, const FbbRef *refs, uint32_t n, FbbRef *out);
/* A NUL-terminated string. */
int fbb_string(Fbb *b, const char *s, FbbRef *out);

/* Tables: fbb_table_start, then fields, then fbb_table_end. Fields are only written at the end
   (largest first, to spare padding), so vectors and strings, though not other tables, may be built
   while a table is open. */
int fbb_table_start(Fbb *b);
/* Scalar field `id` of size bytes (1, 2, 4 or 8), always written, even when equal to the default
   (for values that are patched after fbb_finish, or that readers must find present). */
int fbb_field(Fbb *b, unsigned id, const void *value, unsigned size);
/* Scalar fields written only when they differ from the schema default, as readers assume the
   default for an absent field. Floats compare by bits, so -0.0 and NaN payloads survive. */
int fbb_i8(Fbb *b, unsigned id, int8_t v, int8_t def);
int fbb_u8(Fbb *b, unsigned id, uint8_t v, uint8_t def);
int fbb_bool(Fbb *b, unsigned id, bool v, bool def);
int fbb_i32(Fbb *b, unsigned id, int32_t v, int32_t def);
int fbb_u32(Fbb *b, unsigned id, uint32_t v, uint32_t def);
int fbb_i64(Fbb *b, unsigned id, int64_t v, int64_t def);
int fbb_u64(Fbb *b, unsigned id, uint64_t v, uint64_t def);
int fbb_f32(Fbb *b, unsigned id, float v, float def);
/* An offset field to a vector, string or table; nothing is written for ref 0. */
int fbb_ref(Fbb *b, unsigned id, FbbRef ref);
int fbb_table_end(Fbb *b, FbbRef *out);

/* Writes the root uoffset and the 4-byte file identifier (ident may be NULL) and hands the
   finished buffer to the caller (*out, malloc'd, *n bytes); the builder is left empty. */
int fbb_finish(Fbb *b, FbbRef root, const char *ident, uint8_t **out, size_t *n);

#endif
