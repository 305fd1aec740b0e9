// fork and vfork as POSIX defines them, written as for Linux. Run as `fork.wasm SELF DIR` (SELF: this
// program's own path, for the exec check; DIR: a writable directory), it forks children that report
// through exit statuses, pipes and files; one line per check.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static const char *self;
static const char *dir;
static int global = 1;

/* The exit status `pid` ended with, or -1 if it did not exit. */
static int exit_of(pid_t pid) {
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

/* Fork a child that exits with what `body` returns; the child's exit status in the parent. */
static int in_child(int (*body)(void)) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) _exit(body());
  return exit_of(pid);
}

static void returns_twice(void) {
  int stack = 5;
  char *heap = strdup("heap");
  int fds[2];
  pipe(fds);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    pid_t me = getpid();
    int ok = getppid() == parent && me != parent && stack == 5 && global == 1 && strcmp(heap, "heap") == 0;
    global = 2, stack = 6, heap[0] = 'H';
    write(fds[1], &me, sizeof me);
    _exit(ok ? 7 : 1);
  }
  pid_t reported = 0;
  read(fds[0], &reported, sizeof reported);
  check("fork returns the child's pid in the parent, and the child sees it as getpid()", pid > 0 && reported == pid);
  check("the child has a copy of the stack, globals and heap, and getppid() is the parent", exit_of(pid) == 7);
  check("what the child changes in its memory the parent does not see", global == 1 && stack == 5 && strcmp(heap, "heap") == 0);
  free(heap);
  close(fds[0]);
  close(fds[1]);
}

static int deep(int n) {
  if (n == 0) {
    pid_t pid = fork();
    if (pid == 0) _exit(9);
    return pid < 0 ? -1 : exit_of(pid);
  }
  volatile int keep = n;
  int r = deep(n - 1);
  return keep == n ? r : -1;
}

static void descriptors(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/fork-offsets", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(fd, "ab", 2);
  pid_t pid = fork();
  if (pid == 0) {
    int ok = write(fd, "cd", 2) == 2;
    close(fd);
    _exit(ok ? 0 : 1);
  }
  int child = exit_of(pid);
  check("a descriptor the child closes stays open in the parent", fcntl(fd, F_GETFD) >= 0);
  write(fd, "ef", 2);
  char got[8] = {0};
  check("parent and child share the open file's offset", child == 0 && pread(fd, got, sizeof got - 1, 0) == 6 && strcmp(got, "abcdef") == 0);
  check("lseek in the parent sees where the child left the offset", lseek(fd, 0, SEEK_CUR) == 6);
  close(fd);
  unlink(path);
}

static void pipe_between(void) {
  int up[2], down[2];
  pipe(up);
  pipe(down);
  pid_t pid = fork();
  if (pid == 0) {
    close(up[0]);
    close(down[1]);
    char buf[16] = {0};
    ssize_t n = read(down[0], buf, sizeof buf - 1);
    for (ssize_t i = 0; i < n; i++) buf[i] = buf[i] - 'a' + 'A';
    write(up[1], buf, n);
    _exit(0);
  }
  close(up[1]);
  close(down[0]);
  write(down[1], "ping", 4);
  close(down[1]);
  char buf[16] = {0};
  ssize_t n = read(up[0], buf, sizeof buf - 1);
  ssize_t end = read(up[0], buf + 8, 1);
  check("a pipe made before fork carries data both ways, and ends when the child's end closes", n == 4 && strcmp(buf, "PING") == 0 && end == 0 && exit_of(pid) == 0);
  close(up[0]);
}

static volatile sig_atomic_t caught;
static void on_usr1(int sig) {
  caught = sig;
}

/* fork in a handler: on Linux a child (which exits at once); webmach's library is below the handler
   on the stack, so there it is ENOSYS (documented), the program going on as before. */
static volatile pid_t in_handler = -2;
static volatile int in_handler_errno;
static void forks_in_handler(int sig) {
  (void)sig;
  in_handler = fork();
  in_handler_errno = errno;
  if (in_handler == 0) _exit(0);
}

static int raises_usr1(void) {
  raise(SIGUSR1);
  return caught == SIGUSR1 ? 0 : 1;
}

static int survives_term(void) {
  kill(getpid(), SIGTERM);
  return 0;
}

static int nothing_pending(void) {
  sigset_t pending, mask;
  sigpending(&pending);
  sigprocmask(SIG_BLOCK, NULL, &mask);
  return !sigismember(&pending, SIGUSR2) && sigismember(&mask, SIGUSR2) ? 0 : 1;
}

static int no_alarm(void) {
  return alarm(0) == 0 ? 0 : 1;
}

static void signals(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  check("a caught signal's handler runs in the child", in_child(raises_usr1) == 0);
  signal(SIGTERM, SIG_IGN);
  check("an ignored signal stays ignored in the child", in_child(survives_term) == 0);
  signal(SIGTERM, SIG_DFL);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, NULL);
  raise(SIGUSR2);
  check("the child keeps the mask, and nothing is pending in it", in_child(nothing_pending) == 0);
  sigset_t pending;
  sigpending(&pending);
  check("the signal stays pending in the parent", sigismember(&pending, SIGUSR2));
  signal(SIGUSR2, SIG_IGN); // discards it
  sigprocmask(SIG_UNBLOCK, &usr2, NULL);
  signal(SIGUSR2, SIG_DFL);
  alarm(100);
  check("an alarm set in the parent is not the child's", in_child(no_alarm) == 0);
  alarm(0);
  signal(SIGUSR1, forks_in_handler);
  raise(SIGUSR1);
#ifdef __wasi__
  check("fork in a signal handler: ENOSYS, and the program goes on", in_handler == -1 && in_handler_errno == ENOSYS);
#else
  check("fork in a signal handler: a child", in_handler > 0 && exit_of(in_handler) == 0);
#endif
  signal(SIGUSR1, SIG_DFL);
  pid_t pid = fork();
  if (pid == 0) {
    pause();
    _exit(0);
  }
  kill(pid, SIGTERM);
  int status;
  check("a child a signal ends: WIFSIGNALED, WTERMSIG", waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

/* Children killed the moment they are made (under webmach, before their worker has started). */
static void killed_at_once(void) {
  int ok = 1;
  for (int i = 0; i < 10; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      pause();
      _exit(0);
    }
    int status;
    ok &= pid > 0 && kill(pid, SIGKILL) == 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
  check("ten children killed the moment fork returns: each ends by SIGKILL", ok);
}

static void many(void) {
  pid_t pids[5];
  for (int i = 0; i < 5; i++) {
    pids[i] = fork();
    if (pids[i] == 0) _exit(10 + i);
  }
  int sum = 0, distinct = 1;
  for (int i = 0; i < 5; i++) {
    sum += exit_of(pids[i]);
    for (int j = 0; j < i; j++) distinct &= pids[i] != pids[j];
  }
  check("five children forked in a loop: five pids, five statuses", distinct && sum == 10 + 11 + 12 + 13 + 14);
}

static int grandchild(void) {
  pid_t pid = fork();
  if (pid == 0) _exit(getppid() == getppid() ? 3 : 1);
  int st = exit_of(pid);
  return st == 3 ? 30 : 1;
}

static void exec_after_fork(void) {
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {"fork.wasm", "exit", "42", NULL};
    execv(self, argv);
    _exit(127);
  }
  check("the child execs a program, whose status the parent gets", exit_of(pid) == 42);
  pid = vfork();
  if (pid == 0) {
    char *argv[] = {"fork.wasm", "exit", "43", NULL};
    execv(self, argv);
    _exit(127);
  }
  check("vfork then exec", pid > 0 && exit_of(pid) == 43);
}

static int own_group(void) {
  for (int i = 0; i < 100 && getpgrp() != getpid(); i++) usleep(10000);
  return getpgrp() == getpid() ? 0 : 1;
}

static void groups(void) {
  int go[2];
  pipe(go);
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    read(go[0], &c, 1);
    _exit(own_group());
  }
  check("setpgid on a forked child that has not exec'd", setpgid(pid, pid) == 0);
  write(go[1], "x", 1);
  check("the child is in its new group", exit_of(pid) == 0);
  close(go[0]);
  close(go[1]);
  pid = fork();
  if (pid == 0) {
    char *argv[] = {"fork.wasm", "sleep", NULL};
    execv(self, argv);
    _exit(127);
  }
  int tries = 0;
  while (setpgid(pid, pid) == 0 && tries++ < 200) usleep(10000); // until it has exec'd
  check("setpgid on a child that has exec'd: EACCES", errno == EACCES);
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
}

static int at_exit_ran;
static void on_exit_handler(void) {
  printf("atexit in %s\n", at_exit_ran ? "child" : "?");
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "exit") == 0) return atoi(argv[2]);
  if (argc == 2 && strcmp(argv[1], "sleep") == 0) {
    sleep(5);
    return 0;
  }
  if (argc != 3) {
    fprintf(stderr, "usage: fork.wasm SELF DIR\n");
    return 2;
  }
  self = argv[1];
  dir = argv[2];
  setvbuf(stdout, NULL, _IOLBF, 0);
  returns_twice();
  check("fork deep in the call stack (200 frames) returns in both", deep(200) == 9);
  descriptors();
  pipe_between();
  signals();
  many();
  killed_at_once();
  check("a child forks a grandchild and waits for it", in_child(grandchild) == 30);
  exec_after_fork();
  groups();
  pid_t pid = fork();
  if (pid == 0) {
    at_exit_ran = 1;
    atexit(on_exit_handler);
    exit(0); // runs the handler and flushes stdio in the child
  }
  check("exit in the child runs its atexit handlers", exit_of(pid) == 0);
  return report();
}
