// <err.h> as BSD and glibc have it: warn, warnx, err and errx print "NAME: message[: strerror]" on
// stderr, NAME being argv[0] without its directory; err and errx exit with the status given.
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>

int main(void) {
  if (open("/no/such/file", O_RDONLY) < 0) warn("cannot open %s", "/no/such/file");
  warnx("%d things", 3);
  errno = EACCES;
  warn(NULL);
  errx(4, "the end");
}
