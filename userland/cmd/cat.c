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
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "cat"
#define BUFSIZE (64 * 1024)

static bool number_lines;
static uintmax_t line_number;  /* the last line number printed */
static bool at_line_start = true; /* carried across files, as GNU cat does */
static char inbuf[BUFSIZE];
static char outbuf[BUFSIZE + 64];

static void try_help(void) {
  fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
  exit(1);
}

/* Reports a getopt_long error (optstring begins with ':') as GNU does, and exits. */
static void option_error(int c, int argc, char **argv) {
  const char *arg = optind - 1 < argc ? argv[optind - 1] : NULL;
  if (c == ':' && arg && strncmp(arg, "--", 2) == 0)
    fprintf(stderr, "%s: option '%s' requires an argument\n", PROG, arg);
  else if (c == ':')
    fprintf(stderr, "%s: option requires an argument -- '%c'\n", PROG, optopt);
  else if (optopt == 0 && arg)
    fprintf(stderr, "%s: unrecognized option '%s'\n", PROG, arg);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", PROG, optopt);
  try_help();
}

static void write_all(const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(STDOUT_FILENO, buf, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
      exit(1);
    }
    buf += w;
    n -= (size_t)w;
  }
}

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

/* Copies descriptor `fd` (named `name`) to standard output; false after a read error. */
static bool copy_fd(int fd, const char *name) {
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s: %s: %s\n", PROG, name, strerror(EISDIR));
    return false;
  }
  for (;;) {
    ssize_t n = read(fd, inbuf, sizeof inbuf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "%s: %s: %s\n", PROG, name, strerror(errno));
      return false;
    }
    if (n == 0) return true;
    if (number_lines)
      number_chunk(inbuf, (size_t)n);
    else
      write_all(inbuf, (size_t)n);
  }
}

static bool cat_file(const char *name) {
  if (strcmp(name, "-") == 0) return copy_fd(STDIN_FILENO, name);
  int fd = open(name, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "%s: %s: %s\n", PROG, name, strerror(errno));
    return false;
  }
  bool ok = copy_fd(fd, name);
  close(fd);
  return ok;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"number", no_argument, NULL, 'n'}, {NULL, 0, NULL, 0}};
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":nu", longopts, NULL)) != -1) {
    switch (c) {
    case 'n': number_lines = true; break;
    case 'u': break;
    default: option_error(c, argc, argv);
    }
  }
  bool ok = true;
  if (optind == argc) return cat_file("-") ? 0 : 1;
  for (int i = optind; i < argc; i++)
    if (!cat_file(argv[i])) ok = false;
  return ok ? 0 : 1;
}
