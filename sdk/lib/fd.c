/*
 * Descriptor calls WASI lacks: pipe, pipe2, dup, dup2, dup3 and the whole of fcntl (wasi-libc's
 * knows neither F_DUPFD nor a real FD_CLOEXEC). pipe, dup and dup2 go to the personality server (the
 * webmach imports in <webmach/syscalls.h>); F_GETFL and F_SETFL are WASI's fdstat calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <wasi/api.h>
#include <webmach/syscalls.h>

/* -1 with errno set from a webmach call's errno, or `value` when it succeeded. */
static int result(int32_t error, int value) {
  if (error == 0) return value;
  errno = error;
  return -1;
}

int dup(int fd) {
  uint32_t newfd;
  return result(__webmach_dup(fd, 0, 0, &newfd), (int)newfd);
}

int dup2(int fd, int fd2) {
  return result(__webmach_dup2(fd, fd2, 0), fd2);
}

/* O_CLOEXEC is 0 in wasi-libc (WASI has no exec), so no flag can be asked for: FD_CLOEXEC is fcntl's. */
int dup3(int fd, int fd2, int flags) {
  if (fd == fd2 || flags != 0) return result(EINVAL, -1);
  return result(__webmach_dup2(fd, fd2, 0), fd2);
}

/* F_GETFL: WASI's fd flags, and the access mode the descriptor's rights give. */
static int getfl(int fd) {
  __wasi_fdstat_t st;
  __wasi_errno_t error = __wasi_fd_fdstat_get(fd, &st);
  if (error != 0) return result(error, -1);
  int readable = (st.fs_rights_base & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR)) != 0;
  int writable = (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0;
  int mode = readable && writable ? O_RDWR : readable ? O_RDONLY : writable ? O_WRONLY : O_SEARCH;
  return st.fs_flags | mode;
}

int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  int arg = va_arg(ap, int);
  va_end(ap);
  uint32_t newfd;
  int32_t value;
  switch (cmd) {
  case F_DUPFD:
  case F_DUPFD_CLOEXEC:
    return result(__webmach_dup(fd, arg, cmd == F_DUPFD_CLOEXEC ? FD_CLOEXEC : 0, &newfd), (int)newfd);
  case F_GETFD:
  case F_SETFD:
    return result(__webmach_fcntl(fd, cmd, arg, &value), value);
  case F_GETFL:
    return getfl(fd);
  case F_SETFL:
    return result(__wasi_fd_fdstat_set_flags(fd, arg & 0xfff), 0);
  default:
    return result(EINVAL, -1);
  }
}

/* pipe2's flags: O_NONBLOCK (O_CLOEXEC is 0 in wasi-libc: set FD_CLOEXEC with fcntl). */
int pipe2(int fd[2], int flags) {
  if ((flags & ~O_NONBLOCK) != 0) return result(EINVAL, -1);
  uint32_t readfd, writefd;
  int32_t error = __webmach_pipe(flags, &readfd, &writefd);
  if (error == 0) {
    fd[0] = (int)readfd;
    fd[1] = (int)writefd;
  }
  return result(error, 0);
}

int pipe(int fd[2]) {
  return pipe2(fd, 0);
}
