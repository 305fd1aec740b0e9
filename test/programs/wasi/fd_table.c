/* fd_table.c: the descriptor table. fd_close (then EBADF for every use of the closed fd and for
 * closing it again, reads and writes of nothing included), EBADF from an fd that was never open,
 * rights checked by calls that move no data, and fd_renumber: moving an open file over another (the
 * target is closed and replaced, the source is gone), renumbering an fd to itself, and EBADF for an
 * unknown source or target.
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

static void nothing_moved(const char *what, __wasi_fd_t fd, __wasi_errno_t want);

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
  nothing_moved(what, fd, __WASI_ERRNO_BADF);
}

/* The calls that move no data (no iovecs, iovecs of length 0, a buffer of length 0) still check
 * their descriptor and its rights first, as POSIX read/write of 0 bytes and uvwasi do: `want` is
 * EBADF for a descriptor that is not open, ENOTCAPABLE for one without the right. */
static void nothing_moved(const char *what, __wasi_fd_t fd, __wasi_errno_t want) {
  char buf[8], name[100];
  __wasi_size_t n;
  __wasi_iovec_t empty = {(uint8_t *)buf, 0};
  __wasi_ciovec_t cempty = {(const uint8_t *)buf, 0};
  struct { const char *call; __wasi_errno_t got; } calls[] = {
      {"fd_write of no iovecs", __wasi_fd_write(fd, &cempty, 0, &n)},
      {"fd_write of an empty iovec", __wasi_fd_write(fd, &cempty, 1, &n)},
      {"fd_read into no iovecs", __wasi_fd_read(fd, &empty, 0, &n)},
      {"fd_read into an empty iovec", __wasi_fd_read(fd, &empty, 1, &n)},
      {"fd_pwrite of no iovecs", __wasi_fd_pwrite(fd, &cempty, 0, 0, &n)},
      {"fd_pwrite of an empty iovec", __wasi_fd_pwrite(fd, &cempty, 1, 0, &n)},
      {"fd_pread into no iovecs", __wasi_fd_pread(fd, &empty, 0, 0, &n)},
      {"fd_pread into an empty iovec", __wasi_fd_pread(fd, &empty, 1, 0, &n)},
  };
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    snprintf(name, sizeof name, "%s on %s", calls[i].call, what);
    check(name, calls[i].got, want);
  }
}

/* A file opened with no rights but reading: writes of nothing need the write right, and so on. */
static void rights_of_nothing(void) {
  __wasi_fd_t fd = NEVER_OPEN;
  make_file(dir, "ro.txt", "read only");
  check("open ro.txt with fd_read only", __wasi_path_open(dir, 0, "ro.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), OK);
  char buf[8];
  __wasi_size_t n;
  __wasi_ciovec_t cempty = {(const uint8_t *)buf, 0};
  __wasi_iovec_t empty = {(uint8_t *)buf, 0};
  check("fd_write of no iovecs without fd_write", __wasi_fd_write(fd, &cempty, 0, &n), __WASI_ERRNO_NOTCAPABLE);
  check("fd_write of an empty iovec without fd_write", __wasi_fd_write(fd, &cempty, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  check("fd_pread of no iovecs without fd_seek", __wasi_fd_pread(fd, &empty, 0, 0, &n), __WASI_ERRNO_NOTCAPABLE);
  check("fd_read of no iovecs with fd_read", __wasi_fd_read(fd, &empty, 0, &n), OK);
  check_num("bytes read", n, 0);
  check("fd_close ro.txt", __wasi_fd_close(fd), OK);
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
  rights_of_nothing();
  return 0;
}
