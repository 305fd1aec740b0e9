/*
 * printenv: print the environment, or the values of some variables.
 *
 * Usage: printenv [-0] [NAME]...
 *   -0  end each output item with NUL instead of newline
 * Without NAME, prints every NAME=VALUE; with NAMEs, the value of each that is set. The exit status
 * is 1 when one of them is not set, 2 for a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "printenv"
#define EXIT_USAGE 2

extern char **environ;

static void option_error(int argc, char **argv) {
  const char *arg = optind - 1 < argc ? argv[optind - 1] : NULL;
  if (optopt == 0 && arg)
    fprintf(stderr, "%s: unrecognized option '%s'\n", PROG, arg);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", PROG, optopt);
  fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
  exit(EXIT_USAGE);
}

/* The value of `name` in the environment, or NULL (a name with '=' is never set). */
static const char *lookup(const char *name) {
  if (strchr(name, '=')) return NULL;
  size_t len = strlen(name);
  for (char **e = environ; e && *e; e++)
    if (strncmp(*e, name, len) == 0 && (*e)[len] == '=') return *e + len + 1;
  return NULL;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"null", no_argument, NULL, '0'}, {NULL, 0, NULL, 0}};
  char terminator = '\n';
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":0", longopts, NULL)) != -1) {
    if (c == '0')
      terminator = '\0';
    else
      option_error(argc, argv);
  }
  bool ok = true;
  if (optind == argc) {
    for (char **e = environ; e && *e; e++) {
      fputs(*e, stdout);
      putchar(terminator);
    }
  } else {
    for (int i = optind; i < argc; i++) {
      const char *value = lookup(argv[i]);
      if (!value) {
        ok = false;
        continue;
      }
      fputs(value, stdout);
      putchar(terminator);
    }
  }
  if (fflush(stdout) == EOF) {
    fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
    return EXIT_USAGE;
  }
  return ok ? 0 : 1;
}
