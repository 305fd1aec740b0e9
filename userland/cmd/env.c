/*
 * env: run a program in a modified environment, or print the environment.
 *
 * Usage: env [-i0] [-u NAME]... [-] [NAME=VALUE]... [COMMAND [ARG]...]
 *   -i, -    start from an empty environment
 *   -u NAME  remove NAME from the environment
 *   -0       end each printed variable with NUL instead of newline (only without COMMAND)
 * Without COMMAND, prints the resulting environment, one NAME=VALUE a line. With COMMAND, runs it
 * (found on PATH by posix_spawnp, with the resulting environment), waits for it, and exits with its
 * status: 127 when COMMAND is not found, 126 when it cannot be run, 125 when env itself fails; a
 * COMMAND ended by signal N makes env exit with 128+N. Options end at the first operand.
 */
#include <errno.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/util.h"

#define EXIT_CANCELED 125
#define EXIT_CANNOT_INVOKE 126
#define EXIT_ENOENT 127

extern char **environ;
const char *prog = "env";

/* Empties the environment. */
static void clear_environment(void) {
  static char *empty[] = {NULL};
  environ = empty;
}

static void unset_variable(const char *name) {
  if (unsetenv(name) != 0) die("cannot unset '%s': %s", name, strerror(errno));
}

/* Applies one NAME=VALUE operand. */
static void set_variable(char *assignment) {
  char *eq = strchr(assignment, '=');
  *eq = '\0';
  int failed = setenv(assignment, eq + 1, 1);
  int error = errno;
  *eq = '=';
  if (failed) {
    *eq = '\0';
    die("cannot set '%s': %s", assignment, strerror(error));
  }
}

static int print_environment(char terminator) {
  for (char **e = environ; e && *e; e++) {
    fputs(*e, stdout);
    putchar(terminator);
  }
  flush_stdout();
  return 0;
}

/* Runs argv[0] with the current environment, waits, and returns its exit status. */
static int run(char **args) {
  pid_t pid;
  int error = posix_spawnp(&pid, args[0], NULL, NULL, args, environ);
  if (error) {
    fprintf(stderr, "%s: '%s': %s\n", prog, args[0], strerror(error));
    return error == ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "%s: waiting for '%s': %s\n", prog, args[0], strerror(errno));
      return EXIT_CANCELED;
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  /* A shell's status for a command ended by a signal. (raise() cannot end env by the same signal:
   * wasi-libc's raise() traps instead, so the status would become SIGILL's.) */
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return EXIT_CANCELED;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"ignore-environment", no_argument, NULL, 'i'},
                                           {"null", no_argument, NULL, '0'},
                                           {"unset", required_argument, NULL, 'u'},
                                           {NULL, 0, NULL, 0}};
  bool ignore = false;
  char terminator = '\n';
  exit_failure = EXIT_CANCELED;
  /* The -u names are applied after -i, in order (as GNU env): remember them first. */
  char **unsets = xmalloc((size_t)argc * sizeof *unsets);
  int n_unsets = 0;
  int c;
  while ((c = next_long_option(argc, argv, "+:iu:0", longopts)) != -1) {
    switch (c) {
    case 'i': ignore = true; break;
    case 'u': unsets[n_unsets++] = optarg; break;
    case '0': terminator = '\0'; break;
    }
  }
  if (optind < argc && strcmp(argv[optind], "-") == 0) {
    ignore = true;
    optind++;
  }
  if (ignore) clear_environment();
  for (int i = 0; i < n_unsets; i++) unset_variable(unsets[i]);
  for (; optind < argc && strchr(argv[optind], '='); optind++) set_variable(argv[optind]);
  if (optind == argc) return print_environment(terminator);
  if (terminator == '\0') usage_error("cannot specify --null (-0) with command");
  return run(argv + optind);
}
