/*
 * copy.h: copying files and trees, for cp and for mv across mounts. Directories are copied
 * recursively and symbolic links as links; errors are reported with GNU cp's messages.
 */
#ifndef USERLAND_COPY_H
#define USERLAND_COPY_H

#include <stdbool.h>
#include <sys/stat.h>

struct copy_options {
  bool force;    /* a destination file that cannot be opened is removed and tried again */
  bool preserve; /* access and modification times are kept */
};

/* Copies SRC, whose lstat (or stat) is SST, to DEST. Returns 0, or 1 after reporting a failure. */
int copy_tree(const char *src, const char *dest, const struct stat *sst, const struct copy_options *opts);

/* Whether the directory SST is the directory DEST would be made in, or one of its ancestors (a
 * directory copied or moved into itself). */
bool dest_inside(const struct stat *sst, const char *dest);

#endif
