// Signals as POSIX defines them, written as for Linux: handlers by kill and raise, blocking and
// pending, SIG_IGN, SA_RESETHAND and SA_SIGINFO, errors, default actions on a child (also one that
// loops without system calls), SIGCHLD, alarm and interval timers, EINTR and SA_RESTART, and what
// exec keeps. Run as `signals.wasm all SELF`; one line per check.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

extern char **environ;
static const char *self;
static volatile sig_atomic_t got, count, info_signo;

static void handler(int sig) {
  got = sig;
  count++;
}

static void info_handler(int sig, siginfo_t *info, void *context) {
  (void)sig, (void)context;
  info_signo = info->si_signo;
}

static int catch(int sig, int flags) {
  struct sigaction sa = {0};
  sa.sa_handler = handler;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  return sigaction(sig, &sa, NULL);
}

static pid_t child(const char *role) {
  char *argv[] = {"signals.wasm", (char *)role, (char *)self, NULL};
  pid_t pid;
  return posix_spawn(&pid, self, NULL, NULL, argv, environ) == 0 ? pid : -1;
}

static int status_of(pid_t pid) {
  int st;
  return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void nap(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* SIGALRM in `ms` milliseconds, once. */
static void alarm_ms(long ms) {
  struct itimerval t = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
  setitimer(ITIMER_REAL, &t, NULL);
}

/* The roles a child runs. */
static int role(const char *r) {
  if (!strcmp(r, "spin")) for (volatile unsigned long i = 0;; i++) {} /* no system calls at all */
  if (!strcmp(r, "sleep")) { nap(10000); return 0; }
  if (!strcmp(r, "nap")) { nap(400); return 0; }
  if (!strcmp(r, "write-later")) { nap(400); return write(1, "x", 1) == 1 ? 0 : 1; }
  if (!strcmp(r, "wait-usr1")) { /* exit 5 once the handler of SIGUSR1 ran, waiting in sigsuspend */
    sigset_t usr1, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    catch(SIGUSR1, 0);
    sigprocmask(SIG_BLOCK, &usr1, NULL); /* so it cannot come between "ready" and the wait */
    printf("ready\n");
    fflush(stdout);
    int r = sigsuspend(&none);
    return r == -1 && errno == EINTR && got == SIGUSR1 ? 5 : 6;
  }
  if (!strcmp(r, "exec-keeps")) { /* SIGUSR1 ignored and SIGUSR2 caught, then exec */
    signal(SIGUSR1, SIG_IGN);
    catch(SIGUSR2, 0);
    execl(self, "signals.wasm", "after-exec", self, (char *)NULL);
    return 90;
  }
  if (!strcmp(r, "after-exec")) { /* ignored stays ignored; caught is back to the default */
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    raise(SIGUSR1);
    return old.sa_handler == SIG_DFL ? 0 : 1;
  }
  return 100;
}

int main(int argc, char **argv) {
  self = argc > 2 ? argv[2] : "";
  if (argc < 3 || strcmp(argv[1], "all")) return role(argv[1]);
  int st;

  check("sigaction installs a handler", catch(SIGUSR1, 0) == 0);
  check("kill(getpid()) runs it before kill returns", kill(getpid(), SIGUSR1) == 0 && got == SIGUSR1);
  got = 0;
  check("raise runs it", raise(SIGUSR1) == 0 && got == SIGUSR1);
  struct sigaction old;
  check("sigaction returns the old action", sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == handler);

  sigset_t set, pending;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  got = 0;
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR1);
  check("a blocked signal waits, pending", got == 0 && sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  check("and runs its handler once unblocked", got == SIGUSR1 && sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR1));

  check("SIG_IGN: an ignored signal does nothing", signal(SIGUSR2, SIG_IGN) != SIG_ERR && raise(SIGUSR2) == 0);
  signal(SIGUSR2, SIG_DFL);
  count = 0;
  catch(SIGUSR2, SA_RESETHAND);
  raise(SIGUSR2);
  check("SA_RESETHAND: the handler runs once, then the default is back",
        count == 1 && sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
  struct sigaction si = {0};
  si.sa_sigaction = info_handler;
  si.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &si, NULL);
  raise(SIGUSR2);
  check("SA_SIGINFO: the handler gets the signal number in siginfo", info_signo == SIGUSR2);

  check("SIGKILL cannot be caught: EINVAL", catch(SIGKILL, 0) == -1 && errno == EINVAL);
  check("nor SIGSTOP", catch(SIGSTOP, 0) == -1 && errno == EINVAL);
  check("a bad signal: EINVAL", kill(getpid(), 99) == -1 && errno == EINVAL);
  check("no such process: ESRCH", kill(99999, SIGUSR1) == -1 && errno == ESRCH);
  check("signal 0 checks that a process exists", kill(getpid(), 0) == 0);

  pid_t pid = child("sleep");
  check("SIGTERM's default action ends a child; the parent sees WTERMSIG", kill(pid, SIGTERM) == 0 && (st = status_of(pid)) != -1 &&
        WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
  pid = child("spin");
  nap(50);
  check("SIGINT ends a child in a loop that makes no system calls", kill(pid, SIGINT) == 0 && (st = status_of(pid)) != -1 &&
        WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
  pid = child("spin");
  check("and SIGKILL", kill(pid, SIGKILL) == 0 && (st = status_of(pid)) != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

  int p[2];
  pipe(p);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  char *wargv[] = {"signals.wasm", "wait-usr1", (char *)self, NULL};
  posix_spawn(&pid, self, &fa, NULL, wargv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  char buf[16];
  read(p[0], buf, sizeof buf); /* "ready": its handler is in place */
  close(p[0]);
  check("a child's handler ends its sigsuspend (EINTR)", kill(pid, SIGUSR1) == 0 && (st = status_of(pid)) != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 5);

  got = 0;
  catch(SIGCHLD, SA_RESTART); /* else the waitpid below would end with EINTR */
  pid = child("exec-keeps");
  st = status_of(pid);
  check("SIGCHLD comes when a child ends", got == SIGCHLD);
  check("exec keeps ignored signals and resets caught ones", WIFEXITED(st) && WEXITSTATUS(st) == 0);
  signal(SIGCHLD, SIG_DFL);

  got = 0;
  catch(SIGALRM, 0);
  alarm(1);
  check("alarm: SIGALRM ends pause with EINTR", pause() == -1 && errno == EINTR && got == SIGALRM);
  check("alarm(0) cancels, and says none was left", alarm(0) == 0);
  alarm(5);
  check("alarm says how long the one it replaces had left", alarm(0) == 5);
  struct itimerval every = {{0, 20000}, {0, 20000}}, left;
  count = 0;
  setitimer(ITIMER_REAL, &every, NULL);
  while (count < 3) pause();
  check("setitimer's interval fires again and again", count >= 3 && getitimer(ITIMER_REAL, &left) == 0 && left.it_interval.tv_usec == 20000);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);

  got = 0;
  alarm_ms(100);
  struct timespec ten = {10, 0}, rem;
  check("nanosleep is interrupted: EINTR, and says what was left", nanosleep(&ten, &rem) == -1 && errno == EINTR && got == SIGALRM &&
        rem.tv_sec >= 9 && rem.tv_sec <= 10);
  alarm_ms(100);
  check("poll is interrupted: EINTR", poll(NULL, 0, 10000) == -1 && errno == EINTR);

  pid = child("nap");
  alarm_ms(100);
  check("a waitpid a signal interrupts: EINTR", waitpid(pid, &st, 0) == -1 && errno == EINTR);
  waitpid(pid, &st, 0);
  catch(SIGALRM, SA_RESTART);
  got = 0;
  pid = child("nap");
  alarm_ms(100);
  check("with SA_RESTART the waitpid goes on after the handler", waitpid(pid, &st, 0) == pid && got == SIGALRM && WIFEXITED(st));

  int q[2];
  pipe(q);
  catch(SIGALRM, 0);
  alarm_ms(100);
  char c;
  check("a read waiting on a pipe is interrupted: EINTR", read(q[0], &c, 1) == -1 && errno == EINTR);
  posix_spawn_file_actions_t later;
  posix_spawn_file_actions_init(&later);
  posix_spawn_file_actions_adddup2(&later, q[1], 1);
  char *largv[] = {"signals.wasm", "write-later", (char *)self, NULL};
  posix_spawn(&pid, self, &later, NULL, largv, environ);
  posix_spawn_file_actions_destroy(&later);
  catch(SIGALRM, SA_RESTART);
  got = 0;
  alarm_ms(100);
  check("with SA_RESTART the read goes on after the handler and gets the data", read(q[0], &c, 1) == 1 && c == 'x' && got == SIGALRM);
  waitpid(pid, &st, 0);
  return report();
}
