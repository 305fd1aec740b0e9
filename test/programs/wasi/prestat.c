/* prestat.c: fd_prestat_get and fd_prestat_dir_name. The preopens are scanned from fd 3 until
 * EBADF; the one named "/sandbox" must be a directory preopen whose name length excludes any NUL.
 * A buffer one byte short gives ENAMETOOLONG (wasmtime's answer; the spec names no errno), a
 * larger one is filled with the name and nothing after it. fd_prestat_get and
 * fd_prestat_dir_name on an fd that is open but not a preopen (stdin, a file) give EBADF.
 */
#include "check.h"

/* Scans the preopens; returns the fd where the scan stopped and the errno that stopped it. */
static __wasi_fd_t scan(__wasi_errno_t *stop) {
  __wasi_fd_t fd = 3;
  __wasi_prestat_t st;
  while ((*stop = __wasi_fd_prestat_get(fd, &st)) == OK) fd++;
  return fd;
}

static void sandbox_prestat(__wasi_fd_t dir) {
  __wasi_prestat_t st;
  char name[16];
  check("fd_prestat_get sandbox", __wasi_fd_prestat_get(dir, &st), OK);
  check_num("preopen type", st.tag, __WASI_PREOPENTYPE_DIR);
  check_num("preopen name length", st.u.dir.pr_name_len, 8);
  memset(name, '#', sizeof name);
  check("fd_prestat_dir_name exact buffer", __wasi_fd_prestat_dir_name(dir, (uint8_t *)name, 8), OK);
  check_bytes("dir name", name, 8, "/sandbox");
  memset(name, '#', sizeof name);
  check("fd_prestat_dir_name larger buffer", __wasi_fd_prestat_dir_name(dir, (uint8_t *)name, sizeof name), OK);
  check_bytes("bytes after the name untouched", name + 8, 3, "###");
  check("fd_prestat_dir_name short buffer", __wasi_fd_prestat_dir_name(dir, (uint8_t *)name, 7),
        __WASI_ERRNO_NAMETOOLONG);
}

static void not_preopens(__wasi_fd_t dir) {
  __wasi_prestat_t st;
  __wasi_fd_t file;
  char name[16];
  __wasi_errno_t stop;
  __wasi_fd_t end = scan(&stop);
  check("scan stops with", stop, __WASI_ERRNO_BADF);
  check("fd_prestat_dir_name past last preopen", __wasi_fd_prestat_dir_name(end, (uint8_t *)name, sizeof name),
        __WASI_ERRNO_BADF);
  check("fd_prestat_get stdin", __wasi_fd_prestat_get(0, &st), __WASI_ERRNO_BADF);
  check("fd_prestat_dir_name stdin", __wasi_fd_prestat_dir_name(0, (uint8_t *)name, sizeof name), __WASI_ERRNO_BADF);
  make_file(dir, "plain.txt", "x");
  if (open_at(dir, "plain.txt", 0, 0, &file) != OK) exit(98);
  check("fd_prestat_get open file", __wasi_fd_prestat_get(file, &st), __WASI_ERRNO_BADF);
  check("fd_prestat_dir_name open file", __wasi_fd_prestat_dir_name(file, (uint8_t *)name, sizeof name),
        __WASI_ERRNO_BADF);
  check("fd_prestat_get never-open fd", __wasi_fd_prestat_get(1234, &st), __WASI_ERRNO_BADF);
}

int main(void) {
  __wasi_fd_t dir = sandbox();
  sandbox_prestat(dir);
  not_preopens(dir);
  return 0;
}
