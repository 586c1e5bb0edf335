/* modelc compile: load, plan, emit, and write NAME.c and NAME.h atomically (temporary files
   renamed into place only once both are complete), so a failure never leaves partial output. */
#include "compile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void compile_default_name(const char *path, char *out, size_t cap) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t stem = strcspn(base, "");
  const char *dot = strrchr(base, '.');
  if (dot && dot != base) stem = (size_t)(dot - base);
  size_t n = 0;
  if (cap < 4) return;
  if (!stem || !(isalpha((unsigned char)base[0]) || base[0] == '_')) out[n++] = 'm', out[n++] = '_';
  for (size_t i = 0; i < stem && n + 1 < cap; i++) {
    unsigned char c = (unsigned char)base[i];
    out[n++] = isalnum(c) ? (char)c : '_';
  }
  out[n] = 0;
}

static int write_all(const char *path, const char *p, size_t n, Err *err) {
  FILE *f = fopen(path, "wb");
  if (!f) return errf(err, -1, "cannot create %s: %s", path, strerror(errno));
  size_t w = fwrite(p, 1, n, f);
  if (fclose(f) || w != n) {
    unlink(path);
    return errf(err, -1, "cannot write %s: %s", path, strerror(errno));
  }
  return 0;
}

/* Only called once the code is generated, so a model that does not compile leaves nothing behind. */
int compile_make_dirs(const char *dir, Err *err) {
  char p[4096];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof p) return errf(err, -1, "bad output directory '%s'", dir);
  memcpy(p, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (p[i] != '/' && p[i] != 0) continue;
    char keep = p[i];
    p[i] = 0;
    if (mkdir(p, 0777) && errno != EEXIST)
      return errf(err, -1, "cannot create directory %s: %s", p, strerror(errno));
    p[i] = keep;
  }
  return 0;
}

static size_t arena_limit(size_t n) {
  return n > (SIZE_MAX - (256u << 20)) / 64 ? SIZE_MAX : 64 * n + (256u << 20);
}

int compile_model(const uint8_t *buf, size_t n, const char *outdir, const EmitOptions *o,
                  const PassOptions *p, CompileResult *res, Err *err) {
  Arena a;
  arena_init(&a, arena_limit(n));
  TflModel src;
  Model m;
  Plan plan;
  char *c = NULL, *h = NULL;
  size_t nc = 0, nh = 0;
  int rc = -1;
  PassOptions none = {.disabled = ~0u, .rounding = o->rounding};
  memset(&res->passes, 0, sizeof res->passes);
  if (ir_load(buf, n, &a, &src, &m, err) || passes_run(&m, p ? p : &none, &res->passes, err) ||
      emit_c(&m, o, &a, &c, &nc, &h, &nh, &plan, err))
    goto done;
  if (compile_make_dirs(outdir, err)) goto done;
  char cpath[4096], hpath[4096], ctmp[4200], htmp[4200];
  snprintf(cpath, sizeof cpath, "%s/%s.c", outdir, o->name);
  snprintf(hpath, sizeof hpath, "%s/%s.h", outdir, o->name);
  snprintf(ctmp, sizeof ctmp, "%s.tmp%ld", cpath, (long)getpid());
  snprintf(htmp, sizeof htmp, "%s.tmp%ld", hpath, (long)getpid());
  if (write_all(ctmp, c, nc, err)) goto done;
  if (write_all(htmp, h, nh, err)) {
    unlink(ctmp);
    goto done;
  }
  if (rename(htmp, hpath) || rename(ctmp, cpath)) {
    errf(err, -1, "cannot write into %s: %s", outdir, strerror(errno));
    unlink(ctmp), unlink(htmp);
    goto done;
  }
  res->arena_bytes = plan.arena_bytes;
  res->state_bytes = plan.state_bytes;
  res->peak_bytes = m.g[0].peak_bytes;
  res->weight_bytes = m.g[0].weight_bytes;
  res->aliased = plan.aliased;
  snprintf(res->name, sizeof res->name, "%s", o->name);
  rc = 0;
done:
  free(c), free(h);
  arena_free(&a);
  return rc;
}
