// The system's own programs in /bin, as a program written for Linux sees them: a directory listing
// them, regular files a child can be spawned from by name on PATH, and a read-only file system
// (EROFS for any change, as a read-only mount on Linux). Prints one line per check.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

extern char **environ;

static int fails_with(int r, int error) {
  return r == -1 && errno == error;
}

static int listed(const char *name) {
  DIR *d = opendir("/bin");
  if (!d) return 0;
  int found = 0;
  for (struct dirent *e; (e = readdir(d));) found |= !strcmp(e->d_name, name);
  closedir(d);
  return found;
}

/* Run `argv` found on PATH=/bin with stdout to a pipe; what it printed (NUL-terminated) and its status. */
static int run(char *const argv[], char *out, size_t room) {
  int p[2];
  if (pipe(p)) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  char *envp[] = {"PATH=/bin", NULL};
  pid_t pid;
  int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  size_t got = 0;
  for (ssize_t n; e == 0 && got + 1 < room && (n = read(p[0], out + got, room - 1 - got)) > 0;) got += n;
  out[got] = 0;
  close(p[0]);
  int st;
  if (e || waitpid(pid, &st, 0) != pid) return -1;
  return st;
}

int main(void) {
  struct stat st;
  check("/bin is a directory", stat("/bin", &st) == 0 && S_ISDIR(st.st_mode));
  check("/bin/echo is a regular file", stat("/bin/echo", &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0);
  check("the listing of /bin names echo and cat", listed("echo") && listed("cat"));
  char out[256];
  char *echo[] = {"echo", "from", "/bin", NULL};
  int status = run(echo, out, sizeof out);
  check("echo is found on PATH and runs", WIFEXITED(status) && WEXITSTATUS(status) == 0 && !strcmp(out, "from /bin\n"));
  char *no[] = {"false", NULL};
  status = run(no, out, sizeof out);
  check("false exits 1", WIFEXITED(status) && WEXITSTATUS(status) == 1);
  check("creating a file there is EROFS", fails_with(open("/bin/new", O_WRONLY | O_CREAT, 0644), EROFS));
  check("opening a program for writing is EROFS", fails_with(open("/bin/echo", O_WRONLY), EROFS));
  check("removing one is EROFS", fails_with(unlink("/bin/echo"), EROFS));
  check("renaming one is EROFS", fails_with(rename("/bin/echo", "/bin/echo2"), EROFS));
  check("a directory there is EROFS", fails_with(mkdir("/bin/d", 0755), EROFS));
  check("a missing program is ENOENT", fails_with(open("/bin/nothing", O_RDONLY), ENOENT));
  int fd = open("/bin/echo", O_RDONLY);
  char magic[4];
  check("a program reads as WebAssembly", fd >= 0 && read(fd, magic, 4) == 4 && !memcmp(magic, "\0asm", 4) && close(fd) == 0);
  return report();
}
