/*
 * expand.c: word expansion, in POSIX's order: tilde (~ and ~/ as $HOME), parameters ($NAME ${NAME}
 * ${NAME:-w} ${NAME-w} ${NAME:=w} ${NAME:+w} ${NAME:?w} ${#NAME} ${NAME%w} ${NAME%%w} ${NAME#w}
 * ${NAME##w}, and $? $$ $! $# $- $@ $* $0 $1..), command substitution ($( ) and `...`, run by
 * exec.c's cmd_subst), arithmetic ($(( )), arith.c), then field splitting on IFS of what unquoted
 * expansions produced, pathname expansion with glob() of unquoted * ? [ (the word is kept when
 * nothing matches), and quote removal.
 *
 * Expansion builds an xbuf: each character with flags saying whether it was quoted and whether it
 * came from an unquoted expansion (so field splitting applies), plus markers for the field breaks of
 * "$@" and for quotes that make an empty field count.
 */
#include <fnmatch.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

enum { F_Q = 1, F_X = 2, F_BREAK = 4, F_KEEP = 8 };

struct xbuf {
  char *c;
  unsigned char *f;
  size_t n, cap;
};

static void xput(struct xbuf *b, char c, int f) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->c = xrealloc(b->c, b->cap);
    b->f = xrealloc(b->f, b->cap);
  }
  b->c[b->n] = c;
  b->f[b->n++] = (unsigned char)f;
}

static void xputs(struct xbuf *b, const char *s, int f) {
  while (*s) xput(b, *s++, f);
}

static void xfree(struct xbuf *b) {
  free(b->c);
  free(b->f);
  memset(b, 0, sizeof *b);
}

/* The characters of b as a string: field breaks become spaces; for a pattern, quoted special
 * characters get a backslash. */
static char *xstring(struct xbuf *b, int pattern) {
  sbuf s = {0};
  for (size_t i = 0; i < b->n; i++) {
    if (b->f[i] & F_KEEP) continue;
    if (b->f[i] & F_BREAK) {
      sb_putc(&s, ' ');
      continue;
    }
    if (pattern && (b->f[i] & F_Q) && strchr("*?[]\\", b->c[i])) sb_putc(&s, '\\');
    sb_putc(&s, b->c[i]);
  }
  return sb_done(&s);
}

static int expand_part(const char *s, const char *end, int dq, int lit, int flags, struct xbuf *b);

/* ---- parameters ---- */

const char *special_param(const char *name, char *buf, size_t len) {
  if (name[1] != '\0' && !(name[0] >= '0' && name[0] <= '9')) return NULL;
  switch (name[0]) {
  case '?':
    snprintf(buf, len, "%d", g.status);
    return buf;
  case '$':
    snprintf(buf, len, "%d", (int)getpid());
    return buf;
  case '!':
    if (!g.lastbg) return NULL;
    snprintf(buf, len, "%d", (int)g.lastbg);
    return buf;
  case '#':
    snprintf(buf, len, "%d", g.pos.n);
    return buf;
  case '-': {
    char *p = buf;
    if (g.errexit) *p++ = 'e';
    if (g.noglob) *p++ = 'f';
    if (g.interactive) *p++ = 'i';
    if (g.nounset) *p++ = 'u';
    if (g.verbose) *p++ = 'v';
    if (g.xtrace) *p++ = 'x';
    if (g.noclobber) *p++ = 'C';
    *p = '\0';
    return buf;
  }
  case '0':
    if (name[1] == '\0') return g.arg0;
    /* fallthrough */
  default:
    if (name[0] >= '0' && name[0] <= '9') {
      long i = atol(name);
      return i >= 1 && i <= g.pos.n ? g.pos.v[i - 1] : NULL;
    }
  }
  return NULL;
}

static const char *param_value(const char *name, char *buf, size_t len) {
  if (is_name_start((unsigned char)name[0])) return var_get(name);
  return special_param(name, buf, len);
}

static int ifs_first(void) {
  const char *ifs = var_get("IFS");
  if (!ifs) return ' ';
  return ifs[0];
}

/* $@ or $*: each parameter a field of its own (unquoted: then split), "$*" joined by IFS's first. */
static void put_params(struct xbuf *b, int which, int dq) {
  int sep = ifs_first();
  for (int i = 0; i < g.pos.n; i++) {
    if (dq && which == '*') {
      if (i && sep) xput(b, (char)sep, F_Q);
      xputs(b, g.pos.v[i], F_Q);
      continue;
    }
    if (i) xput(b, 0, F_BREAK);
    if (dq) xput(b, 0, F_KEEP);
    xputs(b, g.pos.v[i], dq ? F_Q : F_X);
  }
}

static void put_value(struct xbuf *b, const char *v, int dq) { xputs(b, v, dq ? F_Q : F_X); }

static int unset_error(const char *name) {
  sh_warn("%s: parameter not set", name);
  sh_error(2);
  return -1;
}

/* Expands a ${ } word to one string. */
static char *word_string(const char *w, const char *end, int pattern) {
  struct xbuf t = {0};
  if (expand_part(w, end, 0, 0, X_ASSIGN, &t) < 0) {
    xfree(&t);
    return NULL;
  }
  char *s = xstring(&t, pattern);
  xfree(&t);
  return s;
}

/* ${NAME#pat} and friends: the value with the matching prefix or suffix removed. */
static char *remove_affix(const char *val, const char *pat, int suffix, int longest) {
  size_t len = strlen(val);
  char *tmp = xstrdup(val);
  for (size_t k = 0; k <= len; k++) {
    size_t i = longest ? (suffix ? k : len - k) : (suffix ? len - k : k);
    int ok;
    if (suffix) {
      ok = fnmatch(pat, val + i, 0) == 0;
      if (ok) {
        tmp[i] = '\0';
        return tmp;
      }
    } else {
      char save = tmp[i];
      tmp[i] = '\0';
      ok = fnmatch(pat, tmp, 0) == 0;
      tmp[i] = save;
      if (ok) {
        char *r = xstrdup(val + i);
        free(tmp);
        return r;
      }
    }
  }
  return tmp;
}

/* The text between ${ and }. */
static int expand_brace(const char *in, const char *end, int dq, int flags, struct xbuf *b) {
  char buf[64];
  char name[256];
  const char *p = in;
  int length = 0;
  if (*p == '#' && p + 1 < end) {
    length = 1;
    p++;
  }
  size_t n = name_len(p);
  if (n == 0) {
    if (*p >= '0' && *p <= '9') {
      n = strspn(p, "0123456789");
    } else if (p < end && strchr("@*#?-$!", *p)) {
      n = 1;
    } else if (length && p == end) {
      p--, n = 1, length = 0; /* ${#} */
    }
  }
  if (n == 0 || n >= sizeof name) {
    sh_warn("${%.*s}: bad substitution", (int)(end - in), in);
    sh_error(2);
    return -1;
  }
  memcpy(name, p, n);
  name[n] = '\0';
  p += n;
  char *joined = NULL;
  const char *val;
  if (name[0] == '@' || name[0] == '*') {
    sbuf j = {0};
    for (int i = 0; i < g.pos.n; i++) {
      if (i) sb_putc(&j, ' ');
      sb_puts(&j, g.pos.v[i]);
    }
    joined = sb_done(&j);
    val = g.pos.n ? joined : NULL;
  } else {
    val = param_value(name, buf, sizeof buf);
  }
  int rc = 0;
  if (length) {
    if (p != end) goto bad;
    if (!val && g.nounset && name[0] != '@' && name[0] != '*') {
      free(joined);
      return unset_error(name);
    }
    snprintf(buf, sizeof buf, "%zu", val ? strlen(val) : (size_t)0);
    if (name[0] == '@' || name[0] == '*') snprintf(buf, sizeof buf, "%d", g.pos.n);
    put_value(b, buf, dq);
    free(joined);
    return 0;
  }
  if (p == end) {
    if (!val && g.nounset && name[0] != '@' && name[0] != '*') {
      free(joined);
      return unset_error(name);
    }
    if (name[0] == '@' || name[0] == '*') put_params(b, name[0], dq);
    else if (val) put_value(b, val, dq);
    free(joined);
    return 0;
  }
  int colon = 0;
  if (*p == ':') {
    colon = 1;
    p++;
  }
  char op = p < end ? *p++ : 0;
  int twice = 0;
  if (!colon && (op == '#' || op == '%') && p < end && *p == op) {
    twice = 1;
    p++;
  }
  int isset = val && (!colon || *val);
  int lit = dq ? F_Q : F_X;
  switch (op) {
  case '-':
  case '+':
    if ((op == '-') != isset) {
      rc = expand_part(p, end, dq, lit, flags, b);
    } else if (name[0] == '@' || name[0] == '*') {
      put_params(b, name[0], dq);
    } else if (val) {
      put_value(b, val, dq);
    }
    break;
  case '=':
    if (!isset) {
      if (!is_name_start((unsigned char)name[0])) {
        sh_warn("%s: cannot assign in this way", name);
        sh_error(2);
        rc = -1;
        break;
      }
      char *w = word_string(p, end, 0);
      if (!w || var_set(name, w, 0) < 0) {
        free(w);
        rc = -1;
        break;
      }
      put_value(b, w, dq);
      free(w);
    } else {
      put_value(b, val, dq);
    }
    break;
  case '?':
    if (!isset) {
      char *w = p < end ? word_string(p, end, 0) : xstrdup(colon ? "parameter null or not set" : "parameter not set");
      if (w) sh_warn("%s: %s", name, w);
      free(w);
      sh_error(2);
      rc = -1;
    } else {
      put_value(b, val, dq);
    }
    break;
  case '#':
  case '%':
    if (colon) goto bad;
    {
      char *pat = word_string(p, end, 1);
      if (!pat) {
        rc = -1;
        break;
      }
      if (!val && g.nounset && name[0] != '@' && name[0] != '*') {
        free(pat);
        free(joined);
        return unset_error(name);
      }
      char *r = remove_affix(val ? val : "", pat, op == '%', twice);
      put_value(b, r, dq);
      free(r);
      free(pat);
    }
    break;
  default:
    goto bad;
  }
  free(joined);
  return rc;
bad:
  free(joined);
  sh_warn("${%.*s}: bad substitution", (int)(end - in), in);
  sh_error(2);
  return -1;
}

/* ---- command substitution and arithmetic ---- */

static int put_cmdsub(struct xbuf *b, const char *text, size_t len, int dq) {
  char *t = xstrndup(text, len);
  char *out = cmd_subst(t);
  free(t);
  if (!out) return g.pending ? -1 : 0;
  put_value(b, out, dq);
  free(out);
  return 0;
}

/* `...`: backslash quotes $ ` \ (and " inside double quotes); then as $( ). */
static int put_backq(struct xbuf *b, const char *s, const char *e, int dq) {
  sbuf t = {0};
  for (; s < e; s++) {
    if (*s == '\\' && s + 1 < e && (strchr("$`\\", s[1]) || (dq && s[1] == '"'))) s++;
    sb_putc(&t, *s);
  }
  int rc = put_cmdsub(b, t.s ? t.s : "", t.n, dq);
  free(t.s);
  return rc;
}

static int put_arith(struct xbuf *b, const char *s, const char *e, int dq) {
  struct xbuf t = {0};
  if (expand_part(s, e, 1, F_Q, X_HEREDOC, &t) < 0) {
    xfree(&t);
    return -1;
  }
  char *expr = xstring(&t, 0);
  xfree(&t);
  int err = 0;
  long long v = arith_eval(expr, &err);
  free(expr);
  if (err) {
    sh_error(2);
    return -1;
  }
  char num[32];
  snprintf(num, sizeof num, "%lld", v);
  put_value(b, num, dq);
  return 0;
}

/* At a $: expands the construct; returns the position after it (NULL on error). */
static const char *expand_dollar(const char *p, const char *end, int dq, int flags, struct xbuf *b) {
  char buf[64];
  const char *q;
  if (p + 1 >= end) {
    xput(b, '$', dq ? F_Q : 0);
    return p + 1;
  }
  char c = p[1];
  if (c == '(' && p + 2 < end && p[2] == '(') {
    q = skip_arith(p + 3);
    if (!q || q > end) return NULL;
    return put_arith(b, p + 3, q - 2, dq) < 0 ? NULL : q;
  }
  if (c == '(') {
    q = skip_cmdsub(p + 2);
    if (!q || q > end) return NULL;
    return put_cmdsub(b, p + 2, (size_t)(q - 1 - (p + 2)), dq) < 0 ? NULL : q;
  }
  if (c == '{') {
    q = skip_brace(p + 2);
    if (!q || q > end) return NULL;
    return expand_brace(p + 2, q - 1, dq, flags, b) < 0 ? NULL : q;
  }
  size_t n = name_len(p + 1);
  if (n > 0) {
    if (p + 1 + n > end) n = (size_t)(end - p - 1);
    char *name = xstrndup(p + 1, n);
    const char *v = var_get(name);
    if (!v && g.nounset) {
      unset_error(name);
      free(name);
      return NULL;
    }
    if (v) put_value(b, v, dq);
    free(name);
    return p + 1 + n;
  }
  if (c == '@' || c == '*') {
    put_params(b, c, dq);
    return p + 2;
  }
  if ((c >= '0' && c <= '9') || strchr("#?-$!", c)) {
    char name[2] = {c, 0};
    const char *v = special_param(name, buf, sizeof buf);
    if (!v && g.nounset && c != '!') {
      unset_error(name);
      return NULL;
    }
    if (v) put_value(b, v, dq);
    return p + 2;
  }
  xput(b, '$', dq ? F_Q : 0);
  return p + 1;
}

/* ~ or ~/...: $HOME. Returns the position after the ~ if expanded, else NULL. */
static const char *tilde(const char *p, const char *end, int flags, struct xbuf *b) {
  const char *q = p + 1;
  while (q < end && *q != '/' && !((flags & X_ASSIGN) && *q == ':')) {
    if (strchr("'\"\\$`", *q)) return NULL;
    q++;
  }
  if (q != p + 1) return NULL; /* ~user: no user database */
  const char *home = var_get("HOME");
  if (!home) return NULL;
  xputs(b, home, F_Q);
  return q;
}

static int is_dq_only_at(const char *s, const char *e) {
  size_t n = (size_t)(e - s);
  return (n == 2 && memcmp(s, "$@", 2) == 0) || (n == 4 && memcmp(s, "${@}", 4) == 0);
}

/* Expands s..end into b. dq: inside double quotes; lit: the flags literal characters get. */
static int expand_part(const char *s, const char *end, int dq, int lit, int flags, struct xbuf *b) {
  const char *p = s;
  if (stack_exhausted()) {
    sh_warn("maximum nesting depth exceeded");
    sh_error(2);
    return -1;
  }
  int heredoc = flags & X_HEREDOC;
  while (p < end) {
    char c = *p;
    if (c == '\'' && !dq && !heredoc) {
      const char *q = skip_squote(p + 1);
      if (!q || q > end) q = end + 1;
      xput(b, 0, F_KEEP);
      for (p++; p < q - 1; p++) xput(b, *p, F_Q);
      p = q;
      continue;
    }
    if (c == '"' && !heredoc) {
      const char *q = skip_dquote(p + 1);
      if (!q || q > end) q = end + 1;
      if (!(is_dq_only_at(p + 1, q - 1) && g.pos.n == 0)) xput(b, 0, F_KEEP);
      if (expand_part(p + 1, q - 1, 1, F_Q, flags, b) < 0) return -1;
      p = q;
      continue;
    }
    if (c == '\\') {
      if (p + 1 >= end) {
        xput(b, '\\', F_Q);
        p++;
        continue;
      }
      char n = p[1];
      if (dq || heredoc) {
        if (n == '\n') {
          p += 2;
        } else if (strchr("$`\\", n) || (n == '"' && !heredoc)) {
          xput(b, n, F_Q);
          p += 2;
        } else {
          xput(b, '\\', F_Q);
          p++;
        }
      } else {
        xput(b, n, F_Q);
        p += 2;
      }
      continue;
    }
    if (c == '$') {
      p = expand_dollar(p, end, dq || heredoc, flags, b);
      if (!p) return -1;
      continue;
    }
    if (c == '`') {
      const char *q = skip_backq(p + 1);
      if (!q || q > end) q = end + 1;
      if (put_backq(b, p + 1, q - 1, dq || heredoc) < 0) return -1;
      p = q;
      continue;
    }
    if (c == '~' && !dq && !heredoc && !(flags & X_NOTILDE) &&
        (p == s || ((flags & X_ASSIGN) && (p[-1] == ':' || p[-1] == '=')))) {
      const char *q = tilde(p, end, flags, b);
      if (q) {
        p = q;
        continue;
      }
    }
    xput(b, c, heredoc ? F_Q : lit);
    p++;
  }
  return 0;
}

/* ---- field splitting and pathname expansion ---- */

static int has_glob(struct xbuf *f) {
  for (size_t i = 0; i < f->n; i++) {
    if (f->f[i] & F_Q) continue;
    if (f->c[i] == '*' || f->c[i] == '?') return 1;
    if (f->c[i] == '[')
      for (size_t j = i + 1; j < f->n; j++)
        if (f->c[j] == ']' && !(f->f[j] & F_Q)) return 1;
  }
  return 0;
}

static void emit_field(struct xbuf *f, strvec *out) {
  if (!g.noglob && has_glob(f)) {
    sbuf pat = {0};
    for (size_t i = 0; i < f->n; i++) {
      if (((f->f[i] & F_Q) && strchr("*?[]\\", f->c[i])) || (f->c[i] == '\\' && !(f->f[i] & F_Q)))
        sb_putc(&pat, '\\');
      sb_putc(&pat, f->c[i]);
    }
    glob_t gl;
    memset(&gl, 0, sizeof gl);
    int r = glob(sb_str(&pat), 0, NULL, &gl);
    free(pat.s);
    if (r == 0 && gl.gl_pathc > 0) {
      for (size_t i = 0; i < gl.gl_pathc; i++) sv_push(out, xstrdup(gl.gl_pathv[i]));
      globfree(&gl);
      f->n = 0;
      return;
    }
    if (r == 0) globfree(&gl);
  }
  sv_push(out, xstrndup(f->c ? f->c : "", f->n));
  f->n = 0;
}

static int is_ifs(struct xbuf *b, size_t i, const char *ifs) {
  return (b->f[i] & F_X) && !(b->f[i] & (F_Q | F_BREAK | F_KEEP)) && b->c[i] && strchr(ifs, b->c[i]);
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n'; }

static void split_fields(struct xbuf *b, strvec *out) {
  const char *ifs = var_get("IFS");
  if (!ifs) ifs = " \t\n";
  struct xbuf f = {0};
  int have = 0;
  for (size_t i = 0; i < b->n; i++) {
    int fl = b->f[i];
    if (fl & F_BREAK) {
      if (have) emit_field(&f, out);
      have = 0;
      continue;
    }
    if (fl & F_KEEP) {
      have = 1;
      continue;
    }
    if (!is_ifs(b, i, ifs)) {
      xput(&f, b->c[i], fl);
      have = 1;
      continue;
    }
    int had = have;
    if (is_ws(b->c[i])) {
      if (have) emit_field(&f, out);
      have = 0;
      while (i + 1 < b->n && is_ifs(b, i + 1, ifs) && is_ws(b->c[i + 1])) i++;
      if (!(i + 1 < b->n && is_ifs(b, i + 1, ifs))) continue;
      i++; /* a non-white IFS character after white space: the same delimiter */
      if (!had) emit_field(&f, out);
    } else {
      emit_field(&f, out);
      have = 0;
    }
    while (i + 1 < b->n && is_ifs(b, i + 1, ifs) && is_ws(b->c[i + 1])) i++;
  }
  if (have) emit_field(&f, out);
  xfree(&f);
}

int expand_word(const char *word, int flags, strvec *out) {
  struct xbuf b = {0};
  if (expand_part(word, word + strlen(word), 0, 0, flags, &b) < 0) {
    xfree(&b);
    return -1;
  }
  if (flags & X_FIELDS) split_fields(&b, out);
  else sv_push(out, xstring(&b, flags & X_PATTERN));
  xfree(&b);
  return 0;
}

char *expand_string(const char *word, int flags) {
  strvec v = {0};
  if (expand_word(word, flags & ~X_FIELDS, &v) < 0) {
    sv_free(&v);
    return NULL;
  }
  char *s = v.v[0];
  free(v.v);
  return s;
}

int expand_words(strvec *words, strvec *out) {
  for (int i = 0; i < words->n; i++)
    if (expand_word(words->v[i], X_FIELDS, out) < 0) return -1;
  return 0;
}

int pattern_match(const char *pattern, const char *s) { return fnmatch(pattern, s, 0) == 0; }
