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
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/count.h"
#include "../lib/io.h"
#include "../lib/util.h"

#define BUFSIZE (64 * 1024)

const char *prog = "tail";
static bool count_bytes; /* -c rather than -n */
static bool from_start;  /* NUM had a leading '+' */
static uintmax_t count = 10;
static const char *current; /* the name of the input being read, for messages */
static char chunk[BUFSIZE];

/* Sets the count from the argument of -n or -c ("+NUM" counts from the start, "-NUM" as NUM). */
static void set_count(const char *arg, bool bytes) {
  const char *s = arg;
  count_bytes = bytes;
  from_start = *s == '+';
  if (*s == '+' || *s == '-') s++;
  count = count_arg(s, arg, bytes);
}

/* Copies the rest of fd to standard output. */
static bool copy_rest(int fd) {
  for (;;) {
    ssize_t got = read_some(fd, chunk, BUFSIZE, current);
    if (got <= 0) return got == 0;
    write_output(chunk, (size_t)got);
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
    ssize_t got = read_some(fd, chunk, BUFSIZE, current);
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
    write_output(chunk + used, (size_t)got - used);
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
        if (got < 0) fprintf(stderr, "%s: error reading '%s': %s\n", prog, current, strerror(errno));
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
    fprintf(stderr, "%s: cannot seek '%s': %s\n", prog, current, strerror(errno));
    return false;
  }
  return copy_rest(fd);
}

/* Where the last count lines or bytes in the buffer begin. */
static size_t tail_start(const struct buffer *b) {
  return count_bytes ? (b->len > count ? b->len - (size_t)count : 0) : last_lines_start(b->data, b->len, count);
}

/* Drops what is before the last count lines or bytes; again only once the buffer has doubled (linear). */
static size_t drop_front(struct buffer *b) {
  size_t start = tail_start(b);
  memmove(b->data, b->data + start, b->len - start);
  b->len -= start;
  return 2 * b->len + BUFSIZE;
}

/* The last count lines or bytes of a stream, keeping only what may still be printed. */
static bool tail_stream(int fd) {
  struct buffer b = {0};
  bool ok = read_trimmed(fd, current, &b, drop_front);
  if (ok) {
    size_t start = tail_start(&b);
    write_output(b.data + start, b.len - start);
  }
  free(b.data);
  return ok;
}

static bool tail_fd(int fd, const char *name) {
  current = name;
  struct stat st;
  bool have_stat = fstat(fd, &st) == 0;
  if (have_stat && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s: error reading '%s': %s\n", prog, current, strerror(EISDIR));
    return false;
  }
  if (from_start) return from_line_or_byte(fd);
  off_t start = have_stat && S_ISREG(st.st_mode) ? lseek(fd, 0, SEEK_CUR) : -1;
  if (start >= 0 && start <= st.st_size) return tail_seekable(fd, start, st.st_size);
  return tail_stream(fd);
}

/* Recognises "-NUM[cl]" or "+NUM[cl]" as the first argument (the old form): true when it was. */
static bool old_form(int argc, char **argv, int *headers) {
  (void)headers;
  const char *arg = argv[1];
  if ((arg[0] != '-' && arg[0] != '+') || arg[1] < '0' || arg[1] > '9') return false;
  const char *p = arg + 1;
  while (*p >= '0' && *p <= '9') p++;
  if (*p && (p[1] || (*p != 'c' && *p != 'l'))) return false;
  if (argc > 3 || (argc == 3 && argv[2][0] == '-' && argv[2][1])) {
    if (arg[0] == '+') return false; /* a file name */
    fprintf(stderr, "%s: option used in invalid context -- %c\n", prog, arg[1]);
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

int main(int argc, char **argv) { return head_tail_main(argc, argv, old_form, set_count, tail_fd); }
