// Reading and writing a file while other processes change it, written for Linux: under webmach the
// reads, writes and seeks of cached data are served in the task through a window on the page cache
// (libsystem/file_windows.ts), and these are the rules that must still hold. An offset shared with a
// child (one open file description), another process's overwrite, append, truncation and regrowth
// seen at once, a write into a hole and past the end, O_APPEND, readv across pages, the times a
// write and a read leave, and lseek's errors. `filewin all SELF DIR` runs them (DIR: where the file
// goes); `filewin reads PATH` writes 64 KiB, reads them back 4 KiB at a time and writes 4 KiB over
// them (the trace test's subject); `hold PATH`, `contend PATH` and `kill PID` are the token tests' parts, `evict DIR` the
// page-stealing test's and `linger PATH` the timed write-back's (see them below).
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

extern char **environ;
#define SIZE (100 * 1024)

static char path[256];

static int run(const char *self, const char *role, const char *arg) {
  char *argv[] = {(char *)self, (char *)role, path, (char *)arg, NULL};
  pid_t pid;
  int st;
  if (posix_spawn(&pid, self, NULL, NULL, argv, environ) != 0 || waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static unsigned char pattern(off_t at) {
  return (unsigned char)(at * 7 + at / 4096);
}

static int is_pattern(const unsigned char *p, off_t at, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != pattern(at + (off_t)i)) return 0;
  return 1;
}

static int all(const unsigned char *p, int c, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != c) return 0;
  return 1;
}

/* Children: each changes or looks at the file one way; 0 is success. */
static int child(const char *role, const char *arg) {
  if (!strcmp(role, "offset")) { /* arg: the inherited descriptor */
    int fd = atoi(arg);
    unsigned char buf[1000];
    if (lseek(fd, 0, SEEK_CUR) != 8192) return 10;
    if (read(fd, buf, sizeof buf) != sizeof buf || !is_pattern(buf, 8192, sizeof buf)) return 11;
    return 0;
  }
  int fd = open(path, !strcmp(role, "append") ? O_WRONLY | O_APPEND : O_RDWR);
  if (fd < 0) return 20;
  if (!strcmp(role, "overwrite")) return pwrite(fd, "XXXXXXXXXX", 10, 5000) == 10 ? 0 : 21;
  if (!strcmp(role, "append")) {
    unsigned char buf[5000];
    memset(buf, 'A', sizeof buf);
    return write(fd, buf, sizeof buf) == sizeof buf ? 0 : 22;
  }
  if (!strcmp(role, "truncate")) return ftruncate(fd, atoi(arg)) == 0 ? 0 : 23;
  if (!strcmp(role, "look")) { /* the parent wrote "parent" at 20000 */
    char buf[6];
    return pread(fd, buf, 6, 20000) == 6 && !memcmp(buf, "parent", 6) ? 0 : 24;
  }
  return 29;
}

static void make_file(void) {
  static unsigned char buf[SIZE];
  for (off_t i = 0; i < SIZE; i++) buf[i] = pattern(i);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  check("the file is written", fd >= 0 && write(fd, buf, SIZE) == SIZE && close(fd) == 0);
}

static void sleep_ms(long ms) {
  struct timespec t = {0, ms * 1000000L};
  nanosleep(&t, NULL);
}

static int checks(const char *self) {
  unsigned char buf[8192];
  make_file();
  int fd = open(path, O_RDWR);
  check("reads in sequence", read(fd, buf, 4096) == 4096 && is_pattern(buf, 0, 4096) && read(fd, buf, 4096) == 4096 && is_pattern(buf, 4096, 4096));

  char fdname[16];
  snprintf(fdname, sizeof fdname, "%d", fd);
  check("a child reads on from the offset it shares", run(self, "offset", fdname) == 0);
  check("and the parent's offset moved with it", lseek(fd, 0, SEEK_CUR) == 9192);

  check("a read after it",  pread(fd, buf, 100, 4990) == 100 && is_pattern(buf, 4990, 10));
  check("another process overwrites bytes", run(self, "overwrite", "") == 0);
  check("and they are seen at once", pread(fd, buf, 30, 4990) == 30 && is_pattern(buf, 4990, 10) && all(buf + 10, 'X', 10) && is_pattern(buf + 20, 5010, 10));

  check("the end reads as the end", pread(fd, buf, 100, SIZE - 50) == 50 && pread(fd, buf, 100, SIZE) == 0);
  check("another process appends", run(self, "append", "") == 0);
  struct stat st;
  check("the size grew", fstat(fd, &st) == 0 && st.st_size == SIZE + 5000);
  check("and the new bytes read", pread(fd, buf, 8192, SIZE - 100) == 5100 && is_pattern(buf, SIZE - 100, 100) && all(buf + 100, 'A', 5000));
  check("lseek SEEK_END sees the new size", lseek(fd, 0, SEEK_END) == SIZE + 5000 && read(fd, buf, 10) == 0);

  check("another process truncates", run(self, "truncate", "50000") == 0);
  check("reads stop at the new end", pread(fd, buf, 100, 49990) == 10 && is_pattern(buf, 49990, 10) && pread(fd, buf, 100, 60000) == 0);
  check("and it grows again with zeros", run(self, "truncate", "70000") == 0 && pread(fd, buf, 8192, 49000) == 8192 && is_pattern(buf, 49000, 1000) && all(buf + 1000, 0, 7192));

  check("a write in place", pwrite(fd, "parent", 6, 20000) == 6);
  check("is read by another process", run(self, "look", "") == 0);

  lseek(fd, 0, SEEK_SET);
  check("a write moves the offset", write(fd, "abc", 3) == 3 && lseek(fd, 0, SEEK_CUR) == 3);
  check("a write past the end grows the file", pwrite(fd, "tail", 4, 80000) == 4 && fstat(fd, &st) == 0 && st.st_size == 80004);
  check("the hole it left reads as zeros", pread(fd, buf, 8192, 70000) == 8192 && all(buf, 0, 8192));
  check("a write into the hole", pwrite(fd, "hole", 4, 75000) == 4 && pread(fd, buf, 6, 74999) == 6 && !memcmp(buf, "\0hole\0", 6));

  struct iovec iov[2] = {{buf, 100}, {buf + 4000, 200}};
  check("readv across a page boundary", lseek(fd, 4000, SEEK_SET) == 4000 && readv(fd, iov, 2) == 300 && is_pattern(buf, 4000, 100) && is_pattern(buf + 4000, 4100, 200));
  iov[0].iov_base = "12";
  iov[0].iov_len = 2;
  iov[1].iov_base = "345";
  iov[1].iov_len = 3;
  check("writev across a page boundary", lseek(fd, 4094, SEEK_SET) == 4094 && writev(fd, iov, 2) == 5 && pread(fd, buf, 5, 4094) == 5 && !memcmp(buf, "12345", 5));

  struct stat before, after;
  fstat(fd, &before);
  sleep_ms(20);
  check("a write moves the modification time", pwrite(fd, "m", 1, 10) == 1 && fstat(fd, &after) == 0 &&
        (after.st_mtim.tv_sec > before.st_mtim.tv_sec || (after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec > before.st_mtim.tv_nsec)));

  errno = 0;
  check("lseek before the start is EINVAL", lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL && lseek(fd, 0, SEEK_CUR) == 4099);
  check("lseek past the end, and a read there", lseek(fd, 1000000, SEEK_SET) == 1000000 && read(fd, buf, 10) == 0);

  int app = open(path, O_WRONLY | O_APPEND);
  check("O_APPEND writes at the end", app >= 0 && write(app, "end", 3) == 3 && fstat(fd, &st) == 0 && st.st_size == 80007 &&
        pread(fd, buf, 3, 80004) == 3 && !memcmp(buf, "end", 3));
  close(app);
  close(fd);

  int ro = open(path, O_RDONLY);
  errno = 0;
  check("a write on a read-only descriptor is EBADF", write(ro, "x", 1) == -1 && errno == EBADF);
  close(ro);
  unlink(path);
  return report();
}

/* Write 64 KiB to the file, read it back 4 KiB at a time to its end, then write its first 4 KiB again; print the bytes read. */
static int reads(void) {
  unsigned char buf[4096];
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  memset(buf, 'r', sizeof buf);
  for (int i = 0; i < 16; i++)
    if (write(fd, buf, sizeof buf) != sizeof buf) return 1;
  lseek(fd, 0, SEEK_SET);
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) total += n;
  printf("%ld\n", total);
  memset(buf, 'w', sizeof buf);
  return n < 0 || lseek(fd, 0, SEEK_SET) != 0 || write(fd, buf, sizeof buf) != sizeof buf;
}

/* Make a 64 KiB file, read 4 KiB of it, print its pid and its line of /proc/PID/files, then wait to be killed. */
static int hold(void) {
  unsigned char buf[4096];
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  for (int i = 0; i < 16; i++) {
    memset(buf, 'a' + i, sizeof buf);
    if (write(fd, buf, sizeof buf) != sizeof buf) return 1;
  }
  if (pread(fd, buf, sizeof buf, 0) != sizeof buf) return 1;
  char files[64], line[256];
  snprintf(files, sizeof files, "/proc/%d/files", (int)getpid());
  FILE *f = fopen(files, "r");
  while (f && fgets(line, sizeof line, f))
    if (atoi(line) == fd && strstr(line, "regular")) printf("holding %d %s", (int)getpid(), line);
  fflush(stdout);
  for (;;) sleep(1000);
}

/* Read the file `hold` made, then truncate it: each waits for its token. */
static int contend(void) {
  unsigned char buf[4096];
  int fd = open(path, O_RDWR);
  int ok = pread(fd, buf, sizeof buf, 4096) == sizeof buf && all(buf, 'b', sizeof buf);
  struct stat st;
  ok = ok && ftruncate(fd, 8192) == 0 && fstat(fd, &st) == 0 && st.st_size == 8192 && read(fd, buf, 10) == 10 && all(buf, 'a', 10);
  printf("contend %s\n", ok ? "ok" : "FAIL");
  return !ok;
}

/*
 * Under a small page cache (the eviction test boots one): a file written larger than the cache reads
 * back whole; a page of an open file stolen while this process reads another file is read again from
 * the host, with what this process wrote into it before it was stolen.
 */
static int evict(const char *dir) {
  static unsigned char buf[256 * 1024];
  char a[256], b[256];
  snprintf(a, sizeof a, "%s/evict.a", dir);
  snprintf(b, sizeof b, "%s/evict.b", dir);
  for (off_t i = 0; i < (off_t)sizeof buf; i++) buf[i] = pattern(i);
  int fa = open(a, O_RDWR | O_CREAT | O_TRUNC, 0644), fb = open(b, O_RDWR | O_CREAT | O_TRUNC, 0644);
  check("two files larger than the cache are written", write(fa, buf, sizeof buf) == sizeof buf && write(fb, buf, sizeof buf) == sizeof buf);
  memset(buf, 0, sizeof buf);
  check("and read back whole", pread(fa, buf, sizeof buf, 0) == sizeof buf && is_pattern(buf, 0, sizeof buf));
  check("a page read, then written in place", pread(fa, buf, 4096, 0) == 4096 && is_pattern(buf, 0, 4096) && pwrite(fa, "stolen", 6, 100) == 6);
  check("another file read through steals every page", pread(fb, buf, sizeof buf, 0) == sizeof buf && is_pattern(buf, 0, sizeof buf));
  check("the page is read again, with the write", pread(fa, buf, 4096, 0) == 4096 && is_pattern(buf, 0, 100) && !memcmp(buf + 100, "stolen", 6) && is_pattern(buf + 106, 106, 3990));
  close(fa);
  close(fb);
  return report();
}

/* Write a line to the file and keep it open, never syncing: the timer's write-back test reads the host file meanwhile. Prints its pid. */
static int linger(void) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, "delayed write\n", 14) != 14) return 1;
  printf("written %d\n", (int)getpid());
  fflush(stdout);
  for (;;) sleep(1000);
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "all")) {
    snprintf(path, sizeof path, "%s/filewin.%d", argv[3], (int)getpid());
    return checks(argv[2]);
  }
  if (argc >= 3 && !strcmp(argv[1], "reads")) {
    snprintf(path, sizeof path, "%s", argv[2]);
    return reads();
  }
  if (argc >= 3 && !strcmp(argv[1], "hold")) {
    snprintf(path, sizeof path, "%s", argv[2]);
    return hold();
  }
  if (argc >= 3 && !strcmp(argv[1], "contend")) {
    snprintf(path, sizeof path, "%s", argv[2]);
    return contend();
  }
  if (argc >= 3 && !strcmp(argv[1], "kill")) return kill(atoi(argv[2]), SIGKILL) != 0;
  if (argc >= 3 && !strcmp(argv[1], "evict")) return evict(argv[2]);
  if (argc >= 3 && !strcmp(argv[1], "linger")) {
    snprintf(path, sizeof path, "%s", argv[2]);
    return linger();
  }
  if (argc >= 3) {
    snprintf(path, sizeof path, "%s", argv[2]);
    return child(argv[1], argc >= 4 ? argv[3] : "");
  }
  fprintf(stderr, "usage: filewin all SELF DIR | filewin reads PATH\n");
  return 2;
}
