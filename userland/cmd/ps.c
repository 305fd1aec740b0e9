/*
 * ps: the processes, from the view of the process table the system exports at /proc (procfs: each
 * /proc/PID/stat is "pid (name) state ppid pgrp", /proc/PID/cmdline the arguments). webmach has one
 * console, so every process is listed, as `ps -e` would.
 *   ps            PID, TTY, STAT, COMMAND (the program's name)
 *   ps -f         UID, PID, PPID, PGID, STAT, CMD (the whole command line)
 *   ps -p PID,... only those processes
 *   -e, -A, -a, -x are accepted (everything is listed anyway).
 * STAT is R (running) or Z (ended, not yet waited for). Exit 1 when -p names no process.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"

const char *prog = "ps";

struct proc {
  int pid, ppid, pgid;
  char state;
  char name[64];
  char cmdline[1024];
};

/* The contents of /proc/PID/FILE into buf (NUL-terminated); its length, or -1. */
static int slurp(int pid, const char *file, char *buf, size_t room) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  size_t got = 0;
  for (ssize_t n; got + 1 < room && (n = read(fd, buf + got, room - 1 - got)) > 0;) got += n;
  close(fd);
  buf[got] = 0;
  return (int)got;
}

static int load(int pid, struct proc *p) {
  char stat[256];
  if (slurp(pid, "stat", stat, sizeof stat) <= 0) return -1;
  char *open = strchr(stat, '('), *close = strrchr(stat, ')');
  if (!open || !close || close < open) return -1;
  size_t len = (size_t)(close - open - 1) < sizeof p->name - 1 ? (size_t)(close - open - 1) : sizeof p->name - 1;
  memcpy(p->name, open + 1, len);
  p->name[len] = 0;
  p->pid = pid;
  if (sscanf(close + 1, " %c %d %d", &p->state, &p->ppid, &p->pgid) != 3) return -1;
  int n = slurp(pid, "cmdline", p->cmdline, sizeof p->cmdline);
  for (int i = 0; i < n; i++) if (p->cmdline[i] == 0) p->cmdline[i] = ' ';
  while (n > 0 && p->cmdline[n - 1] == ' ') p->cmdline[--n] = 0;
  if (n <= 0) snprintf(p->cmdline, sizeof p->cmdline, "[%s]", p->name);
  return 0;
}

static int compare(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

/* Whether `pid` is in the comma- or space-separated list `list` (NULL: every pid is). */
static int wanted(const char *list, int pid) {
  if (!list) return 1;
  for (const char *s = list; *s;) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s) return 0;
    if (v == pid) return 1;
    s = end;
    while (*s == ',' || *s == ' ') s++;
  }
  return 0;
}

static int valid_list(const char *list) {
  if (!*list) return 0;
  for (const char *s = list; *s; s++) if (!isdigit((unsigned char)*s) && *s != ',' && *s != ' ') return 0;
  return 1;
}

int main(int argc, char **argv) {
  int full = 0;
  const char *pids = NULL;
  for (int opt; (opt = getopt(argc, argv, "AaefxP:p:")) != -1;) {
    if (opt == 'f') full = 1;
    else if (opt == 'p') {
      if (!valid_list(optarg)) {
        fprintf(stderr, "ps: process ID list syntax error\n");
        return 1;
      }
      pids = optarg;
    } else if (opt == '?') {
      fprintf(stderr, "usage: ps [-Aaefx] [-p PID[,PID...]]\n");
      return 1;
    }
  }
  DIR *d = opendir("/proc");
  if (!d) {
    perror("ps: /proc");
    return 1;
  }
  int list[4096], count = 0;
  for (struct dirent *e; (e = readdir(d)) && count < 4096;) {
    if (isdigit((unsigned char)e->d_name[0])) list[count++] = atoi(e->d_name);
  }
  closedir(d);
  qsort(list, count, sizeof *list, compare);
  if (full) printf("UID          PID    PPID    PGID STAT CMD\n");
  else printf("    PID TTY      STAT COMMAND\n");
  int shown = 0;
  for (int i = 0; i < count; i++) {
    struct proc p;
    if (!wanted(pids, list[i]) || load(list[i], &p)) continue;
    shown++;
    if (full) printf("root     %7d %7d %7d %-4c %s\n", p.pid, p.ppid, p.pgid, p.state, p.cmdline);
    else printf("%7d console  %-4c %s\n", p.pid, p.state, p.name);
  }
  return pids && shown == 0 ? 1 : 0;
}
