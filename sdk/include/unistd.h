/*
 * webmach's <unistd.h>: wasi-libc's, plus the descriptor and process calls WASI lacks, which
 * webmach's C library (sdk/lib) implements through the webmach import module.
 */
#ifndef _WASI_EMULATED_GETPID
#define _WASI_EMULATED_GETPID /* getpid is real on webmach: declare it without wasi-libc's warning */
#endif
#include_next <unistd.h>

#ifndef WEBMACH_UNISTD_H
#define WEBMACH_UNISTD_H

#ifdef __cplusplus
extern "C" {
#endif

int pipe(int fd[2]);
/* flags: O_NONBLOCK (O_CLOEXEC is 0 in wasi-libc: use fcntl(F_SETFD, FD_CLOEXEC)). */
int pipe2(int fd[2], int flags);
int dup(int fd);
int dup2(int fd, int fd2);
/* flags: O_CLOEXEC, which wasi-libc defines as 0 (no exec yet): use fcntl(F_SETFD, FD_CLOEXEC). */
int dup3(int fd, int fd2, int flags);
pid_t getppid(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
int setpgrp(void);
pid_t setsid(void);
pid_t getsid(pid_t pid);

/* fork: a new process with a copy of the caller's memory and descriptors (sharing their offsets);
   0 in the child, the child's pid in the parent. vfork is fork. */
pid_t fork(void);
pid_t vfork(void);

/* The exec family: the program replaces the caller's in the same process ("#!" scripts run their
   interpreter); close-on-exec descriptors close. fexecve is ENOSYS. */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
int execvpe(const char *file, char *const argv[], char *const envp[]);
int execl(const char *path, const char *arg0, ...);
int execlp(const char *file, const char *arg0, ...);
int execle(const char *path, const char *arg0, ...);
int fexecve(int fd, char *const argv[], char *const envp[]);

/* The terminal (see <termios.h>): its foreground process group, and its name ("/dev/tty"). */
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
char *ttyname(int fd);
int ttyname_r(int fd, char *buf, size_t len);

/* Wait for a signal that runs a handler (EINTR) or ends the process. */
int pause(void);
/* SIGALRM in `seconds` (0 cancels); the seconds that were left of the last one. */
unsigned alarm(unsigned seconds);

#ifdef __cplusplus
}
#endif

#endif /* WEBMACH_UNISTD_H */
