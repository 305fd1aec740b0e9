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

const char *prog = "head";
static bool count_bytes;   /* -c rather than -n */
static bool elide;         /* NUM had a leading '-' */
static uintmax_t count = 10;
static const char *current; /* the name of the input being read, for messages */
static char chunk[BUFSIZE];

/* Sets the count from the argument of -n or -c (a leading '-' means elide). */
static void set_count(const char *arg, bool bytes) {
  const char *s = arg;
  count_bytes = bytes;
  elide = *s == '-';
  if (elide) s++;
  count = count_arg(s, s, bytes);
}

/* Writes the first n bytes of the buffer and keeps the rest. */
static void flush_front(struct buffer *b, size_t n) {
  write_output(b->data, n);
  memmove(b->data, b->data + n, b->len - n);
  b->len -= n;
}

static bool first_bytes(int fd) {
  for (uintmax_t left = count; left > 0;) {
    ssize_t got = read_some(fd, chunk, left < BUFSIZE ? (size_t)left : BUFSIZE, current);
    if (got < 0) return false;
    if (got == 0) break;
    write_output(chunk, (size_t)got);
    left -= (uintmax_t)got;
  }
  return true;
}

static bool first_lines(int fd) {
  for (uintmax_t left = count; left > 0;) {
    ssize_t got = read_some(fd, chunk, BUFSIZE, current);
    if (got < 0) return false;
    if (got == 0) break;
    size_t used = 0;
    while (left > 0 && used < (size_t)got) {
      char *nl = memchr(chunk + used, '\n', (size_t)got - used);
      used = nl ? (size_t)(nl - chunk) + 1 : (size_t)got;
      if (nl) left--;
    }
    write_output(chunk, used);
    if (used < (size_t)got) lseek(fd, (off_t)used - got, SEEK_CUR); /* give back the rest, if seekable */
  }
  return true;
}

/* Prints what is more than the last `count` bytes, once that surplus is at least as large as what is
 * kept (so copying stays linear); looks again after the next read. */
static size_t flush_surplus_bytes(struct buffer *b) {
  if (b->len > count && b->len - count >= (count > BUFSIZE ? count : BUFSIZE)) flush_front(b, b->len - (size_t)count);
  return 0;
}

/* All but the last `count` bytes. */
static bool all_but_last_bytes(int fd) {
  struct buffer b = {0};
  bool ok = read_trimmed(fd, current, &b, flush_surplus_bytes);
  if (ok && b.len > count) write_output(b.data, b.len - (size_t)count);
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

/* Prints the lines before the last `count` complete ones; looks again only once the buffer has
 * doubled (linear). */
static size_t flush_surplus_lines(struct buffer *b) {
  uintmax_t lines = count_newlines(b->data, b->len);
  if (lines > count) flush_front(b, after_newline(b->data, b->len, lines - count));
  return 2 * b->len + BUFSIZE;
}

/* All but the last `count` lines (a last line without a newline counts). */
static bool all_but_last_lines(int fd) {
  struct buffer b = {0};
  bool ok = read_trimmed(fd, current, &b, flush_surplus_lines);
  if (ok) {
    uintmax_t lines = count_newlines(b.data, b.len);
    if (b.len > 0 && b.data[b.len - 1] != '\n') lines++; /* the unfinished last line */
    if (lines > count) {
      uintmax_t keep = lines - count;
      write_output(b.data, keep > count_newlines(b.data, b.len) ? b.len : after_newline(b.data, b.len, keep));
    }
  }
  free(b.data);
  return ok;
}

static bool head_fd(int fd, const char *name) {
  current = name;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s: error reading '%s': %s\n", prog, current, strerror(EISDIR));
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

/* Turns a leading "-NUM[cl][qv]" (the old form) into the count; returns true when it was one. */
static bool old_form(int argc, char **argv, int *headers) {
  (void)argc;
  const char *arg = argv[1];
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

int main(int argc, char **argv) { return head_tail_main(argc, argv, old_form, set_count, head_fd); }
