/* mkdir: make directories.
 * Usage: mkdir [-p] DIRECTORY...
 *   -p  make parent directories as needed; no error if a directory already exists.
 * Directories are created with mode 0777 (WASI has no permission bits or umask). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/util.h"

const char *prog = "mkdir";

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p: create each missing component of PATH. */
static int make_parents(const char *path) {
  char *buf = xstrdup(path);
  size_t len = strlen(buf);
  for (size_t i = 1; i <= len; i++) {
    if ((buf[i] != '/' && buf[i] != '\0') || buf[i - 1] == '/') continue;
    char saved = buf[i];
    buf[i] = '\0';
    if (mkdir(buf, 0777) != 0) {
      int e = errno;
      if (!(e == EEXIST && is_dir(buf))) {
        if (e == EEXIST && saved) e = ENOTDIR;
        fprintf(stderr, "%s: cannot create directory '%s': %s\n", prog, buf, strerror(e));
        free(buf);
        return 1;
      }
    }
    buf[i] = saved;
  }
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  int parents = 0, status = 0;
  while (next_option(argc, argv, "p") != -1) parents = 1;
  if (optind >= argc) usage_error("missing operand");
  for (int i = optind; i < argc; i++) {
    if (parents) {
      status |= make_parents(argv[i]);
    } else if (mkdir(argv[i], 0777) != 0) {
      fprintf(stderr, "%s: cannot create directory '%s': %s\n", prog, argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}
