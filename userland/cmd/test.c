/* test, [: evaluate a conditional expression (POSIX test, as GNU coreutils' test).
 * Usage: test EXPRESSION     [ EXPRESSION ]
 * The program is `[` when the base name of argv[0] is "[" or "[.wasm"; it then requires "]" as
 * its last argument. Exit status: 0 true, 1 false, 2 on a syntax error.
 *   files:    -e -f -d -s -r -w -x -L -h -b -c -p -S -t FD, FILE -nt FILE, -ot, -ef
 *   strings:  -n S, -z S, S, S = S, S == S, S != S
 *   integers: N -eq N, -ne, -lt, -le, -gt, -ge (any length; -l S stands for the length of S)
 *   logic:    ! EXPR, EXPR -a EXPR, EXPR -o EXPR, ( EXPR )
 * With up to four arguments the POSIX rules by argument count apply, as in GNU.
 * -r -w -x use access(); WASI has no owners or permission bits (see the report). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/util.h"

const char *prog = "test";
static int argc;
static char **argv;
static int pos;

static void beyond(void) {
  die("missing argument after '%s'", argv[argc - 1]);
}

static void advance(int check) {
  pos++;
  if (check && pos >= argc) beyond();
}

static void unary_advance(void) {
  advance(1);
  pos++;
}

static int streq(const char *a, const char *b) {
  return strcmp(a, b) == 0;
}

static int posixtest(int nargs);
static int expr(void);

/* The digits of an integer argument (sign kept, '+' and blanks dropped), or a syntax error. */
static const char *find_int(const char *s) {
  const char *p = s, *start;
  while (*p == ' ' || *p == '\t') p++;
  if (*p == '+') start = ++p;
  else {
    start = p;
    p += *p == '-';
  }
  if (isdigit((unsigned char)*p)) {
    p++;
    while (isdigit((unsigned char)*p)) p++;
    const char *end = p;
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) {
      return xstrndup(start, (size_t)(end - start));
    }
  }
  die("invalid integer '%s'", s);
}

/* Compare two integers written in decimal, of any length. */
static int intcmp(const char *a, const char *b) {
  int na = *a == '-', nb = *b == '-';
  a += na, b += nb;
  while (*a == '0') a++;
  while (*b == '0') b++;
  if (!*a) na = 0;
  if (!*b) nb = 0;
  if (na != nb) return na ? -1 : 1;
  size_t la = strlen(a), lb = strlen(b);
  int d = la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
  if (d > 0) d = 1;
  if (d < 0) d = -1;
  return na ? -d : d;
}

static int binop(const char *s) {
  static const char *ops[] = {"=", "!=", "==", "-nt", "-ot", "-ef", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (streq(s, ops[i])) return 1;
  return 0;
}

static int test_unop(const char *op) {
  return op[0] == '-' && op[1] && !op[2] && strchr("bcdefghknprstuwxzGLOSN", op[1]);
}

static char *length_of(const char *s) {
  char *r = xmalloc(32);
  snprintf(r, 32, "%zu", strlen(s));
  return r;
}

static int mtime_of(const char *file, struct timespec *t) {
  struct stat st;
  if (stat(file, &st) != 0) return 0;
  *t = st.st_mtim;
  return 1;
}

static int tscmp(struct timespec a, struct timespec b) {
  if (a.tv_sec != b.tv_sec) return a.tv_sec < b.tv_sec ? -1 : 1;
  return a.tv_nsec < b.tv_nsec ? -1 : a.tv_nsec > b.tv_nsec;
}

static int binary_operator(int l_is_l) {
  int r_is_l = 0;
  if (l_is_l) advance(0);
  int op = pos + 1;
  if (op < argc - 2 && streq(argv[op + 1], "-l")) {
    r_is_l = 1;
    advance(0);
  }
  const char *o = argv[op];
  if (o[0] == '-') {
    if (((o[1] == 'l' || o[1] == 'g') && (o[2] == 'e' || o[2] == 't') && !o[3]) ||
        ((o[1] == 'e' || o[1] == 'n') && (o[2] == 'q' || o[2] == 'e') && !o[3])) {
      const char *l = l_is_l ? length_of(argv[op - 1]) : find_int(argv[op - 1]);
      const char *r = r_is_l ? length_of(argv[op + 2]) : find_int(argv[op + 1]);
      int cmp = intcmp(l, r), xe = o[2] == 'e';
      pos += 3;
      return o[1] == 'l' ? cmp < xe : o[1] == 'g' ? cmp > -xe : (cmp != 0) == xe;
    }
    struct timespec lt, rt;
    struct stat a, b;
    if (streq(o, "-nt") || streq(o, "-ot") || streq(o, "-ef")) {
      pos += 3;
      if (l_is_l || r_is_l) die("%s does not accept -l", o);
    }
    if (streq(o, "-nt")) {
      int le = mtime_of(argv[op - 1], &lt), re = mtime_of(argv[op + 1], &rt);
      return le && (!re || tscmp(lt, rt) > 0);
    }
    if (streq(o, "-ot")) {
      int le = mtime_of(argv[op - 1], &lt), re = mtime_of(argv[op + 1], &rt);
      return re && (!le || tscmp(lt, rt) < 0);
    }
    if (streq(o, "-ef"))
      return stat(argv[op - 1], &a) == 0 && stat(argv[op + 1], &b) == 0 && a.st_dev == b.st_dev &&
             a.st_ino == b.st_ino;
    die("'%s': unknown binary operator", o);
  }
  int value;
  if (streq(o, "=") || streq(o, "==")) value = streq(argv[pos], argv[pos + 2]);
  else value = !streq(argv[pos], argv[pos + 2]); /* "!=" */
  pos += 3;
  return value;
}

static int unary_operator(void) {
  struct stat st;
  char op = argv[pos][1];
  unary_advance();
  const char *arg = argv[pos - 1];
  switch (op) {
  case 'e': return stat(arg, &st) == 0;
  case 'r': return access(arg, R_OK) == 0;
  case 'w': return access(arg, W_OK) == 0;
  case 'x': return access(arg, X_OK) == 0;
  case 'f': return stat(arg, &st) == 0 && S_ISREG(st.st_mode);
  case 'd': return stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
  case 's': return stat(arg, &st) == 0 && st.st_size > 0;
  case 'S': return stat(arg, &st) == 0 && S_ISSOCK(st.st_mode);
  case 'c': return stat(arg, &st) == 0 && S_ISCHR(st.st_mode);
  case 'b': return stat(arg, &st) == 0 && S_ISBLK(st.st_mode);
  case 'p': return stat(arg, &st) == 0 && S_ISFIFO(st.st_mode);
  case 'L':
  case 'h': return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
  case 'u': return stat(arg, &st) == 0 && (st.st_mode & S_ISUID);
  case 'g': return stat(arg, &st) == 0 && (st.st_mode & S_ISGID);
  case 'k': return stat(arg, &st) == 0 && (st.st_mode & S_ISVTX);
  case 'O': return stat(arg, &st) == 0 && st.st_uid == 0; /* WASI has no users: all is uid 0 */
  case 'G': return stat(arg, &st) == 0 && st.st_gid == 0;
  case 'N': return stat(arg, &st) == 0 && tscmp(st.st_atim, st.st_mtim) <= 0;
  case 't': {
    const char *n = find_int(arg);
    long fd = strtol(n, NULL, 10);
    return fd >= 0 && fd <= 1024 && strlen(n) < 8 && isatty((int)fd);
  }
  case 'n': return arg[0] != '\0';
  case 'z': return arg[0] == '\0';
  }
  return 0;
}

static int one_argument(void) {
  return argv[pos++][0] != '\0';
}

static int two_arguments(void) {
  if (streq(argv[pos], "!")) {
    advance(0);
    return !one_argument();
  }
  if (argv[pos][0] == '-' && argv[pos][1] && !argv[pos][2]) {
    if (test_unop(argv[pos])) return unary_operator();
    die("'%s': unary operator expected", argv[pos]);
  }
  beyond();
  return 0;
}

static int three_arguments(void) {
  int value;
  if (binop(argv[pos + 1])) return binary_operator(0);
  if (streq(argv[pos], "!")) {
    advance(1);
    return !two_arguments();
  }
  if (streq(argv[pos], "(") && streq(argv[pos + 2], ")")) {
    advance(0);
    value = one_argument();
    advance(0);
    return value;
  }
  if (streq(argv[pos + 1], "-a") || streq(argv[pos + 1], "-o")) return expr();
  die("'%s': binary operator expected", argv[pos + 1]);
  return 0;
}

static int term(void) {
  int value, negated = 0;
  while (pos < argc && streq(argv[pos], "!")) {
    advance(1);
    negated = !negated;
  }
  if (pos >= argc) beyond();
  if (streq(argv[pos], "(")) {
    int nargs;
    advance(1);
    for (nargs = 1; pos + nargs < argc && !streq(argv[pos + nargs], ")"); nargs++)
      if (nargs == 4) {
        nargs = argc - pos;
        break;
      }
    value = posixtest(nargs);
    if (pos >= argc) die("')' expected");
    else if (!streq(argv[pos], ")")) die("')' expected, found '%s'", argv[pos]);
    advance(0);
  } else if (argc - pos >= 4 && streq(argv[pos], "-l") && binop(argv[pos + 2])) {
    value = binary_operator(1);
  } else if (argc - pos >= 3 && binop(argv[pos + 1])) {
    value = binary_operator(0);
  } else if (argv[pos][0] == '-' && argv[pos][1] && !argv[pos][2]) {
    if (!test_unop(argv[pos])) die("'%s': unary operator expected", argv[pos]);
    value = unary_operator();
  } else {
    value = argv[pos][0] != '\0';
    advance(0);
  }
  return negated ^ value;
}

static int and_(void) {
  int value = 1;
  for (;;) {
    value &= term();
    if (!(pos < argc && streq(argv[pos], "-a"))) return value;
    advance(0);
  }
}

static int or_(void) {
  int value = 0;
  for (;;) {
    value |= and_();
    if (!(pos < argc && streq(argv[pos], "-o"))) return value;
    advance(0);
  }
}

static int expr(void) {
  if (pos >= argc) beyond();
  return or_();
}

static int posixtest(int nargs) {
  switch (nargs) {
  case 1: return one_argument();
  case 2: return two_arguments();
  case 3: return three_arguments();
  case 4:
    if (streq(argv[pos], "!")) {
      advance(1);
      return !three_arguments();
    }
    if (streq(argv[pos], "(") && streq(argv[pos + 3], ")")) {
      advance(0);
      int value = two_arguments();
      advance(0);
      return value;
    }
    return expr();
  default: return expr();
  }
}

int main(int margc, char **margv) {
  exit_failure = 2; /* syntax errors */
  const char *base = strrchr(margv[0], '/');
  base = base ? base + 1 : margv[0];
  if (streq(base, "[") || streq(base, "[.wasm")) {
    prog = "[";
    if (margc < 2 || !streq(margv[margc - 1], "]")) die("missing ']'");
    margc--;
  }
  argc = margc;
  argv = margv;
  pos = 1;
  if (pos >= argc) return 1;
  int value = posixtest(argc - 1);
  if (pos != argc) die("extra argument '%s'", argv[pos]);
  return value ? 0 : 1;
}
