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
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../lib/io.h"
#include "../lib/path.h"
#include "../lib/util.h"

const char *prog = "basename";

/* Prints the last component of `name`, less `suffix` (may be NULL). */
static void print_base(const char *name, const char *suffix, char terminator) {
  size_t len;
  size_t start = (size_t)(last_component(name, &len) - name), end = start + len;
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
  while ((c = next_long_option(argc, argv, ":as:z", longopts)) != -1) {
    switch (c) {
    case 'a': multiple = true; break;
    case 's': suffix = optarg; multiple = true; break;
    case 'z': terminator = '\0'; break;
    }
  }
  if (optind == argc) usage_error("missing operand");
  if (multiple) {
    for (int i = optind; i < argc; i++) print_base(argv[i], suffix, terminator);
  } else {
    if (argc - optind > 2) usage_error("extra operand '%s'", argv[optind + 2]);
    print_base(argv[optind], argc - optind == 2 ? argv[optind + 1] : NULL, terminator);
  }
  flush_stdout();
  return 0;
}
