/*
 * remove.c: removing files and directory trees (rm, and mv across mounts). See remove.h.
 */
#include "remove.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "util.h"

static void fail(const char *path, int e) {
  fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, path, strerror(e));
}

static int remove_dir(const char *path, bool force) {
  size_t n;
  int err, status = 0;
  char **names = dir_names(path, &n, &err);
  if (!names) err = errno;
  if (err) {
    fail(path, err);
    status = 1;
  }
  for (size_t i = 0; i < n; i++) {
    char *child = path_join(path, names[i]);
    status |= remove_path(child, true, force);
    free(child);
    free(names[i]);
  }
  free(names);
  if (status) return 1; /* a child was left: the directory is not empty */
  if (rmdir(path) != 0) {
    fail(path, errno);
    return 1;
  }
  return 0;
}

int remove_path(const char *path, bool recursive, bool force) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (force && errno == ENOENT) return 0;
    fail(path, errno);
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!recursive) {
      fail(path, EISDIR);
      return 1;
    }
    return remove_dir(path, force);
  }
  if (unlink(path) != 0) {
    if (force && errno == ENOENT) return 0;
    fail(path, errno);
    return 1;
  }
  return 0;
}
