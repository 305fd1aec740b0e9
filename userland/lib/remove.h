/*
 * remove.h: removing files and directory trees, for rm and for mv across mounts.
 */
#ifndef USERLAND_REMOVE_H
#define USERLAND_REMOVE_H

#include <stdbool.h>

/* Removes PATH (a symbolic link itself, never what it points to). A directory is refused with
 * EISDIR unless RECURSIVE, which removes everything in it first (the names read in full before
 * any is removed). With FORCE a file that does not exist is no error. Failures are reported as
 * "PROG: cannot remove 'PATH': ERROR"; returns 0, or 1 when something was left. */
int remove_path(const char *path, bool recursive, bool force);

#endif
