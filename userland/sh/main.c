/*
 * main.c: /bin/sh's entry: the command line and the read-parse-run loop.
 *   sh [-efuvxCi] [+efuvxC] [-o NAME] -c COMMANDS [NAME [ARGS...]]   run the string ($0 = NAME)
 *   sh [OPTIONS] FILE [ARGS...]                                     run a script ($0 = FILE)
 *   sh [OPTIONS] [-s] [ARGS...]                                     read commands from stdin
 * Reading standard input on a terminal (or with -i) is interactive: the prompt PS1 (`$ `) on
 * standard error before each command, PS2 (`> `) before a continuation line, a syntax error only
 * abandons the line, finished background jobs are reported. At end of input the shell exits with
 * the status of the last command; a syntax error in a script or -c string exits with 2. The
 * environment's variables are imported and exported; PATH starts as /bin:/usr/bin when unset.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

extern char **environ;

static int run_source(struct src *s) {
  struct parser p;
  parser_init(&p, s);
  for (;;) {
    jobs_reap(g.interactive);
    int ps;
    struct node *n = parse_command(&p, &ps);
    if (!n) {
      if (ps == 0) break;
      g.status = 2;
      if (!g.interactive) shell_exit(2);
      continue;
    }
    if (n->nkids != 0) run_node(n);
    tree_free(n);
    g.pending = P_NONE;
  }
  parser_done(&p);
  return g.status;
}

static void init_vars(void) {
  var_import(environ);
  if (!var_get("PATH")) var_set("PATH", "/bin:/usr/bin", 0);
  var_set("IFS", " \t\n", 0);
  if (!var_get("PS1")) var_set("PS1", "$ ", 0);
  if (!var_get("PS2")) var_set("PS2", "> ", 0);
  var_set("OPTIND", "1", 0);
  char buf[PATH_MAX];
  char num[32];
  snprintf(num, sizeof num, "%d", (int)getppid());
  var_set("PPID", num, 0);
  const char *pwd = getcwd(buf, sizeof buf) ? buf : "/";
  g.cwd = xstrdup(pwd);
  var_set("PWD", pwd, 0);
}

static int usage(const char *msg, const char *arg) {
  sh_warn("%s%s", msg, arg);
  put_str(2, "usage: sh [-efuvxCi] [-o option] [-c command [name [arg ...]] | file [arg ...] | -s [arg ...]]\n");
  return 2;
}

static int set_option(int c, int on) {
  switch (c) {
  case 'e': g.errexit = on; return 1;
  case 'x': g.xtrace = on; return 1;
  case 'f': g.noglob = on; return 1;
  case 'u': g.nounset = on; return 1;
  case 'v': g.verbose = on; return 1;
  case 'C': g.noclobber = on; return 1;
  }
  return 0;
}

static int set_long_option(const char *name, int on) {
  static const char *const names[] = {"errexit", "xtrace", "noglob", "nounset", "verbose", "noclobber", NULL};
  static const char letters[] = "exfuvC";
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], name) == 0) return set_option(letters[i], on);
  return 0;
}

/* The handler of ^C and ^\: see catch_typed_signals. */
static void typed_signal(int sig) {
  (void)sig;
  g.typed = 1;
}

/*
 * Interactive: ^C and ^\ (SIGINT and SIGQUIT, sent to the foreground group) end the command that
 * runs, not the shell, which waits on; at the prompt they abandon the line (read_line_fd). Caught
 * rather than ignored, so the programs it starts get the default actions (a caught signal is reset
 * in a child; an ignored one would stay ignored); without SA_RESTART, so a read of the terminal
 * ends with EINTR.
 */
static void catch_typed_signals(void) {
  struct sigaction sa = {0};
  sa.sa_handler = typed_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGQUIT, &sa, NULL);
}

static int sh_main(int argc, char **argv) {
  g.arg0 = xstrdup(argc > 0 ? argv[0] : "sh");
  g.selfpath = xstrdup(g.arg0);
  init_vars();
  int i = 1, cmd = 0, force_stdin = 0, force_interactive = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0 || strcmp(a, "-") == 0) {
      i++;
      break;
    }
    if ((a[0] != '-' && a[0] != '+') || !a[1]) break;
    int on = a[0] == '-';
    for (const char *o = a + 1; *o; o++) {
      if (*o == 'c' && on) cmd = 1;
      else if (*o == 's' && on) force_stdin = 1;
      else if (*o == 'i' && on) force_interactive = 1;
      else if (*o == 'o') {
        if (i + 1 >= argc || !set_long_option(argv[i + 1], on)) return usage("invalid option name: ", i + 1 < argc ? argv[i + 1] : "");
        i++;
      } else if (!set_option(*o, on)) {
        char opt[3] = {a[0], *o, 0};
        return usage("invalid option: ", opt);
      }
    }
  }
  if (cmd) {
    if (i >= argc) return usage("-c: option requires an argument", "");
    const char *text = argv[i++];
    if (i < argc) {
      free(g.arg0);
      g.arg0 = xstrdup(argv[i++]);
    }
    for (; i < argc; i++) sv_push(&g.pos, xstrdup(argv[i]));
    g.interactive = force_interactive;
    struct src *s = src_string(text, 1);
    run_source(s);
    src_free(s);
    return shell_exit(g.status);
  }
  if (i < argc && !force_stdin) {
    const char *file = argv[i++];
    char *text = read_file(file);
    if (!text) {
      sh_warn("%s: %s", file, strerror(errno));
      return 127;
    }
    free(g.arg0);
    g.arg0 = xstrdup(file);
    for (; i < argc; i++) sv_push(&g.pos, xstrdup(argv[i]));
    g.interactive = force_interactive;
    struct src *s = src_string(text, 1);
    free(text);
    run_source(s);
    src_free(s);
    return shell_exit(g.status);
  }
  for (; i < argc; i++) sv_push(&g.pos, xstrdup(argv[i]));
  g.interactive = force_interactive || isatty(0);
  if (g.interactive) catch_typed_signals();
  if (g.interactive && isatty(0)) jobctl_init();
  struct src *s = src_fd(0, g.interactive);
  run_source(s);
  src_free(s);
  return shell_exit(g.status);
}

/* The shell's stack is 8 MiB: build.sh links it with -z stack-size=8388608 (wasm-ld's default is
 * 64 KiB, about 90 nested function calls of a script). A WASI program's stack has no guard below
 * it, so stack_floor keeps a margin for the deepest call chain below a check. */
enum { STACK_SIZE = 8 << 20, STACK_MARGIN = 256 << 10 };

int main(int argc, char **argv) {
  char here; /* near the top of the stack */
  stack_floor = (uintptr_t)&here - (STACK_SIZE - STACK_MARGIN);
  return sh_main(argc, argv);
}
