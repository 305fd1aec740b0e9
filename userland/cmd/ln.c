/* ln: make links between files.
 * Usage: ln [-f] [-s] TARGET [LINK_NAME]     ln [-f] [-s] TARGET... DIRECTORY
 *   -s  make symbolic links instead of hard links
 *   -f  remove existing destination files first
 * With one operand the link is made in the current directory; when the last operand is a
 * directory, each TARGET is linked into it under its own base name. Hard links are made to a
 * symbolic link itself, not its target (GNU's -P, the default on Linux). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/path.h"
#include "../lib/util.h"

const char *prog = "ln";
static bool symbolic, force;

static int make_link(const char *source, const char *dest) {
  struct stat sst, dst;
  if (!symbolic) {
    if (lstat(source, &sst) != 0) {
      fprintf(stderr, "%s: failed to access '%s': %s\n", prog, source, strerror(errno));
      return 1;
    }
    if (S_ISDIR(sst.st_mode)) {
      fprintf(stderr, "%s: %s: hard link not allowed for directory\n", prog, source);
      return 1;
    }
  }
  if (force && lstat(dest, &dst) == 0) {
    if (!symbolic && same_file(&sst, &dst)) {
      fprintf(stderr, "%s: '%s' and '%s' are the same file\n", prog, source, dest);
      return 1;
    }
    if (S_ISDIR(dst.st_mode)) {
      fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, dest, strerror(EISDIR));
      return 1;
    }
    if (unlink(dest) != 0 && errno != ENOENT) {
      fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, dest, strerror(errno));
      return 1;
    }
  }
  if (symbolic) {
    if (symlink(source, dest) != 0) {
      fprintf(stderr, "%s: failed to create symbolic link '%s': %s\n", prog, dest, strerror(errno));
      return 1;
    }
  } else if (link(source, dest) != 0) {
    int e = errno;
    if (e == EEXIST || e == ENOSPC || e == EROFS)
      fprintf(stderr, "%s: failed to create hard link '%s': %s\n", prog, dest, strerror(e));
    else
      fprintf(stderr, "%s: failed to create hard link '%s' => '%s': %s\n", prog, dest, source, strerror(e));
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  int c;
  while ((c = next_option(argc, argv, "fs")) != -1) {
    if (c == 'f') force = true;
    else symbolic = true;
  }
  int n = argc - optind;
  char **ops = argv + optind;
  if (n == 1) return into_dir(ops[0], ".", make_link);
  return to_target(n, ops, make_link);
}
