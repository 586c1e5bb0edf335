/* Errors as values: a failing call fills an Err and returns -1; callers add context on the way up.
   The CLI prints the message once. Nothing below the CLI prints or exits. */
#ifndef MODELC_ERR_H
#define MODELC_ERR_H

#include <stdarg.h>

enum { ERR_MSG_MAX = 4096 };

typedef struct Err {
  long off;               /* file offset the message is about, or -1 */
  char msg[ERR_MSG_MAX];  /* "tensor 17 'w': buffer 99 out of range (48 buffers)" */
} Err;

/* Sets the error (keeping the first file offset given) and returns -1. */
int errf(Err *e, long off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prepends "context: " to the message. Returns -1 so it can end an error path. */
int err_ctx(Err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "offset 0x1a4c: msg" or just "msg": the one-line form the CLI prints after the file name. */
const char *err_str(const Err *e, char *buf, unsigned n);

#endif
