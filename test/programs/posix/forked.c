// A program that forks, small enough for any machine (the browser's too): the child says who it is
// and exits 7; the parent waits for it and says how it ended.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  int shared = 1;
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 1;
  }
  if (pid == 0) {
    shared = 2;
    printf("child: ppid %d, shared %d\n", (int)getppid(), shared);
    return 7;
  }
  int status;
  if (waitpid(pid, &status, 0) != pid) return 2;
  printf("parent: child %s %d, shared %d\n", WIFEXITED(status) ? "exited" : "ended", WEXITSTATUS(status), shared);
  return 0;
}
