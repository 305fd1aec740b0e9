/*
 * util.c: the shell's small helpers: allocation that never returns NULL (out of memory ends the
 * shell with status 2), growing strings (sbuf), string vectors (strvec), messages on stderr, names.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

static void out_of_memory(void) {
  static const char msg[] = "sh: out of memory\n";
  write(2, msg, sizeof msg - 1);
  _exit(2);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) out_of_memory();
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) out_of_memory();
  return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

static void sb_grow(sbuf *b, size_t more) {
  if (b->n + more + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap * 2 : 64;
  while (cap < b->n + more + 1) cap *= 2;
  b->s = xrealloc(b->s, cap);
  b->cap = cap;
}

void sb_putc(sbuf *b, int c) {
  sb_grow(b, 1);
  b->s[b->n++] = (char)c;
}

void sb_putn(sbuf *b, const char *s, size_t n) {
  sb_grow(b, n);
  memcpy(b->s + b->n, s, n);
  b->n += n;
}

void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

const char *sb_str(sbuf *b) {
  sb_grow(b, 0);
  b->s[b->n] = '\0';
  return b->s;
}

char *sb_done(sbuf *b) {
  sb_grow(b, 0);
  b->s[b->n] = '\0';
  char *s = b->s;
  b->s = NULL;
  b->n = b->cap = 0;
  return s;
}

void sv_push(strvec *v, char *s) {
  if (v->n + 2 > v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->v = xrealloc(v->v, (size_t)v->cap * sizeof *v->v);
  }
  v->v[v->n++] = s;
  v->v[v->n] = NULL;
}

char **sv_term(strvec *v) {
  if (!v->v) {
    v->cap = 4;
    v->v = xmalloc((size_t)v->cap * sizeof *v->v);
    v->v[0] = NULL;
  }
  return v->v;
}

void sv_free(strvec *v) {
  for (int i = 0; i < v->n; i++) free(v->v[i]);
  free(v->v);
  v->v = NULL;
  v->n = v->cap = 0;
}

void sv_copy(strvec *dst, const strvec *src) {
  dst->v = NULL;
  dst->n = dst->cap = 0;
  for (int i = 0; i < src->n; i++) sv_push(dst, xstrdup(src->v[i]));
}

void write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

void put_str(int fd, const char *s) { write_all(fd, s, strlen(s)); }

char *read_all(int fd) {
  sbuf b = {0};
  enum { BUFSZ = 65536 };
  char *buf = xmalloc(BUFSZ); /* not on the stack */
  for (;;) {
    ssize_t n = read(fd, buf, BUFSZ);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sb_putn(&b, buf, (size_t)n);
  }
  free(buf);
  return sb_done(&b);
}

char *read_file(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return NULL;
  char *text = read_all(fd);
  close(fd);
  return text;
}

char *path_search(const char *path, const char *name) {
  for (;;) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    char *cand = xasprintf("%.*s%s%s", (int)len, path, len ? "/" : "", name);
    struct stat st;
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) return cand;
    free(cand);
    if (!end) return NULL;
    path = end + 1;
  }
}

void sh_warn(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n > sizeof buf - 2) n = (int)sizeof buf - 2;
  buf[n++] = '\n';
  write_all(2, "sh: ", 4);
  write_all(2, buf, (size_t)n);
}

int is_name_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int is_name_char(int c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

size_t name_len(const char *s) {
  if (!is_name_start((unsigned char)s[0])) return 0;
  size_t n = 1;
  while (is_name_char((unsigned char)s[n])) n++;
  return n;
}

int is_name(const char *s) {
  size_t n = name_len(s);
  return n > 0 && s[n] == '\0';
}

int parse_int(const char *s, long *out) {
  const char *p = s;
  if (*p == '-' || *p == '+') p++;
  if (!isdigit((unsigned char)*p)) return 0;
  errno = 0;
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || errno) return 0;
  *out = v;
  return 1;
}

/* The lowest stack address the shell may reach (0: not known); main.c sets it. */
uintptr_t stack_floor;

int stack_exhausted(void) {
  char here;
  return stack_floor && (uintptr_t)&here < stack_floor;
}
