/*
 * sh.h: the declarations shared by the shell's files (/bin/sh, a POSIX-style shell for webmach).
 *
 * The pipeline of the shell: input.c delivers characters (a string, a whole file, or a descriptor
 * read line by line), lex.c cuts them into tokens, parse.c builds a syntax tree (struct node, below)
 * one complete command at a time, and exec.c walks the tree, helped by expand.c and arith.c (word
 * expansion), redir.c (redirections and here-documents), vars.c (variables, positional parameters,
 * functions), jobs.c (background jobs), builtins.c and test.c (built-in commands). main.c reads the
 * command line and runs the read-parse-execute loop. util.c has the string and memory helpers.
 *
 * webmach has no setjmp/longjmp (wasi-libc lacks it) nor fork yet: errors and the control commands
 * (break, continue, return, exit inside a subshell) unwind through g.pending, which every loop and
 * list checks after each command.
 */
#ifndef SH_H
#define SH_H

#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- util.c: memory, growing strings and string vectors, messages ---- */

typedef struct {
  char *s;
  size_t n, cap;
} sbuf;

typedef struct {
  char **v;
  int n, cap;
} strvec;

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sb_putc(sbuf *b, int c);
void sb_putn(sbuf *b, const char *s, size_t n);
void sb_puts(sbuf *b, const char *s);
char *sb_done(sbuf *b); /* the text (malloc'd, NUL-terminated); the buffer is left empty */
const char *sb_str(sbuf *b); /* NUL-terminated view of the text, buffer kept */
void sv_push(strvec *v, char *s);
char **sv_term(strvec *v); /* NULL-terminated array view (kept in v) */
void sv_free(strvec *v);    /* frees the strings and the array */
void sv_copy(strvec *dst, const strvec *src);
void sh_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* "sh: MSG\n" on stderr */
void write_all(int fd, const char *s, size_t n);
void put_str(int fd, const char *s);
char *read_all(int fd);            /* the rest of fd's data (malloc'd, NUL-terminated) */
char *read_file(const char *path); /* the whole file, or NULL (errno set) when it cannot be opened */
/* The first regular file NAME in the directories of PATH (colon-separated; an empty entry is the
 * current directory) as DIR/NAME (malloc'd), or NULL. */
char *path_search(const char *path, const char *name);
int is_name_start(int c);
int is_name_char(int c);
int is_name(const char *s);
size_t name_len(const char *s); /* length of the NAME at the start of s (0 if none) */
int parse_int(const char *s, long *out); /* decimal with optional sign; 0 if s is not one */
/* 1 when the stack is nearly used up: deeper nesting must stop with an error (a WASI program's
 * stack has no guard page, so running over it would corrupt memory silently). */
int stack_exhausted(void);
extern uintptr_t stack_floor;

/* ---- the syntax tree ---- */

enum node_type {
  N_SIMPLE,   /* assigns, words, redirs */
  N_PIPE,     /* kids (2 or more, or 1 with bang), bang */
  N_AND,      /* a && b */
  N_OR,       /* a || b */
  N_LIST,     /* kids, each with async[i] when it ended with & */
  N_GROUP,    /* { a; } */
  N_SUBSHELL, /* ( a ) */
  N_IF,       /* if a then b else c (c: NULL, another N_IF for elif, or the else part) */
  N_WHILE,    /* while a do b */
  N_UNTIL,    /* until a do b */
  N_FOR,      /* for name [in words] do a */
  N_CASE,     /* case word in cases esac */
  N_FUNCDEF,  /* name() a */
};

enum redir_type { R_IN, R_OUT, R_CLOBBER, R_APPEND, R_RDWR, R_DUPIN, R_DUPOUT, R_HEREDOC };

struct redir {
  struct redir *next;
  int type;
  int fd;      /* the descriptor redirected */
  char *word;  /* target word (unexpanded); for R_HEREDOC the delimiter */
  char *body;  /* R_HEREDOC: the document's text */
  int quoted;  /* R_HEREDOC: delimiter was quoted, so the body is not expanded */
  int strip;   /* R_HEREDOC: <<- (leading tabs removed) */
};

struct caseitem {
  struct caseitem *next;
  strvec pats;
  struct node *body; /* may be NULL */
};

struct node {
  int type;
  int line;
  struct redir *redirs;   /* simple and compound commands */
  strvec assigns, words;  /* N_SIMPLE; N_FOR's words */
  int has_in;             /* N_FOR: an `in` list was given */
  char *name;             /* N_FOR variable, N_FUNCDEF name, N_CASE word */
  struct node **kids;     /* N_PIPE elements, N_LIST items */
  unsigned char *async;   /* N_LIST: item ended with & */
  int nkids;
  int bang;               /* N_PIPE: ! */
  struct node *a, *b, *c; /* see enum node_type */
  struct caseitem *cases; /* N_CASE */
  char *text;             /* source text of an and-or list run in the background */
};

/* ---- input.c: where commands come from ---- */

struct src;
struct src *src_string(const char *text, int lineno);
struct src *src_fd(int fd, int interactive);
void src_free(struct src *s);
int src_getc(struct src *s); /* next character or EOF (-1) */
void src_ungetc(struct src *s, int c);
int src_lineno(struct src *s);
void src_set_prompt(struct src *s, int ps2); /* the prompt printed when the next line is read */
void src_skip_line(struct src *s);           /* drops what is left of the current line */
/* Reads one line from fd into b (without the newline; *newline tells whether there was one),
 * consuming nothing past the newline. Returns 0 at end of file with nothing read, 1 otherwise. */
int read_line_fd(int fd, sbuf *b, int *newline);
void rbuf_sync(int fd); /* puts back what read_line_fd read ahead (fd -1: any) */

/* ---- lex.c / parse.c ---- */

enum tok_type {
  T_WORD, T_IONUM, T_NEWLINE, T_EOF, T_SEMI, T_AMP, T_PIPE, T_ANDIF, T_ORIF, T_DSEMI,
  T_LPAREN, T_RPAREN, T_LESS, T_GREAT, T_DLESS, T_DLESSDASH, T_DGREAT, T_LESSAND, T_GREATAND,
  T_LESSGREAT, T_CLOBBER, T_ERROR
};

struct token {
  int type;
  char *text;    /* T_WORD, T_IONUM: the raw text (quotes kept) */
  int quoted;    /* T_WORD: has quoting characters */
  int line;
  size_t start, end; /* offsets in the parser's text buffer */
};

struct parser {
  struct src *src;
  struct token tok;
  int have_tok;
  struct redir *heredocs[64]; /* here-documents whose body follows the next newline */
  int nheredocs;
  sbuf text;     /* characters read for the current complete command */
  int error;     /* a syntax error was reported */
  int eof_error; /* ... and it was an unexpected end of file */
  const char *errprefix; /* "sh" or "sh: eval" ... */
};

void lex_next(struct parser *p, struct token *t);
const char *tok_name(const struct token *t);
/* Scanners shared with the expander: from s (just after the opening text), the end of a $( ),
 * ${ }, $(( )), `...`, '...' or "..." construct in a complete string; NULL if unterminated. */
const char *skip_cmdsub(const char *s);
const char *skip_brace(const char *s);
const char *skip_arith(const char *s);
const char *skip_backq(const char *s);
const char *skip_squote(const char *s);
const char *skip_dquote(const char *s);

void parser_init(struct parser *p, struct src *src);
void parser_done(struct parser *p);
/* The next complete command (an N_LIST), NULL at end of input (*status 0), or NULL with *status 2
 * after a syntax error (reported). An empty line gives an N_LIST with no items. */
struct node *parse_command(struct parser *p, int *status);
void tree_free(struct node *n); /* after running it; kept if it defines a function */

/* ---- expand.c ---- */

enum {
  X_FIELDS = 1, /* field splitting and pathname expansion (else one string) */
  X_PATTERN = 2, /* result is a pattern: quoted characters escaped with \ */
  X_ASSIGN = 4, /* tilde after = and : too */
  X_NOTILDE = 8,
  X_HEREDOC = 16, /* here-document body: quotes are literal, \ escapes only $ ` \ newline */
};
/* Expands one word; fields are appended to out. Returns 0, or -1 after an error (reported,
 * g.pending set by sh_error). */
int expand_word(const char *word, int flags, strvec *out);
/* Expands one word to one string (no splitting, no globbing); NULL on error. */
char *expand_string(const char *word, int flags);
int expand_words(strvec *words, strvec *out);
char *cmd_subst(const char *text); /* output of the commands, trailing newlines removed */
int pattern_match(const char *pattern, const char *s);
long long arith_eval(const char *expr, int *err); /* arith.c: reports its errors */

/* ---- vars.c ---- */

enum { V_EXPORT = 1, V_READONLY = 2 };

struct var {
  struct var *next;
  char *name;
  char *value; /* NULL: unset (kept for its flags) */
  int flags;
};

struct func {
  struct func *next;
  char *name;
  struct node *body;
};

const char *var_get(const char *name);
int var_set(const char *name, const char *value, int flags); /* -1 if readonly (reported) */
int var_unset(const char *name);
struct var *var_find(const char *name);
struct var *var_list(void);
void var_import(char **env);
char **var_environ(strvec *env); /* exported variables as NAME=VALUE into env (NULL-terminated) */
struct var *var_snapshot(void);
void var_restore(struct var *snap);
void var_free_list(struct var *list);
int assign_word(const char *word, int flags); /* NAME=VALUE word, value expanded; -1 on error */
struct func *func_find(const char *name);
void func_define(const char *name, struct node *body);
int func_unset(const char *name);
struct func *func_snapshot(void);
void func_restore(struct func *snap);
/* local: remembered by the innermost function call, restored at its return */
void local_save(const char *name);
void local_push(void);
void local_pop(void);
const char *special_param(const char *name, char *buf, size_t len); /* $? $$ $! $# $- $0..$9 */

/* ---- redir.c ---- */

/* A frame of descriptors saved while redirections apply to a builtin or compound command. */
struct fdsave {
  int fd, saved; /* saved: a copy of the old descriptor (>= 10, close-on-exec), or -1 if it was closed */
};
struct fdframe {
  struct fdsave *v;
  int n, cap;
};
#define FDLIST_MAX 32
struct fdlist {
  int fd[FDLIST_MAX];
  int n;
};
int redir_apply(struct redir *r, struct fdframe *f); /* -1 on error (reported); f may be NULL (exec) */
void redir_undo(struct fdframe *f);
void fd_move(struct fdframe *f, int fd, int to); /* dup2 to `to`, remembering its old state */
int open_redir_file(struct redir *r, const char *name); /* opens (close-on-exec, >= 10) */
int heredoc_fd(struct redir *r); /* the document in an unlinked temporary file, at offset 0 */
/* For a program: the redirections as posix_spawn file actions; files opened go in `opened`. */
int redir_actions(struct redir *r, posix_spawn_file_actions_t *fa, struct fdlist *opened);
int temp_file(void);             /* an unlinked temporary file (close-on-exec, >= 10); -1 on error */
int fd_high(int fd);             /* moves fd to >= 10, close-on-exec */

/* ---- exec.c ---- */

int run_node(struct node *n);
int run_list_text(const char *text, const char *errprefix); /* eval, ., -c */
int run_function(struct func *f, char **argv);
int run_subshell(struct node *n, int in, int out); /* emulated subshell: runs in the shell itself */
int spawn_status(int waitstatus);
int find_builtin(const char *name);
const char *self_path(void);
int shell_exit(int status); /* exit (or leave the emulated subshell) */
void sh_error(int status);  /* an error that ends a non-interactive shell */
void trap_run_exit(void);

/* ---- jobs.c ---- */

/* done_status -1: running; pgid: its process group (job control), or 0 */
int job_add(pid_t *pids, int npids, const char *text, int done_status, pid_t pgid);
void jobs_reap(int notify);
int jobs_builtin(int argc, char **argv);
int wait_builtin(int argc, char **argv);
int fg_builtin(int argc, char **argv);
int bg_builtin(int argc, char **argv);
void jobctl_init(void);    /* job control, if the shell is on its controlling terminal */
void term_give(pid_t pgid); /* the terminal's foreground group becomes pgid (job control) */
void term_take(void);       /* the shell takes the terminal back, in its own modes */
/* Waits for the started processes of a foreground job (group pgid) to end or stop; its status. */
int job_foreground(pid_t *pids, int npids, const char *text, pid_t pgid);
pid_t fake_pid(void);

/* ---- builtins.c / test.c ---- */

typedef int (*builtin_fn)(int argc, char **argv);
struct builtin {
  const char *name;
  builtin_fn fn;
  int special;
};
extern const struct builtin builtins[];
int test_builtin(int argc, char **argv);
int echo_builtin(int argc, char **argv);

/* ---- the shell's state ---- */

enum pending_kind { P_NONE, P_BREAK, P_CONTINUE, P_RETURN, P_EXIT };

struct shell {
  int status;       /* $? */
  int interactive;
  volatile int typed; /* interactive: a ^C or ^\ came (its handler sets it) */
  int errexit, xtrace, noglob, nounset, verbose, noclobber;
  pid_t lastbg;     /* $! (0: none) */
  char *arg0;       /* $0 */
  strvec pos;       /* $1 ... */
  int pending;      /* enum pending_kind: unwinding in progress */
  int pending_n;    /* levels of break/continue left */
  int loopdepth, funcdepth, subdepth;
  int cond;         /* > 0 inside a condition (errexit does not apply) */
  char *exit_trap;
  char *cwd;        /* the shell's working directory */
  int cwd_gen;      /* bumped by every chdir */
  int out_pipe;     /* running a pipeline element whose standard output is a pipe */
  char *selfpath;
  int jobctl;       /* job control: interactive on its controlling terminal (jobs.c) */
  pid_t pgid;       /* the shell's own process group */
};
extern struct shell g;

#endif /* SH_H */
