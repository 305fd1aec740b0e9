/* stdio.c: the standard descriptors when they are pipes (the test pipes known input in and reads
 * the output): reading all of stdin (two lines, then 0 bytes at EOF), isatty(0/1/2) false,
 * fd_fdstat_get on each (no seek right: fd_seek on stdin is refused), a write to stdout with
 * several iovecs and one to stderr.
 */
#include "check.h"

static void read_stdin(void) {
  char buf[256];
  size_t total = 0;
  __wasi_size_t n = 0;
  __wasi_errno_t e;
  do {
    __wasi_iovec_t iov = {(uint8_t *)buf + total, sizeof buf - total};
    e = __wasi_fd_read(0, &iov, 1, &n);
    total += n;
  } while (e == OK && n > 0 && total < sizeof buf);
  check("fd_read stdin until EOF", e, OK);
  check_bytes("stdin contents", buf, total, "line one\nline two\n");
  check("fd_read stdin at EOF", __wasi_fd_read(0, (__wasi_iovec_t[]){{(uint8_t *)buf, sizeof buf}}, 1, &n), OK);
  check_num("bytes read at EOF", n, 0);
}

static void descriptors(void) {
  __wasi_fdstat_t st;
  __wasi_filesize_t at;
  char name[40];
  for (int fd = 0; fd < 3; fd++) {
    snprintf(name, sizeof name, "isatty(%d)", fd);
    check_yes(name, isatty(fd), 0);
    snprintf(name, sizeof name, "fd_fdstat_get(%d)", fd);
    check(name, __wasi_fd_fdstat_get((__wasi_fd_t)fd, &st), OK);
  }
  check_fails("fd_seek on stdin (a pipe)", __wasi_fd_seek(0, 0, __WASI_WHENCE_CUR, &at));
}

static void writes(void) {
  __wasi_ciovec_t iov[3] = {
      {(const uint8_t *)"several ", 8}, {(const uint8_t *)"iovecs ", 7}, {(const uint8_t *)"to stdout\n", 10}};
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_write(1, iov, 3, &n);
  check("fd_write stdout 3 iovecs", e, OK);
  check_num("fd_write stdout count", n, 25);
  check("fd_write stderr", write_all(2, "stdio: to stderr\n"), OK);
}

int main(void) {
  read_stdin();
  descriptors();
  writes();
  return 0;
}
