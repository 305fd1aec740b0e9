/*
 * jobs.c: jobs and job control. A job is the processes of one pipeline with its command text; the
 * shell reaps finished ones with waitpid(WNOHANG) before each command (and, when interactive, prints
 * `[N]+  Done  cmd`). `jobs` lists them as bash does (`[N]+  Running  cmd &`, + the current job, -
 * the previous one); `wait [PID|%N]...` waits for them and returns the status of the last operand
 * (127 for a pid that is not the shell's child). The status of a job reaped before `wait` asks for it
 * is remembered.
 *
 * Job control, when the shell is interactive on its controlling terminal (jobctl_init): the shell
 * ignores SIGTSTP, SIGTTIN and SIGTTOU, each job runs in a process group of its own (exec.c spawns it
 * so), a foreground job is given the terminal (tcsetpgrp) and waited for with WUNTRACED, and the shell
 * takes the terminal back, in its own modes, when the job ends or stops (^Z: `[N]+  Stopped  cmd`,
 * status 128+SIGTSTP). `fg [%N]` continues a job in the foreground, `bg [%N]` in the background.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

struct job {
  int id;
  int npids;
  pid_t *pids;
  int *status;  /* -1 while running or stopped */
  int *stopped; /* the stop signal while stopped, else 0 */
  pid_t pgid;   /* its process group (job control), or 0 */
  int notified; /* its stop was reported */
  int has_modes;
  struct termios modes; /* the terminal's modes when it stopped (restored by fg) */
  char *text;
};

static struct job *jobs;
static int njobs;

static struct {
  pid_t pid;
  int status;
} dead[64];
static int ndead;

/* The shell's own terminal modes, put back whenever it takes the terminal. */
static struct termios shell_modes;

pid_t fake_pid(void) {
  static pid_t next = 100000;
  return next++;
}

static struct job *job_new(pid_t *pids, int npids, const char *text, pid_t pgid) {
  int id = 1;
  for (int i = 0; i < njobs; i++)
    if (jobs[i].id >= id) id = jobs[i].id + 1;
  jobs = xrealloc(jobs, (size_t)(njobs + 1) * sizeof *jobs);
  struct job *j = &jobs[njobs++];
  memset(j, 0, sizeof *j);
  j->id = id;
  j->npids = npids;
  size_t n = (size_t)(npids ? npids : 1);
  j->pids = xmalloc(n * sizeof *j->pids);
  j->status = xmalloc(n * sizeof *j->status);
  j->stopped = xmalloc(n * sizeof *j->stopped);
  for (int i = 0; i < npids; i++) {
    j->pids[i] = pids[i];
    j->status[i] = -1;
    j->stopped[i] = 0;
  }
  j->pgid = pgid;
  j->text = xstrdup(text);
  return j;
}

int job_add(pid_t *pids, int npids, const char *text, int done_status, pid_t pgid) {
  struct job *j = job_new(pids, npids, text, pgid);
  for (int i = 0; i < npids; i++) j->status[i] = done_status;
  return j->id;
}

static int job_done(struct job *j) {
  for (int i = 0; i < j->npids; i++)
    if (j->status[i] < 0) return 0;
  return 1;
}

/* The signal that stopped the job if every process of it not done is stopped, else 0. */
static int job_stopped(struct job *j) {
  int sig = 0;
  for (int i = 0; i < j->npids; i++) {
    if (j->status[i] >= 0) continue;
    if (!j->stopped[i]) return 0;
    sig = j->stopped[i];
  }
  return sig;
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
  free(j->stopped);
  free(j->text);
  memmove(jobs + i, jobs + i + 1, (size_t)(njobs - i - 1) * sizeof *jobs);
  njobs--;
}

/* Job i becomes the current one (+): the last of the table. */
static int job_to_end(int i) {
  struct job j = jobs[i];
  memmove(jobs + i, jobs + i + 1, (size_t)(njobs - i - 1) * sizeof *jobs);
  jobs[njobs - 1] = j;
  return njobs - 1;
}

static char marker(int i) {
  if (i == njobs - 1) return '+';
  if (i == njobs - 2) return '-';
  return ' ';
}

/* What became of process k of job j, from a wait status. */
static void job_update(struct job *j, int k, int st) {
  if (WIFSTOPPED(st)) {
    j->stopped[k] = WSTOPSIG(st);
  } else if (WIFCONTINUED(st)) {
    j->stopped[k] = 0;
    j->notified = 0;
  } else {
    j->status[k] = spawn_status(st);
    j->stopped[k] = 0;
  }
}

static void poll_jobs(void) {
  for (int i = 0; i < njobs; i++) {
    for (int k = 0; k < jobs[i].npids; k++) {
      if (jobs[i].status[k] >= 0) continue;
      int st;
      pid_t r = waitpid(jobs[i].pids[k], &st, WNOHANG | WUNTRACED | WCONTINUED);
      if (r == jobs[i].pids[k]) job_update(&jobs[i], k, st);
      else if (r < 0 && errno == ECHILD) jobs[i].status[k] = 127;
    }
  }
}

/* The state `jobs` shows, as bash words it. */
static const char *state_name(struct job *j) {
  if (job_done(j)) return "Done";
  switch (job_stopped(j)) {
  case 0: return "Running";
  case SIGTTIN: return "Stopped (tty input)";
  case SIGTTOU: return "Stopped (tty output)";
  case SIGSTOP: return "Stopped (signal)";
  default: return "Stopped";
  }
}

static void print_job(int fd, int i) {
  const char *state = state_name(&jobs[i]);
  int running = strcmp(state, "Running") == 0;
  char *line = xasprintf("[%d]%c  %-24s%s%s\n", jobs[i].id, marker(i), state, jobs[i].text, running ? " &" : "");
  put_str(fd, line);
  free(line);
}

void jobs_reap(int notify) {
  poll_jobs();
  if (!notify) return;
  for (int i = 0; i < njobs;) {
    if (job_done(&jobs[i])) {
      print_job(2, i);
      job_remove(i, 1);
      continue;
    }
    if (job_stopped(&jobs[i]) && !jobs[i].notified) {
      jobs[i].notified = 1;
      print_job(2, i);
    }
    i++;
  }
}

int jobs_builtin(int argc, char **argv) {
  (void)argc, (void)argv;
  poll_jobs();
  for (int i = 0; i < njobs; i++) {
    print_job(1, i);
    if (job_stopped(&jobs[i])) jobs[i].notified = 1;
  }
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

/* The job a %N, %%, %+ or %- (or bare N) operand names; -1 (reported, with `who`) if none. */
static int find_job(const char *who, const char *arg) {
  if (!arg || !strcmp(arg, "%%") || !strcmp(arg, "%+") || !strcmp(arg, "%")) {
    if (njobs > 0) return njobs - 1;
    sh_warn("%s: no current job", who);
    return -1;
  }
  if (!strcmp(arg, "%-")) {
    if (njobs > 1) return njobs - 2;
    sh_warn("%s: no previous job", who);
    return -1;
  }
  long n;
  if (parse_int(arg[0] == '%' ? arg + 1 : arg, &n))
    for (int i = 0; i < njobs; i++)
      if (jobs[i].id == n) return i;
  sh_warn("%s: %s: no such job", who, arg);
  return -1;
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

/* ---- job control ---- */

void jobctl_init(void) {
  if (tcgetpgrp(0) < 0 || tcgetattr(0, &shell_modes) < 0) return; /* not our controlling terminal */
  signal(SIGTSTP, SIG_IGN);
  signal(SIGTTIN, SIG_IGN);
  signal(SIGTTOU, SIG_IGN);
  if (getpgrp() != getpid()) setpgid(0, 0); /* a session leader already leads its group */
  g.pgid = getpgrp();
  g.jobctl = tcsetpgrp(0, g.pgid) == 0;
}

void term_give(pid_t pgid) {
  if (g.jobctl && pgid > 0) tcsetpgrp(0, pgid);
}

void term_take(void) {
  if (!g.jobctl) return;
  tcsetpgrp(0, g.pgid);
  tcsetattr(0, TCSADRAIN, &shell_modes);
}

/*
 * Waits for job i in the foreground (it has the terminal): until every process of it has ended or
 * stopped. A job that stopped stays in the table, becomes the current one and is reported; one that
 * ended goes. The terminal comes back to the shell. The job's status: its last process's, or
 * 128+SIGTSTP (as bash) when it stopped.
 */
static int wait_foreground(int i) {
  struct job *j = &jobs[i];
  int interrupted = 0;
  for (int k = 0; k < j->npids; k++) {
    while (j->status[k] < 0 && !j->stopped[k]) {
      int st;
      pid_t r = waitpid(j->pids[k], &st, WUNTRACED);
      if (r == j->pids[k]) {
        job_update(j, k, st);
        if (WIFSIGNALED(st) && WTERMSIG(st) == SIGINT) interrupted = 1;
      } else if (r < 0 && errno != EINTR) {
        j->status[k] = 127;
      }
    }
  }
  if (g.jobctl && job_stopped(j)) j->has_modes = tcgetattr(0, &j->modes) == 0;
  term_take();
  /* a command ^C ended: the next prompt on a line of its own, as the terminal showed "^C" */
  if (interrupted && g.interactive) put_str(2, "\n");
  if (job_stopped(j)) {
    i = job_to_end(i);
    jobs[i].notified = 1;
    put_str(2, "\n");
    print_job(2, i);
    return 128 + SIGTSTP;
  }
  int st = j->npids ? j->status[j->npids - 1] : 0;
  job_remove(i, 0);
  return st;
}

int job_foreground(pid_t *pids, int npids, const char *text, pid_t pgid) {
  struct job *j = job_new(pids, npids, text ? text : "", pgid);
  term_give(j->pgid);
  return wait_foreground(njobs - 1);
}

/* Continue job i: its stopped processes are running again. */
static void job_continue(struct job *j) {
  for (int k = 0; k < j->npids; k++) j->stopped[k] = 0;
  j->notified = 0;
  if (j->pgid > 0) kill(-j->pgid, SIGCONT);
}

int fg_builtin(int argc, char **argv) {
  if (!g.jobctl) {
    sh_warn("fg: no job control");
    return 1;
  }
  poll_jobs();
  int i = find_job("fg", argc > 1 ? argv[1] : NULL);
  if (i < 0) return 1;
  struct job *j = &jobs[i];
  put_str(1, j->text);
  put_str(1, "\n");
  if (j->has_modes) tcsetattr(0, TCSADRAIN, &j->modes);
  term_give(j->pgid);
  job_continue(j);
  return wait_foreground(i);
}

int bg_builtin(int argc, char **argv) {
  if (!g.jobctl) {
    sh_warn("bg: no job control");
    return 1;
  }
  poll_jobs();
  int status = 0;
  for (int a = 1; a < argc || a == 1; a++) {
    int i = find_job("bg", argc > 1 ? argv[a] : NULL);
    if (i < 0) {
      status = 1;
    } else if (!job_stopped(&jobs[i])) {
      sh_warn("bg: job %d already in background", jobs[i].id);
    } else {
      job_continue(&jobs[i]);
      g.lastbg = jobs[i].pids[jobs[i].npids - 1]; /* $!, as for a job started with & */
      char *line = xasprintf("[%d]%c %s &\n", jobs[i].id, marker(i), jobs[i].text);
      put_str(1, line);
      free(line);
    }
    if (argc <= 1) break;
  }
  return status;
}
