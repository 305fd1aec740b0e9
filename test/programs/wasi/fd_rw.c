/* fd_rw.c: fd_write with several iovecs, fd_read into several iovecs, reads at EOF, fd_pread and
 * fd_pwrite (which leave the offset alone; pwrite past the end zero-fills the gap), fd_seek with
 * every whence, past the end, to a negative offset (EINVAL) and with an unknown whence (EINVAL),
 * and fd_tell; then writes and reads of 200 KiB in iovecs whose edges fall anywhere (more than a
 * runtime may move at once: webmach's message window is 64 KiB). Leaves rw.txt and big.bin behind.
 */
#include "check.h"

static __wasi_fd_t file;

static __wasi_filesize_t tell(void) {
  __wasi_filesize_t at = 0;
  return __wasi_fd_tell(file, &at) == OK ? at : (__wasi_filesize_t)-1;
}

static void check_seek(const char *name, __wasi_filedelta_t off, __wasi_whence_t whence, __wasi_filesize_t want) {
  __wasi_filesize_t at = 0;
  char n2[80];
  check(name, __wasi_fd_seek(file, off, whence, &at), OK);
  snprintf(n2, sizeof n2, "%s offset", name);
  check_num(n2, at, want);
}

static void writes(void) {
  __wasi_ciovec_t iov[3] = {{(const uint8_t *)"hello", 5}, {(const uint8_t *)", ", 2}, {(const uint8_t *)"world\n", 6}};
  __wasi_size_t n = 0;
  check("fd_write 3 iovecs", __wasi_fd_write(file, iov, 3, &n), OK);
  check_num("fd_write 3 iovecs count", n, 13);
  check("fd_write 0 iovecs", __wasi_fd_write(file, iov, 0, &n), OK);
  check_num("fd_write 0 iovecs count", n, 0);
  check("fd_write empty iovec", __wasi_fd_write(file, (__wasi_ciovec_t[]){{(const uint8_t *)"", 0}}, 1, &n), OK);
  check_num("fd_tell after writes", tell(), 13);
}

static void reads(void) {
  char a[5], b[100];
  __wasi_iovec_t iov[2] = {{(uint8_t *)a, sizeof a}, {(uint8_t *)b, sizeof b}};
  __wasi_size_t n = 0;
  check_seek("fd_seek SET 0", 0, __WASI_WHENCE_SET, 0);
  check("fd_read 2 iovecs", __wasi_fd_read(file, iov, 2, &n), OK);
  check_num("fd_read 2 iovecs count", n, 13);
  check_bytes("fd_read first iovec", a, sizeof a, "hello");
  check_bytes("fd_read second iovec", b, n - sizeof a, ", world\n");
  check("fd_read at EOF", __wasi_fd_read(file, iov, 2, &n), OK);
  check_num("fd_read at EOF count", n, 0);
  check_seek("fd_seek CUR -6", -6, __WASI_WHENCE_CUR, 7);
  check("fd_read 0 iovecs", __wasi_fd_read(file, iov, 0, &n), OK);
  check_num("fd_read 0 iovecs count", n, 0);
  check("fd_read after CUR seek", __wasi_fd_read(file, (__wasi_iovec_t[]){{(uint8_t *)b, 5}}, 1, &n), OK);
  check_bytes("fd_read after CUR seek data", b, n, "world");
}

static void seeks(void) {
  __wasi_filesize_t at = 0;
  check_seek("fd_seek END -6", -6, __WASI_WHENCE_END, 7);
  check_seek("fd_seek END 0", 0, __WASI_WHENCE_END, 13);
  check_seek("fd_seek CUR 0", 0, __WASI_WHENCE_CUR, 13);
  check_seek("fd_seek SET past end", 100, __WASI_WHENCE_SET, 100);
  check_num("fd_tell past end", tell(), 100);
  check("fd_seek SET -1", __wasi_fd_seek(file, -1, __WASI_WHENCE_SET, &at), __WASI_ERRNO_INVAL);
  check("fd_seek CUR before start", __wasi_fd_seek(file, -1000, __WASI_WHENCE_CUR, &at), __WASI_ERRNO_INVAL);
  check("fd_seek END before start", __wasi_fd_seek(file, -14, __WASI_WHENCE_END, &at), __WASI_ERRNO_INVAL);
  check_num("fd_tell after failed seeks", tell(), 100);
  check("fd_seek unknown whence", __wasi_fd_seek(file, 0, 3, &at), __WASI_ERRNO_INVAL);
}

static void positioned(void) {
  char buf[32];
  __wasi_size_t n = 0;
  __wasi_filestat_t st;
  check_seek("fd_seek SET 2", 2, __WASI_WHENCE_SET, 2);
  check("fd_pread at 7", __wasi_fd_pread(file, (__wasi_iovec_t[]){{(uint8_t *)buf, 5}}, 1, 7, &n), OK);
  check_bytes("fd_pread at 7 data", buf, n, "world");
  __wasi_ciovec_t hello[2] = {{(const uint8_t *)"HE", 2}, {(const uint8_t *)"LLO", 3}};
  check("fd_pwrite at 0", __wasi_fd_pwrite(file, hello, 2, 0, &n), OK);
  check_num("fd_pwrite at 0 count", n, 5);
  check_num("fd_tell after pread/pwrite", tell(), 2);
  check("fd_pread past end", __wasi_fd_pread(file, (__wasi_iovec_t[]){{(uint8_t *)buf, 5}}, 1, 1000, &n), OK);
  check_num("fd_pread past end count", n, 0);
  check("fd_pwrite past end", __wasi_fd_pwrite(file, (__wasi_ciovec_t[]){{(const uint8_t *)"!", 1}}, 1, 15, &n), OK);
  check("fd_filestat_get", __wasi_fd_filestat_get(file, &st), OK);
  check_num("size after pwrite past end", st.size, 16);
  check("fd_pread whole file", __wasi_fd_pread(file, (__wasi_iovec_t[]){{(uint8_t *)buf, sizeof buf}}, 1, 0, &n), OK);
  check_mem("file after pwrite past end", buf, n, "HELLO, world\n\0\0!", 16);
}

/* Byte i of the large file: a pattern that repeats only every 251 bytes, so a chunk out of place shows. */
static uint8_t pattern(size_t i) { return (uint8_t)(i % 251); }

static size_t first_wrong(const uint8_t *buf, size_t len, size_t at) {
  for (size_t i = 0; i < len; i++)
    if (buf[i] != pattern(at + i)) return i;
  return len;
}

static uint8_t big[200 * 1024];
static uint8_t back[200 * 1024];

static void large(void) {
  __wasi_fd_t fd;
  __wasi_size_t n = 0;
  for (size_t i = 0; i < sizeof big; i++) big[i] = pattern(i);
  check("path_open big.bin", open_at(sandbox(), "big.bin", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &fd), OK);
  __wasi_ciovec_t out[3] = {{big, 70000}, {big + 70000, 1}, {big + 70001, sizeof big - 70001}};
  check("fd_write 200 KiB in 3 iovecs", __wasi_fd_write(fd, out, 3, &n), OK);
  check_num("fd_write 200 KiB count", n, sizeof big);
  __wasi_filesize_t at = 0;
  check("fd_seek to 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &at), OK);
  __wasi_iovec_t in[2] = {{back, 100000}, {back + 100000, sizeof back - 100000}};
  check("fd_read 200 KiB into 2 iovecs", __wasi_fd_read(fd, in, 2, &n), OK);
  check_num("fd_read 200 KiB count", n, sizeof back);
  check_num("fd_read 200 KiB first wrong byte", first_wrong(back, n, 0), sizeof back);
  check("fd_pwrite 100000 at 100000", __wasi_fd_pwrite(fd, (__wasi_ciovec_t[]){{big + 100000, 100000}}, 1, 100000, &n), OK);
  check_num("fd_pwrite 100000 at 100000 count", n, 100000);
  memset(back, 0, sizeof back);
  check("fd_pread 150000 at 50000", __wasi_fd_pread(fd, (__wasi_iovec_t[]){{back, 150000}}, 1, 50000, &n), OK);
  check_num("fd_pread 150000 at 50000 count", n, 150000);
  check_num("fd_pread 150000 at 50000 first wrong byte", first_wrong(back, n, 50000), 150000);
  check("fd_pread across the end", __wasi_fd_pread(fd, (__wasi_iovec_t[]){{back, sizeof back}}, 1, 200000, &n), OK);
  check_num("fd_pread across the end count", n, sizeof big - 200000);
  check_num("fd_pread across the end first wrong byte", first_wrong(back, n, 200000), sizeof big - 200000);
  check("fd_tell big.bin", __wasi_fd_tell(fd, &at), OK);
  check_num("fd_tell after pread/pwrite", at, sizeof big);
  check("fd_close big.bin", __wasi_fd_close(fd), OK);
}

int main(void) {
  check("path_open rw.txt", open_at(sandbox(), "rw.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &file), OK);
  writes();
  reads();
  seeks();
  positioned();
  check("fd_close", __wasi_fd_close(file), OK);
  large();
  return 0;
}
