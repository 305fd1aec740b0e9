/* rmdir: remove empty directories.
 * Usage: rmdir [-p] DIRECTORY...
 *   -p  also remove each parent named in DIRECTORY (a/b/c: a/b/c, then a/b, then a). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BADSTATUS 1
static const char *prog = "rmdir";

static void usage_hint(void) {
#ifdef USAGE_LINE
  fprintf(stderr, "Usage: %s %s\n", prog, USAGE_LINE);
#endif
  fprintf(stderr, "Try '%s --help' for more information.\n", prog);
}

/* An unknown option: GNU's two lines on stderr, then exit with BADSTATUS. */
static void bad_option(int c, int argc, char **argv) {
  if (c == '-' && optind < argc && strncmp(argv[optind], "--", 2) == 0)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, argv[optind]);
  else if (c == '-' && optind > 1 && strncmp(argv[optind - 1], "--", 2) == 0)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, argv[optind - 1]);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", prog, c);
  usage_hint();
  exit(BADSTATUS);
}

/* GNU-style argument order: options may follow operands (until "--"), so move
 * every option (with its argument) before the operands, keeping their order. */
static void permute(int argc, char **argv, const char *optstring) {
  char **opts = malloc(sizeof *opts * (size_t)(argc + 1));
  char **ops = malloc(sizeof *ops * (size_t)(argc + 1));
  int no = 0, np = 0, i, k = 1;
  if (!opts || !ops) {
    free(opts);
    free(ops);
    return;
  }
  for (i = 1; i < argc; i++) {
    char *a = argv[i];
    if (strcmp(a, "--") == 0) break;
    if (a[0] != '-' || !a[1]) {
      ops[np++] = a;
      continue;
    }
    opts[no++] = a;
    for (int j = 1; a[j] && a[1] != '-'; j++) {
      const char *p = a[j] != ':' ? strchr(optstring, a[j]) : NULL;
      if (p && p[1] == ':') {
        if (!a[j + 1] && i + 1 < argc) opts[no++] = argv[++i];
        break;
      }
    }
  }
  for (int j = 0; j < no; j++) argv[k++] = opts[j];
  if (i < argc) argv[k++] = argv[i++]; /* the "--" itself */
  for (; i < argc; i++) ops[np++] = argv[i];
  for (int j = 0; j < np; j++) argv[k++] = ops[j];
  free(opts);
  free(ops);
}

static void strip_trailing_slashes(char *p) {
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/') p[--n] = '\0';
}

/* After DIR itself is gone: remove its parents, one component at a time. */
static int remove_parents(char *dir) {
  strip_trailing_slashes(dir);
  for (;;) {
    char *slash = strrchr(dir, '/');
    if (!slash) return 0;
    while (slash > dir && *slash == '/') slash--;
    slash[1] = '\0';
    if (rmdir(dir) != 0) {
      fprintf(stderr, "%s: failed to remove directory '%s': %s\n", prog, dir, strerror(errno));
      return 1;
    }
  }
}

int main(int argc, char **argv) {
  int parents = 0, c, status = 0;
  permute(argc, argv, "p");
  opterr = 0;
  while ((c = getopt(argc, argv, "p")) != -1) {
    if (c == 'p') parents = 1;
    else bad_option(optopt, argc, argv);
  }
  if (optind >= argc) {
    fprintf(stderr, "%s: missing operand\n", prog);
    usage_hint();
    return 1;
  }
  for (int i = optind; i < argc; i++) {
    if (rmdir(argv[i]) != 0) {
      fprintf(stderr, "%s: failed to remove '%s': %s\n", prog, argv[i], strerror(errno));
      status = 1;
    } else if (parents) {
      char *dir = strdup(argv[i]);
      if (dir) status |= remove_parents(dir);
      free(dir);
    }
  }
  return status;
}
