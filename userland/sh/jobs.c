/*
 * jobs.c: background jobs (cmd &). A job is the processes of one background pipeline with its
 * command text; the shell reaps finished ones with waitpid(WNOHANG) before each command (and, when
 * interactive, prints `[N]+ Done  cmd`). `jobs` lists them as `[N]+ Running  cmd` (+ the current
 * job, - the previous one); `wait [PID|%N]...` waits for them and returns the status of the last
 * operand (127 for a pid that is not the shell's child). The status of a job reaped before `wait`
 * asks for it is remembered. (fg, bg and Ctrl-Z come with signals.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

struct job {
  int id;
  int npids;
  pid_t *pids;
  int *status; /* -1 while running */
  char *text;
};

static struct job *jobs;
static int njobs;

static struct {
  pid_t pid;
  int status;
} dead[64];
static int ndead;

pid_t fake_pid(void) {
  static pid_t next = 100000;
  return next++;
}

int job_add(pid_t *pids, int npids, const char *text, int done_status) {
  int id = 1;
  for (int i = 0; i < njobs; i++)
    if (jobs[i].id >= id) id = jobs[i].id + 1;
  jobs = xrealloc(jobs, (size_t)(njobs + 1) * sizeof *jobs);
  struct job *j = &jobs[njobs++];
  j->id = id;
  j->npids = npids;
  j->pids = xmalloc((size_t)(npids ? npids : 1) * sizeof *j->pids);
  j->status = xmalloc((size_t)(npids ? npids : 1) * sizeof *j->status);
  for (int i = 0; i < npids; i++) {
    j->pids[i] = pids[i];
    j->status[i] = done_status;
  }
  j->text = xstrdup(text);
  return id;
}

static int job_done(struct job *j) {
  for (int i = 0; i < j->npids; i++)
    if (j->status[i] < 0) return 0;
  return 1;
}

static void remember(pid_t pid, int status) {
  if (ndead == (int)(sizeof dead / sizeof dead[0])) {
    memmove(dead, dead + 1, sizeof dead - sizeof dead[0]);
    ndead--;
  }
  dead[ndead].pid = pid;
  dead[ndead++].status = status;
}

/* Removes job i, remembering the status of its last process for a later `wait PID`. */
static void job_remove(int i, int keep_status) {
  struct job *j = &jobs[i];
  if (keep_status && j->npids) remember(j->pids[j->npids - 1], j->status[j->npids - 1]);
  free(j->pids);
  free(j->status);
  free(j->text);
  memmove(jobs + i, jobs + i + 1, (size_t)(njobs - i - 1) * sizeof *jobs);
  njobs--;
}

static char marker(int i) {
  if (i == njobs - 1) return '+';
  if (i == njobs - 2) return '-';
  return ' ';
}

static void poll_jobs(void) {
  for (int i = 0; i < njobs; i++) {
    for (int k = 0; k < jobs[i].npids; k++) {
      if (jobs[i].status[k] >= 0) continue;
      int st;
      pid_t r = waitpid(jobs[i].pids[k], &st, WNOHANG);
      if (r == jobs[i].pids[k]) jobs[i].status[k] = spawn_status(st);
      else if (r < 0 && errno == ECHILD) jobs[i].status[k] = 127;
    }
  }
}

static void print_job(int fd, int i, const char *state) {
  char *line = xasprintf("[%d]%c %s  %s\n", jobs[i].id, marker(i), state, jobs[i].text);
  put_str(fd, line);
  free(line);
}

void jobs_reap(int notify) {
  poll_jobs();
  if (!notify) return;
  for (int i = 0; i < njobs;) {
    if (job_done(&jobs[i])) {
      print_job(2, i, "Done");
      job_remove(i, 1);
    } else {
      i++;
    }
  }
}

int jobs_builtin(int argc, char **argv) {
  (void)argc, (void)argv;
  poll_jobs();
  for (int i = 0; i < njobs; i++) print_job(1, i, job_done(&jobs[i]) ? "Done" : "Running");
  for (int i = 0; i < njobs;) {
    if (job_done(&jobs[i])) job_remove(i, 1);
    else i++;
  }
  return 0;
}

static void wait_job(struct job *j) {
  for (int k = 0; k < j->npids; k++) {
    if (j->status[k] >= 0) continue;
    int st;
    pid_t r;
    do r = waitpid(j->pids[k], &st, 0);
    while (r < 0 && errno == EINTR);
    j->status[k] = r == j->pids[k] ? spawn_status(st) : 127;
  }
}

static int wait_one(const char *arg) {
  long n;
  if (arg[0] == '%') {
    if (!parse_int(arg + 1, &n)) n = -1;
    for (int i = 0; i < njobs; i++) {
      if (jobs[i].id == n) {
        wait_job(&jobs[i]);
        int st = jobs[i].npids ? jobs[i].status[jobs[i].npids - 1] : 0;
        job_remove(i, 0);
        return st;
      }
    }
    sh_warn("wait: %s: no such job", arg);
    return 127;
  }
  if (!parse_int(arg, &n) || n <= 0) {
    sh_warn("wait: '%s': not a pid or valid job spec", arg);
    return 2;
  }
  for (int i = 0; i < njobs; i++) {
    for (int k = 0; k < jobs[i].npids; k++) {
      if (jobs[i].pids[k] != (pid_t)n) continue;
      wait_job(&jobs[i]);
      int st = jobs[i].status[k];
      job_remove(i, 0);
      return st;
    }
  }
  for (int i = ndead - 1; i >= 0; i--) {
    if (dead[i].pid == (pid_t)n) {
      int st = dead[i].status;
      memmove(dead + i, dead + i + 1, (size_t)(ndead - i - 1) * sizeof dead[0]);
      ndead--;
      return st;
    }
  }
  sh_warn("wait: pid %ld is not a child of this shell", n);
  return 127;
}

int wait_builtin(int argc, char **argv) {
  if (argc < 2) {
    while (njobs > 0) {
      wait_job(&jobs[0]);
      job_remove(0, 1);
    }
    return 0;
  }
  int st = 0;
  for (int i = 1; i < argc; i++) st = wait_one(argv[i]);
  return st;
}
