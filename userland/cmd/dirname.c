/*
 * dirname: print each NAME with its last component (and the slashes before it) removed.
 *
 * Usage: dirname [-z] NAME...
 *   -z  end each output line with NUL instead of newline
 * As GNU dirname: a NAME with no slash gives ".", one directly under the root gives "/", and
 * trailing and repeated slashes are ignored.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "dirname"

static void try_help(void) {
  fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
  exit(1);
}

static void option_error(int argc, char **argv) {
  const char *arg = optind - 1 < argc ? argv[optind - 1] : NULL;
  if (optopt == 0 && arg)
    fprintf(stderr, "%s: unrecognized option '%s'\n", PROG, arg);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", PROG, optopt);
  try_help();
}

/* The length of the directory part of `name` (0 when there is none). */
static size_t dir_len(const char *name) {
  size_t prefix = name[0] == '/' ? 1 : 0; /* a leading slash always stays */
  /* The start of the last component: after the last slash that is followed by a non-slash. */
  size_t last = 0;
  while (name[last] == '/') last++;
  for (size_t i = last; name[i]; i++)
    if (name[i] != '/' && i > 0 && name[i - 1] == '/') last = i;
  size_t len = last;
  while (len > prefix && name[len - 1] == '/') len--;
  return len;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"zero", no_argument, NULL, 'z'}, {NULL, 0, NULL, 0}};
  char terminator = '\n';
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":z", longopts, NULL)) != -1) {
    if (c == 'z')
      terminator = '\0';
    else
      option_error(argc, argv);
  }
  if (optind == argc) {
    fprintf(stderr, "%s: missing operand\n", PROG);
    try_help();
  }
  for (int i = optind; i < argc; i++) {
    size_t len = dir_len(argv[i]);
    if (len == 0)
      fputs(".", stdout);
    else
      fwrite(argv[i], 1, len, stdout);
    putchar(terminator);
  }
  if (fflush(stdout) == EOF) {
    fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
    return 1;
  }
  return 0;
}
