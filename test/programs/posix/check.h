// The checking programs' one report format: a line per check ("ok WHAT" or "FAIL WHAT"), then
// "N failures"; the tests compare the whole output.
#include <stdio.h>

static int failures;

static void check(const char *what, int ok) {
  printf("%s %s\n", ok ? "ok" : "FAIL", what);
  fflush(stdout);
  if (!ok) failures++;
}

/* The last line and the exit status. */
static int report(void) {
  printf("%d failures\n", failures);
  return failures != 0;
}
