/* path_open.c: every oflag (CREAT, EXCL, TRUNC, DIRECTORY and their combinations), every fdflag
 * (APPEND's effect, NONBLOCK, DSYNC, RSYNC and SYNC accepted on a regular file), lookupflags
 * SYMLINK_FOLLOW on and off (ELOOP for a symlink opened without following, as O_NOFOLLOW does),
 * a symlink loop, "." and "sub/..", a trailing slash on a file, an empty path and a missing file.
 */
#include "check.h"

static __wasi_fd_t dir;

static void oflags(void) {
  check("open missing", try_open(dir, "missing", FOLLOW, 0, 0), __WASI_ERRNO_NOENT);
  check("open missing in missing dir", try_open(dir, "nodir/missing", FOLLOW, __WASI_OFLAGS_CREAT, 0),
        __WASI_ERRNO_NOENT);
  check("CREAT new", try_open(dir, "f", FOLLOW, __WASI_OFLAGS_CREAT, 0), OK);
  make_file(dir, "f", "contents");
  check("CREAT existing", try_open(dir, "f", FOLLOW, __WASI_OFLAGS_CREAT, 0), OK);
  check_contents("CREAT keeps contents", dir, "f", "contents");
  check("CREAT|EXCL existing", try_open(dir, "f", FOLLOW, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0),
        __WASI_ERRNO_EXIST);
  check("CREAT|EXCL new", try_open(dir, "g", FOLLOW, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0), OK);
  check("EXCL without CREAT on existing", try_open(dir, "f", FOLLOW, __WASI_OFLAGS_EXCL, 0), OK);
  check("TRUNC existing", try_open(dir, "f", FOLLOW, __WASI_OFLAGS_TRUNC, 0), OK);
  check_contents("TRUNC empties", dir, "f", "");
  check("CREAT|TRUNC new", try_open(dir, "h", FOLLOW, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0), OK);
  check("TRUNC missing", try_open(dir, "missing", FOLLOW, __WASI_OFLAGS_TRUNC, 0), __WASI_ERRNO_NOENT);
}

static void directories(void) {
  __wasi_fd_t fd;
  __wasi_fdstat_t st;
  make_dir(dir, "sub");
  check("DIRECTORY on a directory", open_dir(dir, "sub", &fd), OK);
  check("fd_fdstat_get opened directory", __wasi_fd_fdstat_get(fd, &st), OK);
  check_num("opened directory filetype", st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  make_file(dir, "sub/inner", "inner");
  check("open a file relative to the opened directory", try_open(fd, "inner", FOLLOW, 0, 0), OK);
  check("fd_close directory", __wasi_fd_close(fd), OK);
  check("DIRECTORY on a file", try_open(dir, "f", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), __WASI_ERRNO_NOTDIR);
  check("DIRECTORY on missing", try_open(dir, "missing", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), __WASI_ERRNO_NOENT);
  check("directory without DIRECTORY flag, read only",
        __wasi_path_open(dir, FOLLOW, "sub", 0, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN, 0, 0, &fd), OK);
  (void)__wasi_fd_close(fd);
  check("open .", try_open(dir, ".", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), OK);
  check("open sub/..", try_open(dir, "sub/..", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), OK);
  check("open sub/../f", try_open(dir, "sub/../f", FOLLOW, 0, 0), OK);
  check("trailing slash on a file", try_open(dir, "f/", FOLLOW, 0, 0), __WASI_ERRNO_NOTDIR);
  check("trailing slash on a directory", try_open(dir, "sub/", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), OK);
  check("empty path", try_open(dir, "", FOLLOW, 0, 0), __WASI_ERRNO_NOENT);
  check("CREAT|EXCL existing directory", try_open(dir, "sub", FOLLOW, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0),
        __WASI_ERRNO_EXIST);
}

static void fdflags(void) {
  static const struct { const char *name; __wasi_fdflags_t flag; } flags[] = {
      {"NONBLOCK", __WASI_FDFLAGS_NONBLOCK}, {"DSYNC", __WASI_FDFLAGS_DSYNC},
      {"RSYNC", __WASI_FDFLAGS_RSYNC}, {"SYNC", __WASI_FDFLAGS_SYNC}};
  char name[48];
  __wasi_fd_t fd;
  __wasi_fdstat_t st;
  make_file(dir, "log", "one\n");
  check("open with APPEND", open_at(dir, "log", 0, __WASI_FDFLAGS_APPEND, &fd), OK);
  check("fd_fdstat_get APPEND fd", __wasi_fd_fdstat_get(fd, &st), OK);
  check_yes("fdflags has APPEND", (st.fs_flags & __WASI_FDFLAGS_APPEND) != 0, 1);
  check("write with APPEND", write_all(fd, "two\n"), OK);
  (void)__wasi_fd_close(fd);
  check_contents("APPEND appended", dir, "log", "one\ntwo\n");
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
    snprintf(name, sizeof name, "open with %s", flags[i].name);
    check(name, try_open(dir, "log", FOLLOW, 0, flags[i].flag), OK);
  }
  check("open with NONBLOCK", open_at(dir, "log", 0, __WASI_FDFLAGS_NONBLOCK, &fd), OK);
  check("fd_fdstat_get NONBLOCK fd", __wasi_fd_fdstat_get(fd, &st), OK);
  check_num("fdflags of NONBLOCK fd", st.fs_flags, __WASI_FDFLAGS_NONBLOCK);
  (void)__wasi_fd_close(fd);
}

static void symlinks(void) {
  check("path_symlink link -> f", __wasi_path_symlink("f", dir, "link"), OK);
  check("path_symlink dlink -> sub", __wasi_path_symlink("sub", dir, "dlink"), OK);
  check("path_symlink loop1 -> loop2", __wasi_path_symlink("loop2", dir, "loop1"), OK);
  check("path_symlink loop2 -> loop1", __wasi_path_symlink("loop1", dir, "loop2"), OK);
  make_file(dir, "f", "via link");
  check("open link following", try_open(dir, "link", FOLLOW, 0, 0), OK);
  check_contents("link reads the target", dir, "link", "via link");
  check("open link not following", try_open(dir, "link", 0, 0, 0), __WASI_ERRNO_LOOP);
  check("open dlink as directory following", try_open(dir, "dlink", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), OK);
  check("open through dlink/ not following the last part", try_open(dir, "dlink/../f", 0, 0, 0), OK);
  check("open symlink loop", try_open(dir, "loop1", FOLLOW, 0, 0), __WASI_ERRNO_LOOP);
  check("CREAT|EXCL on a symlink", try_open(dir, "link", FOLLOW, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0),
        __WASI_ERRNO_EXIST);
}

int main(void) {
  dir = sandbox();
  oflags();
  directories();
  fdflags();
  symlinks();
  return 0;
}
