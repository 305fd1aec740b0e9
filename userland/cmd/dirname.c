/*
 * dirname: print each NAME with its last component (and the slashes before it) removed.
 *
 * Usage: dirname [-z] NAME...
 *   -z  end each output line with NUL instead of newline
 * As GNU dirname: a NAME with no slash gives ".", one directly under the root gives "/", and
 * trailing and repeated slashes are ignored.
 */
#include <stdio.h>

#include "../lib/io.h"
#include "../lib/util.h"

const char *prog = "dirname";

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
  while (next_long_option(argc, argv, ":z", longopts) != -1) terminator = '\0'; /* -z */
  if (optind == argc) usage_error("missing operand");
  for (int i = optind; i < argc; i++) {
    size_t len = dir_len(argv[i]);
    if (len == 0)
      fputs(".", stdout);
    else
      fwrite(argv[i], 1, len, stdout);
    putchar(terminator);
  }
  flush_stdout();
  return 0;
}
