/*
 * webmach's <spawn.h> (wasi-libc has none): posix_spawn and posix_spawnp with file actions (open,
 * close, dup2), applied in order to the caller's descriptors before those with FD_CLOEXEC close; and
 * attributes: a process group (SETPGROUP), a new session (SETSID), the signal mask (SETSIGMASK) and
 * signals reset to their default (SETSIGDEF). RESETIDS and USEVFORK are accepted and change nothing.
 */
#ifndef WEBMACH_SPAWN_H
#define WEBMACH_SPAWN_H

#include <signal.h>
#include <sys/types.h>

#define POSIX_SPAWN_RESETIDS   0x01
#define POSIX_SPAWN_SETPGROUP  0x02
#define POSIX_SPAWN_SETSIGDEF  0x04
#define POSIX_SPAWN_SETSIGMASK 0x08
#define POSIX_SPAWN_USEVFORK   0x40
#define POSIX_SPAWN_SETSID     0x80

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  unsigned char *__records; /* the actions, encoded as posix_spawn's routine takes them */
  size_t __used, __room;
} posix_spawn_file_actions_t;

typedef struct {
  short __flags;
  pid_t __pgroup;
  sigset_t __mask, __default;
} posix_spawnattr_t;

int posix_spawn(pid_t *__restrict pid, const char *__restrict path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *__restrict attr, char *const argv[], char *const envp[]);
int posix_spawnp(pid_t *__restrict pid, const char *__restrict file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *__restrict attr, char *const argv[], char *const envp[]);

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *actions);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *actions);
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict actions, int fd, const char *__restrict path,
                                     int oflag, mode_t mode);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *actions, int fd);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *actions, int fd, int newfd);

int posix_spawnattr_init(posix_spawnattr_t *attr);
int posix_spawnattr_destroy(posix_spawnattr_t *attr);
int posix_spawnattr_getflags(const posix_spawnattr_t *__restrict attr, short *__restrict flags);
int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);
int posix_spawnattr_getpgroup(const posix_spawnattr_t *__restrict attr, pid_t *__restrict pgroup);
int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup);
int posix_spawnattr_getsigmask(const posix_spawnattr_t *__restrict attr, sigset_t *__restrict mask);
int posix_spawnattr_setsigmask(posix_spawnattr_t *__restrict attr, const sigset_t *__restrict mask);
int posix_spawnattr_getsigdefault(const posix_spawnattr_t *__restrict attr, sigset_t *__restrict set);
int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict attr, const sigset_t *__restrict set);

#ifdef __cplusplus
}
#endif

#endif /* WEBMACH_SPAWN_H */
