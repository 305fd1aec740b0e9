/*
 * basename: print NAME with any leading directory components removed, and optionally a suffix.
 *
 * Usage: basename NAME [SUFFIX]
 *        basename -a [-s SUFFIX] [-z] NAME...
 *   -a         every operand is a NAME
 *   -s SUFFIX  remove a trailing SUFFIX (implies -a)
 *   -z         end each output line with NUL instead of newline
 * As GNU basename: trailing slashes are ignored, a NAME of only slashes gives "/", and SUFFIX is
 * removed only when something else is left.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "basename"

static void try_help(void) {
  fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
  exit(1);
}

static void option_error(int c, int argc, char **argv) {
  const char *arg = optind - 1 < argc ? argv[optind - 1] : NULL;
  if (c == ':' && arg && strncmp(arg, "--", 2) == 0)
    fprintf(stderr, "%s: option '%s' requires an argument\n", PROG, arg);
  else if (c == ':')
    fprintf(stderr, "%s: option requires an argument -- '%c'\n", PROG, optopt);
  else if (optopt == 0 && arg)
    fprintf(stderr, "%s: unrecognized option '%s'\n", PROG, arg);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", PROG, optopt);
  try_help();
}

/* Prints the last component of `name`, less `suffix` (may be NULL). */
static void print_base(const char *name, const char *suffix, char terminator) {
  size_t end = strlen(name);
  while (end > 1 && name[end - 1] == '/') end--;
  size_t start = end;
  while (start > 0 && name[start - 1] != '/') start--;
  if (end == 1 && name[0] == '/') start = 0; /* only slashes: "/" */
  bool root = end - start == 1 && name[start] == '/';
  if (suffix && !root) {
    size_t slen = strlen(suffix);
    if (slen < end - start && memcmp(name + end - slen, suffix, slen) == 0) end -= slen;
  }
  fwrite(name + start, 1, end - start, stdout);
  putchar(terminator);
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"multiple", no_argument, NULL, 'a'},
                                           {"suffix", required_argument, NULL, 's'},
                                           {"zero", no_argument, NULL, 'z'},
                                           {NULL, 0, NULL, 0}};
  bool multiple = false;
  const char *suffix = NULL;
  char terminator = '\n';
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":as:z", longopts, NULL)) != -1) {
    switch (c) {
    case 'a': multiple = true; break;
    case 's': suffix = optarg; multiple = true; break;
    case 'z': terminator = '\0'; break;
    default: option_error(c, argc, argv);
    }
  }
  if (optind == argc) {
    fprintf(stderr, "%s: missing operand\n", PROG);
    try_help();
  }
  if (multiple) {
    for (int i = optind; i < argc; i++) print_base(argv[i], suffix, terminator);
  } else {
    if (argc - optind > 2) {
      fprintf(stderr, "%s: extra operand '%s'\n", PROG, argv[optind + 2]);
      try_help();
    }
    print_base(argv[optind], argc - optind == 2 ? argv[optind + 1] : NULL, terminator);
  }
  if (fflush(stdout) == EOF) {
    fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
    return 1;
  }
  return 0;
}
