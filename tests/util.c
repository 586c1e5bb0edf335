#include "util.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *shared_dir(void) {
  const char *d = getenv("MODELC_SHARED");
  if (!d || !*d) d = MODELC_SHARED_DIR;
  struct stat st;
  char models[4096];
  snprintf(models, sizeof models, "%s/models", d);
  if (stat(models, &st) == 0 && S_ISDIR(st.st_mode)) return d;
  if (getenv("CI")) cr_assert_fail("shared data not found at %s (CI is set: this is a failure)", d);
  return NULL;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, char ***list, size_t *n, size_t *cap) {
  DIR *d = opendir(dir);
  if (!d) return;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(path, &st)) continue;
    if (S_ISDIR(st.st_mode)) {
      walk(path, list, n, cap);
    } else {
      size_t len = strlen(path);
      if (len > 7 && strcmp(path + len - 7, ".tflite") == 0) {
        if (*n == *cap) *list = realloc(*list, (*cap = *cap ? 2 * *cap : 64) * sizeof **list);
        (*list)[(*n)++] = strdup(path);
      }
    }
  }
  closedir(d);
}

/* Listed once per process and kept reachable, so LeakSanitizer does not count it. */
static char **cached_list;
static size_t cached_n;

char **shared_models(size_t *n) {
  const char *d = shared_dir();
  char **list = NULL, sub[4096];
  size_t cap = 0;
  *n = cached_n;
  if (cached_list || !d) return cached_list;
  snprintf(sub, sizeof sub, "%s/models", d);
  walk(sub, &list, n, &cap);
  snprintf(sub, sizeof sub, "%s/testdata/seanet", d);
  walk(sub, &list, n, &cap);
  if (*n) qsort(list, *n, sizeof *list, cmp);
  cached_n = *n;
  return cached_list = list;
}

uint8_t *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  rewind(f);
  uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
  if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *n = (size_t)len;
  return buf;
}

int cpu_has_avx2(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 0;
#endif
}

int cpu_has_avx512(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return cpu_has_avx2() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512vnni");
#else
  return 0;
#endif
}

const char *modelc_bin(void) {
  const char *b = getenv("MODELC_BIN");
  return b && *b ? b : MODELC_BIN;
}

char *read_text(const char *path, size_t *n) {
  char *s = (char *)read_file(path, n);
  if (!s) return NULL;
  s = realloc(s, *n + 1);
  s[*n] = 0;
  return s;
}

Run sh_run(const char *cmdline) {
  char dir[] = "/tmp/modelc-sh-XXXXXX", out[256], err[256];
  cr_assert(mkdtemp(dir));
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(err, sizeof err, "%s/err", dir);
  size_t ncmd = strlen(cmdline) + 2 * sizeof out + 16;
  char *cmd = malloc(ncmd);
  cr_assert(cmd);
  snprintf(cmd, ncmd, "%s >'%s' 2>'%s'", cmdline, out, err);
  int st = system(cmd);
  free(cmd);
  Run r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, NULL, NULL, 0, 0};
  r.out = read_text(out, &r.nout);
  r.err = read_text(err, &r.nerr);
  unlink(out), unlink(err), rmdir(dir);
  cr_assert(r.out && r.err);
  return r;
}

Run modelc_run(const char *args) {
  size_t n = strlen(args) + strlen(modelc_bin()) + 4;
  char *cmd = malloc(n);
  cr_assert(cmd);
  snprintf(cmd, n, "'%s' %s", modelc_bin(), args);
  Run r = sh_run(cmd);
  free(cmd);
  return r;
}

void run_free(Run *r) { free(r->out), free(r->err); }
