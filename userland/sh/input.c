/*
 * input.c: where the shell's commands come from, one character at a time: a string (sh -c, eval,
 * a script file or a `.` file read whole), or a descriptor read a line at a time (standard input),
 * never past the end of the line, so that commands the shell runs and the `read` builtin find the
 * rest of the input where the shell left it. On a terminal each line is asked for with the prompt
 * PS1 (PS2 for a continuation line), printed on standard error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

struct src {
  int is_str;
  char *str;
  size_t len, pos;
  int fd;
  int interactive;
  int ps2;      /* the next line is a continuation line */
  int eof;
  sbuf line;    /* descriptor: the current line (with its newline) */
  size_t lpos;
  int push[8];
  int npush;
  int lineno;
};

struct src *src_string(const char *text, int lineno) {
  struct src *s = xmalloc(sizeof *s);
  memset(s, 0, sizeof *s);
  s->is_str = 1;
  s->len = strlen(text);
  s->str = xstrndup(text, s->len);
  s->lineno = lineno;
  s->fd = -1;
  return s;
}

struct src *src_fd(int fd, int interactive) {
  struct src *s = xmalloc(sizeof *s);
  memset(s, 0, sizeof *s);
  s->fd = fd;
  s->interactive = interactive;
  s->lineno = 1;
  return s;
}

void src_free(struct src *s) {
  if (!s) return;
  free(s->str);
  free(s->line.s);
  free(s);
}

/* Read-ahead for a seekable descriptor (a script or data file on standard input): one block is
 * read and lines are served from it; rbuf_sync seeks the descriptor back to the end of what was
 * used before anything else can see its offset (a program started, the descriptor replaced or
 * closed, the shell exiting). One descriptor at a time. */
static struct {
  char buf[4096];
  size_t pos, len;
  off_t off; /* file offset of buf[0] */
  int fd, valid;
} rb;

void rbuf_sync(int fd) {
  if (!rb.valid || (fd >= 0 && fd != rb.fd)) return;
  if (rb.pos < rb.len) lseek(rb.fd, rb.off + (off_t)rb.pos, SEEK_SET);
  rb.valid = 0;
}

/* Fills the buffer from fd; 1 if it has data, 0 at end of file, -1 if fd cannot seek. */
static int rbuf_fill(int fd) {
  if (rb.valid && rb.fd == fd && rb.pos < rb.len) return 1;
  if (rb.valid) rbuf_sync(-1);
  off_t where = lseek(fd, 0, SEEK_CUR);
  if (where < 0) return -1;
  ssize_t n;
  do n = read(fd, rb.buf, sizeof rb.buf);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return 0;
  rb.fd = fd;
  rb.off = where;
  rb.pos = 0;
  rb.len = (size_t)n;
  rb.valid = 1;
  return 1;
}

/* One line from fd into b (newline dropped, *newline set when there was one): through the
 * read-ahead buffer when fd can seek, else byte by byte, never consuming past the newline.
 * 0 at end of input. */
int read_line_fd(int fd, sbuf *b, int *newline) {
  *newline = 0;
  int got = 0, r;
  while ((r = rbuf_fill(fd)) > 0) {
    char *start = rb.buf + rb.pos;
    char *nl = memchr(start, '\n', rb.len - rb.pos);
    size_t take = nl ? (size_t)(nl - start) : rb.len - rb.pos;
    sb_putn(b, start, take);
    got = 1;
    rb.pos += take;
    if (nl) {
      rb.pos++;
      *newline = 1;
      return 1;
    }
  }
  if (r == 0) return got;
  for (;;) {
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR && g.typed && g.interactive && fd == 0) { /* ^C at the prompt: the line is abandoned */
      g.typed = 0;
      b->n = 0;
      return -2;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return got;
    got = 1;
    if (c == '\n') {
      *newline = 1;
      return 1;
    }
    sb_putc(b, c);
  }
}

/* PS1 or PS2, after parameter expansion, on standard error. */
static void prompt(struct src *s) {
  const char *p = var_get(s->ps2 ? "PS2" : "PS1");
  s->ps2 = 1;
  if (!p) return;
  int pending = g.pending;
  char *e = strchr(p, '$') || strchr(p, '`') ? expand_string(p, X_NOTILDE) : NULL;
  g.pending = pending;
  put_str(2, e ? e : p);
  free(e);
}

static int next_line(struct src *s) {
  if (s->eof) return 0;
  s->line.n = 0;
  s->lpos = 0;
  term_take(); /* job control: the terminal is the shell's, in its own modes, while it reads a line */
  if (s->interactive) prompt(s);
  int newline, r;
  g.typed = 0;
  while ((r = read_line_fd(s->fd, &s->line, &newline)) == -2) { /* ^C: a new prompt, as a fresh line */
    put_str(2, "\n");
    s->ps2 = 0;
    prompt(s);
  }
  if (!r) {
    s->eof = 1;
    return 0;
  }
  if (newline) sb_putc(&s->line, '\n');
  return 1;
}

int src_getc(struct src *s) {
  int c;
  if (s->npush > 0) {
    c = s->push[--s->npush];
  } else if (s->is_str) {
    if (s->pos >= s->len) return -1;
    c = (unsigned char)s->str[s->pos++];
  } else {
    if (s->lpos >= s->line.n && !next_line(s)) return -1;
    c = (unsigned char)s->line.s[s->lpos++];
  }
  if (c == '\n') s->lineno++;
  return c;
}

void src_ungetc(struct src *s, int c) {
  if (c < 0) return;
  if (c == '\n') s->lineno--;
  if (s->npush < (int)(sizeof s->push / sizeof s->push[0])) s->push[s->npush++] = c;
}

int src_lineno(struct src *s) { return s->lineno; }

void src_set_prompt(struct src *s, int ps2) { s->ps2 = ps2; }

/* After a syntax error: forget the rest of the current line. */
void src_skip_line(struct src *s) {
  s->npush = 0;
  if (s->is_str) {
    while (s->pos < s->len && s->str[s->pos] != '\n') s->pos++;
    if (s->pos < s->len) {
      s->pos++;
      s->lineno++;
    }
  } else {
    s->lpos = s->line.n;
  }
}

