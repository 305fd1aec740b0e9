// Process groups and sessions, and posix_spawn's attributes, written as for Linux: who leads what,
// setpgid, getpgid, setsid and getsid with their errors, kill of a whole group, and the spawn
// attributes SETPGROUP, SETSID, SETSIGMASK and SETSIGDEF. Run as `pgrp.wasm all SELF`.
#define _GNU_SOURCE /* POSIX_SPAWN_SETSID, in glibc */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

extern char **environ;
static const char *self;

static pid_t spawn_with(const posix_spawnattr_t *attr, const char *role, const char *arg) {
  char *argv[] = {"pgrp.wasm", (char *)role, (char *)arg, NULL};
  pid_t pid;
  int e = posix_spawn(&pid, self, NULL, attr, argv, environ);
  if (e) errno = e;
  return e ? -1 : pid;
}

static int exit_of(pid_t pid) {
  int st;
  return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int signal_of(pid_t pid) {
  int st;
  return waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) ? WTERMSIG(st) : -1;
}

static int role(const char *r, const char *arg) {
  if (!strcmp(r, "sleep")) {
    struct timespec t = {10, 0};
    nanosleep(&t, NULL);
    return 0;
  }
  if (!strcmp(r, "ids")) { /* exit 0 if pgid and sid are as argv[2] says: "parent" (the parent's), "own" group, "session" */
    pid_t me = getpid(), parent = getppid();
    if (!strcmp(arg, "parent")) return getpgrp() == getpgid(parent) && getsid(0) == getsid(parent) ? 0 : 1;
    if (!strcmp(arg, "own")) return getpgrp() == me && getsid(0) == getsid(parent) ? 0 : 1;
    if (!strcmp(arg, "session")) return getpgrp() == me && getsid(0) == me ? 0 : 1;
    return 2;
  }
  if (!strcmp(r, "setsid")) return setsid() == getpid() && getsid(0) == getpid() && getpgrp() == getpid() ? 0 : 1;
  if (!strcmp(r, "masked")) { /* SIGUSR1 blocked from the start */
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, SIGUSR1) ? 0 : 1;
  }
  if (!strcmp(r, "raise")) { /* raise SIGUSR1: survives if ignored */
    raise(SIGUSR1);
    return 0;
  }
  return 100;
}

int main(int argc, char **argv) {
  self = argc > 2 ? argv[2] : "";
  if (argc < 3 || strcmp(argv[1], "all")) return role(argv[1], argc > 2 ? argv[2] : "");
  pid_t me = getpid();
  check("the first process leads its session and its group", getpgrp() == me && getsid(0) == me && getpgid(0) == me);
  check("a child starts in its parent's group and session", exit_of(spawn_with(NULL, "ids", "parent")) == 0);

  posix_spawnattr_t own;
  posix_spawnattr_init(&own);
  posix_spawnattr_setflags(&own, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&own, 0);
  check("SETPGROUP 0: a group of its own", exit_of(spawn_with(&own, "ids", "own")) == 0);

  pid_t leader = spawn_with(&own, "sleep", NULL);
  posix_spawnattr_t join;
  posix_spawnattr_init(&join);
  posix_spawnattr_setflags(&join, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&join, leader);
  pid_t member = spawn_with(&join, "sleep", NULL);
  check("SETPGROUP N: joins group N", member > 0 && getpgid(member) == leader && getpgid(leader) == leader);
  check("kill(-N) signals the whole group", kill(-leader, SIGTERM) == 0 && signal_of(leader) == SIGTERM && signal_of(member) == SIGTERM);
  check("joining a group that does not exist: EPERM", spawn_with(&join, "sleep", NULL) == -1 && errno == EPERM);

  pid_t child = spawn_with(NULL, "sleep", NULL);
  check("setpgid of a child that has run a program (a spawned one): EACCES", setpgid(child, 0) == -1 && errno == EACCES && getpgid(child) == me);
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  check("setpgid of a process that is not a child: ESRCH", setpgid(99999, 0) == -1 && errno == ESRCH);
  check("getpgid of no process: ESRCH", getpgid(99999) == -1 && errno == ESRCH);
  check("setpgid with a negative group: EINVAL", setpgid(0, -5) == -1 && errno == EINVAL);
  check("a session leader cannot change its group: EPERM", setpgid(0, 0) == -1 && errno == EPERM);
  check("nor start a new session: EPERM", setsid() == -1 && errno == EPERM);
  check("a child can start a session, leading it and a new group", exit_of(spawn_with(NULL, "setsid", NULL)) == 0);

  posix_spawnattr_t session;
  posix_spawnattr_init(&session);
  posix_spawnattr_setflags(&session, POSIX_SPAWN_SETSID);
  check("SETSID: the child leads a new session", exit_of(spawn_with(&session, "ids", "session")) == 0);

  posix_spawnattr_t masked;
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  posix_spawnattr_init(&masked);
  posix_spawnattr_setflags(&masked, POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setsigmask(&masked, &usr1);
  check("SETSIGMASK: the child starts with that mask", exit_of(spawn_with(&masked, "masked", NULL)) == 0);

  signal(SIGUSR1, SIG_IGN);
  check("an ignored signal stays ignored in a child", exit_of(spawn_with(NULL, "raise", NULL)) == 0);
  posix_spawnattr_t def;
  posix_spawnattr_init(&def);
  posix_spawnattr_setflags(&def, POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setsigdefault(&def, &usr1);
  check("SETSIGDEF: back to the default action in the child", signal_of(spawn_with(&def, "raise", NULL)) == SIGUSR1);
  check("an unknown spawn flag: EINVAL", posix_spawnattr_setflags(&def, 0x4000) == EINVAL);
  return report();
}
