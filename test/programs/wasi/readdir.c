/* readdir.c: fd_readdir. A directory holding files, a subdirectory, a symlink and a long name is
 * listed with a large buffer ("." and ".." included, as POSIX readdir and wasmtime give them;
 * names sorted here since the order is unspecified; d_type of each; d_ino matching
 * path_filestat_get), then again with a small buffer resuming from d_next cookies the way
 * wasi-libc does (a result shorter than the buffer means the end, a truncated last entry is read
 * again, the buffer grows when one entry does not fit). A buffer that ends inside an entry must be
 * filled completely, as the spec says. Also: a cookie past the end, a new file seen after a
 * rewind to cookie 0, failure on a file (the errno varies: ENOTDIR in POSIX, ENOTCAPABLE in uvwasi,
 * EBADF in wasmtime) and EBADF on a closed fd.
 */
#include "check.h"

#define DIRENT_SIZE sizeof(__wasi_dirent_t)
#define MAX_ENTRIES 16

struct listing {
  int count, calls;
  char names[MAX_ENTRIES][40];
  uint8_t types[MAX_ENTRIES];
  __wasi_inode_t inodes[MAX_ENTRIES];
  __wasi_dircookie_t last_cookie;
  __wasi_size_t last_namlen;
};

static __wasi_fd_t dir, d;

/* Adds the complete entries in buf[0..n) to l; returns how many it added. */
static int parse(struct listing *l, const uint8_t *buf, __wasi_size_t n) {
  int added = 0;
  for (__wasi_size_t at = 0; at + DIRENT_SIZE <= n;) {
    __wasi_dirent_t e;
    memcpy(&e, buf + at, DIRENT_SIZE);
    if (at + DIRENT_SIZE + e.d_namlen > n) break;
    if (l->count < MAX_ENTRIES && e.d_namlen < sizeof l->names[0]) {
      memcpy(l->names[l->count], buf + at + DIRENT_SIZE, e.d_namlen);
      l->names[l->count][e.d_namlen] = '\0';
      l->types[l->count] = e.d_type;
      l->inodes[l->count++] = e.d_ino;
    }
    l->last_cookie = e.d_next;
    l->last_namlen = e.d_namlen;
    at += DIRENT_SIZE + e.d_namlen;
    added++;
  }
  return added;
}

/* Lists fd the way wasi-libc's readdir does, starting with a buffer of size bytes. */
static __wasi_errno_t list(__wasi_fd_t fd, __wasi_size_t size, struct listing *l) {
  memset(l, 0, sizeof *l);
  for (;;) {
    uint8_t *buf = malloc(size);
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_fd_readdir(fd, buf, size, l->last_cookie, &n);
    l->calls++;
    int added = e == OK ? parse(l, buf, n) : 0;
    free(buf);
    if (e != OK || n < size || l->calls > 100) return e;
    if (added == 0) size *= 2;
  }
}

static const struct listing *sorting;

static int by_name(const void *a, const void *b) {
  return strcmp(sorting->names[*(const int *)a], sorting->names[*(const int *)b]);
}

/* "a=4 bb=4 ..." (or just the names) sorted by name, into out. */
static void describe(const struct listing *l, char *out, size_t size, int with_types) {
  int order[MAX_ENTRIES];
  for (int i = 0; i < l->count; i++) order[i] = i;
  sorting = l;
  qsort(order, (size_t)l->count, sizeof order[0], by_name);
  size_t at = 0;
  out[0] = '\0';
  for (int k = 0; k < l->count && at < size; k++) {
    int i = order[k];
    if (with_types) at += (size_t)snprintf(out + at, size - at, "%s%s=%u", k ? " " : "", l->names[i], l->types[i]);
    else at += (size_t)snprintf(out + at, size - at, "%s%s", k ? " " : "", l->names[i]);
  }
}

static void setup(void) {
  make_dir(dir, "d");
  make_file(dir, "d/a", "a");
  make_file(dir, "d/bb", "bb");
  make_file(dir, "d/a_rather_long_file_name.txt", "long");
  make_dir(dir, "d/sub");
  check("path_symlink d/ln", __wasi_path_symlink("a", dir, "d/ln"), OK);
  check("open_dir d", open_dir(dir, "d", &d), OK);
}

static __wasi_inode_t inode_of(const struct listing *l, const char *name) {
  for (int i = 0; i < l->count; i++)
    if (strcmp(l->names[i], name) == 0) return l->inodes[i];
  return 0;
}

static void big_buffer(struct listing *big) {
  char text[400];
  __wasi_filestat_t st;
  check("fd_readdir big buffer", list(d, 4096, big), OK);
  check_num("big buffer calls", big->calls, 1);
  describe(big, text, sizeof text, 1);
  report("entries", text, ".=3 ..=3 a=4 a_rather_long_file_name.txt=4 bb=4 ln=7 sub=3");
  check("path_filestat_get d/a", __wasi_path_filestat_get(dir, 0, "d/a", &st), OK);
  check_yes("d_ino of a matches filestat ino", inode_of(big, "a") == st.ino, 1);
}

static void small_buffer(const struct listing *big) {
  struct listing small;
  char a[400], b[400];
  check("fd_readdir 32-byte buffer", list(d, 32, &small), OK);
  check_yes("32-byte buffer needs several calls", small.calls > 2, 1);
  describe(&small, a, sizeof a, 1);
  describe(big, b, sizeof b, 1);
  check_yes("32-byte buffer lists the same entries", strcmp(a, b) == 0, 1);
}

static void truncation(const struct listing *big) {
  uint8_t buf[4096];
  __wasi_size_t total = 0, n = 0;
  check("fd_readdir whole", __wasi_fd_readdir(d, buf, sizeof buf, 0, &total), OK);
  __wasi_size_t cut_header = total - big->last_namlen - 1, cut_name = total - 1;
  check("fd_readdir ending inside the last name", __wasi_fd_readdir(d, buf, cut_name, 0, &n), OK);
  check_yes("buffer ending inside a name is filled", n == cut_name, 1);
  check("fd_readdir ending inside the last header", __wasi_fd_readdir(d, buf, cut_header, 0, &n), OK);
  check_yes("buffer ending inside a header is filled", n == cut_header, 1);
  check("fd_readdir from the last cookie", __wasi_fd_readdir(d, buf, sizeof buf, big->last_cookie, &n), OK);
  check_num("bytes past the end", n, 0);
}

static void rewind_and_errors(void) {
  struct listing again;
  char text[400];
  __wasi_size_t n;
  uint8_t buf[256];
  __wasi_fd_t file;
  make_file(dir, "d/new", "");
  check("fd_readdir after adding a file", list(d, 4096, &again), OK);
  describe(&again, text, sizeof text, 0);
  report("entries now", text, ". .. a a_rather_long_file_name.txt bb ln new sub");
  if (open_at(dir, "d/a", 0, 0, &file) != OK) exit(98);
  check_fails("fd_readdir on a file", __wasi_fd_readdir(file, buf, sizeof buf, 0, &n));
  check("fd_close file", __wasi_fd_close(file), OK);
  check("fd_close d", __wasi_fd_close(d), OK);
  check("fd_readdir on a closed fd", __wasi_fd_readdir(d, buf, sizeof buf, 0, &n), __WASI_ERRNO_BADF);
}

int main(void) {
  struct listing big;
  dir = sandbox();
  setup();
  big_buffer(&big);
  small_buffer(&big);
  truncation(&big);
  rewind_and_errors();
  return 0;
}
