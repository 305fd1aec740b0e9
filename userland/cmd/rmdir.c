/* rmdir: remove empty directories.
 * Usage: rmdir [-p] DIRECTORY...
 *   -p  also remove each parent named in DIRECTORY (a/b/c: a/b/c, then a/b, then a). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"

const char *prog = "rmdir";

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
  int parents = 0, status = 0;
  while (next_option(argc, argv, "p") != -1) parents = 1;
  if (optind >= argc) usage_error("missing operand");
  for (int i = optind; i < argc; i++) {
    if (rmdir(argv[i]) != 0) {
      fprintf(stderr, "%s: failed to remove '%s': %s\n", prog, argv[i], strerror(errno));
      status = 1;
    } else if (parents) {
      char *dir = xstrdup(argv[i]);
      status |= remove_parents(dir);
      free(dir);
    }
  }
  return status;
}
