/*
 * count.c: the parts head and tail share: parsing counts, the options, and the files with their
 * headers. See count.h.
 */
#include "count.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "util.h"

#define BUFSIZE (64 * 1024)

int parse_count(const char *s, uintmax_t *out) {
  const char *p = s;
  while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
  if (*p == '-' || !(*p == '+' || (*p >= '0' && *p <= '9'))) return EINVAL;
  char *end;
  errno = 0;
  uintmax_t v = strtoumax(s, &end, 10);
  if (end == s) return EINVAL;
  bool overflow = errno == ERANGE;
  if (*end) {
    static const char powers[] = "kmGTPEZYRQ"; /* k is 1024^1 (or 1000^1), m 1024^2, ... */
    unsigned base = 1024, power = 1;
    if (*end == 'b') {
      base = 512;
      if (end[1]) return EINVAL;
    } else {
      const char *letter = strchr(powers, *end == 'K' ? 'k' : *end == 'M' ? 'm' : *end);
      if (!letter) return EINVAL;
      power = (unsigned)(letter - powers) + 1;
      if (strcmp(end + 1, "B") == 0)
        base = 1000;
      else if (end[1] && strcmp(end + 1, "iB") != 0)
        return EINVAL;
    }
    for (unsigned i = 0; i < power; i++) {
      if (v > UINTMAX_MAX / base) overflow = true;
      v *= base;
    }
  }
  if (overflow) return EOVERFLOW;
  *out = v;
  return 0;
}

uintmax_t count_arg(const char *digits, const char *shown, bool bytes) {
  uintmax_t count;
  int e = parse_count(digits, &count);
  if (e == 0) return count;
  die("invalid number of %s: '%s'%s", bytes ? "bytes" : "lines", shown,
      e == EOVERFLOW ? ": Value too large for defined data type" : ""); /* glibc's text, as GNU prints it */
}

void write_output(const void *buf, size_t n) { write_stdout(buf, n, "error writing 'standard output'"); }

bool read_trimmed(int fd, const char *name, struct buffer *b, size_t (*trim)(struct buffer *b)) {
  size_t check_at = 0;
  for (;;) {
    buffer_reserve(b, BUFSIZE);
    ssize_t got = read_some(fd, b->data + b->len, BUFSIZE, name);
    if (got <= 0) return got == 0;
    b->len += (size_t)got;
    if (b->len >= check_at) check_at = trim(b);
  }
}

/* RUN on the input NAME, after its header when HEADER. */
static bool run_file(const char *name, bool header, bool (*run)(int fd, const char *name)) {
  static bool first = true;
  bool is_stdin = strcmp(name, "-") == 0;
  const char *shown = is_stdin ? "standard input" : name;
  int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "%s: cannot open '%s' for reading: %s\n", prog, name, strerror(errno));
    return false;
  }
  if (header) {
    char line[4096 + 16];
    int n = snprintf(line, sizeof line, "%s==> %s <==\n", first ? "" : "\n", shown);
    write_output(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
    first = false;
  }
  bool ok = run(fd, shown);
  if (!is_stdin) close(fd);
  return ok;
}

int head_tail_main(int argc, char **argv, bool (*old_form)(int argc, char **argv, int *headers),
                   void (*set_count)(const char *arg, bool bytes), bool (*run)(int fd, const char *name)) {
  static const struct option longopts[] = {{"bytes", required_argument, NULL, 'c'},
                                           {"lines", required_argument, NULL, 'n'},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {"silent", no_argument, NULL, 'q'},
                                           {"verbose", no_argument, NULL, 'v'},
                                           {NULL, 0, NULL, 0}};
  int headers = -1; /* -1: when there are several files; 0: never (-q); 1: always (-v) */
  if (argc > 1 && old_form(argc, argv, &headers)) {
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  int c;
  while ((c = next_long_option(argc, argv, ":c:n:qv", longopts)) != -1) {
    switch (c) {
    case 'c': set_count(optarg, true); break;
    case 'n': set_count(optarg, false); break;
    case 'q': headers = 0; break;
    case 'v': headers = 1; break;
    }
  }
  int n = argc - optind;
  bool header = headers == 1 || (headers == -1 && n > 1);
  if (n == 0) return run_file("-", header, run) ? 0 : 1;
  bool ok = true;
  for (int i = optind; i < argc; i++)
    if (!run_file(argv[i], header, run)) ok = false;
  return ok ? 0 : 1;
}
