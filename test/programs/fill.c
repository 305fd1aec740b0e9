// fill.c: writes 100 KiB blocks to the file named by argv[1] until a write fails, then prints how much
// it wrote and why it stopped; exits 0 if it stopped on an error, 1 if it could not open the file.
// A block is larger than the 64 KiB message window, so each write takes two server calls, and the
// last ones end short, then fail, in the middle of a block.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

static char block[100 * 1024];

int main(int argc, char **argv) {
  int fd = argc > 1 ? open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0666) : -1;
  if (fd < 0) {
    printf("cannot open: %s\n", strerror(errno));
    return 1;
  }
  memset(block, 'x', sizeof block);
  long total = 0;
  for (;;) {
    ssize_t n = write(fd, block, sizeof block);
    if (n < 0) break;
    total += n;
  }
  printf("wrote %ld KiB, then: %s\n", total / 1024, strerror(errno));
  return 0;
}
