// stdio.c: the CLI's standard streams and mounts. Prints whether descriptors 0-2 are terminals, then
// copies standard input to standard output and, when a path is given, to that file too (so a test
// can check a mounted host directory). Exits 1 with the error if the file cannot be written.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  printf("isatty %d %d %d\n", isatty(0), isatty(1), isatty(2));
  FILE *copy = NULL;
  if (argc > 1 && !(copy = fopen(argv[1], "w"))) {
    printf("cannot open %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    fwrite(buf, 1, n, stdout);
    if (copy) fwrite(buf, 1, n, copy);
  }
  if (copy && fclose(copy) != 0) {
    printf("cannot write %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  return 0;
}
