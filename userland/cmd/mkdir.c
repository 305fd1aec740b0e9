/* mkdir: make directories.
 * Usage: mkdir [-p] DIRECTORY...
 *   -p  make parent directories as needed; no error if a directory already exists.
 * Directories are created with mode 0777 (WASI has no permission bits or umask). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BADSTATUS 1
static const char *prog = "mkdir";

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

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p: create each missing component of PATH. */
static int make_parents(const char *path) {
  char *buf = strdup(path);
  if (!buf) {
    fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
    return 1;
  }
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
  int parents = 0, c, status = 0;
  permute(argc, argv, "p");
  opterr = 0;
  while ((c = getopt(argc, argv, "p")) != -1) {
    if (c == 'p') parents = 1;
    else bad_option(optopt, argc, argv);
  }
  if (optind >= argc) {
    fprintf(stderr, "%s: missing operand\n", prog);
    usage_hint();
    return 1;
  }
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
