// yes.c: writes numbered lines to standard output forever; if a write fails, says so on stderr and
// exits 3. Under webmach a reader that goes away ends it by SIGPIPE first, as on Unix.
#include <stdio.h>

int main(void) {
  for (long i = 0;; i++) {
    if (printf("line %ld\n", i) < 0) {
      fprintf(stderr, "write failed at line %ld\n", i);
      return 3;
    }
  }
}
