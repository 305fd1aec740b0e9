/*
 * yes: write a line over and over to standard output until it can no longer be written.
 *
 * Usage: yes [STRING...]
 * The line is "y", or the STRINGs joined by spaces. yes has no options: an argument beginning with '-'
 * is refused as GNU yes does (exit 1), unless it follows "--". Output goes in 64 KiB writes. When the reader of
 * standard output is gone, SIGPIPE ends the program quietly (as on Linux); any other write error is
 * reported and the exit status is 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"

#define BUFSIZE (64 * 1024)

const char *prog = "yes";

/* The line: the `n` words joined by spaces, then a newline, or "y\n" (malloc'd, length in *len). */
static char *make_line(int n_words, char **words, size_t *len) {
  size_t n = 0;
  for (int i = 0; i < n_words; i++) n += strlen(words[i]) + 1;
  if (n_words == 0) n = 2;
  char *line = xmalloc(n);
  if (n_words == 0) {
    memcpy(line, "y\n", 2);
  } else {
    size_t used = 0;
    for (int i = 0; i < n_words; i++) {
      size_t l = strlen(words[i]);
      memcpy(line + used, words[i], l);
      used += l;
      line[used++] = i + 1 < n_words ? ' ' : '\n';
    }
  }
  *len = n;
  return line;
}

int main(int argc, char **argv) {
  static const struct option no_options[] = {{NULL, 0, NULL, 0}};
  next_long_option(argc, argv, ":", no_options); /* refuses any option */
  size_t len;
  char *line = make_line(argc - optind, argv + optind, &len);
  /* As many whole copies of the line as fit in the buffer (at least one). */
  size_t copies = len < BUFSIZE ? BUFSIZE / len : 1;
  char *buf = xmalloc(copies * len);
  for (size_t i = 0; i < copies; i++) memcpy(buf + i * len, line, len);
  size_t total = copies * len, done = 0;
  for (;;) {
    ssize_t w = write(STDOUT_FILENO, buf + done, total - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("standard output: %s", strerror(errno));
    }
    done = (done + (size_t)w) % total;
  }
}
