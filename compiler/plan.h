/* The static memory plan: where every tensor of a graph lives while the generated code runs.
   Constants stay in the weights; graph inputs and outputs are the caller's buffers (no copy at
   the edges); variable state and every intermediate get fixed offsets in one arena. */
#ifndef MODELC_PLAN_H
#define MODELC_PLAN_H

#include "compiler/ir.h"

enum { PLAN_ALIGN = 16 };

typedef enum Home {
  HOME_NONE,    /* never touched (an unused tensor) */
  HOME_CONST,   /* constant data of tensor `of` */
  HOME_INPUT,   /* the caller's input buffer `index` */
  HOME_OUTPUT,  /* the caller's output buffer `index` */
  HOME_ARENA,   /* arena offset `off`, reused once the tensor is dead */
  HOME_STATE,   /* arena offset `off`, kept across invocations (variable tensors) */
} Home;

typedef struct Place {
  Home home;
  uint32_t index;  /* HOME_INPUT/HOME_OUTPUT: which buffer; HOME_CONST: the tensor holding the data */
  int64_t off;     /* HOME_ARENA/HOME_STATE: byte offset in the arena */
} Place;

typedef struct Plan {
  Place *at;            /* one per tensor */
  int64_t *scratch_off; /* one per operator: its scratch buffer's arena offset, -1 none */
  int64_t state_bytes;  /* the arena's first state_bytes hold the variable tensors */
  int64_t arena_bytes;  /* state and scratch, PLAN_ALIGN-rounded */
  uint32_t aliased;     /* tensors that share another's storage (reshapes, in-place ops) */
} Plan;

/* Which operators may write their output over their input, and which only reinterpret it. */
typedef enum Reuse { REUSE_NONE, REUSE_ALIAS, REUSE_INPLACE } Reuse;
/* How the caller (codegen) treats op: `reuse` for its first input and output, `scratch` bytes it
   needs while running. */
typedef struct OpNeeds {
  Reuse reuse;
  int64_t scratch;
  bool scratch_over_in0;  /* the scratch may overlay input 0 if that input dies with op */
} OpNeeds;

int plan_memory(const Graph *g, const OpNeeds *needs, Arena *a, Plan *p, Err *err);

#endif
