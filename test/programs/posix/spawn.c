// posix_spawn and the wait family as POSIX defines them, written as for Linux. Run as
// `spawn.wasm all SELF` (SELF: this program's own path), it spawns itself in the child roles below
// and checks what comes back; one line per check, and the test compares the whole output.
// `spawn.wasm leave N ROLE SELF` spawns N children in ROLE and ends without waiting for them.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

extern char **environ;
static const char *self;

/* Spawn this program with the given role arguments (at most 2), `fa` as its file actions; its pid or -1. */
static pid_t child(posix_spawn_file_actions_t *fa, const char *role, const char *a1, const char *a2) {
  char *argv[] = {"spawn.wasm", (char *)role, (char *)a1, (char *)a2, NULL};
  pid_t pid;
  int e = posix_spawn(&pid, self, fa, NULL, argv, environ);
  return e == 0 ? pid : -1;
}

/* The status of `pid` once it ended, or -1. */
static int status_of(pid_t pid) {
  int status;
  return waitpid(pid, &status, 0) == pid ? status : -1;
}

static int slurp(const char *path, char *buf, size_t room) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, room - 1);
  close(fd);
  buf[n < 0 ? 0 : n] = 0;
  return (int)n;
}

/* The child roles. */
static int role(int argc, char **argv) {
  const char *r = argv[1];
  if (!strcmp(r, "exit")) return atoi(argv[2]);
  if (!strcmp(r, "trap")) __builtin_trap();
  if (!strcmp(r, "say")) return printf("%s\n", argv[2]) < 0;
  if (!strcmp(r, "ppid")) return getppid() == atoi(argv[2]) ? 0 : 1;
  if (!strcmp(r, "env")) return strcmp(getenv("SPAWN_TEST") ? getenv("SPAWN_TEST") : "", argv[2]) != 0;
  if (!strcmp(r, "args")) return argc == 4 && !strcmp(argv[2], "two words") && !strcmp(argv[3], "") ? 0 : 1;
  if (!strcmp(r, "cwd")) { /* started in argv[2], where a relative name reaches the file the parent made */
    char here[256];
    return getcwd(here, sizeof here) && !strcmp(here, argv[2]) && access("marker", F_OK) == 0 ? 0 : 1;
  }
  if (!strcmp(r, "write1")) return write(1, "to file\n", 8) == 8 ? 0 : errno;
  if (!strcmp(r, "fdopen")) return fcntl(atoi(argv[2]), F_GETFD) >= 0 ? 0 : errno;
  if (!strcmp(r, "append")) return write(atoi(argv[2]), "xyz", 3) == 3 ? 0 : errno;
  if (!strcmp(r, "sleep")) {
    struct timespec t = {0, 200 * 1000 * 1000};
    nanosleep(&t, NULL);
    return 3;
  }
  if (!strcmp(r, "leave")) { /* spawn children (argv[2] of them, each as argv[3]) and end without waiting for them */
    self = argv[4];
    for (int i = atoi(argv[2]); i > 0; i--) child(NULL, argv[3], NULL, NULL);
    struct timespec t = {0, 50 * 1000 * 1000};
    nanosleep(&t, NULL);
    return 0;
  }
  return 100;
}

int main(int argc, char **argv) {
  if (argc < 3 || strcmp(argv[1], "all")) return role(argc, argv);
  self = argv[2];
  int st;
  pid_t pid;

  st = status_of(child(NULL, "exit", "7", NULL));
  check("a child's exit status", WIFEXITED(st) && WEXITSTATUS(st) == 7);
  st = status_of(child(NULL, "trap", NULL, NULL));
  check("a child ended by a trap: signalled, SIGILL", WIFSIGNALED(st) && WTERMSIG(st) == SIGILL);
  st = status_of(child(NULL, "say", "hello from a child", NULL));
  check("a child writes to the same standard output", WIFEXITED(st) && WEXITSTATUS(st) == 0);
  char mine[16];
  snprintf(mine, sizeof mine, "%d", getpid());
  check("getppid in the child is the parent's pid", status_of(child(NULL, "ppid", mine, NULL)) == 0);
  setenv("SPAWN_TEST", "passed on", 1);
  check("the environment given is the child's", status_of(child(NULL, "env", "passed on", NULL)) == 0);
  check("arguments arrive as given", status_of(child(NULL, "args", "two words", "")) == 0);
  mkdir("/tmp/spawn-cwd", 0755);
  close(open("/tmp/spawn-cwd/marker", O_WRONLY | O_CREAT, 0644));
  check("a child starts in its parent's working directory",
        chdir("/tmp/spawn-cwd") == 0 && status_of(child(NULL, "cwd", "/tmp/spawn-cwd", NULL)) == 0 && chdir("/") == 0);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/tmp/spawn-out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  st = status_of(child(&fa, "write1", NULL, NULL));
  posix_spawn_file_actions_destroy(&fa);
  char buf[64];
  check("an open action redirects the child's stdout", st == 0 && slurp("/tmp/spawn-out.txt", buf, sizeof buf) == 8 && !strcmp(buf, "to file\n"));

  int fd = open("/tmp/spawn-dup.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fd, 1);
  st = status_of(child(&fa, "write1", NULL, NULL));
  posix_spawn_file_actions_destroy(&fa);
  check("a dup2 action redirects the child's stdout", st == 0 && slurp("/tmp/spawn-dup.txt", buf, sizeof buf) == 8);

  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclose(&fa, 1);
  st = status_of(child(&fa, "write1", NULL, NULL));
  posix_spawn_file_actions_destroy(&fa);
  check("a close action: the child's stdout is closed (EBADF)", WIFEXITED(st) && WEXITSTATUS(st) == EBADF);

  char num[16];
  snprintf(num, sizeof num, "%d", fd);
  check("a descriptor is inherited", status_of(child(NULL, "fdopen", num, NULL)) == 0);
  off_t before = lseek(fd, 0, SEEK_CUR);
  st = status_of(child(NULL, "append", num, NULL));
  check("an inherited descriptor shares its offset", st == 0 && before == 8 && lseek(fd, 0, SEEK_CUR) == 11);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  st = status_of(child(NULL, "fdopen", num, NULL));
  check("a FD_CLOEXEC descriptor is not inherited", WIFEXITED(st) && WEXITSTATUS(st) == EBADF);
  posix_spawn_file_actions_t cl;
  posix_spawn_file_actions_init(&cl);
  posix_spawn_file_actions_adddup2(&cl, fd, 9);
  st = status_of(child(&cl, "fdopen", "9", NULL));
  posix_spawn_file_actions_destroy(&cl);
  check("but a file action may dup2 it first (the actions run before close-on-exec)", st == 0);
  close(fd);

  pid = child(NULL, "sleep", NULL, NULL);
  check("WNOHANG: no child has ended yet", waitpid(pid, &st, WNOHANG) == 0);
  check("then waitpid waits for it", waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 3);

  pid_t a = child(NULL, "exit", "1", NULL), b = child(NULL, "exit", "2", NULL);
  pid_t w1 = wait(&st);
  int s1 = WEXITSTATUS(st);
  pid_t w2 = wait(&st);
  int s2 = WEXITSTATUS(st);
  check("wait reaps each child once, any order", ((w1 == a && w2 == b && s1 == 1 && s2 == 2) || (w1 == b && w2 == a && s1 == 2 && s2 == 1)));
  check("with no children left, ECHILD", wait(&st) == -1 && errno == ECHILD);
  check("waitpid of a process that is not a child is ECHILD", waitpid(1, &st, 0) == -1 && errno == ECHILD);

  char *args[] = {"x", NULL};
  check("spawning a file that does not exist: ENOENT", posix_spawn(&pid, "/tmp/no-such-program", NULL, NULL, args, environ) == ENOENT);
  check("spawning a file that is not a program: ENOEXEC", posix_spawn(&pid, "/tmp/spawn-dup.txt", NULL, NULL, args, environ) == ENOEXEC);
  check("spawning a directory: EACCES", posix_spawn(&pid, "/tmp", NULL, NULL, args, environ) == EACCES);
  char dir[256];
  strncpy(dir, self, sizeof dir - 1);
  *strrchr(dir, '/') = 0;
  setenv("PATH", dir, 1);
  char *pargv[] = {"spawn.wasm", "exit", "5", NULL};
  check("posix_spawnp searches PATH", posix_spawnp(&pid, "spawn.wasm", NULL, NULL, pargv, environ) == 0 && WEXITSTATUS(status_of(pid)) == 5);
  check("posix_spawnp of a name not in PATH: ENOENT", posix_spawnp(&pid, "no-such-program", NULL, NULL, pargv, environ) == ENOENT);
  return report();
}
