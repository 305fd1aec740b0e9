/*
 * redir.c: redirections (< > >| >> <> <& >& n>file n>&m n<&- <<, <<-). For a command run in the
 * shell itself (builtin, function, compound command, emulated subshell) they are applied to the
 * shell's own descriptors, each replaced descriptor first saved in a frame (a close-on-exec copy at
 * 10 or above) and put back by redir_undo. For a program, the shell opens the files itself (so an
 * error names the file, not the program) and turns the redirections into posix_spawn file actions
 * (redir_actions). Here-documents go through an unlinked temporary file.
 *
 * The shell's own descriptors (saved copies, opened files, pipes) are close-on-exec and at 10 or
 * above; 0-9 are the user's. Note: descriptors 3 and up hold the preopened directories of a WASI
 * program, so redirecting one of them (e.g. 3>file) hides that directory from the shell's path
 * lookups while it lasts, and from programs it starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

int fd_high(int fd) {
  if (fd < 0) return fd;
  if (fd >= 10) {
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
  }
  int n = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  close(fd);
  return n;
}

int temp_file(void) {
  static unsigned counter;
  const char *dir = var_get("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  for (int tries = 0; tries < 100; tries++) {
    char *name = xasprintf("%s/sh-%d-%u", dir, (int)getpid(), counter++);
    int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) unlink(name);
    free(name);
    if (fd >= 0) return fd_high(fd);
    if (errno != EEXIST) break;
  }
  return -1;
}

int heredoc_fd(struct redir *r) {
  char *body = r->quoted ? xstrdup(r->body ? r->body : "") : expand_string(r->body ? r->body : "", X_HEREDOC);
  if (!body) return -1;
  int fd = temp_file();
  if (fd < 0) {
    sh_warn("cannot create a temporary file for a here-document: %s", strerror(errno));
    free(body);
    return -1;
  }
  write_all(fd, body, strlen(body));
  lseek(fd, 0, SEEK_SET);
  free(body);
  return fd;
}

int open_redir_file(struct redir *r, const char *name) {
  int flags;
  switch (r->type) {
  case R_IN: flags = O_RDONLY; break;
  case R_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
  case R_RDWR: flags = O_RDWR | O_CREAT; break;
  default: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
  }
  if (r->type == R_OUT && g.noclobber) {
    struct stat st;
    if (stat(name, &st) == 0 && S_ISREG(st.st_mode)) {
      sh_warn("%s: cannot overwrite existing file", name);
      return -1;
    }
  }
  int fd = open(name, flags, 0666);
  if (fd < 0) {
    sh_warn("%s: %s", name, strerror(errno));
    return -1;
  }
  return fd_high(fd);
}

static void fd_save(struct fdframe *f, int fd) {
  if (!f) return;
  for (int i = 0; i < f->n; i++)
    if (f->v[i].fd == fd) return;
  if (f->n == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 4;
    f->v = xrealloc(f->v, (size_t)f->cap * sizeof *f->v);
  }
  f->v[f->n].fd = fd;
  f->v[f->n].saved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  f->n++;
}

void fd_move(struct fdframe *f, int fd, int to) {
  if (fd == to) return;
  rbuf_sync(to);
  fd_save(f, to);
  dup2(fd, to);
}

void redir_undo(struct fdframe *f) {
  for (int i = f->n - 1; i >= 0; i--) {
    rbuf_sync(f->v[i].fd);
    if (f->v[i].saved >= 0) {
      dup2(f->v[i].saved, f->v[i].fd);
      close(f->v[i].saved);
    } else {
      close(f->v[i].fd);
    }
  }
  free(f->v);
  f->v = NULL;
  f->n = f->cap = 0;
}

/* The descriptor number of a <& or >& target; -1 for `-`; -2 if invalid (reported). */
static int dup_target(const char *w) {
  if (strcmp(w, "-") == 0) return -1;
  long n;
  if (!parse_int(w, &n) || n < 0 || n > 9999) {
    sh_warn("%s: ambiguous redirect", w);
    return -2;
  }
  return (int)n;
}

static int fd_is_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

int redir_apply(struct redir *r, struct fdframe *f) {
  for (; r; r = r->next) {
    if (r->type == R_HEREDOC) {
      int fd = heredoc_fd(r);
      if (fd < 0) return -1;
      fd_move(f, fd, r->fd);
      close(fd);
      continue;
    }
    char *w = expand_string(r->word, 0);
    if (!w) return -1;
    if (r->type == R_DUPIN || r->type == R_DUPOUT) {
      int m = dup_target(w);
      if (m == -2) {
        free(w);
        return -1;
      }
      if (m >= 0 && !fd_is_open(m)) {
        sh_warn("%d: Bad file descriptor", m);
        free(w);
        return -1;
      }
      free(w);
      if (m == -1) {
        fd_save(f, r->fd);
        rbuf_sync(r->fd);
        close(r->fd);
      } else {
        fd_move(f, m, r->fd);
      }
      continue;
    }
    int fd = open_redir_file(r, w);
    free(w);
    if (fd < 0) return -1;
    fd_move(f, fd, r->fd);
    close(fd);
  }
  return 0;
}

/* For a program: the redirections as file actions. Files are opened here, their descriptors kept in
 * `opened` to be closed once the program has started. */
int redir_actions(struct redir *r, posix_spawn_file_actions_t *fa, struct fdlist *opened) {
  int set[64] = {0}; /* descriptors the actions so far have opened or replaced */
  for (; r; r = r->next) {
    int fd;
    if (r->type == R_DUPIN || r->type == R_DUPOUT) {
      char *w = expand_string(r->word, 0);
      if (!w) return -1;
      int m = dup_target(w);
      free(w);
      if (m == -2) return -1;
      if (m == -1) {
        posix_spawn_file_actions_addclose(fa, r->fd);
        continue;
      }
      if (!(m < 64 && set[m]) && !fd_is_open(m)) {
        sh_warn("%d: Bad file descriptor", m);
        return -1;
      }
      if (m != r->fd) posix_spawn_file_actions_adddup2(fa, m, r->fd);
      if (r->fd < 64) set[r->fd] = 1;
      continue;
    }
    if (r->type == R_HEREDOC) {
      fd = heredoc_fd(r);
    } else {
      char *w = expand_string(r->word, 0);
      if (!w) return -1;
      fd = open_redir_file(r, w);
      free(w);
    }
    if (fd < 0) return -1;
    if (opened->n < FDLIST_MAX) opened->fd[opened->n++] = fd;
    posix_spawn_file_actions_adddup2(fa, fd, r->fd);
    if (r->fd < 64) set[r->fd] = 1;
  }
  return 0;
}
