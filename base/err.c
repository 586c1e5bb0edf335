#include "err.h"

#include <stdio.h>
#include <string.h>

int errf(Err *e, long off, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  va_end(ap);
  e->off = off;
  return -1;
}

int err_ctx(Err *e, const char *fmt, ...) {
  char head[ERR_MSG_MAX], both[2 * ERR_MSG_MAX + 2];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(head, sizeof head, fmt, ap);
  va_end(ap);
  snprintf(both, sizeof both, "%s: %s", head, e->msg);
  memcpy(e->msg, both, sizeof e->msg - 1);
  e->msg[sizeof e->msg - 1] = 0;
  return -1;
}

const char *err_str(const Err *e, char *buf, unsigned n) {
  if (e->off >= 0)
    snprintf(buf, n, "offset 0x%lx: %s", (unsigned long)e->off, e->msg);
  else
    snprintf(buf, n, "%s", e->msg);
  return buf;
}
