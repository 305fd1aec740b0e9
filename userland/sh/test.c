/*
 * test.c: the test and [ builtins (POSIX test): string tests (-n -z = != STRING), integer
 * comparisons (-eq -ne -lt -le -gt -ge), file tests (-e -f -d -s -r -w -x -L -h -p -S -b -c -t),
 * -nt -ot -ef, ! ( ) -a -o. One to four arguments follow POSIX's rules by argument count; more are
 * parsed with -o below -a below !. Status 0 true, 1 false, 2 on error (with a message).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

struct tp {
  char **argv;
  int argc, pos;
  int err;
  const char *name;
};

static int expr_or(struct tp *t);

static void terr(struct tp *t, const char *what, const char *arg) {
  if (!t->err) {
    if (arg) sh_warn("%s: %s: %s", t->name, arg, what);
    else sh_warn("%s: %s", t->name, what);
  }
  t->err = 1;
}

static int is_unary(const char *s) {
  return s[0] == '-' && s[1] && !s[2] && strchr("nzefdsrwxLhpSbcgukt", s[1]);
}

static int is_binary(const char *s) {
  static const char *const ops[] = {"=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", NULL};
  for (int i = 0; ops[i]; i++)
    if (strcmp(s, ops[i]) == 0) return 1;
  return 0;
}

static int integer(struct tp *t, const char *s, long long *out) {
  const char *p = s;
  while (*p == ' ' || *p == '\t') p++;
  char *end;
  if (!*p) {
    terr(t, "integer expression expected", s);
    return 0;
  }
  *out = strtoll(p, &end, 10);
  while (*end == ' ' || *end == '\t') end++;
  if (*end || end == p) {
    terr(t, "integer expression expected", s);
    return 0;
  }
  return 1;
}

static int unary(const char *op, const char *arg) {
  struct stat st;
  switch (op[1]) {
  case 'n': return arg[0] != '\0';
  case 'z': return arg[0] == '\0';
  case 't': return isatty(atoi(arg));
  case 'L':
  case 'h': return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
  case 'r': return access(arg, R_OK) == 0;
  case 'w': return access(arg, W_OK) == 0;
  case 'x': return access(arg, X_OK) == 0;
  }
  if (stat(arg, &st) != 0) return 0;
  switch (op[1]) {
  case 'e': return 1;
  case 'f': return S_ISREG(st.st_mode);
  case 'd': return S_ISDIR(st.st_mode);
  case 's': return st.st_size > 0;
  case 'p': return S_ISFIFO(st.st_mode);
  case 'S': return S_ISSOCK(st.st_mode);
  case 'b': return S_ISBLK(st.st_mode);
  case 'c': return S_ISCHR(st.st_mode);
  case 'g': return (st.st_mode & S_ISGID) != 0;
  case 'u': return (st.st_mode & S_ISUID) != 0;
  case 'k': return (st.st_mode & S_ISVTX) != 0;
  }
  return 0;
}

static int binary(struct tp *t, const char *a, const char *op, const char *b) {
  if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) return strcmp(a, b) == 0;
  if (strcmp(op, "!=") == 0) return strcmp(a, b) != 0;
  if (strcmp(op, "<") == 0) return strcmp(a, b) < 0;
  if (strcmp(op, ">") == 0) return strcmp(a, b) > 0;
  if (op[1] == 'n' && op[2] == 't') {
    struct stat sa, sb;
    if (stat(a, &sa) != 0) return 0;
    if (stat(b, &sb) != 0) return 1;
    return sa.st_mtim.tv_sec > sb.st_mtim.tv_sec ||
           (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec);
  }
  if (op[1] == 'o' && op[2] == 't') return binary(t, b, "-nt", a);
  if (op[1] == 'e' && op[2] == 'f') {
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }
  long long x, y;
  if (!integer(t, a, &x) || !integer(t, b, &y)) return 0;
  if (strcmp(op, "-eq") == 0) return x == y;
  if (strcmp(op, "-ne") == 0) return x != y;
  if (strcmp(op, "-lt") == 0) return x < y;
  if (strcmp(op, "-le") == 0) return x <= y;
  if (strcmp(op, "-gt") == 0) return x > y;
  return x >= y;
}

static const char *next_arg(struct tp *t) { return t->pos < t->argc ? t->argv[t->pos++] : NULL; }

static int primary(struct tp *t) {
  const char *a = next_arg(t);
  if (!a) {
    terr(t, "argument expected", NULL);
    return 0;
  }
  if (strcmp(a, "(") == 0) {
    int v = expr_or(t);
    const char *c = next_arg(t);
    if (!c || strcmp(c, ")") != 0) terr(t, "')' expected", NULL);
    return v;
  }
  if (t->pos + 1 < t->argc + 1 && t->pos < t->argc && is_binary(t->argv[t->pos])) {
    const char *op = next_arg(t);
    const char *b = next_arg(t);
    if (!b) {
      terr(t, "argument expected", op);
      return 0;
    }
    return binary(t, a, op, b);
  }
  if (is_unary(a) && t->pos < t->argc) return unary(a, next_arg(t));
  return a[0] != '\0';
}

static int expr_not(struct tp *t) {
  if (t->pos < t->argc && strcmp(t->argv[t->pos], "!") == 0) {
    t->pos++;
    return !expr_not(t);
  }
  return primary(t);
}

static int expr_and(struct tp *t) {
  int v = expr_not(t);
  while (t->pos < t->argc && strcmp(t->argv[t->pos], "-a") == 0) {
    t->pos++;
    int r = expr_not(t);
    v = v && r;
  }
  return v;
}

static int expr_or(struct tp *t) {
  int v = expr_and(t);
  while (t->pos < t->argc && strcmp(t->argv[t->pos], "-o") == 0) {
    t->pos++;
    int r = expr_and(t);
    v = v || r;
  }
  return v;
}

/* POSIX's rules for up to four arguments. */
static int eval_n(struct tp *t, char **a, int n) {
  switch (n) {
  case 0: return 0;
  case 1: return a[0][0] != '\0';
  case 2:
    if (strcmp(a[0], "!") == 0) return a[1][0] == '\0';
    if (is_unary(a[0])) return unary(a[0], a[1]);
    break;
  case 3:
    if (is_binary(a[1])) return binary(t, a[0], a[1], a[2]);
    if (strcmp(a[0], "!") == 0) return !eval_n(t, a + 1, 2);
    if (strcmp(a[0], "(") == 0 && strcmp(a[2], ")") == 0) return a[1][0] != '\0';
    break;
  case 4:
    if (strcmp(a[0], "!") == 0) return !eval_n(t, a + 1, 3);
    if (strcmp(a[0], "(") == 0 && strcmp(a[3], ")") == 0) return eval_n(t, a + 1, 2);
    break;
  }
  t->argv = a;
  t->argc = n;
  t->pos = 0;
  int v = expr_or(t);
  if (t->pos < t->argc) terr(t, "unexpected operator", t->argv[t->pos]);
  return v;
}

int test_builtin(int argc, char **argv) {
  struct tp t = {0};
  t.name = argv[0];
  if (strcmp(argv[0], "[") == 0) {
    if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
      sh_warn("[: missing ']'");
      return 2;
    }
    argc--;
  }
  int v = eval_n(&t, argv + 1, argc - 1);
  if (t.err) return 2;
  return v ? 0 : 1;
}
