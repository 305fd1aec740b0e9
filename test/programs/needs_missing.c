/* needs_missing.c: test program (wasm32-wasi) that imports a function no host provides, so a loader
 * must refuse it and name the missing import `webmach_missing.frobnicate`. */
#include <unistd.h>

__attribute__((import_module("webmach_missing"), import_name("frobnicate"))) int frobnicate(int);

int main(void) {
  static const char msg[] = "needs_missing: started\n";
  write(1, msg, sizeof msg - 1);
  return frobnicate(1);
}
