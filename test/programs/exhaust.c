// exhaust.c: tries to exhaust the personality server through metadata, then undoes what it did.
// Every name it makes is 251 bytes long (a letter and a zero-padded number), so few calls hold much.
//   exhaust symlinks DIR      symlinks in DIR with 4000-byte targets until one fails
//   exhaust names DIR         empty files in DIR until one fails
//   exhaust dirs DIR          directories in DIR until one fails
//   exhaust listings DIR N    DIR with N subdirectories, then opens DIR again and again, reading each
//                             descriptor from cookie 0 with a small buffer (so the server keeps its
//                             listing), until a call fails; then closes them all and lists DIR once more
// Prints how many it made and the error that stopped it; exits 0 if an error stopped it and everything
// was removed again, 1 otherwise.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define MAX_FDS 1100

static char target[4001];

static void path_of(char *out, size_t len, const char *dir, char kind, int i) {
  snprintf(out, len, "%s/%c%0250d", dir, kind, i);
}

static int make_symlink(const char *path) {
  return symlink(target, path);
}

static int make_file(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
  return fd < 0 ? -1 : close(fd);
}

static int make_dir(const char *path) {
  return mkdir(path, 0777);
}

/** make(DIR/<kind>i) for i = 0.. until it fails (or `limit`); the count made. */
static int make_many(const char *dir, char kind, int (*make)(const char *), int limit) {
  char path[1024];
  int i = 0;
  for (; i < limit; i++) {
    path_of(path, sizeof path, dir, kind, i);
    if (make(path) != 0) break;
  }
  return i;
}

/** Remove DIR/<kind>0 .. DIR/<kind>(n-1), then DIR; 0 if all went. */
static int remove_all(const char *dir, char kind, int n) {
  char path[1024];
  int failed = 0;
  for (int i = 0; i < n; i++) {
    path_of(path, sizeof path, dir, kind, i);
    failed |= (kind == 'd' ? rmdir(path) : unlink(path)) != 0;
  }
  return failed | (rmdir(dir) != 0);
}

/** Open `dir` and read its first 64 bytes of entries; the descriptor, or -1 with errno and `failed` set. */
static int open_listed(const char *dir, const char **failed) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    *failed = "open";
    return -1;
  }
  uint8_t buf[64];
  __wasi_size_t used;
  __wasi_errno_t e = __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used);
  if (e != 0) {
    close(fd);
    errno = e;
    *failed = "fd_readdir";
    return -1;
  }
  return fd;
}

static int listings(const char *dir, int n) {
  int made = make_many(dir, 'd', make_dir, n);
  if (made < n) {
    printf("made only %d of %d directories: %s\n", made, n, strerror(errno));
    return 1;
  }
  static int fds[MAX_FDS];
  const char *failed = "nothing";
  int held = 0;
  while (held < MAX_FDS && (fds[held] = open_listed(dir, &failed)) >= 0) held++;
  printf("listings: %d held, then %s: %s\n", held, failed, strerror(errno));
  for (int i = 0; i < held; i++) close(fds[i]);
  int again = open_listed(dir, &failed);
  printf("after closing them: %s\n", again >= 0 ? "listed again" : strerror(errno));
  if (again >= 0) close(again);
  return held == MAX_FDS || again < 0 || remove_all(dir, 'd', n) != 0;
}

static int until_full(const char *what, const char *dir, char kind, int (*make)(const char *)) {
  int n = make_many(dir, kind, make, 10 * 1000 * 1000);
  printf("%s: %d, then: %s\n", what, n, strerror(errno));
  return remove_all(dir, kind, n);
}

int main(int argc, char **argv) {
  if (argc < 3 || mkdir(argv[2], 0777) != 0) {
    printf("usage: exhaust symlinks|names|dirs|listings DIR [N] (DIR must not exist)\n");
    return 1;
  }
  memset(target, 'a', sizeof target - 1);
  if (strcmp(argv[1], "symlinks") == 0) return until_full("symlinks", argv[2], 's', make_symlink);
  if (strcmp(argv[1], "names") == 0) return until_full("names", argv[2], 'f', make_file);
  if (strcmp(argv[1], "dirs") == 0) return until_full("dirs", argv[2], 'd', make_dir);
  if (strcmp(argv[1], "listings") == 0 && argc > 3) return listings(argv[2], atoi(argv[3]));
  printf("unknown mode %s\n", argv[1]);
  return 1;
}
