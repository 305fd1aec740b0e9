/* mv: move (rename) files.
 * Usage: mv [-f] [-n] SOURCE DEST     mv [-f] [-n] SOURCE... DIRECTORY
 *   -f  do not prompt before overwriting (the default: mv never prompts here)
 *   -n  do not overwrite an existing file (the last of -f and -n wins)
 * When rename fails with EXDEV (SOURCE and DEST on different mounts), SOURCE is copied
 * (recursively, symbolic links as links, times preserved) and then removed, as GNU mv does. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/copy.h"
#include "../lib/path.h"
#include "../lib/remove.h"
#include "../lib/util.h"

const char *prog = "mv";
static bool no_clobber;
/* A copy across mounts replaces what it cannot open and keeps the times. */
static const struct copy_options opts = {.force = true, .preserve = true};

/* rename gave EXDEV: copy SRC to DEST, then remove SRC. */
static int move_across(const char *src, const char *dest, const struct stat *sst) {
  struct stat dst;
  if (lstat(dest, &dst) == 0) {
    int r = S_ISDIR(dst.st_mode) ? rmdir(dest) : unlink(dest);
    if (r != 0) {
      fprintf(stderr, "%s: inter-device move failed: '%s' to '%s'; unable to remove target: %s\n", prog, src,
              dest, strerror(errno));
      return 1;
    }
  }
  if (copy_tree(src, dest, sst, &opts) != 0) return 1;
  return remove_path(src, true, false);
}

static int move(const char *src, const char *dest) {
  struct stat sst, dst;
  if (lstat(src, &sst) != 0) {
    fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, src, strerror(errno));
    return 1;
  }
  if (lstat(dest, &dst) == 0) {
    if (same_file(&sst, &dst)) {
      fprintf(stderr, "%s: '%s' and '%s' are the same file\n", prog, src, dest);
      return 1;
    }
    if (no_clobber) return 0;
    if (S_ISDIR(sst.st_mode) && !S_ISDIR(dst.st_mode)) {
      fprintf(stderr, "%s: cannot overwrite non-directory '%s' with directory '%s'\n", prog, dest, src);
      return 1;
    }
    if (!S_ISDIR(sst.st_mode) && S_ISDIR(dst.st_mode)) {
      fprintf(stderr, "%s: cannot overwrite directory '%s' with non-directory\n", prog, dest);
      return 1;
    }
  }
  if (S_ISDIR(sst.st_mode) && dest_inside(&sst, dest)) {
    fprintf(stderr, "%s: cannot move '%s' to a subdirectory of itself, '%s'\n", prog, src, dest);
    return 1;
  }
  if (rename(src, dest) == 0) return 0;
  if (errno == EXDEV) return move_across(src, dest, &sst);
  fprintf(stderr, "%s: cannot move '%s' to '%s': %s\n", prog, src, dest, strerror(errno));
  return 1;
}

int main(int argc, char **argv) {
  int c;
  while ((c = next_option(argc, argv, "fn")) != -1) no_clobber = c == 'n'; /* the last of -f and -n wins */
  return to_target(argc - optind, argv + optind, move);
}
