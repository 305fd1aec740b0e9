/*
 * cat: concatenate files to standard output.
 *
 * Usage: cat [-nu] [FILE...]
 *   -n  number every output line ("%6d\t", counting on across files, as GNU cat)
 *   -u  ignored (output is never buffered)
 * A FILE of "-", or no FILE, is standard input. A file that cannot be read is reported and
 * skipped; the exit status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/util.h"

#define BUFSIZE (64 * 1024)

const char *prog = "cat";
static bool number_lines;
static uintmax_t line_number;  /* the last line number printed */
static bool at_line_start = true; /* carried across files, as GNU cat does */
static char outbuf[BUFSIZE + 64];

static void write_all(const char *buf, size_t n) { write_stdout(buf, n, "write error"); }

/* Copies `n` bytes of input to the output, numbering lines. */
static void number_chunk(const char *p, size_t n) {
  size_t used = 0;
  for (size_t i = 0; i < n; i++) {
    if (used >= BUFSIZE) {
      write_all(outbuf, used);
      used = 0;
    }
    if (at_line_start) {
      used += (size_t)snprintf(outbuf + used, 64, "%6" PRIuMAX "\t", ++line_number);
      at_line_start = false;
    }
    outbuf[used++] = p[i];
    if (p[i] == '\n') at_line_start = true;
  }
  write_all(outbuf, used);
}

static void output_chunk(const char *p, size_t n, void *unused) {
  (void)unused;
  if (number_lines)
    number_chunk(p, n);
  else
    write_all(p, n);
}

/* Copies descriptor `fd` (named `name`) to standard output; false after a read error. */
static bool copy_fd(int fd, const char *name) { return read_chunks(fd, name, output_chunk, NULL); }

static bool cat_file(const char *name) {
  if (strcmp(name, "-") == 0) return copy_fd(STDIN_FILENO, name);
  int fd = open(name, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
    return false;
  }
  bool ok = copy_fd(fd, name);
  close(fd);
  return ok;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"number", no_argument, NULL, 'n'}, {NULL, 0, NULL, 0}};
  int c;
  while ((c = next_long_option(argc, argv, ":nu", longopts)) != -1)
    if (c == 'n') number_lines = true; /* -u: output is never buffered anyway */
  bool ok = true;
  if (optind == argc) return cat_file("-") ? 0 : 1;
  for (int i = optind; i < argc; i++)
    if (!cat_file(argv[i])) ok = false;
  return ok ? 0 : 1;
}
