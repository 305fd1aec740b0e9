// dup, dup2, dup3 and fcntl as POSIX defines them, in one process: which number a duplicate gets,
// that duplicates share their open file (offset, status flags) but not FD_CLOEXEC, and the errors
// (reading a directory descriptor too).
// Prints one line per check; the test compares the whole output.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"


static int fails_with(int r, int error) {
  return r == -1 && errno == error;
}

int main(void) {
  int fd = open("/tmp/dup.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  check("open", fd >= 3);
  int d = dup(fd);
  check("dup gives the lowest free number", d == fd + 1);
  check("write through the duplicate", write(d, "abc", 3) == 3);
  check("the duplicate shares the offset", lseek(fd, 0, SEEK_CUR) == 3);
  check("dup2 onto an open descriptor closes it first", dup2(fd, d) == d && lseek(d, 0, SEEK_CUR) == 3);
  check("dup2 of a descriptor onto itself returns it", dup2(fd, fd) == fd);
  check("dup2 of a closed descriptor is EBADF", fails_with(dup2(99, 100), EBADF));
  check("dup2 onto a number past the limit is EBADF", fails_with(dup2(fd, 5000), EBADF));
  check("dup of a closed descriptor is EBADF", fails_with(dup(99), EBADF));
  check("dup3 onto itself is EINVAL", fails_with(dup3(fd, fd, 0), EINVAL));
  check("dup3", dup3(fd, 20, 0) == 20 && close(20) == 0);
  int high = fcntl(fd, F_DUPFD, 10);
  check("F_DUPFD gives the lowest free number from its argument", high == 10);
  check("F_DUPFD past the limit is EINVAL", fails_with(fcntl(fd, F_DUPFD, 5000), EINVAL));
  check("a duplicate does not inherit FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(high, F_GETFD) == 0);
  check("F_GETFD after F_SETFD", fcntl(fd, F_GETFD) == FD_CLOEXEC);
  int c = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  check("F_DUPFD_CLOEXEC marks the new descriptor", c >= 0 && fcntl(c, F_GETFD) == FD_CLOEXEC);
  check("F_SETFD clears it", fcntl(fd, F_SETFD, 0) == 0 && fcntl(fd, F_GETFD) == 0);
  check("F_GETFL gives the access mode", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
  check("F_SETFL O_APPEND is shared by duplicates", fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(high, F_GETFL) & O_APPEND) != 0);
  check("fcntl of a closed descriptor is EBADF", fails_with(fcntl(99, F_GETFD), EBADF));
  check("an unknown fcntl command is EINVAL", fails_with(fcntl(fd, 12345, 0), EINVAL));
  close(fd);
  char buf[8] = {0};
  check("the open file lives on in its duplicates", pread(high, buf, sizeof buf, 0) == 3 && strcmp(buf, "abc") == 0);
  int dir = open("/tmp", O_RDONLY);
  char byte;
  check("reading a directory descriptor is EISDIR", dir >= 0 && fails_with(read(dir, &byte, 1), EISDIR) && close(dir) == 0);
  return report();
}
