// fdswap.c: descriptors 0-2 changing under a program that writes to them (the task library must
// follow each change, not keep using the console's rings). Writes to stdout, then renumbers a file
// onto descriptor 1 and writes (the file gets it), renumbers descriptor 2 onto 1 and writes (the host's
// stderr gets it), closes 1 and writes (EBADF), then opens /dev/stdout (it becomes 1 again) and writes.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static void say(int fd, const char *s) {
  write(fd, s, strlen(s));
}

int main(void) {
  say(1, "one to stdout\n");
  int file = open("/tmp/fdswap", O_CREAT | O_RDWR | O_TRUNC, 0644);
  if (file < 0 || __wasi_fd_renumber(file, 1) != 0) return 2;
  say(1, "two to the file\n");
  char buf[64] = {0};
  lseek(1, 0, SEEK_SET);
  ssize_t n = read(1, buf, sizeof buf - 1);
  if (__wasi_fd_renumber(2, 1) != 0) return 3;
  say(1, "file held: ");
  write(1, buf, n > 0 ? (size_t)n : 0);
  say(1, "three to stderr\n");
  close(1);
  ssize_t closed = write(1, "four\n", 5);
  int saved = errno;
  if (open("/dev/stdout", O_WRONLY) != 1) return 4;
  say(1, closed < 0 && saved == EBADF ? "write to a closed 1: EBADF\n" : "write to a closed 1 went through\n");
  return 0;
}
