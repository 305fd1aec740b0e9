/*
 * util.c: the program's messages (usage errors, bad options, fatal errors), option parsing in GNU's
 * argument order with GNU's messages, and allocation that ends the program when memory runs out.
 * See util.h.
 */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int exit_failure = 1;
const char *usage_synopsis;

void try_help(void) {
  if (usage_synopsis) fprintf(stderr, "Usage: %s %s\n", prog, usage_synopsis);
  fprintf(stderr, "Try '%s --help' for more information.\n", prog);
  exit(exit_failure);
}

static void vmessage(const char *fmt, va_list ap) {
  fprintf(stderr, "%s: ", prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(fmt, ap);
  va_end(ap);
  try_help();
}

void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(fmt, ap);
  va_end(ap);
  exit(exit_failure);
}

/* GNU-style argument order: options may follow operands (until "--"), so move
 * every option (with its argument) before the operands, keeping their order. */
static void permute(int argc, char **argv, const char *optstring) {
  char **opts = malloc(sizeof *opts * (size_t)(argc + 1));
  char **ops = malloc(sizeof *ops * (size_t)(argc + 1));
  int no = 0, np = 0, i, k = 1;
  if (!opts || !ops) {
    free(opts);
    free(ops);
    return;
  }
  for (i = 1; i < argc; i++) {
    char *a = argv[i];
    if (strcmp(a, "--") == 0) break;
    if (a[0] != '-' || !a[1]) {
      ops[np++] = a;
      continue;
    }
    opts[no++] = a;
    for (int j = 1; a[j] && a[1] != '-'; j++) {
      const char *p = a[j] != ':' ? strchr(optstring, a[j]) : NULL;
      if (p && p[1] == ':') {
        if (!a[j + 1] && i + 1 < argc) opts[no++] = argv[++i];
        break;
      }
    }
  }
  for (int j = 0; j < no; j++) argv[k++] = opts[j];
  if (i < argc) argv[k++] = argv[i++]; /* the "--" itself */
  for (; i < argc; i++) ops[np++] = argv[i];
  for (int j = 0; j < np; j++) argv[k++] = ops[j];
  free(opts);
  free(ops);
}

/* getopt returned C ('?' or ':'): GNU's message, then try_help. getopt takes "--name" for the
 * option letters '-', 'n', ..., so an unknown long option shows as '-'. */
static _Noreturn void getopt_error(int c, int argc, char **argv) {
  if (c == ':')
    fprintf(stderr, "%s: option requires an argument -- '%c'\n", prog, optopt);
  else if (optopt == '-' && optind < argc && strncmp(argv[optind], "--", 2) == 0)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, argv[optind]);
  else if (optopt == '-' && optind > 1 && strncmp(argv[optind - 1], "--", 2) == 0)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, argv[optind - 1]);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", prog, optopt);
  try_help();
}

int next_option(int argc, char **argv, const char *optstring) {
  static bool permuted;
  if (!permuted) {
    permute(argc, argv, optstring);
    permuted = true;
    opterr = 0;
  }
  int c = getopt(argc, argv, optstring);
  if (c == '?' || c == ':') getopt_error(c, argc, argv);
  return c;
}

/* getopt_long returned C ('?' or ':'): GNU's message, then try_help. */
static _Noreturn void getopt_long_error(int c, int argc, char **argv) {
  const char *arg = optind - 1 < argc ? argv[optind - 1] : NULL;
  if (c == ':' && arg && strncmp(arg, "--", 2) == 0)
    fprintf(stderr, "%s: option '%s' requires an argument\n", prog, arg);
  else if (c == ':')
    fprintf(stderr, "%s: option requires an argument -- '%c'\n", prog, optopt);
  else if (optopt == 0 && arg)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, arg);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", prog, optopt);
  try_help();
}

int next_long_option(int argc, char **argv, const char *optstring, const struct option *longopts) {
  opterr = 0;
  int c = getopt_long(argc, argv, optstring, longopts, NULL);
  if (c == '?' || c == ':') getopt_long_error(c, argc, argv);
  return c;
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die("%s", strerror(ENOMEM));
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) die("%s", strerror(ENOMEM));
  return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  n = strnlen(s, n);
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}
