/*
 * exec.c: the executor, walking the syntax tree. Programs run with posix_spawnp (redirections and
 * pipes as file actions: adddup2, addclose) and are waited for with waitpid; the exported variables
 * are their environment.
 *
 * webmach has no fork yet, so whatever must run "in a subshell" runs in the shell itself, in an
 * emulated subshell (sub_begin/sub_end): the variables, functions, positional parameters, options
 * and working directory are saved and put back afterwards, standard input/output are moved onto
 * the pipe or file it uses (saved descriptors, restored after), and exit only leaves it. That is how
 * ( ... ), command substitution (output collected in an unlinked temporary file, then read back),
 * and a pipeline element that is a builtin, a function or a compound command run. In a pipeline the
 * programs are all started first, then the shell runs its own elements in order; where the output
 * of one element must wait for a later element that the shell runs itself, it goes through a
 * temporary file instead of a pipe, so that nothing can block forever. A background list that is not
 * made only of programs runs to its end at once (a job already done, with a made-up pid in $!).
 * When fork arrives, sub_begin/sub_end become fork in the child and waitpid in the parent, and
 * run_pipeline's elements each run in a child.
 */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

struct shell g;

static struct fdframe *exec_frame; /* where `exec`'s redirections are saved (NULL: permanent) */
static char *job_text; /* the source text of the top-level command being run (a job's name) */
static int subst_ran, subst_status; /* for the status of an assignment-only command */

int spawn_status(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 1;
}

static int wait_pid(pid_t pid) {
  int st;
  for (;;) {
    pid_t r = waitpid(pid, &st, 0);
    if (r == pid) {
      /* a command ^C ended: the next prompt on a line of its own, as the terminal showed "^C" */
      if (g.interactive && WIFSIGNALED(st) && WTERMSIG(st) == SIGINT) put_str(2, "\n");
      return spawn_status(st);
    }
    if (r < 0 && errno != EINTR) return 127;
  }
}

int shell_exit(int status) {
  g.status = status;
  if (g.subdepth > 0) {
    g.pending = P_EXIT;
    return status;
  }
  trap_run_exit();
  rbuf_sync(-1);
  exit(status);
}

void sh_error(int status) {
  g.status = status;
  if (g.subdepth > 0 || g.interactive) {
    g.pending = P_EXIT;
    return;
  }
  shell_exit(status);
}

static void errexit_check(int status) {
  if (status != 0 && g.errexit && !g.cond && !g.pending) shell_exit(status);
}

/* ---- the emulated subshell ---- */

struct subsave {
  struct var *vars;
  struct func *funcs;
  strvec pos;
  int errexit, xtrace, noglob, nounset, verbose, noclobber;
  pid_t lastbg;
  char *exit_trap;
  char *cwd;
  int cwd_gen;
  int loopdepth, funcdepth;
  struct fdframe fds;
  struct fdframe *exec_frame;
};

static void sub_begin(struct subsave *s, int in, int out) {
  memset(s, 0, sizeof *s);
  s->vars = var_snapshot();
  s->funcs = func_snapshot();
  sv_copy(&s->pos, &g.pos);
  s->errexit = g.errexit, s->xtrace = g.xtrace, s->noglob = g.noglob;
  s->nounset = g.nounset, s->verbose = g.verbose, s->noclobber = g.noclobber;
  s->lastbg = g.lastbg;
  s->exit_trap = g.exit_trap;
  g.exit_trap = NULL;
  s->cwd = xstrdup(g.cwd ? g.cwd : "/");
  s->cwd_gen = g.cwd_gen;
  s->loopdepth = g.loopdepth, s->funcdepth = g.funcdepth;
  if (in >= 0) fd_move(&s->fds, in, 0);
  if (out >= 0) fd_move(&s->fds, out, 1);
  s->exec_frame = exec_frame;
  exec_frame = &s->fds;
  g.subdepth++;
}

static int sub_end(struct subsave *s, int status) {
  if (g.pending == P_EXIT) status = g.status;
  g.pending = P_NONE;
  if (g.exit_trap) {
    char *t = g.exit_trap;
    g.exit_trap = NULL;
    g.status = status;
    run_list_text(t, "trap: ");
    free(t);
    g.pending = P_NONE;
  }
  g.subdepth--;
  exec_frame = s->exec_frame;
  redir_undo(&s->fds);
  var_restore(s->vars);
  func_restore(s->funcs);
  sv_free(&g.pos);
  g.pos = s->pos;
  g.errexit = s->errexit, g.xtrace = s->xtrace, g.noglob = s->noglob;
  g.nounset = s->nounset, g.verbose = s->verbose, g.noclobber = s->noclobber;
  g.lastbg = s->lastbg;
  g.exit_trap = s->exit_trap;
  g.loopdepth = s->loopdepth, g.funcdepth = s->funcdepth;
  if (g.cwd_gen != s->cwd_gen) {
    if (chdir(s->cwd) != 0) sh_warn("cannot return to %s: %s", s->cwd, strerror(errno));
    free(g.cwd);
    g.cwd = s->cwd;
    g.cwd_gen = s->cwd_gen;
  } else {
    free(s->cwd);
  }
  g.status = status;
  return status;
}

int run_subshell(struct node *n, int in, int out) {
  struct subsave s;
  sub_begin(&s, in, out);
  int st = run_node(n);
  return sub_end(&s, st);
}

/* ---- running text: eval, ., sh -c, traps, command substitution ---- */

int run_list_text(const char *text, const char *errprefix) {
  struct src *s = src_string(text, 1);
  struct parser p;
  parser_init(&p, s);
  p.errprefix = errprefix;
  int status = 0;
  for (;;) {
    int ps;
    struct node *n = parse_command(&p, &ps);
    if (!n) {
      if (ps == 2) {
        status = 2;
        sh_error(2);
      }
      break;
    }
    if (n->nkids == 0) {
      tree_free(n);
      continue;
    }
    status = run_node(n);
    tree_free(n);
    if (g.pending) break;
  }
  parser_done(&p);
  src_free(s);
  return status;
}

char *cmd_subst(const char *text) {
  int fd = temp_file(), rd = -1;
  if (fd < 0) { /* no temporary directory: a pipe, enough for output that fits in it */
    int p[2];
    if (pipe(p) != 0) {
      sh_warn("command substitution: %s", strerror(errno));
      return NULL;
    }
    rd = fd_high(p[0]);
    fd = fd_high(p[1]);
  }
  struct subsave s;
  int saved = g.out_pipe;
  sub_begin(&s, -1, fd);
  g.out_pipe = 0;
  int st = run_list_text(text, "");
  st = sub_end(&s, st);
  g.out_pipe = saved;
  subst_ran = 1;
  subst_status = st;
  if (rd >= 0) {
    close(fd);
    fd = rd;
  } else {
    lseek(fd, 0, SEEK_SET);
  }
  char *out = read_all(fd);
  close(fd);
  size_t n = strlen(out);
  while (n > 0 && out[n - 1] == '\n') out[--n] = '\0';
  g.status = st;
  return out;
}

/* ---- programs ---- */

const char *self_path(void) {
  if (g.selfpath && strchr(g.selfpath, '/')) return g.selfpath;
  const char *path = var_get("PATH");
  if (!path) path = "/bin:/usr/bin";
  while (*path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    char *cand = xasprintf("%.*s%ssh", (int)len, path, len ? "/" : "");
    struct stat st;
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
      free(g.selfpath);
      g.selfpath = cand;
      return cand;
    }
    free(cand);
    path += len;
    if (*path == ':') path++;
  }
  return NULL;
}

/* A file with a NUL byte in its first block is not a script. */
static int is_binary(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return n > 0 && memchr(buf, '\0', (size_t)n) != NULL;
}

/* Where posix_spawnp found (or would find) a program, for running a script. */
static char *find_program(const char *name) {
  if (strchr(name, '/')) return xstrdup(name);
  const char *path = var_get("PATH");
  return path_search(path ? path : "/bin:/usr/bin", name);
}

/* set -x: the command's assignments (their values now) and words on standard error. */
static void trace(struct node *n, char **argv) {
  if (!g.xtrace) return;
  sbuf b = {0};
  sb_putc(&b, '+');
  for (int i = 0; i < n->assigns.n; i++) {
    size_t len = name_len(n->assigns.v[i]);
    char *name = xstrndup(n->assigns.v[i], len);
    const char *v = var_get(name);
    sb_putc(&b, ' ');
    sb_puts(&b, name);
    sb_putc(&b, '=');
    sb_puts(&b, v ? v : "");
    free(name);
  }
  for (int i = 0; argv[i]; i++) {
    sb_putc(&b, ' ');
    sb_puts(&b, argv[i]);
  }
  sb_putc(&b, '\n');
  write_all(2, b.s, b.n);
  free(b.s);
}

/* The prefix assignments of a command, made in a frame that local_pop undoes. */
static int temp_assign(strvec *assigns, int flags) {
  local_push();
  for (int i = 0; i < assigns->n; i++) {
    size_t n = name_len(assigns->v[i]);
    char *name = xstrndup(assigns->v[i], n);
    local_save(name);
    free(name);
    if (assign_word(assigns->v[i], flags) < 0) return -1;
  }
  return 0;
}

/* Job control applies to the commands of the top level (not to emulated subshells). */
static int jobs_on(void) { return g.jobctl && g.subdepth == 0; }

/* Spawn attributes of a job's process (job control): group pgroup (0: a group of its own), and the
 * stop signals the shell ignores back to their default action. */
static void job_attr(posix_spawnattr_t *attr, pid_t pgroup) {
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGTSTP);
  sigaddset(&def, SIGTTIN);
  sigaddset(&def, SIGTTOU);
  posix_spawnattr_init(attr);
  posix_spawnattr_setsigdefault(attr, &def);
  posix_spawnattr_setpgroup(attr, pgroup);
  posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
}

/* Starts argv as a program with standard input/output on in/out (-1: the shell's), then the
 * command's redirections; with job control (pgroup >= 0) in process group pgroup (0: its own).
 * Returns 0 with *pid set, or the status of a failure (reported). */
static int spawn_cmd(struct node *n, char **argv, int in, int out, pid_t *pid, pid_t pgroup) {
  *pid = -1;
  if (temp_assign(&n->assigns, V_EXPORT) < 0) {
    local_pop();
    return 1;
  }
  strvec env = {0};
  char **envp = var_environ(&env);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  struct fdlist opened = {.n = 0};
  int srcs[FDLIST_MAX + 2], nsrc = 0;
  if (in >= 0) {
    posix_spawn_file_actions_adddup2(&fa, in, 0);
    srcs[nsrc++] = in;
  }
  if (out >= 0) {
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    srcs[nsrc++] = out;
  }
  int status = 0;
  if (redir_actions(n->redirs, &fa, &opened) < 0) {
    status = 1;
    goto done;
  }
  for (int i = 0; i < opened.n; i++) srcs[nsrc++] = opened.fd[i];
  /* webmach drops close-on-exec descriptors before it runs the file actions (Linux runs the actions
   * first), so a dup2 from one fails with EBADF: clear the flag for the spawn, close them after. */
  for (int i = 0; i < nsrc; i++) {
    fcntl(srcs[i], F_SETFD, 0);
    posix_spawn_file_actions_addclose(&fa, srcs[i]);
  }
  trace(n, argv);
  rbuf_sync(-1);
  posix_spawnattr_t attr;
  if (pgroup >= 0) job_attr(&attr, pgroup);
  const posix_spawnattr_t *ap = pgroup >= 0 ? &attr : NULL;
  int e = posix_spawnp(pid, argv[0], &fa, ap, argv, envp);
  if (e == ENOEXEC) { /* not a WASI program: a shell script */
    char *path = find_program(argv[0]);
    const char *sh = self_path();
    if (path && is_binary(path)) {
      free(path);
      sh_warn("%s: cannot execute binary file", argv[0]);
      status = 126;
      goto done;
    } else if (path && sh) {
      strvec av = {0};
      sv_push(&av, xstrdup("sh"));
      sv_push(&av, path);
      for (int i = 1; argv[i]; i++) sv_push(&av, xstrdup(argv[i]));
      e = posix_spawn(pid, sh, &fa, ap, sv_term(&av), envp);
      sv_free(&av);
    } else {
      free(path);
    }
  }
  for (int i = 0; i < nsrc; i++) fcntl(srcs[i], F_SETFD, FD_CLOEXEC);
  if (e == ENOENT || e == ENOTDIR) {
    sh_warn("%s: not found", argv[0]);
    status = 127;
  } else if (e == EACCES) {
    sh_warn("%s: Permission denied", argv[0]);
    status = 126;
  } else if (e == ENOEXEC) {
    sh_warn("%s: cannot execute: %s", argv[0], strerror(e));
    status = 126;
  } else if (e != 0) {
    sh_warn("%s: %s", argv[0], strerror(e));
    status = 126;
  }
  if (pgroup >= 0) posix_spawnattr_destroy(&attr);
done:
  for (int i = 0; i < opened.n; i++) close(opened.fd[i]);
  posix_spawn_file_actions_destroy(&fa);
  sv_free(&env);
  local_pop();
  return status;
}

/* ---- simple commands ---- */

enum { MAX_FUNC_NESTING = 1000 }; /* the JS engine's own call stack ends somewhat past 3000 */

int run_function(struct func *f, char **argv) {
  if (g.funcdepth >= MAX_FUNC_NESTING) {
    sh_warn("%s: maximum function nesting level exceeded (%d)", f->name, MAX_FUNC_NESTING);
    sh_error(2);
    return 2;
  }
  strvec saved = g.pos;
  memset(&g.pos, 0, sizeof g.pos);
  for (int i = 1; argv[i]; i++) sv_push(&g.pos, xstrdup(argv[i]));
  g.funcdepth++;
  int loopdepth = g.loopdepth;
  g.loopdepth = 0;
  local_push();
  int st = run_node(f->body);
  local_pop();
  g.loopdepth = loopdepth;
  g.funcdepth--;
  sv_free(&g.pos);
  g.pos = saved;
  if (g.pending == P_RETURN) g.pending = P_NONE;
  if (g.pending == P_BREAK || g.pending == P_CONTINUE) g.pending = P_NONE;
  g.status = st;
  return st;
}

/* A command with no name: assignments (kept) and redirections (done, then undone). */
static int run_assignments(struct node *n) {
  struct fdframe f = {0};
  subst_ran = 0;
  int status = 0;
  if (redir_apply(n->redirs, &f) < 0) status = 1;
  for (int i = 0; status == 0 && i < n->assigns.n; i++) {
    if (assign_word(n->assigns.v[i], 0) < 0) { /* a readonly variable: as dash, the script ends */
      status = g.pending ? g.status : 2;
      if (!g.pending) sh_error(2);
    }
  }
  redir_undo(&f);
  if (status == 0) {
    char *none[] = {NULL};
    trace(n, none);
  }
  if (status == 0 && subst_ran) status = subst_status;
  return status;
}

static int run_builtin_cmd(struct node *n, int id, char **argv) {
  int special = builtins[id].special;
  int st;
  if (special) {
    for (int i = 0; i < n->assigns.n; i++)
      if (assign_word(n->assigns.v[i], 0) < 0) return g.pending ? g.status : 1;
  } else if (temp_assign(&n->assigns, V_EXPORT) < 0) {
    local_pop();
    return 1;
  }
  struct fdframe f = {0};
  if (redir_apply(n->redirs, &f) < 0) {
    st = 1;
  } else {
    trace(n, argv);
    int argc = 0;
    while (argv[argc]) argc++;
    st = builtins[id].fn(argc, argv);
  }
  redir_undo(&f);
  if (!special) local_pop();
  return st;
}

static int run_function_cmd(struct node *n, struct func *fn, char **argv) {
  if (temp_assign(&n->assigns, V_EXPORT) < 0) {
    local_pop();
    return 1;
  }
  struct fdframe f = {0};
  int st = 1;
  if (redir_apply(n->redirs, &f) == 0) {
    trace(n, argv);
    st = run_function(fn, argv);
  }
  redir_undo(&f);
  local_pop();
  return st;
}

/* `exec` with redirections only: they stay (in an emulated subshell, until it ends). */
static int exec_redirs(struct node *n) {
  for (int i = 0; i < n->assigns.n; i++)
    if (assign_word(n->assigns.v[i], 0) < 0) return 1;
  return redir_apply(n->redirs, exec_frame) < 0 ? 1 : 0;
}

/* A simple command whose words are already expanded into argv. */
static int run_simple_argv(struct node *n, char **argv) {
  if (!argv[0]) return run_assignments(n);
  int exec_after = 0, nofunc = 0;
  for (;;) {
    if (strcmp(argv[0], "exec") == 0) {
      if (!argv[1]) return exec_redirs(n);
      if (strcmp(argv[1], "--") == 0 && !argv[2]) return exec_redirs(n);
      argv += strcmp(argv[1], "--") == 0 ? 2 : 1;
      exec_after = 1;
      nofunc = 1;
      continue;
    }
    if (strcmp(argv[0], "command") == 0 && argv[1] && argv[1][0] != '-') {
      argv++;
      nofunc = 1;
      continue;
    }
    break;
  }
  int st;
  int id = find_builtin(argv[0]);
  struct func *fn = nofunc ? NULL : func_find(argv[0]);
  if (id >= 0 && builtins[id].special) {
    st = run_builtin_cmd(n, id, argv);
  } else if (fn) {
    st = run_function_cmd(n, fn, argv);
  } else if (id >= 0) {
    st = run_builtin_cmd(n, id, argv);
  } else {
    pid_t pid;
    int jc = jobs_on();
    st = spawn_cmd(n, argv, -1, -1, &pid, jc ? 0 : -1);
    if (pid > 0) st = jc ? job_foreground(&pid, 1, job_text, pid) : wait_pid(pid);
  }
  if (exec_after && !g.pending) shell_exit(st);
  return st;
}

static int is_incore(char **argv) {
  if (!argv[0]) return 1;
  return find_builtin(argv[0]) >= 0 || func_find(argv[0]) != NULL;
}

static int run_simple(struct node *n) {
  strvec argv = {0};
  subst_ran = 0;
  if (expand_words(&n->words, &argv) < 0) {
    sv_free(&argv);
    return g.pending ? g.status : 1;
  }
  int st = run_simple_argv(n, sv_term(&argv));
  sv_free(&argv);
  return st;
}

/* ---- pipelines and background lists ---- */

struct elem {
  struct node *n;
  strvec argv;
  int simple, external;
  pid_t pid;
  int status, done;
};

struct link {
  int rd, wr; /* a pipe, or one temporary file (rd == wr) */
  int file;
};

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static int open_devnull(void) { return fd_high(open("/dev/null", O_RDONLY)); }

static void make_links(struct elem *e, int count, struct link *l) {
  int inshell = 0;
  for (int k = 0; k + 1 < count; k++) {
    if (!e[k].external) inshell = 1;
    l[k].rd = l[k].wr = -1;
    l[k].file = 0;
    if (inshell && !e[k + 1].external) {
      int fd = temp_file();
      if (fd >= 0) {
        l[k].rd = l[k].wr = fd;
        l[k].file = 1;
        continue;
      }
    }
    int p[2];
    if (pipe(p) == 0) {
      l[k].rd = fd_high(p[0]);
      l[k].wr = fd_high(p[1]);
    } else {
      sh_warn("pipe: %s", strerror(errno));
    }
  }
}

static int run_elem_inshell(struct elem *e, int in, int out, int out_pipe) {
  struct subsave s;
  int saved = g.out_pipe;
  sub_begin(&s, in, out);
  if (out >= 0) g.out_pipe = out_pipe;
  int st = e->simple ? run_simple_argv(e->n, sv_term(&e->argv)) : run_node(e->n);
  st = sub_end(&s, st);
  g.out_pipe = saved;
  return st;
}

/* Job control: waits for a pipeline's programs as one foreground job (group pgid); its status is the
 * last element's (a program's, or one the shell ran itself), or 128+SIGTSTP if the job stopped. */
static int pipeline_foreground(struct elem *e, int count, pid_t pgid) {
  pid_t *pids = xmalloc((size_t)count * sizeof *pids);
  int n = 0;
  for (int k = 0; k < count; k++)
    if (!e[k].done && e[k].pid > 0) pids[n++] = e[k].pid;
  int st = n ? job_foreground(pids, n, job_text, pgid) : 0;
  free(pids);
  if (n == 0) term_take();
  int last = e[count - 1].done ? e[count - 1].status : st;
  return st == 128 + SIGTSTP ? st : last;
}

/* Runs the prepared elements connected by pipes. in0: standard input of the first (-1: the
 * shell's). With bg (all programs), nothing is waited for and the job is recorded. */
static int pipeline_exec(struct elem *e, int count, int in0, int bg, const char *text) {
  struct link *l = xmalloc((size_t)(count > 1 ? count - 1 : 1) * sizeof *l);
  make_links(e, count, l);
  int jc = jobs_on();
  pid_t pgid = 0; /* job control: the job's group, its first program's pid */
  for (int k = 0; k < count; k++) {
    if (!e[k].external) continue;
    int in = k == 0 ? in0 : l[k - 1].rd;
    int out = k == count - 1 ? -1 : l[k].wr;
    int st = spawn_cmd(e[k].n, sv_term(&e[k].argv), in, out, &e[k].pid, jc ? pgid : -1);
    if (e[k].pid <= 0) {
      e[k].status = st;
      e[k].done = 1;
    } else if (jc && pgid == 0) {
      pgid = e[k].pid;
      if (!bg) term_give(pgid);
    }
    if (k > 0 && !l[k - 1].file) close_fd(&l[k - 1].rd);
    if (k < count - 1 && !l[k].file) close_fd(&l[k].wr);
  }
  for (int k = 0; k < count; k++) {
    if (e[k].external) continue;
    int in = k == 0 ? in0 : l[k - 1].rd;
    int out = k == count - 1 ? -1 : l[k].wr;
    if (k > 0 && l[k - 1].file) {
      if (!e[k - 1].done) {
        e[k - 1].status = wait_pid(e[k - 1].pid);
        e[k - 1].done = 1;
      }
      lseek(in, 0, SEEK_SET);
    }
    e[k].status = run_elem_inshell(&e[k], in, out, k < count - 1 && !l[k].file);
    e[k].done = 1;
    if (k > 0) {
      close_fd(&l[k - 1].rd);
      if (l[k - 1].file) l[k - 1].wr = -1;
    }
    if (k < count - 1 && !l[k].file) close_fd(&l[k].wr);
  }
  for (int k = 0; k + 1 < count; k++) {
    close_fd(&l[k].rd);
    if (!l[k].file) close_fd(&l[k].wr);
  }
  free(l);
  if (bg) {
    pid_t *pids = xmalloc((size_t)count * sizeof *pids);
    int n = 0;
    for (int k = 0; k < count; k++)
      if (e[k].pid > 0) pids[n++] = e[k].pid;
    int id;
    if (n) {
      id = job_add(pids, n, text, -1, pgid);
      g.lastbg = pids[n - 1];
    } else { /* nothing could be started */
      g.lastbg = fake_pid();
      id = job_add(&g.lastbg, 1, text, e[count - 1].status, 0);
    }
    if (g.interactive && n) {
      char *msg = xasprintf("[%d] %d\n", id, (int)g.lastbg);
      put_str(2, msg);
      free(msg);
    }
    free(pids);
    return 0;
  }
  if (jc && pgid > 0) return pipeline_foreground(e, count, pgid);
  for (int k = 0; k < count; k++) {
    if (!e[k].done && e[k].pid > 0) {
      e[k].status = wait_pid(e[k].pid);
      e[k].done = 1;
    }
  }
  return e[count - 1].status;
}

static void free_elems(struct elem *e, int count) {
  for (int k = 0; k < count; k++) sv_free(&e[k].argv);
  free(e);
}

/* Expands the simple commands' words and decides which elements are programs. */
static struct elem *prepare(struct node **kids, int count) {
  struct elem *e = xmalloc((size_t)count * sizeof *e);
  memset(e, 0, (size_t)count * sizeof *e);
  for (int k = 0; k < count; k++) {
    e[k].n = kids[k];
    e[k].pid = -1;
    if (kids[k]->type != N_SIMPLE) continue;
    e[k].simple = 1;
    if (expand_words(&kids[k]->words, &e[k].argv) < 0) {
      free_elems(e, count);
      return NULL;
    }
    char **argv = sv_term(&e[k].argv);
    e[k].external = !is_incore(argv) && strcmp(argv[0], "exec") != 0;
  }
  return e;
}

static int run_pipeline(struct node *n) {
  int bang = n->bang;
  if (bang) g.cond++;
  int st;
  if (n->nkids == 1) {
    st = run_node(n->kids[0]);
  } else {
    struct elem *e = prepare(n->kids, n->nkids);
    if (!e) {
      st = g.pending ? g.status : 1;
    } else {
      st = pipeline_exec(e, n->nkids, -1, 0, NULL);
      free_elems(e, n->nkids);
    }
  }
  if (bang) {
    g.cond--;
    st = !st;
  }
  return st;
}

/* cmd &: programs are started and left running; anything else runs now, in an emulated subshell
 * with standard input from /dev/null, and is recorded as a job already done. */
static void run_async(struct node *n) {
  struct node **kids = n->type == N_PIPE ? n->kids : &n;
  int count = n->type == N_PIPE ? n->nkids : n->type == N_SIMPLE ? 1 : 0;
  for (int k = 0; k < count; k++)
    if (kids[k]->type != N_SIMPLE) count = 0;
  if (n->type == N_PIPE && n->bang) count = 0;
  int devnull = open_devnull();
  const char *text = n->text ? n->text : "";
  if (count > 0) {
    struct elem *e = prepare(kids, count);
    if (!e) {
      close_fd(&devnull);
      return;
    }
    int all = 1;
    for (int k = 0; k < count; k++) all &= e[k].external;
    if (all) { /* with job control a background job keeps the terminal as input (reading it stops it: SIGTTIN) */
      pipeline_exec(e, count, jobs_on() ? -1 : devnull, 1, text);
    } else {
      struct subsave s;
      sub_begin(&s, devnull, -1);
      int st = pipeline_exec(e, count, -1, 0, NULL);
      st = sub_end(&s, st);
      g.lastbg = fake_pid();
      job_add(&g.lastbg, 1, text, st, 0);
    }
    free_elems(e, count);
  } else {
    int st = run_subshell(n, devnull, -1);
    g.lastbg = fake_pid();
    job_add(&g.lastbg, 1, text, st, 0);
  }
  close_fd(&devnull);
  g.status = 0;
}

/* ---- compound commands ---- */

static int run_list(struct node *n) {
  static int depth; /* lists being run: 1 for the shell's own commands (not eval's, a function's) */
  int st = g.status;
  depth++;
  for (int i = 0; i < n->nkids && !g.pending; i++) {
    if (depth == 1 && g.subdepth == 0 && n->kids[i]->text) {
      free(job_text);
      job_text = xstrdup(n->kids[i]->text);
    }
    if (n->async[i]) {
      run_async(n->kids[i]);
      st = 0;
    } else {
      st = run_node(n->kids[i]);
    }
  }
  depth--;
  return st;
}

static int run_cond(struct node *n) {
  g.cond++;
  int st = run_node(n);
  g.cond--;
  return st;
}

/* After a loop body: 1 if the loop must stop. */
static int loop_control(void) {
  if (g.pending == P_BREAK) {
    if (--g.pending_n <= 0) g.pending = P_NONE;
    return 1;
  }
  if (g.pending == P_CONTINUE) {
    if (--g.pending_n <= 0) {
      g.pending = P_NONE;
      return 0;
    }
    return 1;
  }
  return g.pending != P_NONE;
}

static int run_while(struct node *n, int until) {
  int st = 0;
  g.loopdepth++;
  for (;;) {
    int c = run_cond(n->a);
    if (g.pending) {
      if (loop_control()) break;
      continue;
    }
    if ((c == 0) == until) break;
    st = run_node(n->b);
    if (loop_control()) break;
  }
  g.loopdepth--;
  return st;
}

static int run_for(struct node *n) {
  strvec words = {0};
  if (n->has_in) {
    if (expand_words(&n->words, &words) < 0) {
      sv_free(&words);
      return g.pending ? g.status : 1;
    }
  } else {
    sv_copy(&words, &g.pos);
  }
  int st = 0;
  g.loopdepth++;
  for (int i = 0; i < words.n; i++) {
    if (var_set(n->name, words.v[i], 0) < 0) {
      st = 1;
      break;
    }
    st = run_node(n->a);
    if (loop_control()) break;
  }
  g.loopdepth--;
  sv_free(&words);
  return st;
}

static int run_case(struct node *n) {
  char *word = expand_string(n->name, 0);
  if (!word) return g.pending ? g.status : 1;
  int st = 0;
  for (struct caseitem *ci = n->cases; ci; ci = ci->next) {
    for (int i = 0; i < ci->pats.n; i++) {
      char *pat = expand_string(ci->pats.v[i], X_PATTERN);
      if (!pat) {
        free(word);
        return g.pending ? g.status : 1;
      }
      int m = pattern_match(pat, word);
      free(pat);
      if (m) {
        free(word);
        return ci->body ? run_node(ci->body) : 0;
      }
    }
  }
  free(word);
  return st;
}

static int run_if(struct node *n) {
  int c = run_cond(n->a);
  if (g.pending) return c;
  if (c == 0) return run_node(n->b);
  if (n->c) return run_node(n->c);
  return 0;
}

static int run_compound(struct node *n) {
  switch (n->type) {
  case N_GROUP: return run_node(n->a);
  case N_SUBSHELL: return run_subshell(n->a, -1, -1);
  case N_IF: return run_if(n);
  case N_WHILE: return run_while(n, 0);
  case N_UNTIL: return run_while(n, 1);
  case N_FOR: return run_for(n);
  case N_CASE: return run_case(n);
  }
  return 0;
}

int run_node(struct node *n) {
  if (!n || g.pending) return g.status;
  if (stack_exhausted()) {
    sh_warn("maximum nesting depth exceeded");
    sh_error(2);
    return 2;
  }
  int st = 0;
  switch (n->type) {
  case N_LIST:
    st = run_list(n);
    break;
  case N_AND:
  case N_OR:
    st = run_cond(n->a);
    if (!g.pending && ((st == 0) == (n->type == N_AND))) st = run_node(n->b);
    break;
  case N_PIPE:
    st = run_pipeline(n);
    if (!n->bang) errexit_check(st);
    break;
  case N_SIMPLE:
    st = run_simple(n);
    errexit_check(st);
    break;
  case N_FUNCDEF:
    func_define(n->name, n->a);
    st = 0;
    break;
  default:
    if (n->redirs) {
      struct fdframe f = {0};
      if (redir_apply(n->redirs, &f) < 0) st = 1;
      else st = run_compound(n);
      redir_undo(&f);
    } else {
      st = run_compound(n);
    }
    if (n->type == N_SUBSHELL) errexit_check(st);
    break;
  }
  if (g.pending == P_EXIT) return g.status;
  g.status = st;
  return st;
}

void trap_run_exit(void) {
  if (!g.exit_trap) return;
  char *t = g.exit_trap;
  g.exit_trap = NULL;
  int st = g.status;
  g.subdepth++; /* an exit inside the trap ends the trap */
  run_list_text(t, "trap: ");
  g.subdepth--;
  g.pending = P_NONE;
  g.status = st;
  free(t);
}
