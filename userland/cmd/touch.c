/* touch: create files and set their access and modification times to now.
 * Usage: touch [-a] [-c] [-m] FILE...
 *   -a  change only the access time      -m  change only the modification time
 *   -c  do not create missing files
 * The times are set explicitly (clock_gettime, and the unchanged time from stat) rather than
 * with utimensat(NULL) or UTIME_NOW/UTIME_OMIT: the SDK's wasi-libc (Debian 0.0~git20220510)
 * turns a NULL times argument into the epoch and rejects UTIME_NOW/UTIME_OMIT with EINVAL. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/util.h"

const char *prog = "touch";
static int change_atime = 0, change_mtime = 0, no_create = 0;

static int touch(const char *file, struct timespec now) {
  struct stat st;
  if (stat(file, &st) != 0) {
    if (no_create) return 0;
    int fd = open(file, O_WRONLY | O_CREAT | O_NOCTTY, 0666);
    if (fd < 0) {
      fprintf(stderr, "%s: cannot touch '%s': %s\n", prog, file, strerror(errno));
      return 1;
    }
    close(fd);
    if (stat(file, &st) != 0) {
      fprintf(stderr, "%s: cannot touch '%s': %s\n", prog, file, strerror(errno));
      return 1;
    }
  }
  struct timespec ts[2];
  ts[0] = change_atime ? now : st.st_atim;
  ts[1] = change_mtime ? now : st.st_mtim;
  if (utimensat(AT_FDCWD, file, ts, 0) != 0) {
    fprintf(stderr, "%s: setting times of '%s': %s\n", prog, file, strerror(errno));
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  int c, status = 0;
  while ((c = next_option(argc, argv, "acm")) != -1) {
    switch (c) {
    case 'a': change_atime = 1; break;
    case 'm': change_mtime = 1; break;
    case 'c': no_create = 1; break;
    }
  }
  if (!change_atime && !change_mtime) change_atime = change_mtime = 1;
  if (optind >= argc) usage_error("missing file operand");
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (int i = optind; i < argc; i++) status |= touch(argv[i], now);
  return status;
}
