/* cp: copy files and directories.
 * Usage: cp [-f] [-p] [-r|-R] SOURCE DEST     cp [-f] [-p] [-r|-R] SOURCE... DIRECTORY
 *   -r, -R  copy directories recursively; symbolic links inside are copied as links
 *           (without -r, a symbolic link SOURCE is followed and its file copied)
 *   -f      if a destination file cannot be opened, remove it and try again
 *   -p      preserve access and modification times (WASI has no modes or owners to keep)
 * A directory SOURCE without -r is omitted with GNU's message. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/copy.h"
#include "../lib/path.h"
#include "../lib/util.h"

const char *prog = "cp";
static bool recursive;
static struct copy_options opts;

static int copy_top(const char *src, const char *dest) {
  struct stat sst;
  if ((recursive ? lstat(src, &sst) : stat(src, &sst)) != 0) {
    fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, src, strerror(errno));
    return 1;
  }
  if (S_ISDIR(sst.st_mode)) {
    if (!recursive) {
      fprintf(stderr, "%s: -r not specified; omitting directory '%s'\n", prog, src);
      return 1;
    }
    if (dest_inside(&sst, dest)) {
      fprintf(stderr, "%s: cannot copy a directory, '%s', into itself, '%s'\n", prog, src, dest);
      return 1;
    }
  }
  return copy_tree(src, dest, &sst, &opts);
}

int main(int argc, char **argv) {
  int c;
  while ((c = next_option(argc, argv, "fprR")) != -1) {
    switch (c) {
    case 'f': opts.force = true; break;
    case 'p': opts.preserve = true; break;
    case 'r':
    case 'R': recursive = true; break;
    }
  }
  return to_target(argc - optind, argv + optind, copy_top);
}
