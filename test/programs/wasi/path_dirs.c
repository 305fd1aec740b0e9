/* path_dirs.c: path_create_directory (EEXIST, ENOENT for a missing parent, ENOTDIR under a file),
 * path_remove_directory (ENOTEMPTY, as the spec says; ENOTDIR on a file; ENOENT), path_unlink_file
 * (EISDIR on a directory, as the spec says; ENOENT; ENOTDIR for a trailing slash) and path_rename
 * (a file to a new name, over another file, into a subdirectory, a directory over an empty one;
 * ENOTEMPTY over a non-empty directory, EISDIR for a file over a directory, ENOTDIR for a directory
 * over a file, EINVAL for a directory into itself, ENOENT for a missing source). What is left in
 * /sandbox afterwards is compared by the test.
 */
#include "check.h"

static __wasi_fd_t dir;

static void create(void) {
  check("mkdir d", __wasi_path_create_directory(dir, "d"), OK);
  check("mkdir d again", __wasi_path_create_directory(dir, "d"), __WASI_ERRNO_EXIST);
  check("mkdir d/e", __wasi_path_create_directory(dir, "d/e"), OK);
  check("mkdir missing/x", __wasi_path_create_directory(dir, "missing/x"), __WASI_ERRNO_NOENT);
  make_file(dir, "file", "data");
  check("mkdir file/x", __wasi_path_create_directory(dir, "file/x"), __WASI_ERRNO_NOTDIR);
  check("mkdir over a file", __wasi_path_create_directory(dir, "file"), __WASI_ERRNO_EXIST);
  check("mkdir with trailing slash", __wasi_path_create_directory(dir, "slash/"), OK);
  __wasi_filestat_t st;
  check("path_filestat_get d", __wasi_path_filestat_get(dir, 0, "d", &st), OK);
  check_num("d filetype", st.filetype, __WASI_FILETYPE_DIRECTORY);
}

static void remove_dirs(void) {
  check("rmdir non-empty d", __wasi_path_remove_directory(dir, "d"), __WASI_ERRNO_NOTEMPTY);
  check("rmdir a file", __wasi_path_remove_directory(dir, "file"), __WASI_ERRNO_NOTDIR);
  check("rmdir missing", __wasi_path_remove_directory(dir, "missing"), __WASI_ERRNO_NOENT);
  check("rmdir d/e", __wasi_path_remove_directory(dir, "d/e"), OK);
  check("d/e gone", stat_errno(dir, "d/e"), __WASI_ERRNO_NOENT);
  check("rmdir slash", __wasi_path_remove_directory(dir, "slash"), OK);
}

static void unlink_files(void) {
  make_file(dir, "d/victim", "x");
  check("unlink a directory", __wasi_path_unlink_file(dir, "d"), __WASI_ERRNO_ISDIR);
  check("unlink missing", __wasi_path_unlink_file(dir, "missing"), __WASI_ERRNO_NOENT);
  check("unlink file with trailing slash", __wasi_path_unlink_file(dir, "d/victim/"), __WASI_ERRNO_NOTDIR);
  check("unlink d/victim", __wasi_path_unlink_file(dir, "d/victim"), OK);
  check("d/victim gone", stat_errno(dir, "d/victim"), __WASI_ERRNO_NOENT);
  check("rmdir d once empty", __wasi_path_remove_directory(dir, "d"), OK);
}

static void rename_files(void) {
  make_file(dir, "a", "A");
  make_file(dir, "b", "B");
  check("rename a -> a2", __wasi_path_rename(dir, "a", dir, "a2"), OK);
  check("a gone after rename", stat_errno(dir, "a"), __WASI_ERRNO_NOENT);
  check_contents("a2 has a's data", dir, "a2", "A");
  check("rename a2 over b", __wasi_path_rename(dir, "a2", dir, "b"), OK);
  check_contents("b replaced", dir, "b", "A");
  check("rename missing", __wasi_path_rename(dir, "missing", dir, "x"), __WASI_ERRNO_NOENT);
  check("rename to itself", __wasi_path_rename(dir, "b", dir, "b"), OK);
  check_contents("b kept after rename to itself", dir, "b", "A");
  make_dir(dir, "sub");
  check("rename b into sub", __wasi_path_rename(dir, "b", dir, "sub/b"), OK);
  check_contents("sub/b", dir, "sub/b", "A");
}

static void rename_dirs(void) {
  make_dir(dir, "empty");
  make_dir(dir, "full");
  make_file(dir, "full/x", "x");
  make_dir(dir, "src");
  make_file(dir, "src/y", "y");
  check("rename dir over empty dir", __wasi_path_rename(dir, "src", dir, "empty"), OK);
  check_contents("moved dir keeps its file", dir, "empty/y", "y");
  check("rename dir over non-empty dir", __wasi_path_rename(dir, "empty", dir, "full"), __WASI_ERRNO_NOTEMPTY);
  check("rename file over dir", __wasi_path_rename(dir, "file", dir, "full"), __WASI_ERRNO_ISDIR);
  check("rename dir over file", __wasi_path_rename(dir, "full", dir, "file"), __WASI_ERRNO_NOTDIR);
  check("rename dir into itself", __wasi_path_rename(dir, "full", dir, "full/inner"), __WASI_ERRNO_INVAL);
  check("rename dir to new name", __wasi_path_rename(dir, "full", dir, "renamed"), OK);
  check_contents("renamed/x", dir, "renamed/x", "x");
}

int main(void) {
  dir = sandbox();
  create();
  remove_dirs();
  unlink_files();
  rename_files();
  rename_dirs();
  return 0;
}
