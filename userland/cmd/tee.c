/*
 * tee: copy standard input to standard output and to each FILE.
 *
 * Usage: tee [-ai] [FILE...]
 *   -a  append to the FILEs instead of truncating them
 *   -i  accepted for compatibility (webmach delivers no interrupt signals to programs)
 * A FILE of "-" is a file named "-", as POSIX says. A FILE that cannot be opened or written is
 * reported and dropped; the others are still written and the exit status is 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/util.h"

#define BUFSIZE (64 * 1024)

const char *prog = "tee";

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"append", no_argument, NULL, 'a'}, {"ignore-interrupts", no_argument, NULL, 'i'}, {NULL, 0, NULL, 0}};
  bool append = false;
  int c;
  while ((c = next_long_option(argc, argv, ":ai", longopts)) != -1)
    if (c == 'a') append = true; /* -i: nothing to ignore */
  int n = argc - optind;
  /* fds[0] is standard output, fds[1..n] the files (-1 once dropped). */
  int *fds = xmalloc(sizeof *fds * ((size_t)n + 1));
  bool ok = true;
  fds[0] = STDOUT_FILENO;
  int flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
  for (int i = 1; i <= n; i++) {
    fds[i] = open(argv[optind + i - 1], flags, 0666);
    if (fds[i] < 0) {
      fprintf(stderr, "%s: %s: %s\n", prog, argv[optind + i - 1], strerror(errno));
      ok = false;
    }
  }
  static char buf[BUFSIZE];
  int live = n + 1;
  while (live > 0) {
    ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "%s: read error: %s\n", prog, strerror(errno));
      ok = false;
      break;
    }
    if (got == 0) break;
    for (int i = 0; i <= n; i++) {
      if (fds[i] < 0 || write_full(fds[i], buf, (size_t)got) == 0) continue;
      fprintf(stderr, "%s: %s: %s\n", prog, i == 0 ? "standard output" : argv[optind + i - 1], strerror(errno));
      if (i > 0) close(fds[i]);
      fds[i] = -1;
      live--;
      ok = false;
    }
  }
  for (int i = 1; i <= n; i++) {
    if (fds[i] >= 0 && close(fds[i]) != 0) {
      fprintf(stderr, "%s: %s: %s\n", prog, argv[optind + i - 1], strerror(errno));
      ok = false;
    }
  }
  return ok ? 0 : 1;
}
