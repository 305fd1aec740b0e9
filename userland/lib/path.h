/*
 * path.h: path names and directories: joining and splitting paths, listing a directory, and the
 * operands of cp, mv and ln (SOURCE DEST, or SOURCE... DIRECTORY).
 */
#ifndef USERLAND_PATH_H
#define USERLAND_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* DIR/NAME as GNU builds it: no slash added after a DIR ending in one (malloc'd). */
char *path_join(const char *dir, const char *name);

/* The last component of PATH, trailing slashes ignored: its start, and its length in *len (the
 * component of "/" is the empty one after the slash). */
const char *last_component(const char *path, size_t *len);

/* The last component of PATH (malloc'd). */
char *base_name(const char *path);

/* PATH less its last component and the slashes before it; "." when nothing is left (malloc'd). */
char *dir_name(const char *path);

/* Whether A and B are the same file (device and inode). */
bool same_file(const struct stat *a, const struct stat *b);

/* The names in directory DIR but . and .., read in full (a malloc'd array of *count malloc'd
 * strings), or NULL with errno set when DIR cannot be opened. *err is the error that ended reading
 * early, or 0. */
char **dir_names(const char *dir, size_t *count, int *err);

/* The N operands of cp, mv and ln after the options: with two, FN(SOURCE, DEST) unless DEST is a
 * directory; else the last operand must be a directory, and each SOURCE goes into it (into_dir).
 * Fewer than two is a usage error. Returns the exit status (1 when FN failed for one of them). */
int to_target(int n, char **ops, int (*fn)(const char *source, const char *dest));

/* FN(SOURCE, DIR/the base name of SOURCE). */
int into_dir(const char *source, const char *dir, int (*fn)(const char *source, const char *dest));

#endif
