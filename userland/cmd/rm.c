/* rm: remove files and directories.
 * Usage: rm [-f] [-r|-R] FILE...
 *   -f      ignore missing files, never complain about them (exit 0 for them)
 *   -r, -R  remove directories and their contents recursively
 * Refuses a directory without -r, '.' and '..' as operands, and '/' with -r. Symbolic links are
 * removed, never followed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BADSTATUS 1
static const char *prog = "rm";

static void usage_hint(void) {
#ifdef USAGE_LINE
  fprintf(stderr, "Usage: %s %s\n", prog, USAGE_LINE);
#endif
  fprintf(stderr, "Try '%s --help' for more information.\n", prog);
}

/* An unknown option: GNU's two lines on stderr, then exit with BADSTATUS. */
static void bad_option(int c, int argc, char **argv) {
  if (c == '-' && optind < argc && strncmp(argv[optind], "--", 2) == 0)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, argv[optind]);
  else if (c == '-' && optind > 1 && strncmp(argv[optind - 1], "--", 2) == 0)
    fprintf(stderr, "%s: unrecognized option '%s'\n", prog, argv[optind - 1]);
  else
    fprintf(stderr, "%s: invalid option -- '%c'\n", prog, c);
  usage_hint();
  exit(BADSTATUS);
}

/* GNU-style argument order: options may follow operands (until "--"), so move
 * every option (with its argument) before the operands, keeping their order. */
static void permute(int argc, char **argv, const char *optstring) {
  char **opts = malloc(sizeof *opts * (size_t)(argc + 1));
  char **ops = malloc(sizeof *ops * (size_t)(argc + 1));
  int no = 0, np = 0, i, k = 1;
  if (!opts || !ops) {
    free(opts);
    free(ops);
    return;
  }
  for (i = 1; i < argc; i++) {
    char *a = argv[i];
    if (strcmp(a, "--") == 0) break;
    if (a[0] != '-' || !a[1]) {
      ops[np++] = a;
      continue;
    }
    opts[no++] = a;
    for (int j = 1; a[j] && a[1] != '-'; j++) {
      const char *p = a[j] != ':' ? strchr(optstring, a[j]) : NULL;
      if (p && p[1] == ':') {
        if (!a[j + 1] && i + 1 < argc) opts[no++] = argv[++i];
        break;
      }
    }
  }
  for (int j = 0; j < no; j++) argv[k++] = opts[j];
  if (i < argc) argv[k++] = argv[i++]; /* the "--" itself */
  for (; i < argc; i++) ops[np++] = argv[i];
  for (int j = 0; j < np; j++) argv[k++] = ops[j];
  free(opts);
  free(ops);
}

static int force = 0, recursive = 0;

static void fail(const char *path, int e) {
  fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, path, strerror(e));
}

static char *concat(const char *dir, const char *name) {
  size_t dl = strlen(dir);
  char *p = malloc(dl + strlen(name) + 2);
  if (p) sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
  return p;
}

/* The names in DIR but . and .., read in full before anything is removed. */
static char **read_names(const char *dir, size_t *count, int *err) {
  DIR *d = opendir(dir);
  char **names = NULL;
  size_t n = 0, cap = 0;
  *err = 0;
  if (!d) {
    *err = errno;
    return NULL;
  }
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **nn = realloc(names, cap * sizeof *names);
      if (!nn) break;
      names = nn;
    }
    if (!(names[n] = strdup(e->d_name))) break;
    n++;
    errno = 0;
  }
  if (errno) *err = errno;
  closedir(d);
  *count = n;
  return names;
}

static int remove_path(const char *path);

static int remove_dir(const char *path) {
  size_t n = 0;
  int err, status = 0;
  char **names = read_names(path, &n, &err);
  if (err) {
    fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, path, strerror(err));
    status = 1;
  }
  for (size_t i = 0; i < n; i++) {
    char *child = concat(path, names[i]);
    if (child) status |= remove_path(child);
    else status = 1;
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

static int remove_path(const char *path) {
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
    return remove_dir(path);
  }
  if (unlink(path) != 0) {
    if (force && errno == ENOENT) return 0;
    fail(path, errno);
    return 1;
  }
  return 0;
}

/* '.', '..', or a path ending in /. or /.. */
static int is_dot_or_dotdot(const char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  size_t start = n;
  while (start > 0 && path[start - 1] != '/') start--;
  size_t len = n - start;
  return (len == 1 && path[start] == '.') || (len == 2 && path[start] == '.' && path[start + 1] == '.');
}

static int is_root(const char *path) {
  if (path[0] != '/') return 0;
  for (const char *p = path; *p; p++)
    if (*p != '/') return 0;
  return 1;
}

int main(int argc, char **argv) {
  int c, status = 0;
  permute(argc, argv, "frR");
  opterr = 0;
  while ((c = getopt(argc, argv, "frR")) != -1) {
    switch (c) {
    case 'f': force = 1; break;
    case 'r':
    case 'R': recursive = 1; break;
    default: bad_option(optopt, argc, argv);
    }
  }
  if (optind >= argc) {
    if (force) return 0;
    fprintf(stderr, "%s: missing operand\n", prog);
    usage_hint();
    return 1;
  }
  for (int i = optind; i < argc; i++) {
    const char *path = argv[i];
    if (recursive && is_dot_or_dotdot(path)) {
      fprintf(stderr, "%s: refusing to remove '.' or '..' directory: skipping '%s'\n", prog, path);
      status = 1;
    } else if (recursive && is_root(path)) {
      fprintf(stderr, "%s: it is dangerous to operate recursively on '%s'\n", prog, path);
      fprintf(stderr, "%s: use --no-preserve-root to override this failsafe\n", prog);
      status = 1;
    } else {
      status |= remove_path(path);
    }
  }
  return status;
}
