/*
 * cut: print selected bytes, characters or fields of each line of files.
 *
 * Usage: cut -b LIST [-n] [--complement] [--output-delimiter=STR] [FILE...]
 *        cut -c LIST [--complement] [--output-delimiter=STR] [FILE...]
 *        cut -f LIST [-d DELIM] [-s] [--complement] [--output-delimiter=STR] [FILE...]
 *   -b LIST  the bytes at these positions; -c LIST the same (characters are bytes, as in GNU cut)
 *   -f LIST  the fields at these positions, separated by DELIM (-d, one byte; TAB by default);
 *            a line without DELIM is printed whole, unless -s suppresses it
 *   -n       ignored;  --complement  select what LIST does not;  --output-delimiter  put STR
 *            between the fields printed (default DELIM), or between byte ranges
 * LIST is numbers and ranges N, N-M, N-, -M, separated by commas or blanks, counted from 1. Every
 * output line ends with a newline. A FILE of "-", or no FILE, is standard input.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/util.h"

#define BUFSIZE (64 * 1024)

struct range {
  uintmax_t lo, hi;
};

static struct range *ranges;
static size_t n_ranges;
static bool by_fields, suppress, complement;
static char delim = '\t';
static const char *out_delim; /* NULL: DELIM in field mode, nothing in byte mode */
static size_t out_delim_len;
const char *prog = "cut";

enum { OPT_COMPLEMENT = 256, OPT_OUTPUT_DELIMITER };

static void add_range(uintmax_t lo, uintmax_t hi) {
  static size_t cap;
  if (n_ranges == cap) {
    cap = cap ? cap * 2 : 16;
    ranges = xrealloc(ranges, cap * sizeof *ranges);
  }
  ranges[n_ranges++] = (struct range){lo, hi};
}

static int by_lo(const void *a, const void *b) {
  const struct range *x = a, *y = b;
  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorts the ranges, merges overlapping ones, and complements them for --complement (as GNU cut). */
static void normalize_ranges(void) {
  qsort(ranges, n_ranges, sizeof *ranges, by_lo);
  size_t n = 0;
  for (size_t i = 0; i < n_ranges; i++) {
    if (n > 0 && ranges[i].lo <= ranges[n - 1].hi) {
      if (ranges[i].hi > ranges[n - 1].hi) ranges[n - 1].hi = ranges[i].hi;
    } else {
      ranges[n++] = ranges[i];
    }
  }
  n_ranges = n;
  if (!complement) return;
  struct range *old = ranges;
  size_t n_old = n_ranges;
  ranges = NULL;
  n_ranges = 0;
  if (old[0].lo > 1) add_range(1, old[0].lo - 1);
  for (size_t i = 1; i < n_old; i++)
    if (old[i - 1].hi + 1 != old[i].lo) add_range(old[i - 1].hi + 1, old[i].lo - 1);
  if (old[n_old - 1].hi < UINTMAX_MAX) add_range(old[n_old - 1].hi + 1, UINTMAX_MAX);
  free(old);
}

/* Parses LIST as GNU cut's set_fields does, with its messages. */
static void parse_list(const char *list) {
  const char *numbered = by_fields ? "fields are numbered from 1" : "byte/character positions are numbered from 1";
  bool lhs = false, rhs = false, dash = false;
  uintmax_t value = 0, initial = 1;
  const char *num_start = NULL;
  for (const char *p = list;; p++) {
    if (*p == '-') {
      num_start = NULL;
      if (dash) usage_error(by_fields ? "invalid field range" : "invalid byte or character range");
      dash = true;
      if (lhs && value == 0) usage_error("%s", numbered);
      initial = lhs ? value : 1;
      value = 0;
    } else if (*p == ',' || *p == ' ' || *p == '\t' || *p == '\0') {
      num_start = NULL;
      if (dash) {
        if (!lhs && !rhs) usage_error("invalid range with no endpoint: -");
        if (!rhs) {
          add_range(initial, UINTMAX_MAX);
        } else {
          if (value < initial) usage_error("invalid decreasing range");
          add_range(initial, value);
        }
      } else {
        if (value == 0) usage_error("%s", numbered);
        add_range(value, value);
      }
      value = 0;
      dash = lhs = rhs = false;
      if (*p == '\0') break;
    } else if (*p >= '0' && *p <= '9') {
      if (!num_start) num_start = p;
      if (dash)
        rhs = true;
      else
        lhs = true;
      if (value > (UINTMAX_MAX - 1 - (uintmax_t)(*p - '0')) / 10)
        usage_error("%s '%.*s' is too large", by_fields ? "field number" : "byte/character offset",
                    (int)strspn(num_start, "0123456789"), num_start);
      value = value * 10 + (uintmax_t)(*p - '0');
    } else {
      usage_error("invalid %s '%s'", by_fields ? "field value" : "byte/character position", p);
    }
  }
  normalize_ranges();
}

/* The range holding position k, searching on from *r (positions only grow along a line). */
static bool selected(uintmax_t k, size_t *r) {
  while (*r < n_ranges && ranges[*r].hi < k) (*r)++;
  return *r < n_ranges && ranges[*r].lo <= k;
}

static void out(const char *p, size_t n) {
  if (n && fwrite(p, 1, n, stdout) != n) die("write error: %s", strerror(errno));
}

/* Byte mode: each range in turn (they are sorted and apart), with --output-delimiter between. */
static void cut_bytes(const char *line, size_t len) {
  for (size_t r = 0; r < n_ranges && ranges[r].lo <= (uintmax_t)len; r++) {
    size_t lo = (size_t)ranges[r].lo - 1;
    size_t hi = ranges[r].hi < (uintmax_t)len ? (size_t)ranges[r].hi : len;
    if (out_delim && r > 0) out(out_delim, out_delim_len);
    out(line + lo, hi - lo);
  }
  putchar('\n');
}

static void cut_fields(const char *line, size_t len) {
  const char *first_delim = memchr(line, delim, len);
  if (!first_delim) {
    if (!suppress) {
      out(line, len);
      putchar('\n');
    }
    return;
  }
  const char *sep = out_delim ? out_delim : &delim;
  size_t sep_len = out_delim ? out_delim_len : 1;
  size_t r = 0, start = 0;
  bool printed = false;
  for (uintmax_t field = 1; start <= len; field++) {
    const char *d = memchr(line + start, delim, len - start);
    size_t end = d ? (size_t)(d - line) : len;
    if (selected(field, &r)) {
      if (printed) out(sep, sep_len);
      out(line + start, end - start);
      printed = true;
    } else if (r >= n_ranges) {
      break;
    }
    if (!d) break;
    start = end + 1;
  }
  putchar('\n');
}

/* Cuts each line of one input; false after an error. */
static bool cut_file(const char *name) {
  bool is_stdin = strcmp(name, "-") == 0;
  FILE *f = is_stdin ? stdin : fopen(name, "r");
  if (!f) {
    fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
    return false;
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(EISDIR));
    if (!is_stdin) fclose(f);
    return false;
  }
  static char *line;
  static size_t cap;
  ssize_t len;
  errno = 0;
  while ((len = getline(&line, &cap, f)) > 0) {
    if (line[len - 1] == '\n') len--;
    if (by_fields)
      cut_fields(line, (size_t)len);
    else
      cut_bytes(line, (size_t)len);
    errno = 0;
  }
  bool ok = !ferror(f);
  if (!ok) fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno ? errno : EIO));
  if (is_stdin)
    clearerr(f);
  else
    fclose(f);
  return ok;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"bytes", required_argument, NULL, 'b'},
                                           {"characters", required_argument, NULL, 'c'},
                                           {"fields", required_argument, NULL, 'f'},
                                           {"delimiter", required_argument, NULL, 'd'},
                                           {"only-delimited", no_argument, NULL, 's'},
                                           {"complement", no_argument, NULL, OPT_COMPLEMENT},
                                           {"output-delimiter", required_argument, NULL, OPT_OUTPUT_DELIMITER},
                                           {NULL, 0, NULL, 0}};
  const char *list = NULL;
  bool have_delim = false;
  int c;
  while ((c = next_long_option(argc, argv, ":b:c:f:d:sn", longopts)) != -1) {
    switch (c) {
    case 'b': case 'c': case 'f':
      if (list) usage_error("only one list may be specified");
      list = optarg;
      by_fields = c == 'f';
      break;
    case 'd':
      if (optarg[0] && optarg[1]) usage_error("the delimiter must be a single character");
      delim = optarg[0];
      have_delim = true;
      break;
    case 's': suppress = true; break;
    case 'n': break;
    case OPT_COMPLEMENT: complement = true; break;
    case OPT_OUTPUT_DELIMITER:
      out_delim = optarg;
      out_delim_len = strlen(optarg);
      break;
    }
  }
  if (!list) usage_error("you must specify a list of bytes, characters, or fields");
  if (!by_fields && have_delim) usage_error("an input delimiter may be specified only when operating on fields");
  if (!by_fields && suppress)
    usage_error("suppressing non-delimited lines makes sense\n\tonly when operating on fields");
  parse_list(list);
  static char outbuf[BUFSIZE], inbuf[BUFSIZE];
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  setvbuf(stdin, inbuf, _IOFBF, sizeof inbuf);
  bool ok = true;
  if (optind == argc) ok = cut_file("-");
  for (int i = optind; i < argc; i++)
    if (!cut_file(argv[i])) ok = false;
  flush_stdout();
  return ok ? 0 : 1;
}
