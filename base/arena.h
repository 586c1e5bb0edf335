/* A bump allocator with a hard byte limit. Everything read from one model lives in one arena and
   dies with it; the limit turns a hostile file's "allocate 40 GB" into an error, not an OOM kill. */
#ifndef MODELC_ARENA_H
#define MODELC_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
  ArenaChunk *head;
  size_t used;   /* bytes handed out, including chunk slack */
  size_t limit;  /* arena_alloc fails past this many bytes */
} Arena;

void arena_init(Arena *a, size_t limit);
void arena_free(Arena *a);
/* Zeroed, 16-byte aligned; NULL when n is 0-sized overflow or past the limit. */
void *arena_alloc(Arena *a, size_t n);
/* n elements of size each, with overflow checked. */
void *arena_array(Arena *a, size_t n, size_t size);
char *arena_strdup(Arena *a, const char *s);

#endif
