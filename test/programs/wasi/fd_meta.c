/* fd_meta.c: descriptor and file metadata. fd_fdstat_get (file type, flags, rights) on a file and a
 * directory; fd_fdstat_set_flags with APPEND (writes go to the end whatever the offset) and back;
 * fd_fdstat_set_rights (removing a right works and is enforced; adding one is ENOTCAPABLE, as the
 * spec says); fd_filestat_get, fd_filestat_set_size (shrinking, and growing with zeros), and
 * fd_filestat_set_times with explicit times, the *_NOW flags and conflicting flags (EINVAL);
 * fd_advise (every advice, and an unknown one: EINVAL), fd_allocate, fd_sync and fd_datasync.
 */
#include "check.h"

#define NEVER_OPEN 1234
#define ATIM_2001 1000000000000000000ull
#define MTIM_2017 1500000000000000000ull

static __wasi_fd_t dir, file;

static __wasi_filestat_t stat_of(__wasi_fd_t fd) {
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);
  if (__wasi_fd_filestat_get(fd, &st) != OK) say("fd_filestat_get failed");
  return st;
}

static __wasi_fdstat_t fdstat_of(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  memset(&st, 0, sizeof st);
  if (__wasi_fd_fdstat_get(fd, &st) != OK) say("fd_fdstat_get failed");
  return st;
}

static void write_at_start(const char *name, const char *text) {
  __wasi_filesize_t at;
  __wasi_fd_seek(file, 0, __WASI_WHENCE_SET, &at) == OK ? (void)0 : say("seek failed");
  check(name, write_all(file, text), OK);
}

static void fdstat(void) {
  __wasi_fdstat_t st;
  check("fd_fdstat_get file", __wasi_fd_fdstat_get(file, &st), OK);
  check_num("file filetype", st.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
  check_num("file fdflags", st.fs_flags, 0);
  check_yes("file has FD_READ right", (st.fs_rights_base & __WASI_RIGHTS_FD_READ) != 0, 1);
  check_yes("file has FD_WRITE right", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0, 1);
  check("fd_fdstat_get dir", __wasi_fd_fdstat_get(dir, &st), OK);
  check_num("dir filetype", st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  check_yes("dir has PATH_OPEN right", (st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN) != 0, 1);
}

static void append_flag(void) {
  __wasi_filesize_t at = 0;
  check("fd_fdstat_set_flags APPEND", __wasi_fd_fdstat_set_flags(file, __WASI_FDFLAGS_APPEND), OK);
  check_num("fdflags after set APPEND", fdstat_of(file).fs_flags, __WASI_FDFLAGS_APPEND);
  write_at_start("fd_write with APPEND", "AB");
  check("fd_tell after append", __wasi_fd_tell(file, &at), OK);
  check_num("offset after append", at, 12);
  check_contents("contents after append", dir, "meta.txt", "0123456789AB");
  check("fd_fdstat_set_flags 0", __wasi_fd_fdstat_set_flags(file, 0), OK);
  check_num("fdflags after clear", fdstat_of(file).fs_flags, 0);
  write_at_start("fd_write without APPEND", "xy");
  check_contents("contents after plain write", dir, "meta.txt", "xy23456789AB");
  check("fd_fdstat_set_flags never-open fd", __wasi_fd_fdstat_set_flags(NEVER_OPEN, 0), __WASI_ERRNO_BADF);
}

static void rights(void) {
  __wasi_fd_t fd;
  __wasi_size_t n;
  __wasi_fdstat_t st;
  if (open_at(dir, "meta.txt", 0, 0, &fd) != OK) exit(98);
  st = fdstat_of(fd);
  __wasi_rights_t base = st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE;
  __wasi_rights_t inh = st.fs_rights_inheriting & ~__WASI_RIGHTS_FD_WRITE;
  check("fd_fdstat_set_rights drop FD_WRITE", __wasi_fd_fdstat_set_rights(fd, base, inh), OK);
  check_yes("FD_WRITE right gone", (fdstat_of(fd).fs_rights_base & __WASI_RIGHTS_FD_WRITE) == 0, 1);
  check("fd_write without FD_WRITE", __wasi_fd_write(fd, (__wasi_ciovec_t[]){{(const uint8_t *)"!", 1}}, 1, &n),
        __WASI_ERRNO_NOTCAPABLE);
  check("fd_fdstat_set_rights same rights", __wasi_fd_fdstat_set_rights(fd, base, inh), OK);
  check("fd_fdstat_set_rights add FD_WRITE back",
        __wasi_fd_fdstat_set_rights(fd, base | __WASI_RIGHTS_FD_WRITE, inh), __WASI_ERRNO_NOTCAPABLE);
  check("fd_fdstat_set_rights add to inheriting",
        __wasi_fd_fdstat_set_rights(fd, base, inh | __WASI_RIGHTS_FD_WRITE), __WASI_ERRNO_NOTCAPABLE);
  check("fd_fdstat_set_rights never-open fd", __wasi_fd_fdstat_set_rights(NEVER_OPEN, 0, 0), __WASI_ERRNO_BADF);
  check("fd_close reduced fd", __wasi_fd_close(fd), OK);
}

static void sizes(void) {
  __wasi_filestat_t st;
  check("fd_filestat_get file", __wasi_fd_filestat_get(file, &st), OK);
  check_num("filestat filetype", st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  check_num("filestat size", st.size, 12);
  check_num("filestat nlink", st.nlink, 1);
  check_num("dir filestat filetype", stat_of(dir).filetype, __WASI_FILETYPE_DIRECTORY);
  check("fd_filestat_set_size shrink", __wasi_fd_filestat_set_size(file, 5), OK);
  check_num("size after shrink", stat_of(file).size, 5);
  check("fd_filestat_set_size grow", __wasi_fd_filestat_set_size(file, 8), OK);
  char buf[16];
  __wasi_size_t n = 0;
  check("fd_pread grown file", __wasi_fd_pread(file, (__wasi_iovec_t[]){{(uint8_t *)buf, sizeof buf}}, 1, 0, &n), OK);
  check_mem("grown file is zero-filled", buf, n, "xy234\0\0\0", 8);
  check("fd_filestat_get never-open fd", __wasi_fd_filestat_get(NEVER_OPEN, &st), __WASI_ERRNO_BADF);
  check("fd_filestat_set_size never-open fd", __wasi_fd_filestat_set_size(NEVER_OPEN, 0), __WASI_ERRNO_BADF);
}

static void times(void) {
  __wasi_filestat_t st;
  check("fd_filestat_set_times ATIM|MTIM",
        __wasi_fd_filestat_set_times(file, ATIM_2001, MTIM_2017, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), OK);
  st = stat_of(file);
  check_yes("atim set exactly", st.atim == ATIM_2001, 1);
  check_yes("mtim set exactly", st.mtim == MTIM_2017, 1);
  check("fd_filestat_set_times no flags", __wasi_fd_filestat_set_times(file, 0, 0, 0), OK);
  st = stat_of(file);
  check_yes("no flags changed nothing", st.atim == ATIM_2001 && st.mtim == MTIM_2017, 1);
  check("fd_filestat_set_times MTIM_NOW", __wasi_fd_filestat_set_times(file, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), OK);
  st = stat_of(file);
  check_yes("mtim is now", near_now(st.mtim), 1);
  check_yes("atim untouched by MTIM_NOW", st.atim == ATIM_2001, 1);
  check("fd_filestat_set_times ATIM_NOW", __wasi_fd_filestat_set_times(file, 0, 0, __WASI_FSTFLAGS_ATIM_NOW), OK);
  check_yes("atim is now", near_now(stat_of(file).atim), 1);
  check("fd_filestat_set_times ATIM|ATIM_NOW",
        __wasi_fd_filestat_set_times(file, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL);
  check("fd_filestat_set_times MTIM|MTIM_NOW",
        __wasi_fd_filestat_set_times(file, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL);
  check("fd_filestat_set_times never-open fd", __wasi_fd_filestat_set_times(NEVER_OPEN, 0, 0, 0), __WASI_ERRNO_BADF);
}

static void advise_allocate_sync(void) {
  static const char *const advice[] = {"NORMAL", "SEQUENTIAL", "RANDOM", "WILLNEED", "DONTNEED", "NOREUSE"};
  char name[48];
  for (__wasi_advice_t a = 0; a < 6; a++) {
    snprintf(name, sizeof name, "fd_advise %s", advice[a]);
    check(name, __wasi_fd_advise(file, 0, 8, a), OK);
  }
  check("fd_advise unknown advice", __wasi_fd_advise(file, 0, 8, 6), __WASI_ERRNO_INVAL);
  check("fd_advise never-open fd", __wasi_fd_advise(NEVER_OPEN, 0, 0, 0), __WASI_ERRNO_BADF);
  check("fd_allocate 0+100", __wasi_fd_allocate(file, 0, 100), OK);
  check_num("size after allocate", stat_of(file).size, 100);
  check("fd_allocate inside the file", __wasi_fd_allocate(file, 10, 10), OK);
  check_num("size after allocate inside", stat_of(file).size, 100);
  check("fd_allocate never-open fd", __wasi_fd_allocate(NEVER_OPEN, 0, 1), __WASI_ERRNO_BADF);
  check("fd_sync", __wasi_fd_sync(file), OK);
  check("fd_datasync", __wasi_fd_datasync(file), OK);
  check("fd_datasync never-open fd", __wasi_fd_datasync(NEVER_OPEN), __WASI_ERRNO_BADF);
}

int main(void) {
  dir = sandbox();
  make_file(dir, "meta.txt", "0123456789");
  if (open_at(dir, "meta.txt", 0, 0, &file) != OK) exit(98);
  fdstat();
  append_flag();
  rights();
  sizes();
  times();
  advise_allocate_sync();
  check("fd_close", __wasi_fd_close(file), OK);
  return 0;
}
