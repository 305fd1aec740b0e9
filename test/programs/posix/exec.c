// The exec family as POSIX defines them, written as for Linux. Run as `exec.wasm all SELF DIR` (SELF:
// this program's own path; DIR: a writable directory), it spawns itself in the roles below, each of
// which execs, and checks what comes back through exit statuses; one line per check.
//   exec.wasm report PPID FD... : the image exec'd into: exit 0 if getppid() is PPID and each FD is
//     open ("+N") or closed ("-N") as listed, else the number of the first mismatch
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

extern char **environ;
static const char *self;
static const char *dir;

static pid_t child(const char *role, const char *a1, const char *a2) {
  char *argv[] = {"exec.wasm", (char *)role, (char *)self, (char *)a1, (char *)a2, NULL};
  pid_t pid;
  return posix_spawn(&pid, self, NULL, NULL, argv, environ) == 0 ? pid : -1;
}

static int status_of(pid_t pid) {
  int status;
  return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* The exit status a child ended with, or -1 if it did not exit. */
static int exit_of(pid_t pid) {
  int st = status_of(pid);
  return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The image an exec runs: checks what it inherited. */
static int inherited(int argc, char **argv) {
  if (getppid() != atoi(argv[2])) return 10;
  for (int i = 3; i < argc; i++) {
    int fd = atoi(argv[i] + 1);
    int open = fcntl(fd, F_GETFD) >= 0;
    if (open != (argv[i][0] == '+')) return 20 + i;
  }
  return 0;
}

static int file(const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (fd < 0) return -1;
  int ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
  return close(fd) == 0 && ok ? 0 : -1;
}

/* The roles, run in a spawned child: each execs (argv[2] is SELF) and returns only if that fails. */
static int role(int argc, char **argv) {
  const char *r = argv[1];
  char ppid[16];
  snprintf(ppid, sizeof ppid, "%d", getppid());
  if (!strcmp(r, "report")) return inherited(argc, argv);
  if (!strcmp(r, "execv")) {
    char *v[] = {"exec.wasm", "report", ppid, NULL};
    execv(argv[2], v);
    return 90;
  }
  if (!strcmp(r, "cloexec")) { /* 5 stays open, 6 (FD_CLOEXEC) closes */
    int fd = open("/dev/null", O_RDONLY);
    dup2(fd, 5);
    dup2(fd, 6);
    fcntl(6, F_SETFD, FD_CLOEXEC);
    execl(argv[2], "exec.wasm", "report", ppid, "+5", "-6", (char *)NULL);
    return 90;
  }
  if (!strcmp(r, "offset")) { /* an open file's offset carries over: the new image writes after "abc" */
    int fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 7);
    write(7, "abc", 3);
    char *v[] = {"exec.wasm", "append7", NULL};
    execv(argv[2], v);
    return 90;
  }
  if (!strcmp(r, "append7")) return write(7, "def", 3) == 3 ? 0 : 1;
  if (!strcmp(r, "env")) { /* execle: exactly the environment given */
    char *envp[] = {"ONLY=this", NULL};
    execle(argv[2], "exec.wasm", "checkenv", (char *)NULL, envp);
    return 90;
  }
  if (!strcmp(r, "checkenv")) return getenv("ONLY") && !strcmp(getenv("ONLY"), "this") && !getenv("PATH") && environ[1] == NULL ? 0 : 1;
  if (!strcmp(r, "cwd")) { /* the working directory carries over */
    if (chdir(argv[3])) return 91;
    execl(argv[2], "exec.wasm", "checkcwd", argv[3], (char *)NULL);
    return 90;
  }
  if (!strcmp(r, "checkcwd")) {
    char here[256];
    return getcwd(here, sizeof here) && !strcmp(here, argv[2]) ? 0 : 1;
  }
  if (!strcmp(r, "path")) { /* execvp and execlp search PATH */
    setenv("PATH", argv[3], 1);
    execlp("exec.wasm", "exec.wasm", "exit", "42", (char *)NULL);
    return 90;
  }
  if (!strcmp(r, "exit")) return atoi(argv[2]);
  if (!strcmp(r, "script")) { /* a #! script runs its interpreter: interpreter, its argument, the script, the rest */
    execl(argv[3], "ignored", "x y", (char *)NULL);
    return 90;
  }
  if (!strcmp(r, "args")) { /* as the interpreter of script: [SELF, "args", SCRIPT, "x y"] */
    return argc == 4 && !strcmp(argv[0], self) && strstr(argv[2], "script.sh") && !strcmp(argv[3], "x y") ? 0 : 1;
  }
  return 100;
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[1], "all")) {
    self = argc > 2 ? argv[2] : "";
    if (!strcmp(argv[1], "args")) self = argv[0];
    return role(argc, argv);
  }
  self = argv[2];
  dir = argv[3];
  char path[256];

  check("execv: same process (the parent it had), a new image", exit_of(child("execv", NULL, NULL)) == 0);
  check("close-on-exec descriptors close, the others stay open", exit_of(child("cloexec", NULL, NULL)) == 0);
  snprintf(path, sizeof path, "%s/offset.txt", dir);
  char buf[16] = {0};
  int fd;
  check("an open file and its offset carry over", exit_of(child("offset", path, NULL)) == 0 &&
        (fd = open(path, O_RDONLY)) >= 0 && read(fd, buf, sizeof buf) == 6 && !strcmp(buf, "abcdef") && close(fd) == 0);
  check("execle: the environment given, and only it", exit_of(child("env", NULL, NULL)) == 0);
  check("the working directory carries over", exit_of(child("cwd", dir, NULL)) == 0);
  char progs[256];
  snprintf(progs, sizeof progs, "%s", self);
  *strrchr(progs, '/') = 0;
  char search[512];
  snprintf(search, sizeof search, "/nowhere:%s", progs);
  check("execlp searches PATH", exit_of(child("path", search, NULL)) == 42);

  char text[512];
  snprintf(text, sizeof text, "#!%s args\necho not run\n", self);
  snprintf(path, sizeof path, "%s/script.sh", dir);
  check("a #! script runs its interpreter with its argument, the script's path, then the arguments",
        file("script.sh", text) == 0 && exit_of(child("script", path, NULL)) == 0);

  char *v[] = {"x", NULL};
  check("a missing file: ENOENT, and execve returns -1", execv("/no/such/program", v) == -1 && errno == ENOENT);
  check("a directory: EACCES", execv(dir, v) == -1 && errno == EACCES);
  snprintf(path, sizeof path, "%s/text.txt", dir);
  check("a file that is not a program: ENOEXEC", file("text.txt", "hello\n") == 0 && execv(path, v) == -1 && errno == ENOEXEC);
  snprintf(path, sizeof path, "%s/bad.sh", dir);
  check("a script whose interpreter is missing: ENOENT", file("bad.sh", "#!/no/such/interpreter\n") == 0 && execv(path, v) == -1 && errno == ENOENT);
  check("execvp of a name on no PATH directory: ENOENT", (setenv("PATH", "/nowhere", 1), execvp("exec.wasm", v)) == -1 && errno == ENOENT);
  check("fexecve: ENOSYS", fexecve(0, v, environ) == -1 && errno == ENOSYS);
  check("after failed execs the caller goes on", getpid() > 0);
  return report();
}
