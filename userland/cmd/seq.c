/*
 * seq: print a sequence of numbers.
 *
 * Usage: seq [-w] [-s SEP] [FIRST [INCR]] LAST
 *   -s SEP  put SEP between the numbers (default "\n"); the output always ends with "\n"
 *   -w      pad the numbers with leading zeros to equal width
 * FIRST and INCR default to 1. The numbers are printed as GNU seq prints them: with as many decimals
 * as FIRST or INCR has. Plain decimal operands (up to 18 significant digits) are counted exactly,
 * longer non-negative integers as decimal strings (any length), others (exponents, hexadecimal,
 * inf) in double precision, with GNU seq's correction for a last number that rounding would drop. An argument of a minus sign followed by a digit or '.' ends the
 * options, so negative numbers need no "--".
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/io.h"
#include "../lib/util.h"

const char *prog = "seq";
#define NO_PRECISION INT_MAX
#define MAX_DIGITS 18 /* significant digits the exact path takes (fits int64 with room to count) */

struct operand {
  const char *text;
  double value;
  int width;     /* the printed width GNU seq derives from the text, for -w */
  int precision; /* digits after the point, or NO_PRECISION */
};

static const char *separator = "\n";
static bool equal_width;

/* Width and precision of a number's text, as GNU seq's scan_arg computes them. */
static void measure(struct operand *op) {
  const char *arg = op->text;
  while (isspace((unsigned char)*arg) || *arg == '+') arg++;
  op->width = 0;
  op->precision = NO_PRECISION;
  const char *point = strchr(arg, '.');
  if (!point && !strchr(arg, 'p')) op->precision = 0;
  if (arg[strcspn(arg, "xX")] != '\0' || !isfinite(op->value)) return;
  size_t fraction_len = 0;
  op->width = (int)strlen(arg);
  if (point) {
    fraction_len = strcspn(point + 1, "eE");
    if (fraction_len <= INT_MAX) op->precision = (int)fraction_len;
    if (fraction_len == 0)
      op->width--; /* "5." prints as "5" */
    else if (point == arg || !isdigit((unsigned char)point[-1]))
      op->width++; /* ".5" prints as "0.5" */
  }
  const char *e = strpbrk(arg, "eE");
  if (!e) return;
  long exponent = strtol(e + 1, NULL, 10);
  if (exponent < -LONG_MAX) exponent = -LONG_MAX;
  long precision = op->precision;
  precision += exponent < 0 ? -exponent : -(precision < exponent ? precision : exponent);
  op->precision = precision > INT_MAX ? NO_PRECISION : (int)precision;
  op->width -= (int)strlen(e); /* the exponent is not printed */
  if (exponent < 0) {
    if (point ? e == point + 1 : true) op->width++;
    exponent = -exponent;
  } else {
    if (point && op->precision == 0 && fraction_len) op->width--;
    exponent = -(op->precision < exponent ? op->precision : exponent);
  }
  op->width += (int)exponent;
}

static struct operand scan(const char *text) {
  struct operand op = {.text = text};
  char *end;
  errno = 0;
  op.value = strtod(text, &end);
  if (end == text || *end != '\0' || (op.value != 0 && errno == ERANGE))
    usage_error("invalid floating point argument: '%s'", text);
  if (isnan(op.value)) usage_error("invalid 'not-a-number' argument: '%s'", text);
  measure(&op);
  return op;
}

static void put(const char *s) {
  if (fputs(s, stdout) == EOF) die("write error: %s", strerror(errno));
}

/* The format width for -w (0 without -w), as GNU seq's get_default_format computes it. */
static int format_width(const struct operand *first, const struct operand *last, int prec) {
  if (!equal_width) return 0;
  long first_width = first->width + (prec - first->precision);
  long last_width = last->width + (prec - last->precision);
  if (last->precision && prec == 0) last_width--;
  if (last->precision == 0 && prec) last_width++;
  if (first->precision == 0 && prec) first_width++;
  long width = first_width > last_width ? first_width : last_width;
  return width > 0 && width <= INT_MAX ? (int)width : 0;
}

/* ---- The exact path: plain decimals as integers scaled by 10^scale. ---- */

/* Parses [space][+-]digits[.digits] into its sign, integer digits and fraction digits. */
static bool plain_decimal(const char *s, bool *negative, const char **int_part, size_t *int_len, const char **frac, size_t *frac_len) {
  while (isspace((unsigned char)*s)) s++;
  *negative = *s == '-';
  if (*s == '-' || *s == '+') s++;
  *int_part = s;
  while (isdigit((unsigned char)*s)) s++;
  *int_len = (size_t)(s - *int_part);
  *frac = s;
  *frac_len = 0;
  if (*s == '.') {
    *frac = ++s;
    while (isdigit((unsigned char)*s)) s++;
    *frac_len = (size_t)(s - *frac);
  }
  return *s == '\0' && *int_len + *frac_len > 0;
}

/* The value of a plain decimal times 10^scale, if it has at most MAX_DIGITS significant digits. */
static bool scaled_value(const char *s, int scale, int64_t *out, bool *negative) {
  const char *ip, *fp;
  size_t il, fl;
  if (!plain_decimal(s, negative, &ip, &il, &fp, &fl)) return false;
  while (il > 0 && *ip == '0') ip++, il--;
  if (il + (size_t)scale > MAX_DIGITS) return false;
  int64_t v = 0;
  for (size_t i = 0; i < il; i++) v = v * 10 + (ip[i] - '0');
  for (int i = 0; i < scale; i++) v = v * 10 + ((size_t)i < fl ? fp[i] - '0' : 0);
  *out = *negative ? -v : v;
  return true;
}

/* Formats v / 10^scale with `prec` decimals (v is a multiple of 10^(scale-prec)), padded to width. */
static void format_scaled(char *buf, int64_t v, bool minus, int scale, int prec, int width) {
  char digits[64];
  uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  for (int i = prec; i < scale; i++) mag /= 10;
  int n = snprintf(digits, sizeof digits, "%0*llu", prec + 1, (unsigned long long)mag);
  char body[80];
  if (prec > 0)
    snprintf(body, sizeof body, "%.*s.%s", n - prec, digits, digits + n - prec);
  else
    snprintf(body, sizeof body, "%s", digits);
  int sign = v < 0 || minus;
  int pad = width - sign - (int)strlen(body);
  char *p = buf;
  if (sign) *p++ = '-';
  for (; pad > 0; pad--) *p++ = '0';
  strcpy(p, body);
}

static bool seq_exact(const struct operand *first, const struct operand *step, const struct operand *last) {
  int prec = first->precision > step->precision ? first->precision : step->precision;
  int scale = prec > last->precision ? prec : last->precision;
  int64_t a, d, z;
  bool first_negative, neg;
  if (!scaled_value(first->text, scale, &a, &first_negative) || !scaled_value(step->text, scale, &d, &neg) ||
      !scaled_value(last->text, scale, &z, &neg))
    return false;
  int width = format_width(first, last, prec);
  char buf[128];
  bool minus_zero = first_negative && a == 0; /* "-0" prints as GNU prints -0.0 */
  for (int64_t v = a; d > 0 ? v <= z : v >= z; v += d) {
    if (v != a) put(separator);
    format_scaled(buf, v, v == a && minus_zero, scale, prec, width);
    put(buf); /* |v|, |d| < 10^18, so v + d cannot overflow */
  }
  if (d > 0 ? a <= z : a >= z) put("\n");
  return true;
}

/* ---- Integers too long for the exact path: decimal strings, as GNU seq's seq_fast. ---- */

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return false;
  return true;
}

static const char *skip_zeros(const char *s) {
  while (s[0] == '0' && s[1]) s++;
  return s;
}

/* Compares two decimal strings without leading zeros. */
static int compare_decimal(const char *a, size_t alen, const char *b, size_t blen) {
  if (alen != blen) return alen < blen ? -1 : 1;
  return memcmp(a, b, alen);
}

/* Adds the decimal string d to the number right-aligned in buf[*start..room). */
static void add_decimal(char *buf, size_t room, size_t *start, const char *d, size_t dlen) {
  size_t i = room, j = dlen;
  int carry = 0;
  while (j > 0 || carry) {
    int digit = carry + (i > *start ? buf[i - 1] - '0' : 0) + (j > 0 ? d[--j] - '0' : 0);
    buf[--i] = (char)('0' + digit % 10);
    carry = digit / 10;
  }
  if (i < *start) *start = i;
}

static bool seq_big(const struct operand *first, const struct operand *step, const struct operand *last) {
  if (!all_digits(first->text) || !all_digits(step->text) || !all_digits(last->text)) return false;
  const char *a = skip_zeros(first->text), *d = skip_zeros(step->text), *z = skip_zeros(last->text);
  size_t alen = strlen(a), dlen = strlen(d), zlen = strlen(z);
  size_t room = (alen > zlen ? alen : zlen) + dlen + 2;
  char *buf = xmalloc(room + 1);
  buf[room] = '\0';
  size_t start = room - alen; /* the current number is buf[start..room) */
  memcpy(buf + start, a, alen);
  int width = format_width(first, last, 0);
  bool any = false;
  while (compare_decimal(buf + start, room - start, z, zlen) <= 0) {
    if (any) put(separator);
    for (int pad = width - (int)(room - start); pad > 0; pad--) put("0");
    put(buf + start);
    any = true;
    add_decimal(buf, room, &start, d, dlen);
  }
  if (any) put("\n");
  free(buf);
  return true;
}

/* ---- The general path, in double precision, as GNU seq's print_numbers. ---- */

static void seq_double(const struct operand *first, const struct operand *step, const struct operand *last) {
  int prec = first->precision > step->precision ? first->precision : step->precision;
  char fmt[32];
  if (prec != NO_PRECISION && last->precision != NO_PRECISION) {
    int width = format_width(first, last, prec);
    if (width)
      snprintf(fmt, sizeof fmt, "%%0%d.%df", width, prec);
    else
      snprintf(fmt, sizeof fmt, "%%.%df", prec);
  } else {
    strcpy(fmt, "%g");
  }
  double a = first->value, d = step->value, z = last->value;
  bool out_of_range = d < 0 ? a < z : z < a;
  if (out_of_range) return;
  char x_str[512], x0_str[512];
  double x = a;
  for (double i = 1;; i++) {
    snprintf(x0_str, sizeof x0_str, fmt, x);
    put(x0_str);
    if (out_of_range) break;
    x = a + i * d;
    out_of_range = d < 0 ? x < z : z < x;
    if (out_of_range) {
      /* A number just past LAST that prints as LAST, unlike the one before it, is printed. */
      snprintf(x_str, sizeof x_str, fmt, x);
      if (strtod(x_str, NULL) != z || strcmp(x_str, x0_str) == 0) break;
    }
    put(separator);
  }
  put("\n");
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"separator", required_argument, NULL, 's'}, {"equal-width", no_argument, NULL, 'w'}, {NULL, 0, NULL, 0}};
  while (optind < argc) {
    const char *arg = argv[optind];
    if (arg[0] == '-' && (arg[1] == '.' || isdigit((unsigned char)arg[1]))) break; /* a negative number */
    int c = next_long_option(argc, argv, "+:s:w", longopts);
    if (c == -1) break;
    if (c == 's')
      separator = optarg;
    else
      equal_width = true;
  }
  int n = argc - optind;
  if (n < 1) usage_error("missing operand");
  if (n > 3) usage_error("extra operand '%s'", argv[optind + 3]);
  struct operand first = {.text = "1", .value = 1, .width = 1, .precision = 0}, step = first, last;
  if (n >= 2) first = scan(argv[optind]);
  if (n == 3) step = scan(argv[optind + 1]);
  last = scan(argv[argc - 1]);
  if (step.value == 0) usage_error("invalid Zero increment value: '%s'", argv[optind + 1]);
  static char outbuf[64 * 1024];
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  if (!seq_exact(&first, &step, &last) && !seq_big(&first, &step, &last)) seq_double(&first, &step, &last);
  flush_stdout();
  return 0;
}
