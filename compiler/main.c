/* The modelc command line. The only place that prints errors and chooses exit codes:
   0 success, 2 a bad model or bad usage. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler/inspect.h"
#include "compiler/ir.h"

enum { EXIT_BAD = 2 };

typedef struct Command {
  const char *name;
  const char *summary;
  const char *usage;
  int (*run)(int argc, char **argv);
} Command;

static int cmd_inspect(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const Command commands[] = {
  {"inspect", "show a model's inputs, outputs, operators and totals",
   "usage: modelc inspect MODEL.tflite [--json]\n"
   "\n"
   "Reads MODEL.tflite, checks it, infers missing shapes, and prints its inputs and outputs\n"
   "(name, dtype, shape, scale, zero point), one line per operator (index, op, input and output\n"
   "shapes and dtypes, MACs, weight bytes), totals (MACs, weight bytes, tensor count, peak live\n"
   "activation bytes), the operators modelc cannot compile yet, and notes on anything read\n"
   "leniently. --json prints the same as one JSON document (docs/inspect-json.md).\n"
   "A malformed model prints one line naming what is wrong and where, and exits with status 2.\n",
   cmd_inspect},
  {"help", "show help for a command", "usage: modelc help [COMMAND]\n", cmd_help},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static void usage(FILE *f) {
  fputs("usage: modelc COMMAND [ARGS]\n\n"
        "modelc compiles TensorFlow Lite models ahead of time into self-contained C.\n\n"
        "commands:\n", f);
  for (int i = 0; i < NCOMMANDS; i++) fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fputs("\nmodelc help COMMAND shows a command's options; modelc --version its version.\n", f);
}

/* One line on stderr: "modelc: FILE: what is wrong". Control bytes from the file become '?'. */
static void report(const char *path, const Err *e) {
  char msg[ERR_MSG_MAX + 64];
  err_str(e, msg, sizeof msg);
  for (char *p = msg; *p; p++)
    if (iscntrl((unsigned char)*p)) *p = '?';
  fprintf(stderr, "modelc: %s: %s\n", path, msg);
}

/* A model file mapped read-only: large models are not copied, and the kernel, not malloc,
   decides what is resident. */
typedef struct Mapped {
  const uint8_t *p;
  size_t n;
} Mapped;

static int map_file(const char *path, Mapped *m, Err *err) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return errf(err, -1, "%s", strerror(errno));
  struct stat st;
  if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
    close(fd);
    return errf(err, -1, "not a regular file");
  }
  m->n = (size_t)st.st_size;
  m->p = NULL;
  if (m->n) {
    void *p = mmap(NULL, m->n, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      close(fd);
      return errf(err, -1, "cannot map: %s", strerror(errno));
    }
    m->p = p;
  }
  close(fd);
  return 0;
}

static void unmap_file(Mapped *m) {
  if (m->p) munmap((void *)m->p, m->n);
}

/* Everything decoded from a file of n bytes stays within this many bytes of memory. */
static size_t arena_limit(size_t n) {
  return n > (SIZE_MAX - (64u << 20)) / 64 ? SIZE_MAX : 64 * n + (64u << 20);
}

static int cmd_inspect(int argc, char **argv) {
  const char *path = NULL;
  bool json = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) json = true;
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "modelc inspect: unknown option '%s'\n%s", argv[i], commands[0].usage);
      return EXIT_BAD;
    } else if (path) {
      fprintf(stderr, "modelc inspect: one model at a time\n");
      return EXIT_BAD;
    } else {
      path = argv[i];
    }
  }
  if (!path) {
    fputs(commands[0].usage, stderr);
    return EXIT_BAD;
  }
  Err err = {.off = -1};
  Mapped file;
  if (map_file(path, &file, &err)) {
    report(path, &err);
    return EXIT_BAD;
  }
  Arena a;
  arena_init(&a, arena_limit(file.n));
  TflModel src;
  Model m;
  int status = 0;
  if (ir_load(file.p, file.n, &a, &src, &m, &err)) {
    report(path, &err);
    status = EXIT_BAD;
  } else if (json) {
    inspect_json(stdout, path, &m);
  } else {
    inspect_text(stdout, path, &m);
  }
  arena_free(&a);
  unmap_file(&file);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "modelc: writing output: %s\n", strerror(errno));
    return EXIT_BAD;
  }
  return status;
}

static const Command *find(const char *name) {
  for (int i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

static int cmd_help(int argc, char **argv) {
  if (argc < 2) {
    usage(stdout);
    return 0;
  }
  const Command *c = find(argv[1]);
  if (!c) {
    fprintf(stderr, "modelc: no command '%s'\n", argv[1]);
    return EXIT_BAD;
  }
  fputs(c->usage, stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_BAD;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("modelc %s\n", MODELC_VERSION);
    return 0;
  }
  const Command *c = find(argv[1]);
  if (!c) {
    fprintf(stderr, "modelc: no command '%s' (modelc --help lists them)\n", argv[1]);
    return EXIT_BAD;
  }
  if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
    fputs(c->usage, stdout);
    return 0;
  }
  return c->run(argc - 1, argv + 1);
}
