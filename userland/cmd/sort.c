/* sort: sort lines of text files (byte order, as GNU sort under LC_ALL=C).
 * Usage: sort [-bfnrsu] [-t SEP] [-k POS1[,POS2]]... [-o FILE] [FILE]...
 *   -r  reverse the result of comparisons     -n  compare by leading numeric value
 *   -f  fold lower case to upper case         -b  ignore leading blanks in keys
 *   -u  output only the first of lines that compare equal
 *   -s  stable: no last-resort comparison of whole lines
 *   -t SEP  fields are separated by the character SEP (default: a blank-to-nonblank transition)
 *   -k POS1[,POS2]  key from field F[.C] to field F[.C] (1-based), options b f n r after each
 *   -o FILE  write the result to FILE (read fully first, so FILE may also be an input)
 * Files "-" or none: standard input. Lines equal by every key are ordered by their bytes (unless
 * -s or -u), so the output matches GNU sort's. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/util.h"

const char *prog = "sort";

struct key {
  size_t sword, schar, eword, echar; /* eword == SIZE_MAX: to the end of the line */
  int skipsblanks, skipeblanks, numeric, fold, reverse;
};

struct line {
  const char *text;
  size_t len;
};

static struct key *keys;
static size_t nkeys;
static struct key gkey = {0, 0, SIZE_MAX, 0, 0, 0, 0, 0, 0};
static int tab = -1, unique = 0, stable = 0;

static int blank(char c) {
  return c == ' ' || c == '\t';
}

static void bad_field(const char *msg, const char *spec) {
  die("%s: invalid field specification '%s'", msg, spec);
}

static const char *parse_count(const char *s, size_t *out, const char *msg, const char *spec) {
  (void)spec;
  if (!isdigit((unsigned char)*s)) die("%s: invalid count at start of '%s'", msg, s);
  size_t v = 0;
  while (isdigit((unsigned char)*s)) {
    size_t d = (size_t)(*s++ - '0');
    v = v > (SIZE_MAX - d) / 10 ? SIZE_MAX : v * 10 + d;
  }
  *out = v;
  return s;
}

static const char *parse_opts(const char *s, struct key *k, int start) {
  for (;; s++) {
    switch (*s) {
    case 'b':
      if (start) k->skipsblanks = 1;
      else k->skipeblanks = 1;
      break;
    case 'f': k->fold = 1; break;
    case 'n': k->numeric = 1; break;
    case 'r': k->reverse = 1; break;
    default: return s;
    }
  }
}

static void add_key(const char *spec) {
  struct key k = {0, 0, SIZE_MAX, 0, 0, 0, 0, 0, 0};
  const char *s = parse_count(spec, &k.sword, "invalid number at field start", spec);
  if (k.sword-- == 0) bad_field("field number is zero", spec);
  if (*s == '.') {
    s = parse_count(s + 1, &k.schar, "invalid number after '.'", spec);
    if (k.schar-- == 0) bad_field("character offset is zero", spec);
  }
  s = parse_opts(s, &k, 1);
  if (*s == ',') {
    s = parse_count(s + 1, &k.eword, "invalid number after ','", spec);
    if (k.eword-- == 0) bad_field("field number is zero", spec);
    if (*s == '.') s = parse_count(s + 1, &k.echar, "invalid number after '.'", spec);
    s = parse_opts(s, &k, 0);
  }
  if (*s) bad_field("stray character in field spec", spec);
  keys = xrealloc(keys, (nkeys + 1) * sizeof *keys);
  keys[nkeys++] = k;
}

/* Start and end of key K in line L (GNU's begfield and limfield). */
static const char *key_start(const struct line *l, const struct key *k) {
  const char *p = l->text, *lim = l->text + l->len;
  size_t sword = k->sword;
  if (tab >= 0) {
    while (p < lim && sword--) {
      while (p < lim && *p != tab) p++;
      if (p < lim) p++;
    }
  } else {
    while (p < lim && sword--) {
      while (p < lim && blank(*p)) p++;
      while (p < lim && !blank(*p)) p++;
    }
  }
  if (k->skipsblanks)
    while (p < lim && blank(*p)) p++;
  return (size_t)(lim - p) < k->schar ? lim : p + k->schar;
}

static const char *key_end(const struct line *l, const struct key *k) {
  const char *p = l->text, *lim = l->text + l->len;
  if (k->eword == SIZE_MAX) return lim;
  size_t eword = k->eword, echar = k->echar;
  if (echar == 0) eword++;
  if (tab >= 0) {
    while (p < lim && eword--) {
      while (p < lim && *p != tab) p++;
      if (p < lim && (eword || echar)) p++;
    }
  } else {
    while (p < lim && eword--) {
      while (p < lim && blank(*p)) p++;
      while (p < lim && !blank(*p)) p++;
    }
  }
  if (echar) {
    if (k->skipeblanks)
      while (p < lim && blank(*p)) p++;
    p = (size_t)(lim - p) < echar ? lim : p + echar;
  }
  return p;
}

/* A number's parts: sign, integer digits without leading zeros, fraction without trailing zeros. */
struct num {
  int negative;
  const char *ip, *fp;
  size_t il, fl;
};

static void parse_num(const char *p, const char *lim, struct num *n) {
  while (p < lim && blank(*p)) p++;
  n->negative = 0;
  if (p < lim && *p == '-') n->negative = 1, p++;
  while (p < lim && *p == '0') p++;
  n->ip = p;
  while (p < lim && isdigit((unsigned char)*p)) p++;
  n->il = (size_t)(p - n->ip);
  n->fp = p, n->fl = 0;
  if (p < lim && *p == '.') {
    n->fp = ++p;
    while (p < lim && isdigit((unsigned char)*p)) p++;
    n->fl = (size_t)(p - n->fp);
    while (n->fl && n->fp[n->fl - 1] == '0') n->fl--;
  }
  if (!n->il && !n->fl) n->negative = 0; /* -0 and non-numbers are zero */
}

static int cmp_magnitude(const struct num *a, const struct num *b) {
  if (a->il != b->il) return a->il < b->il ? -1 : 1;
  int d = memcmp(a->ip, b->ip, a->il);
  if (d) return d;
  size_t m = a->fl < b->fl ? a->fl : b->fl;
  d = memcmp(a->fp, b->fp, m);
  if (d) return d;
  return a->fl < b->fl ? -1 : a->fl > b->fl;
}

static int numcompare(const char *a, const char *alim, const char *b, const char *blim) {
  struct num x, y;
  parse_num(a, alim, &x);
  parse_num(b, blim, &y);
  if (x.negative != y.negative) return x.negative ? -1 : 1;
  int d = cmp_magnitude(&x, &y);
  return x.negative ? -d : d;
}

static int textcompare(const char *a, size_t al, const char *b, size_t bl, int fold) {
  size_t m = al < bl ? al : bl;
  if (fold) {
    for (size_t i = 0; i < m; i++) {
      int d = toupper((unsigned char)a[i]) - toupper((unsigned char)b[i]);
      if (d) return d;
    }
  } else {
    int d = memcmp(a, b, m);
    if (d) return d;
  }
  return al < bl ? -1 : al > bl;
}

static int keycompare(const struct line *a, const struct line *b) {
  for (size_t i = 0; i < nkeys; i++) {
    const struct key *k = &keys[i];
    const char *as = key_start(a, k), *ae = key_end(a, k);
    const char *bs = key_start(b, k), *be = key_end(b, k);
    if (ae < as) ae = as;
    if (be < bs) be = bs;
    int d = k->numeric ? numcompare(as, ae, bs, be)
                       : textcompare(as, (size_t)(ae - as), bs, (size_t)(be - bs), k->fold);
    if (d) return k->reverse ? -d : d;
  }
  return 0;
}

static int compare(const struct line *a, const struct line *b) {
  if (nkeys) {
    int d = keycompare(a, b);
    if (d || unique || stable) return d;
  }
  int d = textcompare(a->text, a->len, b->text, b->len, 0);
  return gkey.reverse ? -d : d;
}

static void merge_sort(struct line *v, struct line *tmp, size_t n) {
  if (n < 2) return;
  size_t h = n / 2;
  merge_sort(v, tmp, h);
  merge_sort(v + h, tmp, n - h);
  if (compare(&v[h - 1], &v[h]) <= 0) return;
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = compare(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

static char *data;
static size_t datalen, datacap;

static void read_input(const char *name) {
  int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
  if (fd < 0) die("cannot read: %s: %s", name, strerror(errno));
  size_t start = datalen;
  for (;;) {
    if (datacap - datalen < 65536 + 1) {
      datacap = datacap ? datacap * 2 : 262144;
      data = xrealloc(data, datacap);
    }
    ssize_t n = read(fd, data + datalen, datacap - datalen - 1);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      die("read failed: %s: %s", name, strerror(errno));
    }
    datalen += (size_t)n;
  }
  if (fd != 0) close(fd);
  if (datalen > start && data[datalen - 1] != '\n') data[datalen++] = '\n';
}

static void write_all(int fd, const char *p, size_t n, const char *name) {
  if (write_full(fd, p, n) != 0) die("write failed: %s: %s", name, strerror(errno));
}

static void output(struct line *v, size_t n, const char *outname) {
  int fd = 1;
  if (outname && (fd = open(outname, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0)
    die("open failed: %s: %s", outname, strerror(errno));
  const char *name = outname ? outname : "standard output";
  char *buf = xmalloc(65536);
  size_t used = 0;
  for (size_t i = 0; i < n; i++) {
    if (unique && i > 0 && compare(&v[i - 1], &v[i]) == 0) continue;
    size_t len = v[i].len + 1; /* with its newline */
    if (used + len > 65536) {
      write_all(fd, buf, used, name);
      used = 0;
    }
    if (len > 65536) write_all(fd, v[i].text, len, name);
    else memcpy(buf + used, v[i].text, len), used += len;
  }
  write_all(fd, buf, used, name);
  free(buf);
  if (fd != 1 && close(fd) != 0) die("close failed: %s: %s", name, strerror(errno));
}

int main(int argc, char **argv) {
  int c;
  const char *outname = NULL;
  exit_failure = 2;
  while ((c = next_option(argc, argv, ":bfnrsuk:o:t:")) != -1) {
    switch (c) {
    case 'b': gkey.skipsblanks = gkey.skipeblanks = 1; break;
    case 'f': gkey.fold = 1; break;
    case 'n': gkey.numeric = 1; break;
    case 'r': gkey.reverse = 1; break;
    case 's': stable = 1; break;
    case 'u': unique = 1; break;
    case 'k': add_key(optarg); break;
    case 'o': outname = optarg; break;
    case 't':
      if (!optarg[0]) die("empty tab");
      if (optarg[1] && strcmp(optarg, "\\0") != 0) die("multi-character tab '%s'", optarg);
      tab = optarg[1] ? '\0' : (unsigned char)optarg[0];
      break;
    }
  }
  /* Keys with no options of their own take the global ones. */
  for (size_t i = 0; i < nkeys; i++) {
    struct key *k = &keys[i];
    if (!k->skipsblanks && !k->skipeblanks && !k->numeric && !k->fold && !k->reverse) {
      k->skipsblanks = gkey.skipsblanks, k->skipeblanks = gkey.skipeblanks;
      k->numeric = gkey.numeric, k->fold = gkey.fold, k->reverse = gkey.reverse;
    }
  }
  if (!nkeys && (gkey.skipsblanks || gkey.numeric || gkey.fold)) {
    keys = xmalloc(sizeof *keys);
    keys[0] = gkey;
    nkeys = 1;
  }
  if (optind >= argc) read_input("-");
  for (int i = optind; i < argc; i++) read_input(argv[i]);
  size_t n = 0;
  for (size_t i = 0; i < datalen; i++) n += data[i] == '\n';
  struct line *v = xmalloc(n * sizeof *v), *tmp = xmalloc(n * sizeof *v);
  const char *p = data;
  for (size_t i = 0; i < n; i++) {
    const char *nl = memchr(p, '\n', (size_t)(data + datalen - p));
    v[i].text = p, v[i].len = (size_t)(nl - p);
    p = nl + 1;
  }
  merge_sort(v, tmp, n);
  output(v, n, outname);
  return 0;
}
