/* path_links.c: path_symlink (EEXIST over an existing name, dangling targets allowed),
 * path_readlink (the target without a NUL, a too-small buffer truncating like POSIX readlink,
 * EINVAL on a file that is not a symlink), path_link (a second name sharing data, nlink 2, EEXIST,
 * ENOENT), path_filestat_get with and without SYMLINK_FOLLOW (the link's own type and size, the
 * length of its target, as the spec says) and path_filestat_set_times with and without
 * SYMLINK_FOLLOW (following changes the target; not following changes the link only) including
 * the *_NOW flags, ENOENT, a directory, and EINVAL for conflicting flags.
 */
#include "check.h"

#define T2001 1000000000000000000ull
#define T2017 1500000000000000000ull
#define T2033 2000000000000000000ull

static __wasi_fd_t dir;

static __wasi_filestat_t lstat_of(const char *path, __wasi_lookupflags_t flags) {
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);
  if (__wasi_path_filestat_get(dir, flags, path, &st) != OK) say("path_filestat_get %s failed", path);
  return st;
}

static void symlinks(void) {
  make_file(dir, "target.txt", "target data");
  check("path_symlink ln -> target.txt", __wasi_path_symlink("target.txt", dir, "ln"), OK);
  check("path_symlink over existing", __wasi_path_symlink("target.txt", dir, "ln"), __WASI_ERRNO_EXIST);
  check("path_symlink dangling", __wasi_path_symlink("nowhere", dir, "dangling"), OK);
  check("path_symlink in missing dir", __wasi_path_symlink("x", dir, "missing/ln"), __WASI_ERRNO_NOENT);
  check_contents("read through ln", dir, "ln", "target data");
  check("open dangling", stat_errno(dir, "dangling"), __WASI_ERRNO_NOENT);
}

static void readlinks(void) {
  char buf[64];
  __wasi_size_t n = 0;
  memset(buf, '#', sizeof buf);
  check("path_readlink ln", __wasi_path_readlink(dir, "ln", (uint8_t *)buf, sizeof buf, &n), OK);
  check_bytes("readlink result", buf, n, "target.txt");
  check_bytes("byte after the target untouched", buf + 10, 1, "#");
  memset(buf, '#', sizeof buf);
  n = 0;
  check("path_readlink 4-byte buffer", __wasi_path_readlink(dir, "ln", (uint8_t *)buf, 4, &n), OK);
  check_bytes("readlink truncated", buf, n, "targ");
  check_bytes("readlink truncated leaves the rest", buf + 4, 1, "#");
  check("path_readlink dangling", __wasi_path_readlink(dir, "dangling", (uint8_t *)buf, sizeof buf, &n), OK);
  check_bytes("dangling target", buf, n, "nowhere");
  check("path_readlink a file", __wasi_path_readlink(dir, "target.txt", (uint8_t *)buf, sizeof buf, &n),
        __WASI_ERRNO_INVAL);
  check("path_readlink missing", __wasi_path_readlink(dir, "missing", (uint8_t *)buf, sizeof buf, &n),
        __WASI_ERRNO_NOENT);
}

static void hard_links(void) {
  check("path_link target.txt -> hard", __wasi_path_link(dir, 0, "target.txt", dir, "hard"), OK);
  check_num("nlink after link", lstat_of("target.txt", 0).nlink, 2);
  check_yes("same inode", lstat_of("hard", 0).ino == lstat_of("target.txt", 0).ino, 1);
  make_file(dir, "hard", "shared");
  check_contents("write through one name, read the other", dir, "target.txt", "shared");
  check("path_link over existing", __wasi_path_link(dir, 0, "target.txt", dir, "hard"), __WASI_ERRNO_EXIST);
  check("path_link missing source", __wasi_path_link(dir, 0, "missing", dir, "x"), __WASI_ERRNO_NOENT);
  check("path_unlink_file hard", __wasi_path_unlink_file(dir, "hard"), OK);
  check_num("nlink after unlink", lstat_of("target.txt", 0).nlink, 1);
}

static void filestats(void) {
  __wasi_filestat_t st;
  check("path_filestat_get ln following", __wasi_path_filestat_get(dir, FOLLOW, "ln", &st), OK);
  check_num("followed filetype", st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  check_num("followed size", st.size, 6);
  check("path_filestat_get ln not following", __wasi_path_filestat_get(dir, 0, "ln", &st), OK);
  check_num("link filetype", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  check_num("link size is its target's length", st.size, 10);
  check("path_filestat_get dangling following", __wasi_path_filestat_get(dir, FOLLOW, "dangling", &st),
        __WASI_ERRNO_NOENT);
  check("path_filestat_get dangling not following", __wasi_path_filestat_get(dir, 0, "dangling", &st), OK);
  check("path_filestat_get missing", __wasi_path_filestat_get(dir, 0, "missing", &st), __WASI_ERRNO_NOENT);
}

static void set_times(void) {
  const __wasi_fstflags_t both = __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM;
  check("set_times target.txt", __wasi_path_filestat_set_times(dir, 0, "target.txt", T2001, T2001, both), OK);
  check("set_times ln following", __wasi_path_filestat_set_times(dir, FOLLOW, "ln", T2017, T2017, both), OK);
  check_yes("following set the target's mtim", lstat_of("target.txt", 0).mtim == T2017, 1);
  check_yes("following set the target's atim", lstat_of("target.txt", 0).atim == T2017, 1);
  check("set_times ln not following", __wasi_path_filestat_set_times(dir, 0, "ln", T2033, T2033, both), OK);
  check_yes("not following set the link's mtim", lstat_of("ln", 0).mtim == T2033, 1);
  check_yes("not following left the target alone", lstat_of("target.txt", 0).mtim == T2017, 1);
  check("set_times MTIM_NOW", __wasi_path_filestat_set_times(dir, 0, "target.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), OK);
  check_yes("mtim is now", near_now(lstat_of("target.txt", 0).mtim), 1);
  check_yes("atim untouched", lstat_of("target.txt", 0).atim == T2017, 1);
  check("set_times ATIM_NOW", __wasi_path_filestat_set_times(dir, 0, "target.txt", 0, 0, __WASI_FSTFLAGS_ATIM_NOW), OK);
  check_yes("atim is now", near_now(lstat_of("target.txt", 0).atim), 1);
  check("set_times missing", __wasi_path_filestat_set_times(dir, 0, "missing", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
        __WASI_ERRNO_NOENT);
  check("set_times directory", __wasi_path_filestat_set_times(dir, 0, ".", T2001, T2001, both), OK);
  check_yes("directory mtim set", lstat_of(".", 0).mtim == T2001, 1);
}

/* Conflicting flags, through a directory fd of their own: after this EINVAL, node:wasi (uvwasi
 * 0.0.23) leaves that fd's lock held and the next call on it never returns. */
static void conflicting_flags(void) {
  static const struct { const char *name; __wasi_fstflags_t flags; } cases[] = {
      {"set_times ATIM|ATIM_NOW", __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW},
      {"set_times MTIM|MTIM_NOW", __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    __wasi_fd_t throwaway;
    check("open_dir . for conflicting flags", open_dir(dir, ".", &throwaway), OK);
    check(cases[i].name, __wasi_path_filestat_set_times(throwaway, 0, "target.txt", 0, 0, cases[i].flags),
          __WASI_ERRNO_INVAL);
  }
}

int main(void) {
  dir = sandbox();
  symlinks();
  readlinks();
  hard_links();
  filestats();
  set_times();
  conflicting_flags();
  return 0;
}
