/*
 * fork and vfork. webmach makes a program that calls fork able to unwind its call stack (Binaryen's
 * Asyncify, applied when the program is loaded): the import below unwinds the program into
 * `unwind`, the task library copies its memory into a new process, and both wind back into this
 * call, the parent with the child's pid, the child with 0 (libsystem/fork.ts). vfork is fork: the
 * child gets a copy of the memory, not the parent's, which POSIX allows.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((import_module("webmach"), import_name("fork"))) int32_t __webmach_fork(void *unwind, size_t len, pid_t *child);

/* Room for the unwound call stack: every active function's locals on the way to fork. */
#define UNWIND_BYTES (128 * 1024)

pid_t fork(void) {
  static void *unwind;
  if (!unwind && !(unwind = malloc(UNWIND_BYTES))) {
    errno = EAGAIN;
    return -1;
  }
  pid_t child;
  int error = __webmach_fork(unwind, UNWIND_BYTES, &child);
  if (error) {
    errno = error;
    return -1;
  }
  return child;
}

pid_t vfork(void) {
  return fork();
}
