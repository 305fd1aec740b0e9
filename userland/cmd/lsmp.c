/*
 * lsmp: a process's Mach port names, as macOS's lsmp lists them, from the view the system exports at
 * /proc (procfs: /proc/PID/ports is a header and one line per name: name, ipc-object, rights, urefs,
 * requests, a receive right's msgcount, qlimit and mscount, the receiver, the kernel object).
 *   lsmp            this process (getpid(): /proc/self may not exist)
 *   lsmp -p PID     process PID
 *   lsmp -a         every process
 * Each listing starts "Process (PID) : NAME". Exit 1 for a pid that names no process (with a
 * message), 2 for a usage error.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/io.h"
#include "../lib/util.h"

const char *prog = "lsmp";

/* The program's name from /proc/PID/stat ("pid (name) ..."); 0, or -1 when there is no such process. */
static int name_of(int pid, char *name, size_t room) {
  char path[64], stat[256];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, stat, sizeof stat - 1);
  close(fd);
  stat[n > 0 ? n : 0] = 0;
  char *open = strchr(stat, '('), *close = strrchr(stat, ')');
  if (!open || !close || close < open) return -1;
  snprintf(name, room, "%.*s", (int)(close - open - 1), open + 1);
  return 0;
}

/* Print process `pid`'s listing; 1 (with a message) when there is no such process. */
static int list(int pid) {
  char name[64], path[64];
  snprintf(path, sizeof path, "/proc/%d/ports", pid);
  int fd = name_of(pid, name, sizeof name) ? -1 : open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "lsmp: no process with pid %d\n", pid);
    return 1;
  }
  printf("Process (%d) : %s\n", pid, name);
  fflush(stdout);
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) write_stdout(buf, (size_t)n, "write error");
  close(fd);
  return 0;
}

static int compare(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

/* Every process's listing, in pid order (one that ends meanwhile is skipped). */
static int list_all(void) {
  DIR *d = opendir("/proc");
  if (!d) die("cannot open /proc");
  int pids[4096], count = 0;
  for (struct dirent *e; (e = readdir(d)) && count < 4096;)
    if (isdigit((unsigned char)e->d_name[0])) pids[count++] = atoi(e->d_name);
  closedir(d);
  qsort(pids, count, sizeof *pids, compare);
  char name[64];
  for (int i = 0, shown = 0; i < count; i++) {
    if (name_of(pids[i], name, sizeof name)) continue;
    if (shown++) printf("\n");
    list(pids[i]);
  }
  return 0;
}

int main(int argc, char **argv) {
  exit_failure = 2;
  usage_synopsis = "[-a | -p PID]";
  int all = 0, pid = getpid();
  if (argc == 2 && !strcmp(argv[1], "--help")) argv[1] = "-h";
  for (int opt; (opt = next_option(argc, argv, "ahp:")) != -1;) {
    if (opt == 'a') all = 1;
    else if (opt == 'h') {
      printf("Usage: lsmp [-a | -p PID]\n  -p PID  the Mach port names of process PID (default: lsmp's own)\n  -a      of every process\n");
      return 0;
    } else {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (*end || end == optarg || v <= 0 || v > 0x7fffffff) usage_error("invalid pid '%s'", optarg);
      pid = (int)v;
    }
  }
  if (optind < argc) usage_error("extra operand '%s'", argv[optind]);
  exit_failure = 1;
  return all ? list_all() : list(pid);
}
