/* `modelc inspect`: what a model holds, as a table for people or one JSON document for tools
   (docs/inspect-json.md). */
#ifndef MODELC_INSPECT_H
#define MODELC_INSPECT_H

#include <stdio.h>

#include "ir.h"

void inspect_text(FILE *f, const char *path, const Model *m);
void inspect_json(FILE *f, const char *path, const Model *m);

#endif
