/* sock.c: sock_accept, sock_recv, sock_send and sock_shutdown on descriptors that are not sockets
 * (ENOTSOCK, as POSIX accept/recv/send/shutdown and wasmtime give) and on an fd that is not open
 * (EBADF). Run without arguments: a regular file, a directory and a never-open fd. Run as
 * `sock stdin`: stdin (a pipe) only, since node:wasi crashes there (SIGSEGV).
 */
#include "check.h"

static void sock_calls(const char *what, __wasi_fd_t fd, __wasi_errno_t want) {
  char name[80], buf[8];
  __wasi_fd_t conn;
  __wasi_size_t n;
  __wasi_roflags_t roflags;
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_ciovec_t ciov = {(const uint8_t *)"x", 1};
  snprintf(name, sizeof name, "sock_accept on %s", what);
  check(name, __wasi_sock_accept(fd, 0, &conn), want);
  snprintf(name, sizeof name, "sock_recv on %s", what);
  check(name, __wasi_sock_recv(fd, &iov, 1, 0, &n, &roflags), want);
  snprintf(name, sizeof name, "sock_send on %s", what);
  check(name, __wasi_sock_send(fd, &ciov, 1, 0, &n), want);
  snprintf(name, sizeof name, "sock_shutdown on %s", what);
  check(name, __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR), want);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "stdin") == 0) {
    sock_calls("stdin", 0, __WASI_ERRNO_NOTSOCK);
    return 0;
  }
  __wasi_fd_t dir = sandbox(), file;
  make_file(dir, "not-a-socket", "data");
  if (open_at(dir, "not-a-socket", 0, 0, &file) != OK) exit(98);
  sock_calls("a file", file, __WASI_ERRNO_NOTSOCK);
  sock_calls("a directory", dir, __WASI_ERRNO_NOTSOCK);
  sock_calls("a never-open fd", 1234, __WASI_ERRNO_BADF);
  check_contents("the file is unchanged", dir, "not-a-socket", "data");
  return 0;
}
