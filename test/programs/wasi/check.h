/* check.h: the print and check helpers shared by the WASI preview1 corpus (every .c file in test/programs/wasi).
 *
 * Every check prints one line, "NAME: RESULT", where RESULT is "ok", "errno=N (NAME)", "yes"/"no",
 * a number or a quoted string: never a time, an inode number or random bytes, so that two runtimes
 * print the same text. Each check also states what the WASI preview1 spec (or, where the spec is
 * silent, its POSIX analogue and wasmtime) expects; a result that differs gets "  [spec: WANT]"
 * appended, so a wrong line names the right answer and test/wasi/differential.test.ts can list it.
 *
 * Lines go straight to fd 1 with write(2), unbuffered, so that output survives proc_exit and
 * proc_raise and interleaves with nothing.
 */
#ifndef WASI_CHECK_H
#define WASI_CHECK_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

/* Every right defined by preview1 (bits 0..29). */
#define ALL_RIGHTS ((__wasi_rights_t)0x3FFFFFFF)
#define OK __WASI_ERRNO_SUCCESS

static inline void say(const char *fmt, ...) {
  char line[600];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n > sizeof line - 2) n = sizeof line - 2;
  line[n++] = '\n';
  for (int at = 0; at < n;) {
    ssize_t w = write(1, line + at, (size_t)(n - at));
    if (w <= 0) return;
    at += (int)w;
  }
}

static inline const char *errno_name(__wasi_errno_t e) {
  static const char *const names[] = {
      "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY",
      "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET",
      "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM",
      "ILSEQ", "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK",
      "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS",
      "NODEV", "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC",
      "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY",
      "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO", "PROTONOSUPPORT", "PROTOTYPE",
      "RANGE", "ROFS", "SPIPE", "SRCH", "STALE", "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
  };
  return e < sizeof names / sizeof names[0] ? names[e] : "?";
}

/* "ok" or "errno=N (NAME)" in buf. */
static inline const char *errno_text(char *buf, size_t size, __wasi_errno_t e) {
  if (e == OK) snprintf(buf, size, "ok");
  else snprintf(buf, size, "errno=%u (%s)", (unsigned)e, errno_name(e));
  return buf;
}

/* Prints "name: got" and, when got differs from want, "  [spec: want]". */
static inline void report(const char *name, const char *got, const char *want) {
  if (strcmp(got, want) == 0) say("%s: %s", name, got);
  else say("%s: %s  [spec: %s]", name, got, want);
}

/* A call's outcome: the errno it returned against the one the spec expects. */
static inline void check(const char *name, __wasi_errno_t got, __wasi_errno_t want) {
  char g[40], w[40];
  report(name, errno_text(g, sizeof g, got), errno_text(w, sizeof w, want));
}

/* A call that must fail where the spec names no errno and runtimes differ on it. */
static inline void check_fails(const char *name, __wasi_errno_t got) {
  report(name, got == OK ? "succeeds" : "fails", "fails");
}

/* A property of a result: "yes" or "no". */
static inline void check_yes(const char *name, int got, int want) {
  report(name, got ? "yes" : "no", want ? "yes" : "no");
}

/* A deterministic number (a size, a count, a file type). */
static inline void check_num(const char *name, uint64_t got, uint64_t want) {
  char g[24], w[24];
  snprintf(g, sizeof g, "%llu", (unsigned long long)got);
  snprintf(w, sizeof w, "%llu", (unsigned long long)want);
  report(name, g, w);
}

/* Bytes shown as a quoted string, non-printable ones as \xNN. */
static inline const char *quote(char *buf, size_t size, const void *data, size_t len) {
  const unsigned char *p = data;
  size_t at = 0;
  if (size < 8) return "";
  buf[at++] = '"';
  for (size_t i = 0; i < len && at + 6 < size; i++) {
    if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\') buf[at++] = (char)p[i];
    else at += (size_t)snprintf(buf + at, size - at, "\\x%02x", p[i]);
  }
  buf[at++] = '"';
  buf[at] = '\0';
  return buf;
}

static inline void check_mem(const char *name, const void *got, size_t got_len, const void *want, size_t want_len) {
  char g[300], w[300];
  report(name, quote(g, sizeof g, got, got_len), quote(w, sizeof w, want, want_len));
}

static inline void check_bytes(const char *name, const void *got, size_t got_len, const char *want) {
  check_mem(name, got, got_len, want, strlen(want));
}

/* The preopened directory named "/sandbox", found by scanning preopens from fd 3; exits 99 if none. */
static inline __wasi_fd_t sandbox(void) {
  for (__wasi_fd_t fd = 3;; fd++) {
    __wasi_prestat_t st;
    if (__wasi_fd_prestat_get(fd, &st) != OK) break;
    char name[64];
    if (st.tag != __WASI_PREOPENTYPE_DIR || st.u.dir.pr_name_len != 8) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, 8) == OK && memcmp(name, "/sandbox", 8) == 0) return fd;
  }
  say("no /sandbox preopen");
  exit(99);
}

/* The rights a path_open under dir may ask for: dir's inheriting rights (what wasi-libc asks for,
 * since asking for more is ENOTCAPABLE in the capability model). */
static inline __wasi_rights_t inheritable(__wasi_fd_t dir) {
  __wasi_fdstat_t st;
  return __wasi_fd_fdstat_get(dir, &st) == OK ? st.fs_rights_inheriting : ALL_RIGHTS;
}

/* path_open following symlinks, with every right dir can pass on; *fd is untouched on failure. */
static inline __wasi_errno_t open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
                                     __wasi_fdflags_t fdflags, __wasi_fd_t *fd) {
  __wasi_rights_t rights = inheritable(dir);
  return __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, rights, fdflags, fd);
}

/* The rights that make a host open a file for writing, which a directory cannot be. */
#define WRITE_RIGHTS \
  (__WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE)

/* Opens a directory (O_DIRECTORY) with every inheritable right but the writing ones, as
 * wasi-libc's opendir does. */
static inline __wasi_errno_t open_dir(__wasi_fd_t dir, const char *path, __wasi_fd_t *fd) {
  __wasi_rights_t rights = inheritable(dir);
  return __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, __WASI_OFLAGS_DIRECTORY,
                          rights & ~WRITE_RIGHTS, rights, 0, fd);
}

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

/* path_open under base with every right base can pass on (less the writing ones when opening a
 * directory); closes the fd it got and returns the errno. */
static inline __wasi_errno_t try_open(__wasi_fd_t base, const char *path, __wasi_lookupflags_t look,
                                      __wasi_oflags_t oflags, __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd;
  __wasi_rights_t rights = inheritable(base);
  if (oflags & __WASI_OFLAGS_DIRECTORY) rights &= ~WRITE_RIGHTS;
  __wasi_errno_t e = __wasi_path_open(base, look, path, oflags, rights, rights, fdflags, &fd);
  if (e == OK) (void)__wasi_fd_close(fd);
  return e;
}

/* Whether t (ns since the epoch) is within 10 s of the realtime clock: for *_NOW timestamps. */
static inline int near_now(__wasi_timestamp_t t) {
  const __wasi_timestamp_t slack = 10000000000ull;
  __wasi_timestamp_t now = 0;
  if (__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 0, &now) != OK) return 0;
  return t + slack > now && t < now + slack;
}

static inline __wasi_errno_t write_all(__wasi_fd_t fd, const char *text) {
  __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &iov, 1, &n);
}

/* Creates (or truncates) path under dir holding text; exits 98 if that fails (a setup step). */
static inline void make_file(__wasi_fd_t dir, const char *path, const char *text) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_at(dir, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &fd);
  if (e == OK) e = write_all(fd, text);
  if (e != OK) {
    say("setup: cannot create %s: errno=%u (%s)", path, (unsigned)e, errno_name(e));
    exit(98);
  }
  (void)__wasi_fd_close(fd);
}

static inline void make_dir(__wasi_fd_t dir, const char *path) {
  __wasi_errno_t e = __wasi_path_create_directory(dir, path);
  if (e != OK) {
    say("setup: cannot mkdir %s: errno=%u (%s)", path, (unsigned)e, errno_name(e));
    exit(98);
  }
}

/* Up to size bytes of path under dir (following symlinks) into buf; returns the count, or -errno. */
static inline long slurp(__wasi_fd_t dir, const char *path, char *buf, size_t size) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_at(dir, path, 0, 0, &fd);
  if (e != OK) return -(long)e;
  __wasi_iovec_t iov = {(uint8_t *)buf, size};
  __wasi_size_t n = 0;
  e = __wasi_fd_read(fd, &iov, 1, &n);
  (void)__wasi_fd_close(fd);
  return e == OK ? (long)n : -(long)e;
}

/* Checks that path under dir holds exactly want. */
static inline void check_contents(const char *name, __wasi_fd_t dir, const char *path, const char *want) {
  char buf[256];
  long n = slurp(dir, path, buf, sizeof buf);
  if (n < 0) {
    char g[40];
    report(name, errno_text(g, sizeof g, (__wasi_errno_t)-n), "ok");
    return;
  }
  check_bytes(name, buf, (size_t)n, want);
}

/* The errno of a path_filestat_get (following symlinks), for "does it exist" checks. */
static inline __wasi_errno_t stat_errno(__wasi_fd_t dir, const char *path) {
  __wasi_filestat_t st;
  return __wasi_path_filestat_get(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, &st);
}

#endif
