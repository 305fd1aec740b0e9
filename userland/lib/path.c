/*
 * path.c: path names and directories. See path.h.
 */
#include "path.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *path_join(const char *dir, const char *name) {
  size_t dl = strlen(dir);
  char *p = xmalloc(dl + strlen(name) + 2);
  sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
  return p;
}

const char *last_component(const char *path, size_t *len) {
  size_t end = strlen(path);
  while (end > 1 && path[end - 1] == '/') end--;
  size_t start = end;
  while (start > 0 && path[start - 1] != '/') start--;
  *len = end - start;
  return path + start;
}

char *base_name(const char *path) {
  size_t len;
  const char *base = last_component(path, &len);
  return xstrndup(base, len);
}

char *dir_name(const char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  while (n > 0 && path[n - 1] != '/') n--;
  while (n > 1 && path[n - 1] == '/') n--;
  return n ? xstrndup(path, n) : xstrdup(".");
}

bool same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

char **dir_names(const char *dir, size_t *count, int *err) {
  DIR *d = opendir(dir);
  *count = 0;
  *err = 0;
  if (!d) return NULL;
  size_t n = 0, cap = 16;
  char **names = xmalloc(cap * sizeof *names);
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (n == cap) names = xrealloc(names, (cap *= 2) * sizeof *names);
    names[n++] = xstrdup(e->d_name);
    errno = 0;
  }
  if (errno) *err = errno;
  closedir(d);
  *count = n;
  return names;
}

int into_dir(const char *source, const char *dir, int (*fn)(const char *source, const char *dest)) {
  char *base = base_name(source);
  char *dest = path_join(dir, base);
  int status = fn(source, dest);
  free(base);
  free(dest);
  return status;
}

int to_target(int n, char **ops, int (*fn)(const char *source, const char *dest)) {
  if (n == 0) usage_error("missing file operand");
  if (n == 1) usage_error("missing destination file operand after '%s'", ops[0]);
  struct stat st;
  const char *last = ops[n - 1];
  bool last_is_dir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
  if (n == 2 && !last_is_dir) return fn(ops[0], last);
  if (!last_is_dir) {
    int e = errno;
    if (stat(last, &st) == 0) e = ENOTDIR;
    fprintf(stderr, "%s: target '%s': %s\n", prog, last, strerror(e));
    return 1;
  }
  int status = 0;
  for (int i = 0; i < n - 1; i++) status |= into_dir(ops[i], last, fn);
  return status;
}
