// Durability: append fixed-width records to FILE, fsync after each, and only then say so on stdout
// ("synced N"), N records in all (0: for ever). A record said synced must survive the program's or
// the whole system's SIGKILL (test/host/durability.test.ts).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  long n = atol(argv[2]);
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return perror("open"), 1;
  for (long i = 0; n == 0 || i < n; i++) {
    char rec[32];
    snprintf(rec, sizeof rec, "record %08ld\n", i); /* 16 bytes */
    if (write(fd, rec, 16) != 16 || fsync(fd) != 0) return perror("write"), 1;
    printf("synced %ld\n", i);
    fflush(stdout);
  }
  return 0;
}
