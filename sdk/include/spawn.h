/*
 * webmach's <spawn.h> (wasi-libc has none): posix_spawn and posix_spawnp with file actions (open,
 * close, dup2). The child gets the caller's descriptors but those with FD_CLOEXEC, then the actions
 * in order. Attributes are accepted with no flags set (no process groups or signal masks yet).
 */
#ifndef WEBMACH_SPAWN_H
#define WEBMACH_SPAWN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  unsigned char *__records; /* the actions, encoded as posix_spawn's routine takes them */
  size_t __used, __room;
} posix_spawn_file_actions_t;

typedef struct {
  short __flags;
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

#ifdef __cplusplus
}
#endif

#endif /* WEBMACH_SPAWN_H */
