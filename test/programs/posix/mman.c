// mmap, written for Linux: anonymous and private mappings, a shared mapping's changes reaching the
// file (at msync, munmap, exit and exec) and another process, two processes changing different bytes
// of one shared file, MS_INVALIDATE showing another process's changes, and the errors. Every check
// holds on Linux too (where shared mappings are coherent at once); `mman all SELF /tmp` runs them.
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

extern char **environ;
#define SIZE 20000 /* not a whole number of pages: the last page's tail reads as zero */

static char path[256];

static int run(const char *self, const char *role) {
  char *argv[] = {(char *)self, (char *)role, path, NULL};
  pid_t pid;
  int st;
  if (posix_spawn(&pid, self, NULL, NULL, argv, environ) != 0 || waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int file_byte(off_t at) {
  int fd = open(path, O_RDONLY);
  unsigned char c = 0;
  int ok = pread(fd, &c, 1, at) == 1;
  close(fd);
  return ok ? c : -1;
}

/* Children: change bytes of the shared file through a mapping, and make them reach the file a way each. */
static int child(const char *how) {
  int fd = open(path, O_RDWR);
  unsigned char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return 10;
  if (!strcmp(how, "msync")) {
    memset(p, 'c', 10);
    return msync(p, SIZE, MS_SYNC) == 0 ? 0 : 11;
  }
  if (!strcmp(how, "exit")) {
    memset(p + 200, 'e', 10);
    return 0;
  }
  if (!strcmp(how, "exec")) {
    memset(p + 300, 'x', 10);
    char *argv[] = {"true", NULL};
    execv("/bin/true", argv);
    return 12;
  }
  return 13;
}

int main(int argc, char **argv) {
  if (argc == 3) {
    snprintf(path, sizeof path, "%s", argv[2]);
    return child(argv[1]);
  }
  if (argc != 4 || strcmp(argv[1], "all")) return 2;
  const char *self = argv[2];
  snprintf(path, sizeof path, "%s/mman-%d", argv[3], (int)getpid());

  unsigned char *a = mmap(NULL, 100000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int zero = a != MAP_FAILED;
  for (int i = 0; zero && i < 100000; i++) zero = a[i] == 0;
  check("MAP_ANONYMOUS: zeros, page-aligned", zero && ((unsigned long)a % 4096) == 0);
  a[99999] = 1;
  check("munmap", munmap(a, 100000) == 0);

  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  unsigned char buf[SIZE];
  for (int i = 0; i < SIZE; i++) buf[i] = 'a' + i % 26;
  write(fd, buf, SIZE);
  unsigned char *priv = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  check("MAP_PRIVATE: the file's contents", priv != MAP_FAILED && memcmp(priv, buf, SIZE) == 0);
  priv[0] = '#';
  munmap(priv, SIZE);
  check("MAP_PRIVATE: changes never reach the file", file_byte(0) == 'a');

  unsigned char *s = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int tail = s != MAP_FAILED;
  for (int i = SIZE; tail && i < 20480; i++) tail = s[i] == 0;
  check("MAP_SHARED: the file's contents, zeros to the page's end", s != MAP_FAILED && memcmp(s, buf, SIZE) == 0 && tail);
  s[100] = 'S';
  check("msync MS_SYNC: the change is in the file", msync(s, 4096, MS_SYNC) == 0 && file_byte(100) == 'S');
  s[101] = 'T';
  check("munmap writes what changed", munmap(s, SIZE) == 0 && file_byte(101) == 'T');

  s = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  s[50] = 'P'; /* the parent's change, not written yet */
  check("a child's change, at its msync, reaches the file", run(self, "msync") == 0 && file_byte(0) == 'c' && file_byte(9) == 'c');
  check("and this mapping at msync MS_INVALIDATE, keeping this process's own change", msync(s, SIZE, MS_INVALIDATE) == 0 && s[0] == 'c' && s[50] == 'P');
  check("msync then writes only what this process changed", msync(s, SIZE, MS_SYNC) == 0 && file_byte(50) == 'P' && file_byte(9) == 'c');
  check("a child's change reaches the file at its exit", run(self, "exit") == 0 && file_byte(200) == 'e' && file_byte(209) == 'e');
  check("and at its exec", run(self, "exec") == 0 && file_byte(300) == 'x');
  s[SIZE + 10] = 'Z'; /* past the end of the file */
  struct stat st;
  check("a change past the end of the file does not extend it", munmap(s, SIZE) == 0 && fstat(fd, &st) == 0 && st.st_size == SIZE);

  s = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
  check("an offset maps from there", s != MAP_FAILED && s[0] == buf[4096]);
  s[4096] = '1';
  s[2 * 4096] = '2';
  check("munmap of the middle page writes it and leaves the others mapped", munmap(s + 4096, 4096) == 0 && file_byte(2 * 4096) == '1' && s[0] == buf[4096]);
  check("munmap of the rest", munmap(s, 3 * 4096) == 0 && file_byte(3 * 4096) == '2');

  errno = 0;
  check("length 0: EINVAL", mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == EINVAL);
  errno = 0;
  check("an offset not page-aligned: EINVAL", mmap(NULL, 10, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL);
  errno = 0;
  check("neither MAP_SHARED nor MAP_PRIVATE: EINVAL", mmap(NULL, 10, PROT_READ, 0, fd, 0) == MAP_FAILED && errno == EINVAL);
  errno = 0;
  check("a closed descriptor: EBADF", mmap(NULL, 10, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED && errno == EBADF);
  int ro = open(path, O_RDONLY);
  errno = 0;
  check("MAP_SHARED writable of a read-only descriptor: EACCES", mmap(NULL, 10, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED && errno == EACCES);
  unsigned char *r = mmap(NULL, 10, PROT_READ, MAP_SHARED, ro, 0);
  check("MAP_SHARED read-only of a read-only descriptor", r != MAP_FAILED && r[0] == 'c' && munmap(r, 10) == 0);
  unsigned char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(gone, 4096);
  errno = 0;
  check("msync of memory no longer mapped: ENOMEM", msync(gone, 4096, MS_SYNC) == -1 && errno == ENOMEM);
  close(ro);
  close(fd);
  unlink(path);
  return report();
}
