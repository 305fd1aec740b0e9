/* rm: remove files and directories.
 * Usage: rm [-f] [-r|-R] FILE...
 *   -f      ignore missing files, never complain about them (exit 0 for them)
 *   -r, -R  remove directories and their contents recursively
 * Refuses a directory without -r, '.' and '..' as operands, and '/' with -r. Symbolic links are
 * removed, never followed. */
#include <stdbool.h>
#include <stdio.h>

#include "../lib/path.h"
#include "../lib/remove.h"
#include "../lib/util.h"

const char *prog = "rm";

/* '.', '..', or a path ending in /. or /.. */
static bool is_dot_or_dotdot(const char *path) {
  size_t len;
  const char *base = last_component(path, &len);
  return (len == 1 && base[0] == '.') || (len == 2 && base[0] == '.' && base[1] == '.');
}

static bool is_root(const char *path) {
  if (path[0] != '/') return false;
  for (const char *p = path; *p; p++)
    if (*p != '/') return false;
  return true;
}

int main(int argc, char **argv) {
  bool force = false, recursive = false;
  int c, status = 0;
  while ((c = next_option(argc, argv, "frR")) != -1) {
    if (c == 'f') force = true;
    else recursive = true;
  }
  if (optind >= argc) {
    if (force) return 0;
    usage_error("missing operand");
  }
  for (int i = optind; i < argc; i++) {
    const char *path = argv[i];
    if (recursive && is_dot_or_dotdot(path)) {
      fprintf(stderr, "%s: refusing to remove '.' or '..' directory: skipping '%s'\n", prog, path);
      status = 1;
    } else if (recursive && is_root(path)) {
      fprintf(stderr, "%s: it is dangerous to operate recursively on '%s'\n", prog, path);
      fprintf(stderr, "%s: use --no-preserve-root to override this failsafe\n", prog);
      status = 1;
    } else {
      status |= remove_path(path, recursive, force);
    }
  }
  return status;
}
