/* uniq: report or omit repeated adjacent lines.
 * Usage: uniq [-c] [-d] [-u] [-i] [INPUT [OUTPUT]]
 *   -c  prefix each output line with its count (GNU's "%7d " format)
 *   -d  print only lines that are repeated (one per group)
 *   -u  print only lines that are not repeated
 *   -i  compare lines ignoring case
 * INPUT "-" or no INPUT: standard input; no OUTPUT: standard output. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"

const char *prog = "uniq";
static int count = 0, repeated_only = 0, unique_only = 0, ignore_case = 0;

static int same(const char *a, size_t an, const char *b, size_t bn) {
  if (an != bn) return 0;
  if (!ignore_case) return memcmp(a, b, an) == 0;
  for (size_t i = 0; i < an; i++)
    if (toupper((unsigned char)a[i]) != toupper((unsigned char)b[i])) return 0;
  return 1;
}

static void emit(FILE *out, const char *line, size_t len, unsigned long n) {
  if (repeated_only && n < 2) return;
  if (unique_only && n > 1) return;
  if (count) fprintf(out, "%7lu ", n);
  fwrite(line, 1, len, out);
  putc('\n', out);
}

/* getline without the trailing newline. */
static ssize_t read_line(char **line, size_t *cap, FILE *in) {
  ssize_t n = getline(line, cap, in);
  if (n > 0 && (*line)[n - 1] == '\n') (*line)[--n] = '\0';
  return n;
}

int main(int argc, char **argv) {
  int c;
  while ((c = next_option(argc, argv, "cdui")) != -1) {
    switch (c) {
    case 'c': count = 1; break;
    case 'd': repeated_only = 1; break;
    case 'u': unique_only = 1; break;
    case 'i': ignore_case = 1; break;
    }
  }
  int n = argc - optind;
  if (n > 2) usage_error("extra operand '%s'", argv[optind + 2]);
  const char *inname = n >= 1 ? argv[optind] : "-";
  FILE *in = stdin, *out = stdout;
  if (strcmp(inname, "-") != 0 && !(in = fopen(inname, "r"))) {
    fprintf(stderr, "%s: %s: %s\n", prog, inname, strerror(errno));
    return 1;
  }
  if (n == 2 && strcmp(argv[optind + 1], "-") != 0 && !(out = fopen(argv[optind + 1], "w"))) {
    fprintf(stderr, "%s: %s: %s\n", prog, argv[optind + 1], strerror(errno));
    return 1;
  }
  setvbuf(in, NULL, _IOFBF, 65536);
  setvbuf(out, NULL, _IOFBF, 65536);
  char *prev = NULL, *line = NULL;
  size_t prevcap = 0, linecap = 0;
  ssize_t prevlen = -1, len;
  unsigned long group = 0;
  while ((len = read_line(&line, &linecap, in)) >= 0) {
    if (prevlen >= 0 && same(prev, (size_t)prevlen, line, (size_t)len)) {
      group++;
      continue;
    }
    if (prevlen >= 0) emit(out, prev, (size_t)prevlen, group);
    char *t = prev;
    size_t tc = prevcap;
    prev = line, prevcap = linecap, prevlen = len;
    line = t, linecap = tc;
    group = 1;
  }
  int status = 0;
  if (ferror(in)) {
    fprintf(stderr, "%s: %s: %s\n", prog, inname, strerror(errno));
    status = 1;
  }
  if (prevlen >= 0) emit(out, prev, (size_t)prevlen, group);
  if (fflush(out) != 0 || ferror(out)) {
    fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
    status = 1;
  }
  free(prev);
  free(line);
  return status;
}
