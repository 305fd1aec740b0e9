/* fd_table.c: the descriptor table. fd_close (then EBADF for every use of the closed fd and for
 * closing it again), EBADF from an fd that was never open, and fd_renumber: moving an open file
 * over another (the target is closed and replaced, the source is gone), renumbering an fd to
 * itself, and EBADF for an unknown source or target.
 */
#include "check.h"

#define NEVER_OPEN 1234

static __wasi_fd_t dir;

static __wasi_fd_t open_file(const char *path, const char *text) {
  __wasi_fd_t fd = NEVER_OPEN;
  make_file(dir, path, text);
  if (open_at(dir, path, 0, 0, &fd) != OK) exit(98);
  return fd;
}

static void badf(const char *call, const char *what, __wasi_errno_t got) {
  char name[80];
  snprintf(name, sizeof name, "%s on %s", call, what);
  check(name, got, __WASI_ERRNO_BADF);
}

/* Every fd-taking call that must fail with EBADF on fd. */
static void all_badf(const char *what, __wasi_fd_t fd) {
  char buf[8];
  __wasi_size_t n;
  __wasi_filesize_t at;
  __wasi_fdstat_t fst;
  __wasi_filestat_t st;
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_ciovec_t ciov = {(const uint8_t *)"x", 1};
  badf("fd_read", what, __wasi_fd_read(fd, &iov, 1, &n));
  badf("fd_write", what, __wasi_fd_write(fd, &ciov, 1, &n));
  badf("fd_pread", what, __wasi_fd_pread(fd, &iov, 1, 0, &n));
  badf("fd_pwrite", what, __wasi_fd_pwrite(fd, &ciov, 1, 0, &n));
  badf("fd_seek", what, __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &at));
  badf("fd_tell", what, __wasi_fd_tell(fd, &at));
  badf("fd_fdstat_get", what, __wasi_fd_fdstat_get(fd, &fst));
  badf("fd_filestat_get", what, __wasi_fd_filestat_get(fd, &st));
  badf("fd_sync", what, __wasi_fd_sync(fd));
  badf("fd_close", what, __wasi_fd_close(fd));
}

static void closing(void) {
  __wasi_fd_t fd = open_file("closed.txt", "x");
  check("fd_close open file", __wasi_fd_close(fd), OK);
  all_badf("closed fd", fd);
  all_badf("never-open fd", NEVER_OPEN);
}

static void renumbering(void) {
  __wasi_fd_t a = open_file("a.txt", "from a"), b = open_file("b.txt", "from b");
  char buf[16];
  __wasi_size_t n = 0;
  __wasi_fdstat_t st;
  check("fd_renumber a over b", __wasi_fd_renumber(a, b), OK);
  check("fd_read through b", __wasi_fd_read(b, (__wasi_iovec_t[]){{(uint8_t *)buf, sizeof buf}}, 1, &n), OK);
  check_bytes("b now reads a's file", buf, n, "from a");
  check("fd_fdstat_get on old a", __wasi_fd_fdstat_get(a, &st), __WASI_ERRNO_BADF);
  check("fd_renumber b to itself", __wasi_fd_renumber(b, b), OK);
  check("fd_fdstat_get after self renumber", __wasi_fd_fdstat_get(b, &st), OK);
  check("fd_renumber from closed fd", __wasi_fd_renumber(a, b), __WASI_ERRNO_BADF);
  check("fd_renumber onto never-open fd", __wasi_fd_renumber(b, NEVER_OPEN), __WASI_ERRNO_BADF);
  check("fd_fdstat_get b after failed renumber", __wasi_fd_fdstat_get(b, &st), OK);
  check("fd_close b", __wasi_fd_close(b), OK);
}

int main(void) {
  dir = sandbox();
  closing();
  renumbering();
  return 0;
}
