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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BADSTATUS 1
static const char *prog = "touch";

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
  permute(argc, argv, "acm");
  opterr = 0;
  while ((c = getopt(argc, argv, "acm")) != -1) {
    switch (c) {
    case 'a': change_atime = 1; break;
    case 'm': change_mtime = 1; break;
    case 'c': no_create = 1; break;
    default: bad_option(optopt, argc, argv);
    }
  }
  if (!change_atime && !change_mtime) change_atime = change_mtime = 1;
  if (optind >= argc) {
    fprintf(stderr, "%s: missing file operand\n", prog);
    usage_hint();
    return 1;
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (int i = optind; i < argc; i++) status |= touch(argv[i], now);
  return status;
}
