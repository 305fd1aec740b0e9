// append.c: appends N numbered records "TAG i\n" to FILE through one O_APPEND descriptor, one write each,
// then prints the offset lseek reports (the end of its last record); for the concurrent-append test.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: append FILE TAG N\n");
    return 2;
  }
  int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) {
    perror(argv[1]);
    return 1;
  }
  int n = atoi(argv[3]);
  char record[64];
  for (int i = 0; i < n; i++) {
    int len = snprintf(record, sizeof record, "%s %d\n", argv[2], i);
    if (write(fd, record, len) != len) {
      perror("write");
      return 1;
    }
  }
  printf("offset %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  return close(fd) == 0 ? 0 : 1;
}
