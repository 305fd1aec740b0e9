/*
 * lex.c: the shell's tokenizer. Cuts the parser's input into operators (; & | && || ;; ( ) < > >>
 * << <<- <& >& <> >| and newline), IO numbers (`2` in `2>x`) and words. A word keeps its raw text,
 * quotes included: the expander (expand.c) interprets it when the command runs. Reading a word
 * follows its quotes, $( ), ${ }, $(( )) and `...` to their end, asking the input for more lines as
 * needed; backslash-newline joins lines. After a newline token the bodies of pending here-documents
 * are read. Also the string scanners the expander uses to find the end of the same constructs.
 * Inside $( ), the patterns of a case command end with `)` too: a small tracker of the words case
 * and esac (where a command starts) keeps those from closing the substitution.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

/* Follows the words of a $( ) body to know when it is inside case ... esac. */
struct kwtrack {
  char w[6], prev[6];
  int len, valid, start_ok, sep, cases;
};

static int kw_after(const char *prev) {
  static const char *const kws[] = {"then", "do", "else", "elif", "if", "while", "until", "{", "!", NULL};
  for (int i = 0; kws[i]; i++)
    if (strcmp(prev, kws[i]) == 0) return 1;
  return 0;
}

static void kw_feed(struct kwtrack *k, int c) {
  int delim = c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')';
  if (!delim) {
    if (k->len == 0) {
      k->valid = 1;
      k->start_ok = k->sep || !k->prev[0] || kw_after(k->prev);
    }
    if (k->len < 5 && ((c >= 'a' && c <= 'z') || c == '{' || c == '!')) k->w[k->len] = (char)c;
    else k->valid = 0;
    k->len++;
    return;
  }
  if (k->len > 0) {
    k->w[k->len < 5 ? k->len : 5] = '\0';
    if (k->valid && k->start_ok && strcmp(k->w, "case") == 0) k->cases++;
    else if (k->valid && k->cases > 0 && strcmp(k->w, "esac") == 0) k->cases--;
    memcpy(k->prev, k->valid ? k->w : "?", k->valid ? sizeof k->prev : 2);
    k->len = 0;
    k->sep = 0;
  }
  if (c != ' ' && c != '\t') k->sep = 1;
}

static int getc_(struct parser *p) {
  int c = src_getc(p->src);
  if (c >= 0) sb_putc(&p->text, c);
  return c;
}

static void ungetc_(struct parser *p, int c) {
  if (c < 0) return;
  src_ungetc(p->src, c);
  if (p->text.n > 0) p->text.n--;
}

static int is_meta(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' ||
         c == '(' || c == ')';
}

static int scan_dollar(struct parser *p, sbuf *w);
static int scan_construct(struct parser *p, sbuf *w, int c);

/* After a backslash inside a quote or substitution: the pair is kept, a backslash-newline dropped
 * (the lines are joined); 0 at end of input. */
static int scan_escape(struct parser *p, sbuf *w) {
  int n = getc_(p);
  if (n < 0) return 0;
  if (n != '\n') {
    sb_putc(w, '\\');
    sb_putc(w, n);
  }
  return 1;
}

/* '...' after the opening quote; 0 at end of input. */
static int scan_squote(struct parser *p, sbuf *w) {
  for (;;) {
    int c = getc_(p);
    if (c < 0) return 0;
    sb_putc(w, c);
    if (c == '\'') return 1;
  }
}

/* "..." or `...` after the opening quote Q, up to the closing one (inside "...", $ and ` constructs
 * are read whole); 0 at end of input. */
static int scan_quoted(struct parser *p, sbuf *w, int q) {
  for (;;) {
    int c = getc_(p);
    if (c < 0) return 0;
    if (c == '\\') {
      if (!scan_escape(p, w)) return 0;
      continue;
    }
    sb_putc(w, c);
    if (c == q) return 1;
    if (q == '"' && (c == '$' || c == '`') && !scan_construct(p, w, c)) return 0;
  }
}

/* After c (already kept): the quote or substitution it opens, read whole; 0 at end of input. */
static int scan_construct(struct parser *p, sbuf *w, int c) {
  switch (c) {
  case '\'': return scan_squote(p, w);
  case '"':
  case '`': return scan_quoted(p, w, c);
  case '$': return scan_dollar(p, w);
  }
  return 1;
}

/* The inside of $( ) or $(( )) (after the DEPTH opening parentheses) up to the closing ones, or
 * with BRACE the inside of ${ } up to its closing brace. */
static int scan_nested(struct parser *p, sbuf *w, int depth, int brace) {
  struct kwtrack k = {0};
  k.sep = 1;
  for (;;) {
    int c = getc_(p);
    if (c < 0) return 0;
    if (!brace) kw_feed(&k, c);
    if (c == '\\') {
      if (!scan_escape(p, w)) return 0;
      continue;
    }
    sb_putc(w, c);
    if (!scan_construct(p, w, c)) return 0;
    if (brace) {
      if (c == '}') return 1;
    } else if (!k.cases) {
      if (c == '(') depth++;
      else if (c == ')' && --depth == 0) return 1;
    }
  }
}

/* After a $: a $( ), $(( )) or ${ } construct is read whole; anything else is left alone. */
static int scan_dollar(struct parser *p, sbuf *w) {
  int c = getc_(p);
  if (c == '(') {
    sb_putc(w, c);
    int c2 = getc_(p);
    if (c2 == '(') {
      sb_putc(w, c2);
      return scan_nested(p, w, 2, 0);
    }
    ungetc_(p, c2);
    return scan_nested(p, w, 1, 0);
  }
  if (c == '{') {
    sb_putc(w, c);
    return scan_nested(p, w, 0, 1);
  }
  ungetc_(p, c);
  return 1;
}

/* A word starting with c; 0 if the input ended inside a quote or substitution. */
static int read_word(struct parser *p, int c, sbuf *w, int *quoted) {
  for (;; c = getc_(p)) {
    if (c < 0) return 1;
    if (is_meta(c)) {
      ungetc_(p, c);
      return 1;
    }
    if (c == '\\') {
      int n = getc_(p);
      if (n == '\n') continue;
      sb_putc(w, c);
      *quoted = 1;
      if (n < 0) return 1;
      sb_putc(w, n);
      continue;
    }
    sb_putc(w, c);
    if (c == '\'' || c == '"') *quoted = 1;
    if (!scan_construct(p, w, c)) return 0;
  }
}

/* The bodies of the here-documents opened on the line just ended. */
static void read_heredocs(struct parser *p) {
  for (int i = 0; i < p->nheredocs; i++) {
    struct redir *r = p->heredocs[i];
    sbuf body = {0}, line = {0};
    for (;;) {
      line.n = 0;
      int c;
      while ((c = getc_(p)) >= 0 && c != '\n') sb_putc(&line, c);
      const char *l = sb_str(&line);
      if (r->strip)
        while (*l == '\t') l++;
      if (strcmp(l, r->word) == 0) break;
      if (c < 0 && line.n == 0) break;
      sb_puts(&body, l);
      sb_putc(&body, '\n');
      if (c < 0) break;
    }
    free(line.s);
    r->body = sb_done(&body);
  }
  p->nheredocs = 0;
}

static int two(struct parser *p, int want) {
  int c = getc_(p);
  if (c == want) return 1;
  ungetc_(p, c);
  return 0;
}

static int operator(struct parser *p, int c) {
  switch (c) {
  case ';':
    return two(p, ';') ? T_DSEMI : T_SEMI;
  case '&':
    return two(p, '&') ? T_ANDIF : T_AMP;
  case '|':
    return two(p, '|') ? T_ORIF : T_PIPE;
  case '(':
    return T_LPAREN;
  case ')':
    return T_RPAREN;
  case '<':
    if (two(p, '<')) return two(p, '-') ? T_DLESSDASH : T_DLESS;
    if (two(p, '&')) return T_LESSAND;
    if (two(p, '>')) return T_LESSGREAT;
    return T_LESS;
  case '>':
    if (two(p, '>')) return T_DGREAT;
    if (two(p, '&')) return T_GREATAND;
    if (two(p, '|')) return T_CLOBBER;
    return T_GREAT;
  }
  return -1;
}

void lex_next(struct parser *p, struct token *t) {
  free(t->text);
  memset(t, 0, sizeof *t);
  int c;
  for (;;) {
    c = getc_(p);
    if (c == ' ' || c == '\t') continue;
    if (c == '\\') {
      int n = getc_(p);
      if (n == '\n') continue;
      ungetc_(p, n);
      break;
    }
    if (c == '#') {
      while ((c = getc_(p)) >= 0 && c != '\n') {
      }
      if (c == '\n') ungetc_(p, c);
      continue;
    }
    break;
  }
  t->line = src_lineno(p->src);
  t->start = c < 0 ? p->text.n : p->text.n - 1;
  if (c < 0) {
    t->type = T_EOF;
  } else if (c == '\n') {
    t->type = T_NEWLINE;
    t->line--;
    if (p->nheredocs) read_heredocs(p);
  } else {
    int op = operator(p, c);
    if (op >= 0) {
      t->type = op;
    } else {
      sbuf w = {0};
      int quoted = 0;
      if (!read_word(p, c, &w, &quoted)) {
        free(w.s);
        t->type = T_ERROR;
      } else {
        t->text = sb_done(&w);
        t->quoted = quoted;
        t->type = T_WORD;
        if (!quoted && t->text[strspn(t->text, "0123456789")] == '\0') {
          int n = getc_(p);
          if (n == '<' || n == '>') t->type = T_IONUM;
          ungetc_(p, n);
        }
      }
    }
  }
  t->end = p->text.n;
}

const char *tok_name(const struct token *t) {
  static const char *names[] = {
      [T_NEWLINE] = "newline", [T_EOF] = "end of file", [T_SEMI] = ";",   [T_AMP] = "&",
      [T_PIPE] = "|",          [T_ANDIF] = "&&",        [T_ORIF] = "||",  [T_DSEMI] = ";;",
      [T_LPAREN] = "(",        [T_RPAREN] = ")",        [T_LESS] = "<",   [T_GREAT] = ">",
      [T_DLESS] = "<<",        [T_DLESSDASH] = "<<-",   [T_DGREAT] = ">>", [T_LESSAND] = "<&",
      [T_GREATAND] = ">&",     [T_LESSGREAT] = "<>",    [T_CLOBBER] = ">|", [T_ERROR] = "end of file",
  };
  if (t->type == T_WORD || t->type == T_IONUM) return t->text;
  return names[t->type];
}

/* ---- the same constructs in a complete string (for the expander) ---- */

const char *skip_squote(const char *s) {
  const char *e = strchr(s, '\'');
  return e ? e + 1 : NULL;
}

const char *skip_backq(const char *s) {
  for (; *s; s++) {
    if (*s == '\\' && s[1]) s++;
    else if (*s == '`') return s + 1;
  }
  return NULL;
}

static const char *skip_dollar(const char *s);

const char *skip_dquote(const char *s) {
  while (s && *s) {
    char c = *s++;
    if (c == '\\' && *s) s++;
    else if (c == '"') return s;
    else if (c == '$') s = skip_dollar(s);
    else if (c == '`') s = skip_backq(s);
  }
  return NULL;
}

/* After c: past the quote or substitution it opens (NULL if unterminated), or s itself. */
static const char *skip_construct(char c, const char *s) {
  switch (c) {
  case '\'': return skip_squote(s);
  case '"': return skip_dquote(s);
  case '`': return skip_backq(s);
  case '$': return skip_dollar(s);
  }
  return s;
}

/* As scan_nested, in a string: past the closing parentheses or brace, or NULL. */
static const char *skip_nested(const char *s, int depth, int brace) {
  struct kwtrack k = {0};
  k.sep = 1;
  while (s && *s) {
    char c = *s++;
    if (!brace) kw_feed(&k, c);
    if (c == '\\') {
      if (*s) s++;
      continue;
    }
    s = skip_construct(c, s);
    if (brace) {
      if (c == '}') return s;
    } else if (!k.cases) {
      if (c == '(') depth++;
      else if (c == ')' && --depth == 0) return s;
    }
  }
  return NULL;
}

/* After a $: past the construct it starts (or s itself for a plain $NAME). */
static const char *skip_dollar(const char *s) {
  if (s[0] == '(' && s[1] == '(') return skip_nested(s + 2, 2, 0);
  if (s[0] == '(') return skip_nested(s + 1, 1, 0);
  if (s[0] == '{') return skip_nested(s + 1, 0, 1);
  return s;
}

const char *skip_cmdsub(const char *s) { return skip_nested(s, 1, 0); }
const char *skip_arith(const char *s) { return skip_nested(s, 2, 0); }
const char *skip_brace(const char *s) { return skip_nested(s, 0, 1); }
