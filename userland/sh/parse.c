/*
 * parse.c: the shell's parser, recursive descent over lex.c's tokens, building the syntax tree
 * (struct node in sh.h) of one complete command at a time, as POSIX's grammar describes it:
 *   list      : and_or ((';' | '&' | newline) and_or)*
 *   and_or    : pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline  : ['!'] command ('|' newline* command)*
 *   command   : simple_command | compound_command redirect* | NAME '(' ')' newline* compound_command
 *   compound  : { list } | ( list ) | if | while | until | for | case
 * Reserved words are recognised only unquoted and where a command starts. A syntax error is
 * reported as `sh: line N: syntax error near unexpected token 'X'`. A command's tree is freed once
 * it has run (tree_free), unless it holds a function definition: functions keep their bodies.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

static struct node *parse_list(struct parser *p, int top, int allow_empty);
static struct node *parse_cmd(struct parser *p);

static struct node *new_node(int type, int line) {
  struct node *n = xmalloc(sizeof *n);
  memset(n, 0, sizeof *n);
  n->type = type;
  n->line = line;
  return n;
}

static struct token *peek(struct parser *p) {
  if (!p->have_tok) {
    lex_next(p, &p->tok);
    p->have_tok = 1;
  }
  return &p->tok;
}

static void consume(struct parser *p) { p->have_tok = 0; }

static char *take_word(struct parser *p) {
  char *s = p->tok.text;
  p->tok.text = NULL;
  p->have_tok = 0;
  return s;
}

static void syntax_error(struct parser *p) {
  if (p->error) return;
  struct token *t = peek(p);
  p->error = 1;
  if (t->type == T_EOF || t->type == T_ERROR) {
    p->eof_error = 1;
    sh_warn("%sline %d: syntax error: unexpected end of file", p->errprefix, t->line);
  } else {
    sh_warn("%sline %d: syntax error near unexpected token '%s'", p->errprefix, t->line, tok_name(t));
  }
}

static int is_kw(struct token *t, const char *kw) {
  return t->type == T_WORD && !t->quoted && strcmp(t->text, kw) == 0;
}

static int accept_kw(struct parser *p, const char *kw) {
  if (!is_kw(peek(p), kw)) return 0;
  consume(p);
  return 1;
}

static int expect_kw(struct parser *p, const char *kw) {
  if (accept_kw(p, kw)) return 1;
  syntax_error(p);
  return 0;
}

static int expect(struct parser *p, int type) {
  if (peek(p)->type == type) {
    consume(p);
    return 1;
  }
  syntax_error(p);
  return 0;
}

static void skip_newlines(struct parser *p) {
  while (peek(p)->type == T_NEWLINE) consume(p);
}

static int is_list_end(struct token *t) {
  static const char *const ends[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}", NULL};
  if (t->type == T_EOF || t->type == T_RPAREN || t->type == T_DSEMI || t->type == T_ERROR) return 1;
  if (t->type != T_WORD || t->quoted) return 0;
  for (int i = 0; ends[i]; i++)
    if (strcmp(t->text, ends[i]) == 0) return 1;
  return 0;
}

static int is_redir_op(int type) {
  return type == T_LESS || type == T_GREAT || type == T_DLESS || type == T_DLESSDASH || type == T_DGREAT ||
         type == T_LESSAND || type == T_GREATAND || type == T_LESSGREAT || type == T_CLOBBER;
}

/* The delimiter of a here-document: its word with the quotes removed. */
static char *unquote_delim(const char *w, int *quoted) {
  sbuf b = {0};
  *quoted = 0;
  for (const char *s = w; *s; s++) {
    if (*s == '\\' && s[1]) {
      *quoted = 1;
      sb_putc(&b, *++s);
    } else if (*s == '\'' || *s == '"') {
      *quoted = 1;
      char q = *s;
      while (s[1] && s[1] != q) sb_putc(&b, *++s);
      if (s[1]) s++;
    } else {
      sb_putc(&b, *s);
    }
  }
  return sb_done(&b);
}

static struct redir *parse_redir(struct parser *p) {
  int fd = -1;
  if (peek(p)->type == T_IONUM) {
    fd = atoi(p->tok.text);
    consume(p);
  }
  int op = peek(p)->type;
  consume(p);
  if (peek(p)->type != T_WORD) {
    syntax_error(p);
    return NULL;
  }
  struct redir *r = xmalloc(sizeof *r);
  memset(r, 0, sizeof *r);
  r->word = take_word(p);
  switch (op) {
  case T_LESS: r->type = R_IN; break;
  case T_GREAT: r->type = R_OUT; break;
  case T_CLOBBER: r->type = R_CLOBBER; break;
  case T_DGREAT: r->type = R_APPEND; break;
  case T_LESSGREAT: r->type = R_RDWR; break;
  case T_LESSAND: r->type = R_DUPIN; break;
  case T_GREATAND: r->type = R_DUPOUT; break;
  default: r->type = R_HEREDOC; break;
  }
  r->fd = fd >= 0 ? fd : (r->type == R_IN || r->type == R_RDWR || r->type == R_DUPIN || r->type == R_HEREDOC) ? 0 : 1;
  if (r->type == R_HEREDOC) {
    r->strip = op == T_DLESSDASH;
    char *delim = unquote_delim(r->word, &r->quoted);
    free(r->word);
    r->word = delim;
    if (p->nheredocs < (int)(sizeof p->heredocs / sizeof p->heredocs[0])) p->heredocs[p->nheredocs++] = r;
  }
  return r;
}

/* Redirections after a compound command, appended to n's. */
static int parse_redirs(struct parser *p, struct node *n) {
  struct redir **tail = &n->redirs;
  while (*tail) tail = &(*tail)->next;
  while (peek(p)->type == T_IONUM || is_redir_op(peek(p)->type)) {
    struct redir *r = parse_redir(p);
    if (!r) return 0;
    *tail = r;
    tail = &r->next;
  }
  return 1;
}

static struct node *parse_funcdef(struct parser *p, char *name, int line) {
  consume(p); /* ( */
  if (!expect(p, T_RPAREN)) return NULL;
  if (!is_name(name)) {
    sh_warn("%sline %d: syntax error: bad function name '%s'", p->errprefix, line, name);
    p->error = 1;
    return NULL;
  }
  skip_newlines(p);
  struct node *body = parse_cmd(p);
  if (!body) return NULL;
  if (body->type == N_SIMPLE || body->type == N_FUNCDEF) {
    p->error = 1;
    sh_warn("%sline %d: syntax error: function body of '%s' is not a compound command", p->errprefix, line, name);
    return NULL;
  }
  struct node *n = new_node(N_FUNCDEF, line);
  n->name = name;
  n->a = body;
  return n;
}

static struct node *parse_simple(struct parser *p) {
  struct node *n = new_node(N_SIMPLE, peek(p)->line);
  struct redir **tail = &n->redirs;
  for (;;) {
    struct token *t = peek(p);
    if (t->type == T_IONUM || is_redir_op(t->type)) {
      struct redir *r = parse_redir(p);
      if (!r) return NULL;
      *tail = r;
      tail = &r->next;
    } else if (t->type == T_WORD) {
      size_t len = name_len(t->text);
      if (n->words.n == 0 && len > 0 && t->text[len] == '=') {
        sv_push(&n->assigns, take_word(p));
        continue;
      }
      int line = t->line;
      sv_push(&n->words, take_word(p));
      if (n->words.n == 1 && n->assigns.n == 0 && !n->redirs && peek(p)->type == T_LPAREN)
        return parse_funcdef(p, xstrdup(n->words.v[0]), line);
    } else {
      break;
    }
  }
  if (n->words.n == 0 && n->assigns.n == 0 && !n->redirs) {
    syntax_error(p);
    return NULL;
  }
  return n;
}

static struct node *parse_if_rest(struct parser *p, int line) {
  struct node *n = new_node(N_IF, line);
  if (!(n->a = parse_list(p, 0, 0)) || !expect_kw(p, "then") || !(n->b = parse_list(p, 0, 0))) return NULL;
  struct token *t = peek(p);
  if (is_kw(t, "elif")) {
    int l = t->line;
    consume(p);
    if (!(n->c = parse_if_rest(p, l))) return NULL;
    return n;
  }
  if (accept_kw(p, "else") && !(n->c = parse_list(p, 0, 0))) return NULL;
  if (!expect_kw(p, "fi")) return NULL;
  return n;
}

static struct node *parse_loop(struct parser *p, int type, int line) {
  struct node *n = new_node(type, line);
  if (!(n->a = parse_list(p, 0, 0)) || !expect_kw(p, "do") || !(n->b = parse_list(p, 0, 0)) ||
      !expect_kw(p, "done"))
    return NULL;
  return n;
}

static struct node *parse_for(struct parser *p, int line) {
  struct node *n = new_node(N_FOR, line);
  if (peek(p)->type != T_WORD || !is_name(p->tok.text)) {
    syntax_error(p);
    return NULL;
  }
  n->name = take_word(p);
  skip_newlines(p);
  if (accept_kw(p, "in")) {
    n->has_in = 1;
    while (peek(p)->type == T_WORD) sv_push(&n->words, take_word(p));
    if (peek(p)->type != T_SEMI && peek(p)->type != T_NEWLINE) {
      syntax_error(p);
      return NULL;
    }
    consume(p);
  } else if (peek(p)->type == T_SEMI) {
    consume(p);
  }
  skip_newlines(p);
  if (!expect_kw(p, "do") || !(n->a = parse_list(p, 0, 0)) || !expect_kw(p, "done")) return NULL;
  return n;
}

static struct node *parse_case(struct parser *p, int line) {
  struct node *n = new_node(N_CASE, line);
  if (peek(p)->type != T_WORD) {
    syntax_error(p);
    return NULL;
  }
  n->name = take_word(p);
  skip_newlines(p);
  if (!expect_kw(p, "in")) return NULL;
  struct caseitem **tail = &n->cases;
  for (;;) {
    skip_newlines(p);
    if (accept_kw(p, "esac")) return n;
    struct caseitem *ci = xmalloc(sizeof *ci);
    memset(ci, 0, sizeof *ci);
    if (peek(p)->type == T_LPAREN) consume(p);
    for (;;) {
      if (peek(p)->type != T_WORD) {
        syntax_error(p);
        return NULL;
      }
      sv_push(&ci->pats, take_word(p));
      if (peek(p)->type != T_PIPE) break;
      consume(p);
    }
    if (!expect(p, T_RPAREN)) return NULL;
    ci->body = parse_list(p, 0, 1);
    if (p->error) return NULL;
    *tail = ci;
    tail = &ci->next;
    if (peek(p)->type == T_DSEMI) {
      consume(p);
      continue;
    }
    skip_newlines(p);
    if (!expect_kw(p, "esac")) return NULL;
    return n;
  }
}

static struct node *parse_compound(struct parser *p) {
  struct token *t = peek(p);
  int line = t->line;
  struct node *n = NULL;
  if (t->type == T_LPAREN) {
    consume(p);
    n = new_node(N_SUBSHELL, line);
    if (!(n->a = parse_list(p, 0, 0)) || !expect(p, T_RPAREN)) return NULL;
  } else if (accept_kw(p, "{")) {
    n = new_node(N_GROUP, line);
    if (!(n->a = parse_list(p, 0, 0)) || !expect_kw(p, "}")) return NULL;
  } else if (accept_kw(p, "if")) {
    n = parse_if_rest(p, line);
  } else if (accept_kw(p, "while")) {
    n = parse_loop(p, N_WHILE, line);
  } else if (accept_kw(p, "until")) {
    n = parse_loop(p, N_UNTIL, line);
  } else if (accept_kw(p, "for")) {
    n = parse_for(p, line);
  } else if (accept_kw(p, "case")) {
    n = parse_case(p, line);
  }
  if (!n || !parse_redirs(p, n)) return NULL;
  return n;
}

static struct node *parse_cmd(struct parser *p) {
  if (stack_exhausted()) {
    if (!p->error) sh_warn("%sline %d: syntax error: too deeply nested", p->errprefix, src_lineno(p->src));
    p->error = 1;
    return NULL;
  }
  struct token *t = peek(p);
  if (t->type == T_LPAREN) return parse_compound(p);
  if (t->type == T_WORD && !t->quoted) {
    static const char *const starts[] = {"{", "if", "while", "until", "for", "case", NULL};
    for (int i = 0; starts[i]; i++)
      if (strcmp(t->text, starts[i]) == 0) return parse_compound(p);
    if (is_list_end(t) || strcmp(t->text, "!") == 0 || strcmp(t->text, "in") == 0) {
      syntax_error(p);
      return NULL;
    }
  }
  if (t->type != T_WORD && t->type != T_IONUM && !is_redir_op(t->type)) {
    syntax_error(p);
    return NULL;
  }
  return parse_simple(p);
}

static struct node *parse_pipeline(struct parser *p) {
  int line = peek(p)->line;
  int bang = 0;
  while (accept_kw(p, "!")) bang = !bang;
  struct node *first = parse_cmd(p);
  if (!first) return NULL;
  if (!bang && peek(p)->type != T_PIPE) return first;
  struct node *n = new_node(N_PIPE, line);
  n->bang = bang;
  int cap = 4;
  n->kids = xmalloc((size_t)cap * sizeof *n->kids);
  n->kids[n->nkids++] = first;
  while (peek(p)->type == T_PIPE) {
    consume(p);
    skip_newlines(p);
    struct node *c = parse_cmd(p);
    if (!c) return NULL;
    if (n->nkids == cap) n->kids = xrealloc(n->kids, (size_t)(cap *= 2) * sizeof *n->kids);
    n->kids[n->nkids++] = c;
  }
  return n;
}

static struct node *parse_and_or(struct parser *p) {
  struct node *left = parse_pipeline(p);
  while (left) {
    int type = peek(p)->type;
    if (type != T_ANDIF && type != T_ORIF) break;
    consume(p);
    skip_newlines(p);
    struct node *right = parse_pipeline(p);
    if (!right) return NULL;
    struct node *n = new_node(type == T_ANDIF ? N_AND : N_OR, left->line);
    n->a = left;
    n->b = right;
    left = n;
  }
  return left;
}

static void list_add(struct node *list, struct node *item, int async) {
  if ((list->nkids & 7) == 0) {
    list->kids = xrealloc(list->kids, (size_t)(list->nkids + 8) * sizeof *list->kids);
    list->async = xrealloc(list->async, (size_t)(list->nkids + 8));
  }
  list->kids[list->nkids] = item;
  list->async[list->nkids++] = (unsigned char)async;
}

/* A list of and-or lists. At top level it ends with the newline (consumed) or end of input; else
 * at a token that closes the enclosing construct, newlines being separators. */
static struct node *parse_list(struct parser *p, int top, int allow_empty) {
  struct node *list = new_node(N_LIST, peek(p)->line);
  for (;;) {
    if (!top) skip_newlines(p);
    struct token *t = peek(p);
    if (is_list_end(t) || (top && t->type == T_NEWLINE)) break;
    size_t start = t->start;
    struct node *item = parse_and_or(p);
    if (!item) return NULL;
    size_t end = p->tok.end;
    if (p->have_tok) end = p->tok.start;
    t = peek(p);
    int async = t->type == T_AMP;
    if (end > p->text.n) end = p->text.n; /* its text: a job's name */
    while (end > start && (p->text.s[end - 1] == ' ' || p->text.s[end - 1] == '\t')) end--;
    item->text = xstrndup(p->text.s + start, end > start ? end - start : 0);
    list_add(list, item, async);
    if (t->type == T_SEMI || t->type == T_AMP) {
      consume(p);
      if (top && (peek(p)->type == T_NEWLINE || peek(p)->type == T_EOF)) break;
      continue;
    }
    if (t->type == T_NEWLINE && !top) continue;
    break;
  }
  if (top) {
    struct token *t = peek(p);
    if (t->type == T_NEWLINE) consume(p);
    else if (t->type != T_EOF) {
      syntax_error(p);
      return NULL;
    }
  }
  if (list->nkids == 0 && !allow_empty) {
    syntax_error(p);
    return NULL;
  }
  return list;
}

void parser_init(struct parser *p, struct src *src) {
  memset(p, 0, sizeof *p);
  p->src = src;
  p->errprefix = "";
}

void parser_done(struct parser *p) {
  free(p->tok.text);
  free(p->text.s);
  memset(p, 0, sizeof *p);
}

struct node *parse_command(struct parser *p, int *status) {
  p->text.n = 0;
  p->error = p->eof_error = 0;
  p->nheredocs = 0;
  src_set_prompt(p->src, 0);
  *status = 0;
  struct token *t = peek(p);
  if (t->type == T_EOF) return NULL;
  if (t->type == T_NEWLINE) {
    consume(p);
    return new_node(N_LIST, t->line);
  }
  struct node *n = parse_list(p, 1, 1);
  if (n && !p->error) return n;
  *status = 2;
  /* Recover: drop the rest of the line unless the error token was its newline. */
  if (p->have_tok && p->tok.type != T_NEWLINE && p->tok.type != T_EOF) src_skip_line(p->src);
  p->have_tok = 0;
  p->nheredocs = 0;
  return NULL;
}

static void redirs_free(struct redir *r) {
  while (r) {
    struct redir *next = r->next;
    free(r->word);
    free(r->body);
    free(r);
    r = next;
  }
}

/* 1 if the tree defines a function (its nodes must then live on). */
static int has_funcdef(struct node *n) {
  if (!n) return 0;
  if (n->type == N_FUNCDEF) return 1;
  for (int i = 0; i < n->nkids; i++)
    if (has_funcdef(n->kids[i])) return 1;
  for (struct caseitem *ci = n->cases; ci; ci = ci->next)
    if (has_funcdef(ci->body)) return 1;
  return has_funcdef(n->a) || has_funcdef(n->b) || has_funcdef(n->c);
}

static void node_free(struct node *n) {
  if (!n) return;
  redirs_free(n->redirs);
  sv_free(&n->assigns);
  sv_free(&n->words);
  free(n->name);
  for (int i = 0; i < n->nkids; i++) node_free(n->kids[i]);
  free(n->kids);
  free(n->async);
  node_free(n->a);
  node_free(n->b);
  node_free(n->c);
  while (n->cases) {
    struct caseitem *ci = n->cases;
    n->cases = ci->next;
    sv_free(&ci->pats);
    node_free(ci->body);
    free(ci);
  }
  free(n->text);
  free(n);
}

void tree_free(struct node *n) {
  if (!has_funcdef(n)) node_free(n);
}
