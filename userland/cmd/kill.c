/*
 * kill: send a signal to processes (POSIX kill, as procps's).
 *   kill PID...               SIGTERM
 *   kill -s NAME PID...       the signal NAME (TERM or SIGTERM, any case) or a number
 *   kill -NAME PID..., kill -N PID...
 *   kill -l [N]               the signal names; the name of signal N (or of 128+N, an exit status)
 * A PID below 0 (after --, or as -- -N) is a process group. Exit 1 if any process could not be
 * signalled (with a message naming it), 2 for a usage error.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/util.h"

const char *prog = "kill";

static const char *names[NSIG + 1] = {
    [SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL", [SIGTRAP] = "TRAP", [SIGABRT] = "ABRT",
    [SIGBUS] = "BUS", [SIGFPE] = "FPE", [SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
    [SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT", [SIGCHLD] = "CHLD", [SIGCONT] = "CONT",
    [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP", [SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU",
    [SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH", [SIGIO] = "POLL", [SIGPWR] = "PWR",
    [SIGSYS] = "SYS",
};

/* The signal `s` names (a number, NAME or SIGNAME in any case); -1 if none. */
static int signal_of(const char *s) {
  if (isdigit((unsigned char)*s)) {
    char *end;
    long n = strtol(s, &end, 10);
    return *end || n < 0 || n > NSIG ? -1 : (int)n;
  }
  if (!strncasecmp(s, "SIG", 3)) s += 3;
  if (!strcasecmp(s, "IO")) return SIGIO;
  for (int n = 1; n <= NSIG; n++) if (names[n] && !strcasecmp(s, names[n])) return n;
  return -1;
}

static int list(const char *which) {
  if (!which) {
    for (int n = 1; n <= NSIG; n++) printf("%s%s", names[n], n % 16 == 0 || n == NSIG ? "\n" : " ");
    return 0;
  }
  int n = atoi(which);
  if (n > 128) n -= 128;
  if (!isdigit((unsigned char)*which) || n < 1 || n > NSIG) {
    fprintf(stderr, "kill: unknown signal: %s\n", which);
    return 1;
  }
  printf("%s\n", names[n]);
  return 0;
}

static int usage(void) {
  fprintf(stderr, "usage: kill [-s SIGNAL | -SIGNAL] PID...\n       kill -l [N]\n");
  return 2;
}

int main(int argc, char **argv) {
  int sig = SIGTERM, i = 1;
  if (i < argc && !strcmp(argv[i], "-l")) return list(argv[i + 1]);
  if (i < argc && !strcmp(argv[i], "-s")) {
    if (i + 1 >= argc || (sig = signal_of(argv[i + 1])) < 0) {
      fprintf(stderr, "kill: unknown signal: %s\n", i + 1 < argc ? argv[i + 1] : "");
      return 2;
    }
    i += 2;
  } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--")) { /* -NAME or -N */
    if ((sig = signal_of(argv[i] + 1)) < 0) {
      fprintf(stderr, "kill: unknown signal: %s\n", argv[i] + 1);
      return 2;
    }
    i++;
  }
  if (i < argc && !strcmp(argv[i], "--")) i++;
  if (i >= argc) return usage();
  int status = 0;
  for (; i < argc; i++) {
    char *end;
    long pid = strtol(argv[i], &end, 10);
    if (*end || end == argv[i]) {
      fprintf(stderr, "kill: %s: arguments must be process or job IDs\n", argv[i]);
      status = 1;
    } else if (kill((pid_t)pid, sig)) {
      fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
      status = 1;
    }
  }
  return status;
}
