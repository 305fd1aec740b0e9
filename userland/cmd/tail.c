/*
 * tail: print the last part of files.
 *
 * Usage: tail [-qv] [-n [+]NUM | -c [+]NUM] [FILE...]
 *        tail -NUM[cl] [FILE] | tail +NUM[cl] [FILE]   (the old form, as the first argument)
 *   -n NUM   the last NUM lines (default 10); -n +NUM: from line NUM on
 *   -c NUM   the last NUM bytes; -c +NUM: from byte NUM on
 *   -q       never print headers; -v  always print headers
 * NUM may end with a multiplier as in GNU tail: b (512), k/K (1024), kB (1000), KiB, M, MB, G, ...
 * A last line without a newline counts as a line. Regular files are read from the end; pipes and
 * terminals are read through, keeping only what may be printed. With several files, each is
 * preceded by "==> FILE <==" and separated by a blank line. A FILE of "-", or no FILE, is standard
 * input (named "standard input"). No -f.
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

#define PROG "tail"
#define BUFSIZE (64 * 1024)

static bool count_bytes; /* -c rather than -n */
static bool from_start;  /* NUM had a leading '+' */
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

/* Sets the count from the argument of -n or -c ("+NUM" counts from the start, "-NUM" as NUM). */
static void set_count(const char *arg, bool bytes) {
  const char *s = arg;
  count_bytes = bytes;
  from_start = *s == '+';
  if (*s == '+' || *s == '-') s++;
  int e = parse_count(s, &count);
  if (e == 0) return;
  const char *what = bytes ? "bytes" : "lines";
  if (e == EOVERFLOW) /* glibc's text for EOVERFLOW, as GNU tail prints it */
    fprintf(stderr, "%s: invalid number of %s: '%s': Value too large for defined data type\n", PROG, what, arg);
  else
    fprintf(stderr, "%s: invalid number of %s: '%s'\n", PROG, what, arg);
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

/* Copies the rest of fd to standard output. */
static bool copy_rest(int fd) {
  for (;;) {
    ssize_t got = read_some(fd, chunk, BUFSIZE);
    if (got <= 0) return got == 0;
    write_all(chunk, (size_t)got);
  }
}

/* The offset in data[0..len) where its last n lines begin (a last line may lack its newline). */
static size_t last_lines_start(const char *data, size_t len, uintmax_t n) {
  if (n == 0) return len;
  size_t i = len;
  if (i > 0 && data[i - 1] == '\n') i--; /* the newline that ends the last line */
  for (; i > 0; i--)
    if (data[i - 1] == '\n' && --n == 0) return i;
  return 0;
}

/* -n +NUM and -c +NUM: skips count-1 lines or bytes, then copies the rest. */
static bool from_line_or_byte(int fd) {
  uintmax_t skip = count > 0 ? count - 1 : 0;
  while (skip > 0) {
    ssize_t got = read_some(fd, chunk, BUFSIZE);
    if (got <= 0) return got == 0;
    size_t used = 0;
    if (count_bytes) {
      used = skip < (uintmax_t)got ? (size_t)skip : (size_t)got;
      skip -= used;
    } else {
      while (skip > 0 && used < (size_t)got) {
        char *nl = memchr(chunk + used, '\n', (size_t)got - used);
        if (!nl) {
          used = (size_t)got;
          break;
        }
        used = (size_t)(nl - chunk) + 1;
        skip--;
      }
    }
    write_all(chunk + used, (size_t)got - used);
  }
  return copy_rest(fd);
}

/* The last count lines or bytes of a regular file whose data runs from `start` to `end`. */
static bool tail_seekable(int fd, off_t start, off_t end) {
  off_t from = start;
  if (count_bytes) {
    if ((uintmax_t)(end - start) > count) from = end - (off_t)count;
  } else if (count == 0) {
    from = end;
  } else {
    uintmax_t need = count;
    bool found = false;
    for (off_t pos = end; pos > start && !found;) {
      off_t block = pos - start < BUFSIZE ? pos - start : BUFSIZE;
      ssize_t got = pread(fd, chunk, (size_t)block, pos - block);
      if (got != block) {
        if (got < 0) fprintf(stderr, "%s: error reading '%s': %s\n", PROG, current, strerror(errno));
        if (got < 0) return false;
        break; /* the file shrank: print what is there */
      }
      for (off_t i = block; i > 0; i--) {
        if (chunk[i - 1] != '\n' || pos - block + i == end) continue; /* the last newline ends the last line */
        if (--need == 0) {
          from = pos - block + i;
          found = true;
          break;
        }
      }
      pos -= block;
    }
  }
  if (lseek(fd, from, SEEK_SET) < 0) {
    fprintf(stderr, "%s: cannot seek '%s': %s\n", PROG, current, strerror(errno));
    return false;
  }
  return copy_rest(fd);
}

/* The last count lines or bytes of a stream, keeping only what may still be printed. */
static bool tail_stream(int fd) {
  char *data = NULL;
  size_t len = 0, cap = 0, check_at = 0;
  bool ok = true;
  for (;;) {
    if (cap - len < BUFSIZE) {
      cap = cap ? cap * 2 : 4 * BUFSIZE;
      char *bigger = realloc(data, cap);
      if (!bigger) {
        fprintf(stderr, "%s: %s\n", PROG, strerror(ENOMEM));
        exit(1);
      }
      data = bigger;
    }
    ssize_t got = read_some(fd, data + len, BUFSIZE);
    if (got <= 0) {
      ok = got == 0;
      break;
    }
    len += (size_t)got;
    if (len < check_at) continue; /* trim only once the buffer has doubled: linear */
    size_t start = count_bytes ? (len > count ? len - (size_t)count : 0) : last_lines_start(data, len, count);
    memmove(data, data + start, len - start);
    len -= start;
    check_at = 2 * len + BUFSIZE;
  }
  if (ok) {
    size_t start = count_bytes ? (len > count ? len - (size_t)count : 0) : last_lines_start(data, len, count);
    write_all(data + start, len - start);
  }
  free(data);
  return ok;
}

static bool tail_fd(int fd) {
  struct stat st;
  bool have_stat = fstat(fd, &st) == 0;
  if (have_stat && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s: error reading '%s': %s\n", PROG, current, strerror(EISDIR));
    return false;
  }
  if (from_start) return from_line_or_byte(fd);
  off_t start = have_stat && S_ISREG(st.st_mode) ? lseek(fd, 0, SEEK_CUR) : -1;
  if (start >= 0 && start <= st.st_size) return tail_seekable(fd, start, st.st_size);
  return tail_stream(fd);
}

static bool tail_file(const char *name, bool header) {
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
  bool ok = tail_fd(fd);
  if (!is_stdin) close(fd);
  return ok;
}

/* Recognises "-NUM[cl]" or "+NUM[cl]" as the first argument (the old form): true when it was. */
static bool old_form(int argc, char **argv) {
  const char *arg = argv[1];
  if ((arg[0] != '-' && arg[0] != '+') || arg[1] < '0' || arg[1] > '9') return false;
  const char *p = arg + 1;
  while (*p >= '0' && *p <= '9') p++;
  if (*p && (p[1] || (*p != 'c' && *p != 'l'))) return false;
  if (argc > 3 || (argc == 3 && argv[2][0] == '-' && argv[2][1])) {
    if (arg[0] == '+') return false; /* a file name */
    fprintf(stderr, "%s: option used in invalid context -- %c\n", PROG, arg[1]);
    exit(1);
  }
  char number[64];
  size_t len = (size_t)(p - arg);
  if (len >= sizeof number) len = sizeof number - 1;
  memcpy(number, arg, len);
  number[len] = '\0';
  set_count(number, *p == 'c');
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
  if (argc > 1 && old_form(argc, argv)) {
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
  if (n == 0) return tail_file("-", header) ? 0 : 1;
  bool ok = true;
  for (int i = optind; i < argc; i++)
    if (!tail_file(argv[i], header)) ok = false;
  return ok ? 0 : 1;
}
