/* trap.c: test program (wasm32-wasi) that prints "before trap" and then executes `unreachable`, so
 * a runner must report a trap (not an exit status) after the output was flushed. */
#include <unistd.h>

int main(void) {
  static const char msg[] = "before trap\n";
  write(1, msg, sizeof msg - 1);
  __builtin_trap();
}
