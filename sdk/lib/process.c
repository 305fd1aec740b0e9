/*
 * Processes: posix_spawn and posix_spawnp with their file actions and attributes, the exec family,
 * the wait family, getpid and getppid, process groups and sessions, and the working directory a
 * process starts in. A spawn or an exec is one call to the personality server (its routine in
 * abi/bsd.defs): the path as a preopened directory and the rest of the path (as wasi-libc resolves
 * every path), argv and envp as NUL-terminated strings one after another, the file actions as
 * records of 32-bit words.
 */
#define _WASI_EMULATED_PROCESS_CLOCKS /* for struct rusage alone (wait4 zeroes it); getrusage is not used */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wasi/api.h>
#include <wasi/libc-find-relpath.h>
#include <webmach/syscalls.h>

extern char **environ;

__attribute__((import_module("webmach"), import_name("getpid"))) int32_t __webmach_getpid(void);
__attribute__((import_module("webmach"), import_name("getppid"))) int32_t __webmach_getppid(void);

__attribute__((import_module("webmach"), import_name("cwd_get"))) int32_t __webmach_cwd_get(char *buf, size_t len);

pid_t getpid(void) { return __webmach_getpid(); }
pid_t getppid(void) { return __webmach_getppid(); }

/* The value of a call returning an errno and one result: the result, or -1 with errno set. */
static pid_t result(int error, int32_t value) {
  if (error == 0) return value;
  errno = error;
  return -1;
}

int setpgid(pid_t pid, pid_t pgid) {
  return result(__webmach_setpgid(pid, pgid), 0);
}

pid_t getpgid(pid_t pid) {
  int32_t pgid;
  return result(__webmach_getpgid(pid, &pgid), pgid);
}

pid_t getpgrp(void) {
  return getpgid(0);
}

int setpgrp(void) {
  return setpgid(0, 0);
}

pid_t setsid(void) {
  int32_t sid;
  return result(__webmach_setsid(&sid), sid);
}

pid_t getsid(pid_t pid) {
  int32_t sid;
  return result(__webmach_getsid(pid, &sid), sid);
}

/*
 * Start in the working directory the parent had at posix_spawn (wasi-libc keeps the working
 * directory inside the program, so the system hands it over in the commpage and the child enters it
 * before main).
 */
__attribute__((constructor)) static void enter_start_directory(void) {
  char cwd[PATH_MAX];
  if (__webmach_cwd_get(cwd, sizeof cwd) == 0 && strcmp(cwd, "/") != 0) chdir(cwd);
}

enum { ACTION_OPEN = 1, ACTION_CLOSE = 2, ACTION_DUP2 = 3 };

/* Room for `bytes` more at the end of the records; ENOMEM if there is none to be had. */
static int reserve(posix_spawn_file_actions_t *fa, size_t bytes) {
  if (fa->__used + bytes <= fa->__room) return 0;
  size_t room = fa->__room ? fa->__room * 2 : 128;
  while (room < fa->__used + bytes) room *= 2;
  unsigned char *records = realloc(fa->__records, room);
  if (!records) return ENOMEM;
  fa->__records = records;
  fa->__room = room;
  return 0;
}

static void put32(posix_spawn_file_actions_t *fa, uint32_t word) {
  memcpy(fa->__records + fa->__used, &word, 4);
  fa->__used += 4;
}

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa) {
  fa->__records = NULL;
  fa->__used = fa->__room = 0;
  return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa) {
  free(fa->__records);
  return posix_spawn_file_actions_init(fa);
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd) {
  if (fd < 0) return EBADF;
  if (reserve(fa, 8)) return ENOMEM;
  put32(fa, ACTION_CLOSE);
  put32(fa, fd);
  return 0;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd) {
  if (fd < 0 || newfd < 0) return EBADF;
  if (reserve(fa, 12)) return ENOMEM;
  put32(fa, ACTION_DUP2);
  put32(fa, fd);
  put32(fa, newfd);
  return 0;
}

/* The rights an open with `oflag` asks for: all but reading or writing when its access mode says so. */
static __wasi_rights_t rights_for(int oflag) {
  __wasi_rights_t rights = (__WASI_RIGHTS_SOCK_SHUTDOWN << 1) - 1;
  if (!(oflag & O_RDONLY)) rights &= ~(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR);
  if (!(oflag & O_WRONLY)) rights &= ~(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
  return rights;
}

/* The preopened directory that holds `path`, and the rest of the path into `rest` (PATH_MAX bytes). */
static int find(const char *path, char *rest, const char **relative) {
  const char *prefix;
  char *buffer = rest;
  int dirfd = __wasilibc_find_relpath(path, &prefix, &buffer, PATH_MAX);
  *relative = buffer;
  return dirfd;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict fa, int fd, const char *__restrict path, int oflag, mode_t mode) {
  (void)mode; /* no permission bits on webmach's file systems */
  if (fd < 0) return EBADF;
  char rest[PATH_MAX];
  const char *relative;
  int dirfd = find(path, rest, &relative);
  if (dirfd < 0) return errno;
  size_t len = strlen(relative);
  if (reserve(fa, 32 + ((len + 3) & ~(size_t)3))) return ENOMEM;
  __wasi_rights_t rights = rights_for(oflag);
  put32(fa, ACTION_OPEN);
  put32(fa, fd);
  put32(fa, dirfd);
  put32(fa, (oflag >> 12) & 0xfff);
  put32(fa, oflag & 0xfff);
  put32(fa, (uint32_t)rights);
  put32(fa, (uint32_t)(rights >> 32));
  put32(fa, len);
  memcpy(fa->__records + fa->__used, relative, len);
  memset(fa->__records + fa->__used + len, 0, ((len + 3) & ~(size_t)3) - len);
  fa->__used += (len + 3) & ~(size_t)3;
  return 0;
}

int posix_spawnattr_init(posix_spawnattr_t *attr) {
  memset(attr, 0, sizeof *attr);
  return 0;
}

int posix_spawnattr_destroy(posix_spawnattr_t *attr) {
  (void)attr;
  return 0;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *__restrict attr, short *__restrict flags) {
  *flags = attr->__flags;
  return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags) {
  if (flags & ~(POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
                POSIX_SPAWN_USEVFORK | POSIX_SPAWN_SETSID))
    return EINVAL;
  attr->__flags = flags;
  return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *__restrict attr, pid_t *__restrict pgroup) {
  *pgroup = attr->__pgroup;
  return 0;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup) {
  attr->__pgroup = pgroup;
  return 0;
}

int posix_spawnattr_getsigmask(const posix_spawnattr_t *__restrict attr, sigset_t *__restrict mask) {
  *mask = attr->__mask;
  return 0;
}

int posix_spawnattr_setsigmask(posix_spawnattr_t *__restrict attr, const sigset_t *__restrict mask) {
  attr->__mask = *mask;
  return 0;
}

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *__restrict attr, sigset_t *__restrict set) {
  *set = attr->__default;
  return 0;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict attr, const sigset_t *__restrict set) {
  attr->__default = *set;
  return 0;
}

/* The strings of a NULL-terminated vector, each with its NUL, one after another (malloc'd). */
static char *pack(char *const v[], size_t *len) {
  size_t n = 0;
  for (size_t i = 0; v && v[i]; i++) n += strlen(v[i]) + 1;
  char *out = malloc(n ? n : 1);
  if (!out) return NULL;
  *len = 0;
  for (size_t i = 0; v && v[i]; i++) {
    size_t l = strlen(v[i]) + 1;
    memcpy(out + *len, v[i], l);
    *len += l;
  }
  return out;
}

int posix_spawn(pid_t *__restrict pid, const char *__restrict path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *__restrict attr, char *const argv[], char *const envp[]) {
  char rest[PATH_MAX];
  const char *relative;
  int dirfd = find(path, rest, &relative);
  if (dirfd < 0) return errno;
  size_t argv_len, envp_len;
  char *args = pack(argv, &argv_len);
  char *env = pack(envp ? envp : environ, &envp_len);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
  int32_t child = 0;
  int error = args && env ? __webmach_posix_spawn(dirfd, relative, strlen(relative), args, argv_len, env, envp_len,
                                                   fa ? fa->__records : NULL, fa ? fa->__used : 0, cwd, strlen(cwd),
                                                   attr ? attr->__flags : 0, attr ? attr->__pgroup : 0, attr ? (int32_t)attr->__mask : 0,
                                                   attr ? (int32_t)attr->__default : 0, &child)
                          : ENOMEM;
  free(args);
  free(env);
  if (error == 0 && pid) *pid = child;
  return error;
}

/*
 * Run `file` with `run`: as it is when it names a path, else from each directory of PATH in turn
 * (/bin:/usr/bin without one) until one is found; as execvp does, EACCES when a file was found but
 * could not run and none other ran.
 */
static int search_path(const char *file, int (*run)(const char *path, void *ctx), void *ctx) {
  if (strchr(file, '/')) return run(file, ctx);
  if (!*file) return ENOENT;
  const char *search = getenv("PATH");
  if (!search) search = "/bin:/usr/bin";
  int error = ENOENT;
  for (const char *dir = search;; dir++) {
    const char *end = strchr(dir, ':');
    if (!end) end = dir + strlen(dir);
    char candidate[PATH_MAX];
    size_t dlen = end - dir;
    if (dlen + 1 + strlen(file) + 1 <= sizeof candidate) {
      memcpy(candidate, dir, dlen);
      candidate[dlen] = '/';
      strcpy(candidate + dlen + 1, file);
      int e = run(dlen ? candidate : file, ctx);
      if (e != ENOENT && e != ENOTDIR && e != EACCES) return e;
      if (e == EACCES) error = EACCES;
    }
    if (!*end) return error;
    dir = end;
  }
}

struct spawn_call {
  pid_t *pid;
  const posix_spawn_file_actions_t *fa;
  const posix_spawnattr_t *attr;
  char *const *argv;
  char *const *envp;
};

static int spawn_at(const char *path, void *ctx) {
  struct spawn_call *c = ctx;
  return posix_spawn(c->pid, path, c->fa, c->attr, c->argv, c->envp);
}

int posix_spawnp(pid_t *__restrict pid, const char *__restrict file, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *__restrict attr, char *const argv[], char *const envp[]) {
  struct spawn_call c = {pid, fa, attr, argv, envp};
  return search_path(file, spawn_at, &c);
}

void __webmach_mman_flush(void); /* mman.c */

/* execve's work: returns only with the errno of its failure. */
static int exec_at(const char *path, char *const argv[], char *const envp[]) {
  char rest[PATH_MAX];
  const char *relative;
  int dirfd = find(path, rest, &relative);
  if (dirfd < 0) return errno;
  size_t argv_len, envp_len;
  char *args = pack(argv, &argv_len);
  char *env = pack(envp, &envp_len);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
  __webmach_mman_flush(); /* the new program has no mappings: what shared ones changed reaches their files first */
  int error = args && env ? __webmach_execve(dirfd, relative, strlen(relative), args, argv_len, env, envp_len, cwd, strlen(cwd)) : ENOMEM;
  free(args);
  free(env);
  return error;
}

int execve(const char *path, char *const argv[], char *const envp[]) {
  errno = exec_at(path, argv, envp);
  return -1;
}

int execv(const char *path, char *const argv[]) {
  return execve(path, argv, environ);
}

struct exec_call {
  char *const *argv;
  char *const *envp;
};

static int exec_found(const char *path, void *ctx) {
  struct exec_call *c = ctx;
  return exec_at(path, c->argv, c->envp);
}

int execvpe(const char *file, char *const argv[], char *const envp[]) {
  struct exec_call c = {argv, envp};
  errno = search_path(file, exec_found, &c);
  return -1;
}

int execvp(const char *file, char *const argv[]) {
  return execvpe(file, argv, environ);
}

/* The execl family's arguments: `arg0` then `ap` up to its NULL, as a vector (malloc'd); with `envp`, the pointer after the NULL too. */
static char **vector(const char *arg0, va_list ap, char ***envp) {
  va_list count;
  va_copy(count, ap);
  size_t n = 1;
  while (va_arg(count, char *)) n++;
  va_end(count);
  char **argv = malloc((n + 1) * sizeof *argv);
  if (!argv) return NULL;
  argv[0] = (char *)arg0;
  for (size_t i = 1; i <= n; i++) argv[i] = va_arg(ap, char *);
  if (envp) *envp = va_arg(ap, char **);
  return argv;
}

/* Exec `argv` (from vector) found at `path` (on PATH when `search`) with `envp`; frees it when the exec fails. */
static int exec_vector(const char *path, char **argv, int search, char **envp) {
  if (!argv) {
    errno = ENOMEM;
    return -1;
  }
  if (search) execvpe(path, argv, envp);
  else execve(path, argv, envp);
  int error = errno;
  free(argv);
  errno = error;
  return -1;
}

int execl(const char *path, const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  char **argv = vector(arg0, ap, NULL);
  va_end(ap);
  return exec_vector(path, argv, 0, environ);
}

int execlp(const char *file, const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  char **argv = vector(arg0, ap, NULL);
  va_end(ap);
  return exec_vector(file, argv, 1, environ);
}

int execle(const char *path, const char *arg0, ...) {
  va_list ap;
  char **envp;
  va_start(ap, arg0);
  char **argv = vector(arg0, ap, &envp);
  va_end(ap);
  return exec_vector(path, argv, 0, envp);
}

int fexecve(int fd, char *const argv[], char *const envp[]) {
  (void)fd, (void)argv, (void)envp;
  errno = ENOSYS; /* no program by descriptor yet */
  return -1;
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage) {
  int32_t child, st;
  int32_t error = __webmach_wait4(pid, options, &child, &st);
  if (error != 0) {
    errno = error;
    return -1;
  }
  if (status && child != 0) *status = st;
  if (usage) memset(usage, 0, sizeof *usage);
  return child;
}

pid_t waitpid(pid_t pid, int *status, int options) {
  return wait4(pid, status, options, NULL);
}

pid_t wait(int *status) {
  return wait4(-1, status, 0, NULL);
}
