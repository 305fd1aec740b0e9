/*
 * builtins.c: the commands the shell runs itself. Special builtins (POSIX's: their prefix
 * assignments stay): : . break continue eval exec exit export readonly return set shift trap
 * unset, and local. Regular ones: cd pwd echo true false read wait jobs fg bg command type test [ source
 * getopts.
 *   cd [-L|-P] [DIR|-]   cd alone goes to $HOME, `cd -` to $OLDPWD (and prints it); sets PWD, OLDPWD
 *   echo [-neE] ARGS     as GNU echo: -n no newline, -e backslash escapes, -E none (the default)
 *   set [-efuvxC] [+efuvxC] [-o NAME] [--] [ARGS]   options and positional parameters
 *   read [-r] [-p PROMPT] [NAME...]   one line, split on IFS; REPLY without a name
 *   exec CMD             runs CMD, then exits with its status (no exec yet); exec with only
 *                        redirections applies them to the shell
 *   trap [ACTION] EXIT   only the EXIT trap runs (other signals are accepted and ignored)
 * Output goes straight to descriptor 1, one write per line or call.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

static int dotdepth;

/* Writes a builtin's output; 1 after a write error (reported). In a pipeline element the shell
 * runs itself, a pipe with no reader left ends the element as SIGPIPE would end a subshell: the
 * shell ignores SIGPIPE for the write and turns EPIPE into that exit. (A webmach SDK that does not
 * honour SIG_IGN would end the whole shell by SIGPIPE, so the pipe is also checked first.) */
static int out(const char *who, const char *s, size_t n) {
  int guard = g.out_pipe && g.subdepth > 0;
  void (*old)(int) = SIG_DFL;
  if (guard) {
    struct pollfd p = {.fd = 1, .events = POLLOUT};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLERR | POLLHUP))) {
      shell_exit(128 + SIGPIPE);
      return 1;
    }
    old = signal(SIGPIPE, SIG_IGN);
  }
  int rc = 0;
  while (n > 0) {
    ssize_t w = write(1, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EPIPE && guard) {
      shell_exit(128 + SIGPIPE);
      rc = 1;
      break;
    }
    if (w < 0) {
      sh_warn("%s: write error: %s", who, strerror(errno));
      rc = 1;
      break;
    }
    s += w;
    n -= (size_t)w;
  }
  if (guard) signal(SIGPIPE, old == SIG_ERR ? SIG_DFL : old);
  return rc;
}

static int out_sb(const char *who, sbuf *b) {
  int r = out(who, b->s ? b->s : "", b->n);
  free(b->s);
  b->s = NULL;
  b->n = b->cap = 0;
  return r;
}

/* 'value' quoted for reading back by the shell. */
static void put_quoted(sbuf *b, const char *v) {
  sb_putc(b, '\'');
  for (; *v; v++) {
    if (*v == '\'') sb_puts(b, "'\\''");
    else sb_putc(b, *v);
  }
  sb_putc(b, '\'');
}

static int bi_true(int argc, char **argv) {
  (void)argc, (void)argv;
  return 0;
}

static int bi_false(int argc, char **argv) {
  (void)argc, (void)argv;
  return 1;
}

/* ---- echo ---- */

static int echo_escape(const char **ps, sbuf *b) {
  const char *s = *ps;
  int c = *s++;
  int v;
  switch (c) {
  case 'a': sb_putc(b, '\a'); break;
  case 'b': sb_putc(b, '\b'); break;
  case 'c': *ps = s; return 1;
  case 'e': sb_putc(b, 033); break;
  case 'f': sb_putc(b, '\f'); break;
  case 'n': sb_putc(b, '\n'); break;
  case 'r': sb_putc(b, '\r'); break;
  case 't': sb_putc(b, '\t'); break;
  case 'v': sb_putc(b, '\v'); break;
  case '\\': sb_putc(b, '\\'); break;
  case '0':
    v = 0;
    for (int i = 0; i < 3 && *s >= '0' && *s <= '7'; i++) v = v * 8 + (*s++ - '0');
    sb_putc(b, v);
    break;
  case 'x':
    if (!strchr("0123456789abcdefABCDEF", *s) || !*s) {
      sb_puts(b, "\\x");
      break;
    }
    v = 0;
    for (int i = 0; i < 2 && *s && strchr("0123456789abcdefABCDEF", *s); i++, s++)
      v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
    sb_putc(b, v);
    break;
  default:
    sb_putc(b, '\\');
    if (c) sb_putc(b, c);
    else s--;
  }
  *ps = s;
  return 0;
}

int echo_builtin(int argc, char **argv) {
  int newline = 1, escapes = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (argv[i][strspn(argv[i] + 1, "neE") + 1] != '\0') break;
    for (const char *o = argv[i] + 1; *o; o++) {
      if (*o == 'n') newline = 0;
      else if (*o == 'e') escapes = 1;
      else escapes = 0;
    }
  }
  sbuf b = {0};
  for (int first = 1; i < argc; i++, first = 0) {
    if (!first) sb_putc(&b, ' ');
    if (!escapes) {
      sb_puts(&b, argv[i]);
      continue;
    }
    for (const char *s = argv[i]; *s;) {
      if (*s != '\\') {
        sb_putc(&b, *s++);
        continue;
      }
      s++;
      if (echo_escape(&s, &b)) return out_sb("echo", &b);
    }
  }
  if (newline) sb_putc(&b, '\n');
  return out_sb("echo", &b);
}

/* ---- directories ---- */

/* DIR made absolute from the shell's directory, with . and .. resolved by name (cd -L). */
static char *logical_path(const char *dir) {
  sbuf in = {0};
  if (dir[0] != '/') {
    sb_puts(&in, g.cwd ? g.cwd : "/");
    sb_putc(&in, '/');
  }
  sb_puts(&in, dir);
  char *path = sb_done(&in);
  strvec parts = {0};
  for (char *p = strtok(path, "/"); p; p = strtok(NULL, "/")) {
    if (strcmp(p, ".") == 0) continue;
    if (strcmp(p, "..") == 0) {
      if (parts.n > 0) free(parts.v[--parts.n]);
      continue;
    }
    sv_push(&parts, xstrdup(p));
  }
  free(path);
  sbuf out = {0};
  for (int i = 0; i < parts.n; i++) {
    sb_putc(&out, '/');
    sb_puts(&out, parts.v[i]);
  }
  if (out.n == 0) sb_putc(&out, '/');
  sv_free(&parts);
  return sb_done(&out);
}

static int bi_cd(int argc, char **argv) {
  int i = 1;
  while (i < argc && (strcmp(argv[i], "-L") == 0 || strcmp(argv[i], "-P") == 0)) i++;
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  const char *dir;
  int print = 0;
  if (i >= argc) {
    dir = var_get("HOME");
    if (!dir) {
      sh_warn("cd: HOME not set");
      return 1;
    }
  } else if (strcmp(argv[i], "-") == 0) {
    dir = var_get("OLDPWD");
    if (!dir) {
      sh_warn("cd: OLDPWD not set");
      return 1;
    }
    print = 1;
  } else {
    dir = argv[i];
  }
  if (i + 1 < argc) {
    sh_warn("cd: too many arguments");
    return 1;
  }
  char *target = logical_path(dir);
  if (chdir(target) != 0) {
    sh_warn("cd: %s: %s", dir, strerror(errno));
    free(target);
    return 1;
  }
  var_set("OLDPWD", g.cwd ? g.cwd : target, 0);
  var_set("PWD", target, 0);
  free(g.cwd);
  g.cwd = target;
  g.cwd_gen++;
  const char *now = target;
  if (print) {
    sbuf b = {0};
    sb_puts(&b, now);
    sb_putc(&b, '\n');
    return out_sb("cd", &b);
  }
  return 0;
}

static int bi_pwd(int argc, char **argv) {
  (void)argc, (void)argv;
  sbuf b = {0};
  char buf[PATH_MAX];
  sb_puts(&b, g.cwd ? g.cwd : getcwd(buf, sizeof buf) ? buf : "/");
  sb_putc(&b, '\n');
  return out_sb("pwd", &b);
}

/* ---- variables ---- */

static int bi_exit(int argc, char **argv) {
  int st = g.status;
  if (argc > 1) {
    long n;
    if (!parse_int(argv[1], &n)) {
      sh_warn("exit: %s: numeric argument required", argv[1]);
      st = 2;
    } else {
      st = (int)(n & 255);
    }
  }
  return shell_exit(st);
}

static int print_vars(const char *prefix, int flag) {
  sbuf b = {0};
  for (struct var *v = var_list(); v; v = v->next) {
    if (flag && !(v->flags & flag)) continue;
    if (!flag && !v->value) continue;
    sb_puts(&b, prefix);
    sb_puts(&b, v->name);
    if (v->value) {
      sb_putc(&b, '=');
      put_quoted(&b, v->value);
    }
    sb_putc(&b, '\n');
  }
  return out_sb(prefix[0] ? prefix : "set", &b);
}

static int declare(int argc, char **argv, int flag, const char *prefix) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "-p") == 0) i++;
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) return print_vars(prefix, flag);
  int st = 0;
  for (; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    char *name = eq ? xstrndup(argv[i], (size_t)(eq - argv[i])) : xstrdup(argv[i]);
    if (!is_name(name)) {
      sh_warn("%s: %s: bad variable name", argv[0], name);
      st = 1;
    } else if (var_set(name, eq ? eq + 1 : NULL, flag) < 0) {
      st = 1;
    }
    free(name);
  }
  return st;
}

static int bi_export(int argc, char **argv) { return declare(argc, argv, V_EXPORT, "export "); }

static int bi_readonly(int argc, char **argv) { return declare(argc, argv, V_READONLY, "readonly "); }

static int bi_local(int argc, char **argv) {
  if (g.funcdepth == 0) {
    sh_warn("local: not in a function");
    return 1;
  }
  int st = 0;
  for (int i = 1; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    char *name = eq ? xstrndup(argv[i], (size_t)(eq - argv[i])) : xstrdup(argv[i]);
    if (!is_name(name)) {
      sh_warn("local: %s: bad variable name", name);
      st = 1;
    } else {
      local_save(name);
      if (eq && var_set(name, eq + 1, 0) < 0) st = 1;
    }
    free(name);
  }
  return st;
}

static int bi_unset(int argc, char **argv) {
  int funcs = 0, i = 1, st = 0;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-f") == 0) funcs = 1;
    else if (strcmp(argv[i], "-v") == 0) funcs = 0;
    else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else {
      sh_warn("unset: %s: invalid option", argv[i]);
      return 2;
    }
  }
  for (; i < argc; i++) {
    if (funcs) func_unset(argv[i]);
    else if (var_unset(argv[i]) < 0) st = 1;
  }
  return st;
}

static int *option_flag(int c) {
  switch (c) {
  case 'e': return &g.errexit;
  case 'x': return &g.xtrace;
  case 'f': return &g.noglob;
  case 'u': return &g.nounset;
  case 'v': return &g.verbose;
  case 'C': return &g.noclobber;
  }
  return NULL;
}

static const struct {
  const char *name;
  char letter;
} long_opts[] = {{"errexit", 'e'}, {"xtrace", 'x'}, {"noglob", 'f'}, {"nounset", 'u'}, {"verbose", 'v'}, {"noclobber", 'C'}};

static int set_long(const char *name, int on) {
  for (size_t i = 0; i < sizeof long_opts / sizeof long_opts[0]; i++) {
    if (strcmp(long_opts[i].name, name) == 0) {
      *option_flag(long_opts[i].letter) = on;
      return 0;
    }
  }
  sh_warn("set: %s: invalid option name", name);
  return 2;
}

static int print_long_opts(void) {
  sbuf b = {0};
  for (size_t i = 0; i < sizeof long_opts / sizeof long_opts[0]; i++) {
    char *line = xasprintf("%-15s %s\n", long_opts[i].name, *option_flag(long_opts[i].letter) ? "on" : "off");
    sb_puts(&b, line);
    free(line);
  }
  return out_sb("set", &b);
}

static void set_positional(int argc, char **argv, int from) {
  sv_free(&g.pos);
  for (int i = from; i < argc; i++) sv_push(&g.pos, xstrdup(argv[i]));
}

static int bi_set(int argc, char **argv) {
  if (argc == 1) return print_vars("", 0);
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      set_positional(argc, argv, i + 1);
      return 0;
    }
    if ((a[0] != '-' && a[0] != '+') || a[1] == '\0') break;
    int on = a[0] == '-';
    for (const char *o = a + 1; *o; o++) {
      if (*o == 'o') {
        if (i + 1 >= argc) {
          if (!on) break;
          return print_long_opts();
        }
        int r = set_long(argv[++i], on);
        if (r) return r;
        continue;
      }
      int *f = option_flag(*o);
      if (!f) {
        sh_warn("set: %c%c: invalid option", a[0], *o);
        return 2;
      }
      *f = on;
    }
  }
  if (i < argc && strcmp(argv[i], "-") == 0) {
    g.xtrace = g.verbose = 0;
    i++;
  }
  if (i < argc) set_positional(argc, argv, i);
  return 0;
}

static int bi_shift(int argc, char **argv) {
  long n = 1;
  if (argc > 1 && (!parse_int(argv[1], &n) || n < 0)) {
    sh_warn("shift: %s: numeric argument required", argv[1]);
    return 2;
  }
  if (n > g.pos.n) {
    sh_warn("shift: can't shift that many");
    return 1;
  }
  for (long i = 0; i < n; i++) free(g.pos.v[i]);
  memmove(g.pos.v, g.pos.v + n, (size_t)(g.pos.n - n + 1) * sizeof *g.pos.v);
  g.pos.n -= (int)n;
  return 0;
}

/* ---- control ---- */

static int loop_builtin(int argc, char **argv, int kind) {
  long n = 1;
  if (argc > 1 && (!parse_int(argv[1], &n) || n < 1)) {
    sh_warn("%s: %s: loop count out of range", argv[0], argv[1]);
    return 1;
  }
  if (g.loopdepth == 0) return 0;
  g.pending = kind;
  g.pending_n = n > g.loopdepth ? g.loopdepth : (int)n;
  return 0;
}

static int bi_break(int argc, char **argv) { return loop_builtin(argc, argv, P_BREAK); }

static int bi_continue(int argc, char **argv) { return loop_builtin(argc, argv, P_CONTINUE); }

static int bi_return(int argc, char **argv) {
  long n = g.status;
  if (argc > 1 && !parse_int(argv[1], &n)) {
    sh_warn("return: %s: numeric argument required", argv[1]);
    n = 2;
  }
  if (g.funcdepth == 0 && dotdepth == 0) {
    sh_warn("return: can only return from a function or sourced script");
    return 1;
  }
  g.pending = P_RETURN;
  g.status = (int)(n & 255);
  return g.status;
}

static int bi_eval(int argc, char **argv) {
  sbuf b = {0};
  for (int i = 1; i < argc; i++) {
    if (i > 1) sb_putc(&b, ' ');
    sb_puts(&b, argv[i]);
  }
  g.status = 0;
  int st = run_list_text(sb_str(&b), "eval: ");
  free(b.s);
  return st;
}

/* The file `.` reads: NAME found on PATH, else NAME itself. */
static char *find_dot_file(const char *name) {
  const char *path = var_get("PATH");
  char *found = !strchr(name, '/') && path ? path_search(path, name) : NULL;
  return found ? found : xstrdup(name);
}

static int bi_dot(int argc, char **argv) {
  if (argc < 2) {
    sh_warn("%s: filename argument required", argv[0]);
    return 2;
  }
  char *path = find_dot_file(argv[1]);
  char *text = read_file(path);
  if (!text) {
    sh_warn("%s: %s: %s", argv[0], argv[1], strerror(errno));
    free(path);
    return 1;
  }
  free(path);
  strvec saved = {0};
  int setpos = argc > 2;
  if (setpos) {
    saved = g.pos;
    memset(&g.pos, 0, sizeof g.pos);
    for (int i = 2; i < argc; i++) sv_push(&g.pos, xstrdup(argv[i]));
  }
  dotdepth++;
  g.status = 0;
  int st = run_list_text(text, "");
  dotdepth--;
  if (g.pending == P_RETURN) {
    g.pending = P_NONE;
    st = g.status;
  }
  if (setpos) {
    sv_free(&g.pos);
    g.pos = saved;
  }
  free(text);
  return st;
}

/* ---- read ---- */

static int is_ifs_char(const char *ifs, char c) { return c && strchr(ifs, c) != NULL; }
static int is_ifs_ws(const char *ifs, char c) { return (c == ' ' || c == '\t' || c == '\n') && is_ifs_char(ifs, c); }

/* Splits the line (with its escaped characters marked in q) into the variables. */
static int read_assign(char **names, int nnames, const char *line, const char *q, size_t len) {
  const char *ifs = var_get("IFS");
  if (!ifs) ifs = " \t\n";
  size_t i = 0;
  int st = 0;
  for (int v = 0; v < nnames; v++) {
    while (i < len && !q[i] && is_ifs_ws(ifs, line[i])) i++;
    sbuf val = {0};
    if (v == nnames - 1) {
      size_t end = len;
      while (end > i && !q[end - 1] && is_ifs_ws(ifs, line[end - 1])) end--;
      sb_putn(&val, line + i, end - i);
      i = len;
    } else {
      while (i < len && (q[i] || !is_ifs_char(ifs, line[i]))) sb_putc(&val, line[i++]);
      while (i < len && !q[i] && is_ifs_ws(ifs, line[i])) i++;
      if (i < len && !q[i] && is_ifs_char(ifs, line[i])) i++;
    }
    if (var_set(names[v], sb_str(&val), 0) < 0) st = 2;
    free(val.s);
  }
  return st;
}

static int bi_read(int argc, char **argv) {
  int raw = 0, i = 1;
  const char *prompt = NULL;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "-r") == 0) raw = 1;
    else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) prompt = argv[++i];
    else {
      sh_warn("read: %s: invalid option", argv[i]);
      return 2;
    }
  }
  char *reply[] = {"REPLY", NULL};
  char **names = i < argc ? argv + i : reply;
  int nnames = i < argc ? argc - i : 1;
  for (int k = 0; k < nnames; k++) {
    if (!is_name(names[k])) {
      sh_warn("read: %s: bad variable name", names[k]);
      return 2;
    }
  }
  if (prompt && isatty(0)) put_str(2, prompt);
  sbuf line = {0}, quoted = {0}, chunk = {0};
  int eof = 0;
  for (;;) {
    int newline;
    chunk.n = 0;
    if (!read_line_fd(0, &chunk, &newline) || !newline) eof = 1;
    size_t k = 0;
    int cont = 0;
    for (; k < chunk.n; k++) {
      char c = chunk.s[k];
      if (!raw && c == '\\') {
        if (k + 1 < chunk.n) {
          sb_putc(&line, chunk.s[++k]);
          sb_putc(&quoted, 1);
        } else if (!eof) {
          cont = 1;
        }
        continue;
      }
      sb_putc(&line, c);
      sb_putc(&quoted, 0);
    }
    if (!cont || eof) break;
  }
  int st = read_assign(names, nnames, line.s ? line.s : "", quoted.s ? quoted.s : "", line.n);
  free(line.s);
  free(quoted.s);
  free(chunk.s);
  return st ? st : eof;
}

/* ---- command, type, trap ---- */

static int describe(const char *name, int verbose) {
  static const char *const keywords[] = {"if", "then", "else", "elif", "fi", "case", "esac", "for", "while",
                                         "until", "do", "done", "in", "{", "}", "!", NULL};
  char *line = NULL;
  int st = 0;
  for (int i = 0; keywords[i]; i++)
    if (strcmp(name, keywords[i]) == 0) line = verbose ? xasprintf("%s is a shell keyword\n", name) : xasprintf("%s\n", name);
  if (!line && func_find(name)) line = verbose ? xasprintf("%s is a function\n", name) : xasprintf("%s\n", name);
  if (!line && find_builtin(name) >= 0)
    line = verbose ? xasprintf("%s is a shell builtin\n", name) : xasprintf("%s\n", name);
  if (!line) {
    const char *path = var_get("PATH");
    if (!path) path = "/bin:/usr/bin";
    char *found = NULL;
    if (strchr(name, '/')) {
      struct stat sb;
      if (stat(name, &sb) == 0) found = xstrdup(name);
    }
    for (const char *p = path; !found && !strchr(name, '/');) {
      const char *end = strchr(p, ':');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      char *cand = xasprintf("%.*s%s%s", (int)len, p, len ? "/" : "", name);
      struct stat sb;
      if (stat(cand, &sb) == 0 && S_ISREG(sb.st_mode)) found = cand;
      else free(cand);
      if (!end) break;
      p = end + 1;
    }
    if (found) line = verbose ? xasprintf("%s is %s\n", name, found) : xasprintf("%s\n", found);
    free(found);
  }
  if (!line) {
    if (verbose) sh_warn("%s: not found", name);
    return 1;
  }
  st = out("command", line, strlen(line));
  free(line);
  return st;
}

static int bi_command(int argc, char **argv) {
  int verbose = -1, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-v") == 0) verbose = 0;
    else if (strcmp(argv[i], "-V") == 0) verbose = 1;
    else if (strcmp(argv[i], "-p") == 0) continue;
    else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else {
      sh_warn("command: %s: invalid option", argv[i]);
      return 2;
    }
  }
  if (verbose < 0) {
    if (i >= argc) return 0;
    sh_warn("command: options other than -v and -V are not supported");
    return 2;
  }
  int st = 0;
  for (; i < argc; i++) st |= describe(argv[i], verbose);
  return st ? 1 : 0;
}

static int bi_type(int argc, char **argv) {
  int st = 0;
  for (int i = 1; i < argc; i++) st |= describe(argv[i], 1);
  return st ? 1 : 0;
}

static int bi_trap(int argc, char **argv) {
  if (argc == 1) {
    if (!g.exit_trap) return 0;
    sbuf b = {0};
    sb_puts(&b, "trap -- ");
    put_quoted(&b, g.exit_trap);
    sb_puts(&b, " EXIT\n");
    return out_sb("trap", &b);
  }
  int i = 1;
  if (strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) return 0;
  const char *action = argv[i];
  int reset = strcmp(action, "-") == 0;
  if (i + 1 == argc && parse_int(action, &(long){0})) reset = 1, i--; /* trap N: reset */
  for (i++; i < argc; i++) {
    if (strcmp(argv[i], "0") == 0 || strcmp(argv[i], "EXIT") == 0) {
      free(g.exit_trap);
      g.exit_trap = reset || !*action ? NULL : xstrdup(action);
    }
  }
  return 0;
}

/* getopts OPTSTRING NAME [ARGS]: the next option of ARGS (default: the positional parameters),
 * with OPTIND and OPTARG; a leading : in OPTSTRING reports errors through NAME silently. */
static int bi_getopts(int argc, char **argv) {
  static int charpos;
  static long expect_ind = 1;
  if (argc < 3) {
    sh_warn("getopts: usage: getopts optstring name [arg ...]");
    return 2;
  }
  const char *opts = argv[1], *name = argv[2];
  char **args = argc > 3 ? argv + 3 : g.pos.v;
  long nargs = argc > 3 ? argc - 3 : g.pos.n;
  const char *o = var_get("OPTIND");
  long ind;
  if (!o || !parse_int(o, &ind) || ind < 1) ind = 1;
  if (ind != expect_ind) charpos = 0;
  int silent = opts[0] == ':';
  char optc[2] = {'?', 0};
  int st = 0;
  if (charpos == 0) {
    const char *a = ind <= nargs ? args[ind - 1] : NULL;
    if (!a || a[0] != '-' || a[1] == '\0' || strcmp(a, "--") == 0) {
      if (a && strcmp(a, "--") == 0) ind++;
      st = 1;
    } else {
      charpos = 1;
    }
  }
  if (st == 0) {
    const char *a = args[ind - 1];
    char c = a[charpos++];
    const char *p = c != ':' ? strchr(opts + silent, c) : NULL;
    var_unset("OPTARG");
    if (!p) {
      if (silent) var_set("OPTARG", (char[]){c, 0}, 0);
      else sh_warn("getopts: illegal option -- %c", c);
    } else if (p[1] == ':') {
      if (a[charpos]) {
        var_set("OPTARG", a + charpos, 0);
        optc[0] = c;
      } else if (ind < nargs) {
        var_set("OPTARG", args[ind], 0);
        ind++;
        optc[0] = c;
      } else if (silent) {
        var_set("OPTARG", (char[]){c, 0}, 0);
        optc[0] = ':';
      } else {
        sh_warn("getopts: option requires an argument -- %c", c);
      }
      charpos = 0;
      ind++;
    } else {
      optc[0] = c;
    }
    if (charpos && a[charpos] == '\0') {
      charpos = 0;
      ind++;
    }
  } else {
    charpos = 0;
  }
  char num[24];
  snprintf(num, sizeof num, "%ld", ind);
  var_set("OPTIND", num, 0);
  expect_ind = ind;
  if (var_set(name, optc, 0) < 0) return 2;
  return st;
}

static int bi_jobs(int argc, char **argv) { return jobs_builtin(argc, argv); }
static int bi_wait(int argc, char **argv) { return wait_builtin(argc, argv); }

const struct builtin builtins[] = {
    {":", bi_true, 1},          {".", bi_dot, 1},           {"[", test_builtin, 0},
    {"bg", bg_builtin, 0},      {"break", bi_break, 1},     {"cd", bi_cd, 0},
    {"command", bi_command, 0},
    {"continue", bi_continue, 1}, {"echo", echo_builtin, 0}, {"eval", bi_eval, 1},
    {"exit", bi_exit, 1},       {"export", bi_export, 1},   {"false", bi_false, 0},
    {"fg", fg_builtin, 0},      {"getopts", bi_getopts, 0},
    {"jobs", bi_jobs, 0},       {"local", bi_local, 1},     {"pwd", bi_pwd, 0},
    {"read", bi_read, 0},       {"readonly", bi_readonly, 1}, {"return", bi_return, 1},
    {"set", bi_set, 1},         {"shift", bi_shift, 1},     {"source", bi_dot, 1},
    {"test", test_builtin, 0},  {"trap", bi_trap, 1},       {"true", bi_true, 0},
    {"type", bi_type, 0},       {"unset", bi_unset, 1},     {"wait", bi_wait, 0},
    {NULL, NULL, 0},
};

int find_builtin(const char *name) {
  for (int i = 0; builtins[i].name; i++)
    if (strcmp(builtins[i].name, name) == 0) return i;
  return -1;
}

