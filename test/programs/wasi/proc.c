/* proc.c: process exit and signals, one mode per run (the test runs each):
 *   proc exit N    prints a line, then proc_exit(N): the exit code is N and nothing after runs;
 *   proc return N  returns N from main (wasi-libc's _start then calls proc_exit);
 *   proc raise     proc_raise with an unknown signal (EINVAL), with URG (whose default action the
 *                  spec gives as "ignored": the call returns 0 and the program goes on), then TERM
 *                  (default action: terminate), so the run ends by signal 15: exit code 143.
 */
#include "check.h"

/* wasi-libc of this vintage does not declare proc_raise. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) extern int32_t
raw_proc_raise(int32_t sig);

#define WASI_SIGTERM 15
#define WASI_SIGURG 22
#define UNKNOWN_SIGNAL 99

static int usage(void) {
  say("usage: proc exit N | proc return N | proc raise");
  return 2;
}

static int raise_signals(void) {
  check("proc_raise unknown signal", (__wasi_errno_t)raw_proc_raise(UNKNOWN_SIGNAL), __WASI_ERRNO_INVAL);
  check("proc_raise URG (default: ignored)", (__wasi_errno_t)raw_proc_raise(WASI_SIGURG), OK);
  say("raising TERM");
  __wasi_errno_t e = (__wasi_errno_t)raw_proc_raise(WASI_SIGTERM);
  char text[40];
  report("still running after TERM", errno_text(text, sizeof text, e), "(not reached)");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage();
  if (strcmp(argv[1], "raise") == 0) return raise_signals();
  if (argc < 3) return usage();
  int status = atoi(argv[2]);
  if (strcmp(argv[1], "return") == 0) {
    say("returning %d from main", status);
    return status;
  }
  if (strcmp(argv[1], "exit") != 0) return usage();
  say("calling proc_exit(%d)", status);
  __wasi_proc_exit((__wasi_exitcode_t)status);
  report("still running after proc_exit", "yes", "(not reached)");
  return 0;
}
