/*
 * arith.c: arithmetic expansion $(( )), on 64-bit signed integers with C's operators and
 * precedence: ( ) unary + - ! ~, * / %, + -, << >>, < <= > >=, == !=, &, ^, |, &&, ||, ?:, and the
 * assignments = += -= *= /= %= <<= >>= &= |= ^=. Numbers are decimal, octal (0...) or hex (0x...);
 * a variable's value (empty or unset: 0) must be such a number. && || ?: skip the side effects and
 * errors of the part they do not evaluate.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

typedef long long num;

struct ar {
  const char *p;
  const char *expr;
  int err;
  int skip; /* > 0: not evaluated (no assignment, no division error) */
};

static num assign(struct ar *a);

static void fail(struct ar *a, const char *msg) {
  if (!a->err) sh_warn("arithmetic expression: %s: \"%s\"", msg, a->expr);
  a->err = 1;
}

static void blanks(struct ar *a) {
  while (isspace((unsigned char)*a->p)) a->p++;
}

/* Consumes the operator op if it is next and not the start of a longer one in `not`. */
static int eat(struct ar *a, const char *op, const char *not) {
  blanks(a);
  size_t n = strlen(op);
  if (strncmp(a->p, op, n) != 0) return 0;
  if (not && a->p[n] && strchr(not, a->p[n])) return 0;
  a->p += n;
  return 1;
}

static int to_number(const char *s, num *out) {
  while (isspace((unsigned char)*s)) s++;
  if (!*s) {
    *out = 0;
    return 1;
  }
  int neg = 0;
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  if (!isdigit((unsigned char)*s)) return 0;
  char *end;
  num v = (num)strtoull(s, &end, 0);
  while (isspace((unsigned char)*end)) end++;
  if (*end) return 0;
  *out = neg ? -v : v;
  return 1;
}

static num get_var(struct ar *a, const char *name) {
  const char *v = var_get(name);
  num n = 0;
  if (v && !to_number(v, &n)) fail(a, "bad number");
  if (!v && g.nounset && !a->skip) {
    sh_warn("%s: parameter not set", name);
    a->err = 1;
  }
  return n;
}

static void set_var(struct ar *a, const char *name, num v) {
  if (a->skip || a->err) return;
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", v);
  if (var_set(name, buf, 0) < 0) a->err = 1;
}

static num primary(struct ar *a) {
  blanks(a);
  if (eat(a, "(", NULL)) {
    num v = assign(a);
    if (!eat(a, ")", NULL)) fail(a, "missing )");
    return v;
  }
  if (isdigit((unsigned char)*a->p)) {
    const char *s = a->p;
    while (isalnum((unsigned char)*a->p)) a->p++;
    char *t = xstrndup(s, (size_t)(a->p - s));
    num v = 0;
    if (!to_number(t, &v)) fail(a, "bad number");
    free(t);
    return v;
  }
  size_t n = name_len(a->p);
  if (n) {
    char *name = xstrndup(a->p, n);
    a->p += n;
    num v = get_var(a, name);
    if (eat(a, "++", NULL)) set_var(a, name, v + 1);
    else if (eat(a, "--", NULL)) set_var(a, name, v - 1);
    free(name);
    return v;
  }
  fail(a, "syntax error");
  return 0;
}

static num unary(struct ar *a) {
  blanks(a);
  if (eat(a, "++", NULL) || eat(a, "--", NULL)) {
    int inc = a->p[-1] == '+';
    blanks(a);
    size_t n = name_len(a->p);
    if (!n) {
      fail(a, "syntax error");
      return 0;
    }
    char *name = xstrndup(a->p, n);
    a->p += n;
    num v = get_var(a, name) + (inc ? 1 : -1);
    set_var(a, name, v);
    free(name);
    return v;
  }
  if (eat(a, "-", NULL)) return -unary(a);
  if (eat(a, "+", NULL)) return unary(a);
  if (eat(a, "!", "=")) return !unary(a);
  if (eat(a, "~", NULL)) return ~unary(a);
  return primary(a);
}

static num mul(struct ar *a) {
  num v = unary(a);
  for (;;) {
    char op;
    if (eat(a, "*", "=")) op = '*';
    else if (eat(a, "/", "=")) op = '/';
    else if (eat(a, "%", "=")) op = '%';
    else return v;
    num r = unary(a);
    if (op == '*') {
      v = (num)((unsigned long long)v * (unsigned long long)r);
    } else if (r == 0) {
      if (!a->skip) fail(a, "division by zero");
      v = 0;
    } else if (r == -1) {
      v = op == '/' ? (num)(0ULL - (unsigned long long)v) : 0;
    } else {
      v = op == '/' ? v / r : v % r;
    }
  }
}

static num add(struct ar *a) {
  num v = mul(a);
  for (;;) {
    if (eat(a, "+", "=+")) v = (num)((unsigned long long)v + (unsigned long long)mul(a));
    else if (eat(a, "-", "=-")) v = (num)((unsigned long long)v - (unsigned long long)mul(a));
    else return v;
  }
}

static num shift(struct ar *a) {
  num v = add(a);
  for (;;) {
    if (eat(a, "<<", "=")) v = (num)((unsigned long long)v << (add(a) & 63));
    else if (eat(a, ">>", "=")) v >>= (add(a) & 63);
    else return v;
  }
}

static num rel(struct ar *a) {
  num v = shift(a);
  for (;;) {
    if (eat(a, "<=", NULL)) v = v <= shift(a);
    else if (eat(a, ">=", NULL)) v = v >= shift(a);
    else if (eat(a, "<", "<")) v = v < shift(a);
    else if (eat(a, ">", ">")) v = v > shift(a);
    else return v;
  }
}

static num eq(struct ar *a) {
  num v = rel(a);
  for (;;) {
    if (eat(a, "==", NULL)) v = v == rel(a);
    else if (eat(a, "!=", NULL)) v = v != rel(a);
    else return v;
  }
}

static num band(struct ar *a) {
  num v = eq(a);
  while (eat(a, "&", "&=")) v &= eq(a);
  return v;
}

static num bxor(struct ar *a) {
  num v = band(a);
  while (eat(a, "^", "=")) v ^= band(a);
  return v;
}

static num bor(struct ar *a) {
  num v = bxor(a);
  while (eat(a, "|", "|=")) v |= bxor(a);
  return v;
}

static num land(struct ar *a) {
  num v = bor(a);
  while (eat(a, "&&", NULL)) {
    if (!v) a->skip++;
    num r = bor(a);
    if (!v) a->skip--;
    v = v && r;
  }
  return v;
}

static num lor(struct ar *a) {
  num v = land(a);
  while (eat(a, "||", NULL)) {
    if (v) a->skip++;
    num r = land(a);
    if (v) a->skip--;
    v = v || r;
  }
  return v;
}

static num cond(struct ar *a) {
  num c = lor(a);
  if (!eat(a, "?", NULL)) return c;
  if (!c) a->skip++;
  num x = assign(a);
  if (!c) a->skip--;
  if (!eat(a, ":", NULL)) {
    fail(a, "missing :");
    return 0;
  }
  if (c) a->skip++;
  num y = cond(a);
  if (c) a->skip--;
  return c ? x : y;
}

static num assign(struct ar *a) {
  static const char *const ops[] = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^=", NULL};
  blanks(a);
  size_t n = name_len(a->p);
  if (n) {
    const char *save = a->p;
    a->p += n;
    blanks(a);
    for (int i = 0; ops[i]; i++) {
      size_t l = strlen(ops[i]);
      if (strncmp(a->p, ops[i], l) != 0 || (i == 0 && a->p[1] == '=')) continue;
      char *name = xstrndup(save, n);
      a->p += l;
      num r = assign(a);
      num v = i == 0 ? r : get_var(a, name);
      switch (ops[i][0]) {
      case '+': v += r; break;
      case '-': v -= r; break;
      case '*': v *= r; break;
      case '/':
      case '%':
        if (r == 0) {
          if (!a->skip) fail(a, "division by zero");
          v = 0;
        } else if (r == -1) {
          v = ops[i][0] == '/' ? -v : 0;
        } else {
          v = ops[i][0] == '/' ? v / r : v % r;
        }
        break;
      case '<': v <<= (r & 63); break;
      case '>': v >>= (r & 63); break;
      case '&': v &= r; break;
      case '|': v |= r; break;
      case '^': v ^= r; break;
      }
      set_var(a, name, v);
      free(name);
      return v;
    }
    a->p = save;
  }
  return cond(a);
}

long long arith_eval(const char *expr, int *err) {
  struct ar a = {expr, expr, 0, 0};
  blanks(&a);
  if (!*a.p) return 0;
  num v = assign(&a);
  blanks(&a);
  if (*a.p && !a.err) fail(&a, "syntax error");
  *err = a.err;
  return a.err ? 0 : v;
}
