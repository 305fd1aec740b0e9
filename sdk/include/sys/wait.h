/* webmach's <sys/wait.h> (wasi-libc has none): waiting for children and decoding their status. */
#ifndef WEBMACH_SYS_WAIT_H
#define WEBMACH_SYS_WAIT_H

#include <sys/types.h>

struct rusage; /* <sys/resource.h> (wasi-libc has it only with process-clock emulation) */

#ifdef __cplusplus
extern "C" {
#endif

#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8

/* A status holds the exit code in bits 8-15 (low bits 0), or the terminating signal in bits 0-6. */
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s) & 0x7f)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s) (((s) & 0xff) == 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFCONTINUED(s) ((s) == 0xffff)

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage);

#ifdef __cplusplus
}
#endif

#endif /* WEBMACH_SYS_WAIT_H */
