// firstline.c: prints the first line of each file named on the command line (or why it cannot be
// opened), to check how paths resolve against the preopened directories.
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    char line[200] = "";
    if (!f) {
      printf("%s: %s\n", argv[i], strerror(errno));
      continue;
    }
    if (!fgets(line, sizeof line, f)) strcpy(line, "(empty)\n");
    fclose(f);
    printf("%s: %s", argv[i], line);
  }
  return 0;
}
