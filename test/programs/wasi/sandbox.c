/* sandbox.c: escapes from the /sandbox preopen, each refused with ENOTCAPABLE (uvwasi's and
 * wasi-common's answer; wasmtime since its preview2-based rewrite answers EPERM; the witx names
 * none). Paths: ".." and "sub/../.." above the preopen, absolute paths, symlinks to an absolute
 * path, out through "../.." and to ".." used as a prefix; every path-taking call with an escaping
 * path (open, mkdir, rmdir, unlink, rename both ways, link both ways, symlink's new path,
 * readlink, filestat get/set_times); the same through a subdirectory fd, whose capability ends at
 * that subdirectory. Staying inside with ".." is allowed, and so is a relative symlink in a
 * subdirectory to a sibling of it. A NUL byte inside a path given with its explicit length to a
 * raw path_open must not open the file named by the bytes before it (EINVAL, as uvwasi and
 * wasmtime answer). The test checks that nothing was created outside the sandbox.
 */
#include "check.h"

#define NOTCAPABLE __WASI_ERRNO_NOTCAPABLE

/* path_open with the path given as (pointer, length), so that it may hold a NUL byte. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) extern int32_t
raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags, int64_t rights_base,
              int64_t rights_inheriting, int32_t fdflags, int32_t fd_out);

static __wasi_fd_t dir;

/* Links whose target leads out may be refused at creation (uvwasi and wasmtime refuse absolute
 * targets with EPERM, uvwasi refuses any target it resolves outside with ENOTCAPABLE) or created
 * (POSIX symlink does not look at the target); either way following them must not get out. */
static int escaping_link(const char *name, const char *target, const char *path) {
  __wasi_errno_t e = __wasi_path_symlink(target, dir, path);
  char g[40];
  int fine = e == OK || e == __WASI_ERRNO_PERM || e == NOTCAPABLE;
  report(name, fine ? "created or refused" : errno_text(g, sizeof g, e), "created or refused");
  return e == OK;
}

/* Following a link that leads out: ENOTCAPABLE if it exists, ENOENT if its creation was refused. */
static void check_refused(const char *name, __wasi_errno_t got, int created) {
  __wasi_errno_t want = created ? NOTCAPABLE : __WASI_ERRNO_NOENT;
  char g[40];
  report(name, got == want ? "refused" : errno_text(g, sizeof g, got), "refused");
}

static int abs_link, up_link, parent_link;

static void setup(void) {
  make_dir(dir, "sub");
  make_file(dir, "inside.txt", "inside");
  abs_link = escaping_link("symlink abs -> /etc/passwd", "/etc/passwd", "abs");
  up_link = escaping_link("symlink up -> ../../../../../../etc/passwd", "../../../../../../etc/passwd", "up");
  parent_link = escaping_link("symlink parent -> ..", "..", "parent");
  check("symlink sub/back -> ../inside.txt", __wasi_path_symlink("../inside.txt", dir, "sub/back"), OK);
}

static void opens(void) {
  check("open ..", try_open(dir, "..", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), NOTCAPABLE);
  check("open ../x", try_open(dir, "../x", FOLLOW, 0, 0), NOTCAPABLE);
  check("open sub/../..", try_open(dir, "sub/../..", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), NOTCAPABLE);
  check("open sub/../inside.txt", try_open(dir, "sub/../inside.txt", FOLLOW, 0, 0), OK);
  check("open /etc/passwd", try_open(dir, "/etc/passwd", FOLLOW, 0, 0), NOTCAPABLE);
  check("open /", try_open(dir, "/", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), NOTCAPABLE);
  check_refused("open symlink to absolute path", try_open(dir, "abs", FOLLOW, 0, 0), abs_link);
  check_refused("open symlink out through ../..", try_open(dir, "up", FOLLOW, 0, 0), up_link);
  check_refused("open symlink to .. as a prefix", try_open(dir, "parent/x", FOLLOW, 0, 0), parent_link);
  check("open sub/back (stays inside)", try_open(dir, "sub/back", FOLLOW, 0, 0), OK);
}

static void through_subdir(void) {
  __wasi_fd_t sub;
  check("open_dir sub", open_dir(dir, "sub", &sub), OK);
  check("from sub: open ..", try_open(sub, "..", FOLLOW, __WASI_OFLAGS_DIRECTORY, 0), NOTCAPABLE);
  check("from sub: open ../inside.txt", try_open(sub, "../inside.txt", FOLLOW, 0, 0), NOTCAPABLE);
  check("from sub: open back (leads above sub)", try_open(sub, "back", FOLLOW, 0, 0), NOTCAPABLE);
  (void)__wasi_fd_close(sub);
}

static void other_calls(void) {
  __wasi_filestat_t st;
  uint8_t buf[64];
  __wasi_size_t n;
  check("mkdir ../escape", __wasi_path_create_directory(dir, "../escape"), NOTCAPABLE);
  check("mkdir /escape", __wasi_path_create_directory(dir, "/escape"), NOTCAPABLE);
  check("rmdir ..", __wasi_path_remove_directory(dir, ".."), NOTCAPABLE);
  check("unlink ../x", __wasi_path_unlink_file(dir, "../x"), NOTCAPABLE);
  check("rename out", __wasi_path_rename(dir, "inside.txt", dir, "../escaped.txt"), NOTCAPABLE);
  check("rename in", __wasi_path_rename(dir, "../x", dir, "x"), NOTCAPABLE);
  check("link out", __wasi_path_link(dir, 0, "inside.txt", dir, "../escaped.txt"), NOTCAPABLE);
  check("link in", __wasi_path_link(dir, 0, "/etc/passwd", dir, "passwd"), NOTCAPABLE);
  check("symlink placed outside", __wasi_path_symlink("inside.txt", dir, "../escaped-link"), NOTCAPABLE);
  check("readlink ../x", __wasi_path_readlink(dir, "../x", buf, sizeof buf, &n), NOTCAPABLE);
  check("filestat_get ..", __wasi_path_filestat_get(dir, FOLLOW, "..", &st), NOTCAPABLE);
  check("filestat_get /etc/passwd", __wasi_path_filestat_get(dir, FOLLOW, "/etc/passwd", &st), NOTCAPABLE);
  check_refused("filestat_get through abs", __wasi_path_filestat_get(dir, FOLLOW, "abs", &st), abs_link);
  check("set_times ..", __wasi_path_filestat_set_times(dir, FOLLOW, "..", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), NOTCAPABLE);
}

static void nul_byte(void) {
  static const char path[] = "inside.txt\0.secret";
  __wasi_fd_t fd = 1234;
  __wasi_rights_t rights = inheritable(dir) & ~WRITE_RIGHTS;
  __wasi_errno_t e = (__wasi_errno_t)raw_path_open((int32_t)dir, FOLLOW, (int32_t)(uintptr_t)path,
                                                   (int32_t)(sizeof path - 1), 0, (int64_t)rights, (int64_t)rights, 0,
                                                   (int32_t)(uintptr_t)&fd);
  check_yes("NUL inside a path does not open the prefix", e != OK, 1);
  check("NUL inside a path", e, __WASI_ERRNO_INVAL);
  if (e == OK) (void)__wasi_fd_close(fd);
}

/* Removes the links whose creation may differ between runtimes, so that the files left behind
 * are the same everywhere. */
static void cleanup(void) {
  static const char *const links[] = {"abs", "up", "parent", "sub/back"};
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) (void)__wasi_path_unlink_file(dir, links[i]);
}

int main(void) {
  dir = sandbox();
  setup();
  opens();
  through_subdir();
  other_calls();
  nul_byte();
  cleanup();
  return 0;
}
