/* exit7.c: test program (wasm32-wasi) that prints "exit7" and returns 7 from main, to check that a
 * runner reports a non-zero exit status from a normal return. */
#include <unistd.h>

int main(void) {
  static const char msg[] = "exit7\n";
  write(1, msg, sizeof msg - 1);
  return 7;
}
