/*
 * io.c: reads and writes that retry after EINTR and short writes, and the messages for their
 * failures. See io.h.
 */
#include "io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define BUFSIZE (64 * 1024)

ssize_t read_some(int fd, void *buf, size_t n, const char *name) {
  for (;;) {
    ssize_t got = read(fd, buf, n);
    if (got >= 0) return got;
    if (errno == EINTR) continue;
    fprintf(stderr, "%s: error reading '%s': %s\n", prog, name, strerror(errno));
    return -1;
  }
}

bool read_chunks(int fd, const char *name, void (*fn)(const char *data, size_t n, void *arg), void *arg) {
  static char buf[BUFSIZE];
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(EISDIR));
    return false;
  }
  for (;;) {
    ssize_t got = read(fd, buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
      return false;
    }
    if (got == 0) return true;
    fn(buf, (size_t)got, arg);
  }
}

int write_full(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

void write_stdout(const void *buf, size_t n, const char *what) {
  if (write_full(STDOUT_FILENO, buf, n) != 0) die("%s: %s", what, strerror(errno));
}

void buffer_reserve(struct buffer *b, size_t more) {
  if (b->cap - b->len >= more) return;
  size_t cap = b->cap ? b->cap * 2 : 4 * more;
  while (cap - b->len < more) cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void flush_stdout(void) {
  if (fflush(stdout) == EOF) die("write error: %s", strerror(errno));
}
