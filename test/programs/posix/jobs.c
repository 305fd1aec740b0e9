// Job control without a terminal, written as for Linux: the stop signals stop a process and SIGCONT
// continues it (waitpid's WUNTRACED and WCONTINUED report both, SIGCHLD says so unless SA_NOCLDSTOP),
// a stopped process runs no more, keeps other signals pending until it continues, and SIGKILL ends
// it; an orphaned process group ignores SIGTSTP; waitpid by process group; and the terminal calls on
// what is not a terminal (ENOTTY, EBADF) with the termios helpers. Run as `jobs.wasm all SELF`.
#define _GNU_SOURCE /* POSIX_SPAWN_SETSID, cfmakeraw, in glibc */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

extern char **environ;
static const char *self;

static void nap(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&t, NULL);
}

static pid_t spawn_with(const posix_spawnattr_t *attr, posix_spawn_file_actions_t *fa, const char *role) {
  char *argv[] = {"jobs.wasm", (char *)role, (char *)self, NULL};
  pid_t pid;
  int e = posix_spawn(&pid, self, fa, attr, argv, environ);
  if (e) errno = e;
  return e ? -1 : pid;
}

static volatile sig_atomic_t got;
static void on_signal(int sig) { got = sig; }

static int role(const char *r) {
  if (!strcmp(r, "tick")) { /* a byte to stdout every 10 ms, for 10 s */
    for (int i = 0; i < 1000; i++) {
      if (write(1, "t", 1) != 1) return 1;
      nap(10);
    }
    return 0;
  }
  if (!strcmp(r, "sleep")) {
    nap(10000);
    return 0;
  }
  if (!strcmp(r, "tstp")) { /* in an orphaned group (its own session) SIGTSTP does not stop it */
    raise(SIGTSTP);
    return 7;
  }
  if (!strcmp(r, "catch")) { /* a caught SIGTSTP runs the handler; an ignored one does nothing */
    signal(SIGTSTP, on_signal);
    raise(SIGTSTP);
    if (got != SIGTSTP) return 1;
    signal(SIGTSTP, SIG_IGN);
    raise(SIGTSTP);
    return 0;
  }
  return 100;
}

/* Bytes waiting in the non-blocking pipe `fd`, read and dropped. */
static int drain(int fd) {
  char buf[4096];
  int total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) total += (int)n;
  return total;
}

/* Whether output comes through the non-blocking pipe `fd` within 5 s (a program takes a while to start). */
static int flowing(int fd) {
  for (int i = 0; i < 500; i++, nap(10))
    if (drain(fd) > 0) return 1;
  return 0;
}

static int stopped_by(pid_t pid, int sig) {
  int st;
  return waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == sig;
}

static int continued(pid_t pid) {
  int st;
  return waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st);
}

static int killed_by(pid_t pid, int sig) {
  int st;
  return waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

/* Waits through WCONTINUED reports for the end: whether signal `sig` ended it, having been continued first. */
static int continued_then_killed_by(pid_t pid, int sig) {
  int st;
  while (waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st)) {}
  return WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

static int exit_of(pid_t pid) {
  int st;
  return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A child in a process group of its own: not orphaned (its parent is in another group of the session), so stop signals stop it. */
static posix_spawnattr_t own;

static void stop_and_continue(void) {
  posix_spawnattr_init(&own);
  posix_spawnattr_setflags(&own, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&own, 0);
  int p[2];
  pipe(p);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART; /* waitpid goes on when SIGCHLD comes */
  sigaction(SIGCHLD, &sa, NULL);
  pid_t child = spawn_with(&own, &fa, "tick");
  close(p[1]);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  check("a child runs (writes)", flowing(p[0]));
  got = 0;
  kill(child, SIGSTOP);
  check("SIGSTOP stops it: waitpid WUNTRACED says WIFSTOPPED, WSTOPSIG SIGSTOP", stopped_by(child, SIGSTOP));
  check("its parent gets SIGCHLD", got == SIGCHLD);
  int st;
  check("a stop is reported once", waitpid(child, &st, WUNTRACED | WNOHANG) == 0);
  check("without WUNTRACED a stop is not reported", waitpid(child, &st, WNOHANG) == 0);
  nap(50);
  drain(p[0]);
  nap(200);
  check("a stopped process runs no more", drain(p[0]) == 0);
  kill(child, SIGTERM);
  nap(50);
  check("other signals wait while it is stopped", waitpid(child, &st, WNOHANG) == 0);
  kill(child, SIGCONT);
  check("SIGCONT continues it, and the pending SIGTERM then ends it", continued_then_killed_by(child, SIGTERM));
  close(p[0]);

  pipe(p);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  child = spawn_with(&own, &fa, "tick");
  close(p[1]);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  kill(child, SIGTSTP);
  check("SIGTSTP stops a process by default", stopped_by(child, SIGTSTP));
  kill(child, SIGCONT);
  check("continued, it runs again", continued(child) && flowing(p[0]));
  kill(child, SIGTTOU);
  check("SIGTTOU stops it", stopped_by(child, SIGTTOU));
  kill(child, SIGKILL);
  check("SIGKILL ends a stopped process", killed_by(child, SIGKILL));
  close(p[0]);
  posix_spawn_file_actions_destroy(&fa);

  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);
  child = spawn_with(NULL, NULL, "sleep");
  got = 0;
  kill(child, SIGSTOP);
  check("SA_NOCLDSTOP: no SIGCHLD when a child stops", stopped_by(child, SIGSTOP) && got == 0);
  kill(child, SIGKILL);
  check("(and one when it ends)", killed_by(child, SIGKILL) && got == SIGCHLD);
  signal(SIGCHLD, SIG_DFL);
}

static void groups(void) {
  pid_t other = spawn_with(&own, NULL, "sleep");
  pid_t mine = spawn_with(NULL, NULL, "sleep");
  kill(other, SIGSTOP);
  kill(mine, SIGSTOP);
  int st;
  check("waitpid(0) hears of its own group's child only", waitpid(0, &st, WUNTRACED) == mine && WIFSTOPPED(st) &&
                                                             waitpid(0, &st, WUNTRACED | WNOHANG) == 0);
  check("waitpid(-pgid) of the other group", waitpid(-other, &st, WUNTRACED) == other && WIFSTOPPED(st));
  kill(other, SIGKILL);
  kill(mine, SIGKILL);
  check("both end", killed_by(other, SIGKILL) && killed_by(mine, SIGKILL));

  posix_spawnattr_t session;
  posix_spawnattr_init(&session);
  posix_spawnattr_setflags(&session, POSIX_SPAWN_SETSID);
  check("an orphaned process group is not stopped by SIGTSTP", exit_of(spawn_with(&session, NULL, "tstp")) == 7);
  check("a caught SIGTSTP runs its handler, an ignored one does nothing", exit_of(spawn_with(NULL, NULL, "catch")) == 0);
}

static void not_a_terminal(void) {
  int p[2];
  pipe(p);
  struct termios t;
  errno = 0;
  check("isatty of a pipe: 0, ENOTTY", isatty(p[0]) == 0 && errno == ENOTTY);
  check("tcgetattr of a pipe: ENOTTY", tcgetattr(p[0], &t) == -1 && errno == ENOTTY);
  check("tcgetattr of no descriptor: EBADF", tcgetattr(99, &t) == -1 && errno == EBADF);
  memset(&t, 0, sizeof t);
  check("tcsetattr of a pipe: ENOTTY", tcsetattr(p[1], TCSANOW, &t) == -1 && errno == ENOTTY);
  check("tcgetpgrp and tcsetpgrp of a pipe: ENOTTY", tcgetpgrp(p[0]) == -1 && errno == ENOTTY &&
                                                     tcsetpgrp(p[0], getpgrp()) == -1 && errno == ENOTTY);
  check("tcgetsid of a pipe: ENOTTY", tcgetsid(p[0]) == -1 && errno == ENOTTY);
  check("tcflush and tcdrain of a pipe: ENOTTY", tcflush(p[0], TCIFLUSH) == -1 && errno == ENOTTY && tcdrain(p[1]) == -1 && errno == ENOTTY);
  char name[64];
  check("ttyname of a pipe: NULL, ENOTTY; ttyname_r returns ENOTTY", ttyname(p[0]) == NULL && errno == ENOTTY &&
                                                                      ttyname_r(p[0], name, sizeof name) == ENOTTY);
  int null = open("/dev/null", O_RDWR);
  check("/dev/null is no terminal", isatty(null) == 0 && tcgetattr(null, &t) == -1 && errno == ENOTTY);
  close(null);
  close(p[0]);
  close(p[1]);
  memset(&t, 0xff, sizeof t);
  cfmakeraw(&t);
  check("cfmakeraw: no ICANON, ECHO, ISIG, OPOST, ICRNL; CS8; VMIN 1, VTIME 0",
        !(t.c_lflag & (ICANON | ECHO | ISIG | IEXTEN)) && !(t.c_oflag & OPOST) && !(t.c_iflag & (ICRNL | IXON)) &&
            (t.c_cflag & CSIZE) == CS8 && t.c_cc[VMIN] == 1 && t.c_cc[VTIME] == 0);
  check("cfsetospeed and cfgetospeed", cfsetospeed(&t, B9600) == 0 && cfgetospeed(&t) == B9600 &&
                                           cfsetispeed(&t, B9600) == 0 && cfgetispeed(&t) == B9600);
  check("cfsetospeed of no speed: EINVAL", cfsetospeed(&t, 12345) == -1 && errno == EINVAL);
}

int main(int argc, char **argv) {
  self = argc > 2 ? argv[2] : "";
  if (argc < 3 || strcmp(argv[1], "all")) return role(argv[1]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  stop_and_continue();
  groups();
  not_a_terminal();
  return report();
}
