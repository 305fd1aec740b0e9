/*
 * printenv: print the environment, or the values of some variables.
 *
 * Usage: printenv [-0] [NAME]...
 *   -0  end each output item with NUL instead of newline
 * Without NAME, prints every NAME=VALUE; with NAMEs, the value of each that is set. The exit status
 * is 1 when one of them is not set, 2 for a usage error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../lib/io.h"
#include "../lib/util.h"

extern char **environ;
const char *prog = "printenv";

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
  exit_failure = 2; /* usage and write errors */
  while (next_long_option(argc, argv, ":0", longopts) != -1) terminator = '\0'; /* -0 */
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
  flush_stdout();
  return ok ? 0 : 1;
}
