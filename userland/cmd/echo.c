/*
 * echo: write the arguments, separated by spaces and followed by a newline, to standard output.
 *
 * Usage: echo [-neE] [STRING...]   (as GNU echo)
 *   -n  no trailing newline
 *   -e  interpret backslash escapes: \\ \a \b \c (stop output here) \e \f \n \r \t \v
 *       \0NNN and \NNN (octal, up to 3 digits after the 0 or 3 in all) and \xHH (hex, 1-2 digits)
 *   -E  do not interpret escapes (the default)
 * Leading arguments are options only when they consist of '-' and those letters alone; anything
 * else, "--" included, is printed.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "../lib/io.h"
#include "../lib/util.h"

const char *prog = "echo";

static char *out;
static size_t out_len, out_cap;

static void put(char c) {
  if (out_len == out_cap) {
    out_cap = out_cap ? out_cap * 2 : 4096;
    out = xrealloc(out, out_cap);
  }
  out[out_len++] = c;
}

static void flush_and_exit(void) {
  write_stdout(out, out_len, "write error");
  exit(0);
}

/* True when `arg` is an option argument: '-' followed only by n, e and E. */
static bool is_option(const char *arg) {
  if (arg[0] != '-' || arg[1] == '\0') return false;
  for (const char *p = arg + 1; *p; p++)
    if (*p != 'n' && *p != 'e' && *p != 'E') return false;
  return true;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool is_octal(char c) { return c >= '0' && c <= '7'; }

/* Outputs `s` with its escapes interpreted; returns false when \c stops all output. */
static bool put_escaped(const char *s) {
  while (*s) {
    char c = *s++;
    if (c != '\\' || *s == '\0') {
      put(c);
      continue;
    }
    c = *s++;
    switch (c) {
    case 'a': put('\a'); break;
    case 'b': put('\b'); break;
    case 'c': return false;
    case 'e': put('\033'); break;
    case 'f': put('\f'); break;
    case 'n': put('\n'); break;
    case 'r': put('\r'); break;
    case 't': put('\t'); break;
    case 'v': put('\v'); break;
    case '\\': put('\\'); break;
    case 'x': {
      int h = hex_value(*s);
      if (h < 0) {
        put('\\');
        put('x');
        break;
      }
      s++;
      int v = h;
      if ((h = hex_value(*s)) >= 0) {
        v = v * 16 + h;
        s++;
      }
      put((char)v);
      break;
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      int v = c - '0';
      int digits = c == '0' ? 3 : 2; /* \0 takes up to three more digits, \1-\7 two more */
      for (; digits > 0 && is_octal(*s); digits--) v = v * 8 + (*s++ - '0');
      put((char)v);
      break;
    }
    default:
      put('\\');
      put(c);
      break;
    }
  }
  return true;
}

int main(int argc, char **argv) {
  bool newline = true, escapes = false;
  int i = 1;
  for (; i < argc && is_option(argv[i]); i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'n') newline = false;
      else if (*p == 'e') escapes = true;
      else escapes = false;
    }
  }
  for (int first = i; i < argc; i++) {
    if (i > first) put(' ');
    if (!escapes) {
      for (const char *p = argv[i]; *p; p++) put(*p);
    } else if (!put_escaped(argv[i])) {
      flush_and_exit();
    }
  }
  if (newline) put('\n');
  flush_and_exit();
}
