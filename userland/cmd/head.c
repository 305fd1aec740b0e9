/*
 * head: print the first part of files.
 *
 * Usage: head [-qv] [-n [-]NUM | -c [-]NUM | -NUM[cl]] [FILE...]
 *   -n NUM   the first NUM lines (default 10); -n -NUM: all but the last NUM lines
 *   -c NUM   the first NUM bytes; -c -NUM: all but the last NUM bytes
 *   -q       never print headers; -v  always print headers
 *   -NUM     (first argument only, the old form) as -n NUM, or -c NUM with a 'c' after it
 * NUM may end with a multiplier as in GNU head: b (512), k/K (1024), kB (1000), KiB, M, MB, G, ...
 * With several files, each is preceded by "==> FILE <==" and separated by a blank line. A FILE of
 * "-", or no FILE, is standard input (named "standard input"). When head stops early in seekable
 * input, the offset is left just after what it printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "head"
#define BUFSIZE (64 * 1024)

static bool count_bytes;   /* -c rather than -n */
static bool elide;         /* NUM had a leading '-' */
static uintmax_t count = 10;
static const char *current; /* the name of the input being read, for messages */
static char chunk[BUFSIZE];

static void try_help(void) {
  fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
  exit(1);
}

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

/* Parses a count with an optional multiplier suffix: 0 on success, EINVAL, or EOVERFLOW. */
static int parse_count(const char *s, uintmax_t *out) {
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

/* Sets the count from the argument of -n or -c (a leading '-' means elide). */
static void set_count(const char *arg, bool bytes) {
  const char *s = arg;
  count_bytes = bytes;
  elide = *s == '-';
  if (elide) s++;
  int e = parse_count(s, &count);
  if (e == 0) return;
  const char *what = bytes ? "bytes" : "lines";
  if (e == EOVERFLOW) /* glibc's text for EOVERFLOW, as GNU head prints it */
    fprintf(stderr, "%s: invalid number of %s: '%s': Value too large for defined data type\n", PROG, what, s);
  else
    fprintf(stderr, "%s: invalid number of %s: '%s'\n", PROG, what, s);
  exit(1);
}

static void write_all(const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(STDOUT_FILENO, buf, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "%s: error writing 'standard output': %s\n", PROG, strerror(errno));
      exit(1);
    }
    buf += w;
    n -= (size_t)w;
  }
}

/* Reads up to n bytes; -1 after reporting a read error. */
static ssize_t read_some(int fd, char *buf, size_t n) {
  for (;;) {
    ssize_t got = read(fd, buf, n);
    if (got >= 0) return got;
    if (errno == EINTR) continue;
    fprintf(stderr, "%s: error reading '%s': %s\n", PROG, current, strerror(errno));
    return -1;
  }
}

/* A growable buffer for the elide modes. */
struct buffer {
  char *data;
  size_t len, cap;
};

/* Makes room for BUFSIZE more bytes. */
static void reserve(struct buffer *b) {
  if (b->cap - b->len >= BUFSIZE) return;
  size_t cap = b->cap ? b->cap * 2 : 4 * BUFSIZE;
  while (cap - b->len < BUFSIZE) cap *= 2;
  char *data = realloc(b->data, cap);
  if (!data) {
    fprintf(stderr, "%s: %s\n", PROG, strerror(ENOMEM));
    exit(1);
  }
  b->data = data;
  b->cap = cap;
}

/* Writes the first n bytes of the buffer and keeps the rest. */
static void flush_front(struct buffer *b, size_t n) {
  write_all(b->data, n);
  memmove(b->data, b->data + n, b->len - n);
  b->len -= n;
}

static bool first_bytes(int fd) {
  for (uintmax_t left = count; left > 0;) {
    ssize_t got = read_some(fd, chunk, left < BUFSIZE ? (size_t)left : BUFSIZE);
    if (got < 0) return false;
    if (got == 0) break;
    write_all(chunk, (size_t)got);
    left -= (uintmax_t)got;
  }
  return true;
}

static bool first_lines(int fd) {
  for (uintmax_t left = count; left > 0;) {
    ssize_t got = read_some(fd, chunk, BUFSIZE);
    if (got < 0) return false;
    if (got == 0) break;
    size_t used = 0;
    while (left > 0 && used < (size_t)got) {
      char *nl = memchr(chunk + used, '\n', (size_t)got - used);
      used = nl ? (size_t)(nl - chunk) + 1 : (size_t)got;
      if (nl) left--;
    }
    write_all(chunk, used);
    if (used < (size_t)got) lseek(fd, (off_t)used - got, SEEK_CUR); /* give back the rest, if seekable */
  }
  return true;
}

/* All but the last `count` bytes. */
static bool all_but_last_bytes(int fd) {
  struct buffer b = {0};
  bool ok = true;
  for (;;) {
    reserve(&b);
    ssize_t got = read_some(fd, b.data + b.len, BUFSIZE);
    if (got <= 0) {
      ok = got == 0;
      break;
    }
    b.len += (size_t)got;
    /* Flush when the surplus is at least as large as what is kept, so copying stays linear. */
    if (b.len > count && b.len - count >= (count > BUFSIZE ? count : BUFSIZE)) flush_front(&b, b.len - (size_t)count);
  }
  if (ok && b.len > count) write_all(b.data, b.len - (size_t)count);
  free(b.data);
  return ok;
}

/* The offset just after the k-th newline of data[0..len) (k >= 1, at most the number of them). */
static size_t after_newline(const char *data, size_t len, uintmax_t k) {
  size_t pos = 0;
  for (; k > 0; k--) pos = (size_t)((const char *)memchr(data + pos, '\n', len - pos) - data) + 1;
  return pos;
}

static uintmax_t count_newlines(const char *data, size_t len) {
  uintmax_t n = 0;
  for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) n++;
  return n;
}

/* All but the last `count` lines (a last line without a newline counts). */
static bool all_but_last_lines(int fd) {
  struct buffer b = {0};
  size_t check_at = 0;
  bool ok = true;
  for (;;) {
    reserve(&b);
    ssize_t got = read_some(fd, b.data + b.len, BUFSIZE);
    if (got <= 0) {
      ok = got == 0;
      break;
    }
    b.len += (size_t)got;
    if (b.len < check_at) continue; /* look again only once the buffer has doubled: linear */
    uintmax_t lines = count_newlines(b.data, b.len);
    if (lines > count) flush_front(&b, after_newline(b.data, b.len, lines - count));
    check_at = 2 * b.len + BUFSIZE;
  }
  if (ok) {
    uintmax_t lines = count_newlines(b.data, b.len);
    if (b.len > 0 && b.data[b.len - 1] != '\n') lines++; /* the unfinished last line */
    if (lines > count) {
      uintmax_t keep = lines - count;
      write_all(b.data, keep > count_newlines(b.data, b.len) ? b.len : after_newline(b.data, b.len, keep));
    }
  }
  free(b.data);
  return ok;
}

static bool head_fd(int fd) {
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s: error reading '%s': %s\n", PROG, current, strerror(EISDIR));
    return false;
  }
  if (elide && count == 0) elide = false, count = UINTMAX_MAX; /* -n -0: everything */
  bool ok;
  if (count_bytes)
    ok = elide ? all_but_last_bytes(fd) : first_bytes(fd);
  else
    ok = elide ? all_but_last_lines(fd) : first_lines(fd);
  return ok;
}

static bool head_file(const char *name, bool header) {
  static bool first = true;
  bool is_stdin = strcmp(name, "-") == 0;
  current = is_stdin ? "standard input" : name;
  int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "%s: cannot open '%s' for reading: %s\n", PROG, name, strerror(errno));
    return false;
  }
  if (header) {
    char line[4096 + 16];
    int n = snprintf(line, sizeof line, "%s==> %s <==\n", first ? "" : "\n", current);
    write_all(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
    first = false;
  }
  bool ok = head_fd(fd);
  if (!is_stdin) close(fd);
  return ok;
}

/* Turns a leading "-NUM[cl][qv]" (the old form) into the count; returns true when it was one. */
static bool old_form(const char *arg, int *headers) {
  if (arg[0] != '-' || arg[1] < '0' || arg[1] > '9') return false;
  const char *p = arg + 1;
  while (*p >= '0' && *p <= '9') p++;
  char number[64];
  size_t len = (size_t)(p - arg - 1);
  if (len >= sizeof number) len = sizeof number - 1;
  memcpy(number, arg + 1, len);
  number[len] = '\0';
  bool bytes = false;
  for (; *p; p++) {
    if (*p == 'c') bytes = true;
    else if (*p == 'l') bytes = false;
    else if (*p == 'q') *headers = 0;
    else if (*p == 'v') *headers = 1;
    else return false;
  }
  set_count(number, bytes);
  return true;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"bytes", required_argument, NULL, 'c'},
                                           {"lines", required_argument, NULL, 'n'},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {"silent", no_argument, NULL, 'q'},
                                           {"verbose", no_argument, NULL, 'v'},
                                           {NULL, 0, NULL, 0}};
  int headers = -1; /* -1: when there are several files; 0: never (-q); 1: always (-v) */
  if (argc > 1 && old_form(argv[1], &headers)) {
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":c:n:qv", longopts, NULL)) != -1) {
    switch (c) {
    case 'c': set_count(optarg, true); break;
    case 'n': set_count(optarg, false); break;
    case 'q': headers = 0; break;
    case 'v': headers = 1; break;
    default: option_error(c, argc, argv);
    }
  }
  int n = argc - optind;
  bool header = headers == 1 || (headers == -1 && n > 1);
  if (n == 0) return head_file("-", header) ? 0 : 1;
  bool ok = true;
  for (int i = optind; i < argc; i++)
    if (!head_file(argv[i], header)) ok = false;
  return ok ? 0 : 1;
}
