/*
 * tr: translate, squeeze and delete bytes from standard input to standard output.
 *
 * Usage: tr [-cCst] SET1 SET2      translate SET1's bytes into SET2's (SET2 padded with its last)
 *        tr [-cC] -d SET1          delete the bytes of SET1
 *        tr [-cC] -s SET1          squeeze runs of a byte of SET1 into one
 *        tr [-cC] -ds SET1 SET2    delete SET1's bytes, then squeeze SET2's
 *   -c, -C  use the complement of SET1 (in ascending byte order)
 *   -t      truncate SET1 to SET2's length instead of padding SET2
 * SETs hold bytes, escapes (\\ \a \b \f \n \r \t \v, \NNN octal; any other \c is c), ranges a-z,
 * classes [:alnum:] [:alpha:] [:blank:] [:cntrl:] [:digit:] [:graph:] [:lower:] [:print:]
 * [:punct:] [:space:] [:upper:] [:xdigit:] (of the C locale), [=c=], and in SET2 [c*n] (n copies,
 * octal with a leading 0) and [c*] (as many as SET1 needs). As GNU tr, when translating SET2 may
 * hold only the classes [:upper:] and [:lower:], aligned with [:lower:] or [:upper:] in SET1.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/util.h"

#define BUFSIZE (64 * 1024)

/* A set: runs of `count` copies of a byte, in order. */
struct run {
  unsigned char c;
  uintmax_t count;
  char class_start; /* 'u' or 'l' on the first run of [:upper:] or [:lower:], else 0 */
};

struct set {
  struct run *runs;
  size_t n, cap;
  uintmax_t length;         /* bytes in all runs */
  long fill;                /* the run of a [c*] (count set later), or -1 */
  int n_fills;
  bool has_class, has_other_class, has_equiv, ends_with_class;
};

static bool complement, delete, squeeze, truncate_set1;
const char *prog = "tr";

static void add_run(struct set *s, unsigned char c, uintmax_t count, char class_start) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->runs = xrealloc(s->runs, s->cap * sizeof *s->runs);
  }
  s->runs[s->n++] = (struct run){c, count, class_start};
  s->length += count;
  s->ends_with_class = false;
}

/* ---- Parsing a SET ---- */

/* The string with its escapes resolved: each byte, and whether it came from an escape. */
struct unescaped {
  unsigned char *c;
  bool *escaped;
  size_t len;
};

static bool is_octal(char c) { return c >= '0' && c <= '7'; }

static struct unescaped unescape(const char *s) {
  size_t n = strlen(s);
  struct unescaped u = {xmalloc(n + 1), xmalloc(n + 1), 0};
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    bool escaped = c == '\\';
    if (escaped) {
      c = (unsigned char)s[++i];
      switch (c) {
      case 'a': c = '\a'; break;
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case 'n': c = '\n'; break;
      case 'r': c = '\r'; break;
      case 't': c = '\t'; break;
      case 'v': c = '\v'; break;
      case '\0':
        fprintf(stderr, "%s: warning: an unescaped backslash at end of string is not portable\n", prog);
        c = '\\';
        i--;
        break;
      default:
        if (!is_octal((char)c)) break;
        unsigned v = c - '0';
        for (int digits = 0; digits < 2 && is_octal(s[i + 1]); digits++) {
          unsigned next = v * 8 + (unsigned)(s[i + 1] - '0');
          if (next > 255) {
            fprintf(stderr,
                    "%s: warning: the ambiguous octal escape \\%c%c%c is being\n"
                    "\tinterpreted as the 2-byte sequence \\0%c%c, %c\n",
                    prog, s[i - 1], s[i], s[i + 1], s[i - 1], s[i], s[i + 1]);
            break;
          }
          v = next;
          i++;
        }
        c = (unsigned char)v;
      }
    }
    u.c[u.len] = c;
    u.escaped[u.len++] = escaped;
  }
  return u;
}

static bool is_plain(const struct unescaped *u, size_t i, char c) { return i < u->len && !u->escaped[i] && u->c[i] == c; }

static int (*class_test(const char *name))(int) {
  static const struct {
    const char *name;
    int (*test)(int);
  } classes[] = {{"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
                 {"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
                 {"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit}};
  for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
    if (strcmp(name, classes[i].name) == 0) return classes[i].test;
  return NULL;
}

/* The text of u[from..to) as a C string (malloc'd). */
static char *text(const struct unescaped *u, size_t from, size_t to) {
  char *t = xmalloc(to - from + 1);
  memcpy(t, u->c + from, to - from);
  t[to - from] = '\0';
  return t;
}

/* [:name:] or [=c=] at u[i] (u[i+1] is ':' or '='): adds it and returns the index after it, or 0
 * when there is no closing delimiter (the '[' is then an ordinary byte). */
static size_t bracket_class(const struct unescaped *u, size_t i, struct set *s) {
  char delim = (char)u->c[i + 1];
  size_t close = i + 2;
  while (close + 1 < u->len && !(is_plain(u, close, delim) && is_plain(u, close + 1, ']'))) close++;
  if (close + 1 >= u->len) return 0;
  char *operand = text(u, i + 2, close);
  if (!*operand)
    die(delim == ':' ? "missing character class name '[::]'" : "missing equivalence class character '[==]'");
  if (delim == '=') {
    if (close - (i + 2) != 1) die("%.200s: equivalence class operand must be a single character", operand);
    add_run(s, (unsigned char)operand[0], 1, 0);
    s->has_equiv = true;
  } else {
    int (*test)(int) = class_test(operand);
    if (!test) die("invalid character class '%.200s'", operand);
    bool upper_or_lower = test == isupper || test == islower;
    char start = test == isupper ? 'u' : test == islower ? 'l' : 0;
    for (int c = 0; c < 256; c++)
      if (test(c)) add_run(s, (unsigned char)c, 1, start), start = 0;
    s->has_class = true;
    if (!upper_or_lower) s->has_other_class = true;
    s->ends_with_class = true;
  }
  free(operand);
  return close + 2;
}

/* [c*n] or [c*] at u[i]: adds it and returns the index after it, or 0 when it is not one. */
static size_t bracket_repeat(const struct unescaped *u, size_t i, struct set *s) {
  if (i + 2 >= u->len || !is_plain(u, i + 2, '*')) return 0;
  size_t close = i + 3;
  while (close < u->len && !u->escaped[close] && u->c[close] != ']') close++;
  if (close >= u->len || u->escaped[close]) return 0;
  uintmax_t count = 0;
  if (close > i + 3) {
    char *digits = text(u, i + 3, close), *end;
    errno = 0;
    count = strtoumax(digits, &end, digits[0] == '0' ? 8 : 10);
    if (*end || errno || !isdigit((unsigned char)digits[0]) || count > SIZE_MAX) {
      fprintf(stderr, "%s: invalid repeat count '%s' in [c*n] construct\n", prog, digits);
      exit(1);
    }
    free(digits);
  }
  if (close == i + 3 || count == 0) { /* [c*] or [c*0]: fill */
    s->fill = (long)s->n;
    s->n_fills++;
    add_run(s, u->c[i + 1], 0, 0);
  } else {
    add_run(s, u->c[i + 1], count, 0);
  }
  return close + 1;
}

/* A byte as GNU tr shows it in a message. */
static void show_byte(char *out, unsigned char c) {
  if (isprint(c))
    sprintf(out, "%c", c);
  else
    sprintf(out, "\\%03o", c);
}

static struct set parse_set(const char *arg) {
  struct set s = {.fill = -1};
  struct unescaped u = unescape(arg);
  for (size_t i = 0; i < u.len;) {
    if (is_plain(&u, i, '[') && i + 1 < u.len) {
      size_t next = 0;
      if (is_plain(&u, i + 1, ':') || is_plain(&u, i + 1, '=')) next = bracket_class(&u, i, &s);
      if (!next) next = bracket_repeat(&u, i, &s);
      if (next) {
        i = next;
        continue;
      }
    }
    if (i + 2 < u.len && is_plain(&u, i + 1, '-')) {
      if (u.c[i] > u.c[i + 2]) {
        char a[8], b[8];
        show_byte(a, u.c[i]);
        show_byte(b, u.c[i + 2]);
        fprintf(stderr, "%s: range-endpoints of '%s-%s' are in reverse collating sequence order\n", prog, a, b);
        exit(1);
      }
      for (int c = u.c[i]; c <= u.c[i + 2]; c++) add_run(&s, (unsigned char)c, 1, 0);
      i += 3;
      continue;
    }
    add_run(&s, u.c[i], 1, 0);
    i++;
  }
  free(u.c);
  free(u.escaped);
  return s;
}

/* ---- Building the tables ---- */

static void members(const struct set *s, bool out[256]) {
  memset(out, 0, 256);
  for (size_t i = 0; i < s->n; i++)
    if (s->runs[i].count) out[s->runs[i].c] = true;
}

static struct set complement_of(const struct set *s) {
  bool in[256];
  members(s, in);
  struct set c = {.fill = -1, .has_class = s->has_class};
  for (int b = 0; b < 256; b++)
    if (!in[b]) add_run(&c, (unsigned char)b, 1, 0);
  return c;
}

/* Checks SET2 for translating (as GNU tr's validate) and gives it SET1's length. */
static void fit_set2(const struct set *s1, struct set *s2) {
  if (s2->n_fills > 1) die("only one [c*] repeat construct may appear in string2");
  if (s2->has_equiv) die("[=c=] expressions may not appear in string2 when translating");
  if (s2->has_other_class)
    die("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'");
  if (s2->fill >= 0 && s1->length > s2->length) {
    s2->runs[s2->fill].count = s1->length - s2->length;
    s2->length = s1->length;
  }
  if (s1->length > s2->length && !truncate_set1) {
    if (s2->length == 0) die("when not truncating set1, string2 must be non-empty");
    if (s2->ends_with_class)
      die("when translating with string1 longer than string2,\nthe latter string must not end with a character class");
    unsigned char last = 0;
    for (size_t i = 0; i < s2->n; i++)
      if (s2->runs[i].count) last = s2->runs[i].c;
    add_run(s2, last, s1->length - s2->length, 0);
  }
  if (complement && s1->has_class) {
    bool same = s2->length == s1->length;
    for (size_t i = 1; same && i < s2->n; i++)
      if (s2->runs[i].count && s2->runs[i].c != s2->runs[0].c) same = false;
    if (!same)
      die("when translating with complemented character classes,\nstring2 must map all characters in the domain to one");
  }
}

/* Walks SET1 and SET2 side by side, mapping each byte of SET1 to the byte of SET2 beside it. */
static void build_map(const struct set *s1, const struct set *s2, unsigned char map[256]) {
  for (int c = 0; c < 256; c++) map[c] = (unsigned char)c;
  size_t i = 0, j = 0;
  uintmax_t used1 = 0, used2 = 0; /* copies of the current runs already paired */
  for (;;) {
    while (i < s1->n && used1 == s1->runs[i].count) i++, used1 = 0;
    while (j < s2->n && used2 == s2->runs[j].count) j++, used2 = 0;
    if (j < s2->n && s2->runs[j].class_start && used2 == 0 && !(i < s1->n && s1->runs[i].class_start && used1 == 0))
      die("misaligned [:upper:] and/or [:lower:] construct");
    if (i >= s1->n || j >= s2->n) break;
    uintmax_t k = s1->runs[i].count - used1, k2 = s2->runs[j].count - used2;
    if (k2 < k) k = k2;
    map[s1->runs[i].c] = s2->runs[j].c;
    used1 += k;
    used2 += k;
  }
}

/* ---- Filtering ---- */

static void filter(const bool del[256], const unsigned char map[256], const bool squeezed[256]) {
  static unsigned char in[BUFSIZE], out[BUFSIZE];
  int last = -1; /* the last byte written, for squeezing */
  for (;;) {
    ssize_t got = read(STDIN_FILENO, in, sizeof in);
    if (got < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "%s: read error: %s\n", prog, strerror(errno));
      exit(1);
    }
    if (got == 0) return;
    size_t n = 0;
    for (ssize_t i = 0; i < got; i++) {
      unsigned char c = in[i];
      if (del[c]) continue;
      c = map[c];
      if (squeezed[c] && c == last) continue;
      out[n++] = c;
      last = c;
    }
    write_stdout(out, n, "write error");
  }
}

static void operand_count_error(int n, char **ops) {
  if (n == 0) {
    fprintf(stderr, "%s: missing operand\n", prog);
  } else if (n == 1 && (!delete || squeeze) && (delete || !squeeze)) {
    fprintf(stderr, "%s: missing operand after '%s'\n", prog, ops[0]);
    fprintf(stderr, delete ? "Two strings must be given when both deleting and squeezing repeats.\n"
                           : "Two strings must be given when translating.\n");
  } else {
    int max = delete && !squeeze ? 1 : 2;
    fprintf(stderr, "%s: extra operand '%s'\n", prog, ops[max]);
    if (max == 1) fprintf(stderr, "Only one string may be given when deleting without squeezing repeats.\n");
  }
  try_help();
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"complement", no_argument, NULL, 'c'},
                                           {"delete", no_argument, NULL, 'd'},
                                           {"squeeze-repeats", no_argument, NULL, 's'},
                                           {"truncate-set1", no_argument, NULL, 't'},
                                           {NULL, 0, NULL, 0}};
  int c;
  while ((c = next_long_option(argc, argv, ":cCdst", longopts)) != -1) {
    switch (c) {
    case 'c': case 'C': complement = true; break;
    case 'd': delete = true; break;
    case 's': squeeze = true; break;
    case 't': truncate_set1 = true; break;
    }
  }
  int n = argc - optind;
  char **ops = argv + optind;
  bool translating = n == 2 && !delete;
  int needed_min = (delete && squeeze) || (!delete && !squeeze) ? 2 : 1;
  int needed_max = delete && !squeeze ? 1 : 2;
  if (n < needed_min || n > needed_max) operand_count_error(n, ops);

  struct set s1 = parse_set(ops[0]);
  if (s1.n_fills) die("the [c*] repeat construct may not appear in string1");
  if (complement) s1 = complement_of(&s1);
  struct set s2 = {.fill = -1};
  if (n == 2) {
    s2 = parse_set(ops[1]);
    if (translating)
      fit_set2(&s1, &s2);
    else if (s2.n_fills > 0)
      die("the [c*] construct may appear in string2 only when translating");
  }

  bool del[256] = {0}, squeezed[256] = {0};
  unsigned char map[256];
  for (int b = 0; b < 256; b++) map[b] = (unsigned char)b;
  if (delete) members(&s1, del);
  if (translating) build_map(&s1, &s2, map);
  if (squeeze) members(n == 2 ? &s2 : &s1, squeezed);
  filter(del, map, squeezed);
  return 0;
}
