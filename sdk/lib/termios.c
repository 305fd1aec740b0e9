/*
 * The terminal's calls (<termios.h>, and tcgetpgrp, tcsetpgrp, ttyname from <unistd.h>): the modes,
 * the foreground process group and the session live in the personality server's terminal
 * (personality/vfs/tty.ts), reached through the webmach imports in <webmach/syscalls.h>; the speed
 * and cfmakeraw helpers only edit the structure, as musl's do. isatty is wasi-libc's (a character
 * device without seek rights), which webmach's terminal is.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <webmach/syscalls.h>

/* wasi-libc's ioctl, for the requests webmach's does not serve itself. */
#include <sys/ioctl.h>
#undef ioctl

/* The terminal's name: the console, whose node /dev/tty is also the controlling terminal. */
static const char TTY_NAME[] = "/dev/tty";

static int result(int32_t error) {
  if (error == 0) return 0;
  errno = error;
  return -1;
}

int tcgetattr(int fd, struct termios *t) {
  uint32_t iflag, oflag, cflag, lflag;
  size_t n;
  cc_t cc[NCCS];
  int32_t error = __webmach_tcgetattr(fd, &iflag, &oflag, &cflag, &lflag, cc, sizeof cc, &n);
  if (error) return result(error);
  memset(t, 0, sizeof *t);
  t->c_iflag = iflag, t->c_oflag = oflag, t->c_cflag = cflag, t->c_lflag = lflag;
  memcpy(t->c_cc, cc, n);
  t->__c_ispeed = t->__c_ospeed = cflag & CBAUD;
  return 0;
}

int tcsetattr(int fd, int optional_actions, const struct termios *t) {
  return result(__webmach_tcsetattr(fd, optional_actions, t->c_iflag, t->c_oflag, t->c_cflag, t->c_lflag, t->c_cc, NCCS));
}

pid_t tcgetpgrp(int fd) {
  int32_t pgrp;
  int32_t error = __webmach_tcgetpgrp(fd, &pgrp);
  return error ? result(error) : pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp) {
  return result(__webmach_tcsetpgrp(fd, pgrp));
}

pid_t tcgetsid(int fd) {
  int32_t sid;
  int32_t error = __webmach_tcgetsid(fd, &sid);
  return error ? result(error) : sid;
}

int tcgetwinsize(int fd, struct winsize *ws) {
  int32_t rows, cols;
  int32_t error = __webmach_tcgetwinsize(fd, &rows, &cols);
  if (error) return result(error);
  memset(ws, 0, sizeof *ws);
  ws->ws_row = (unsigned short)rows;
  ws->ws_col = (unsigned short)cols;
  return 0;
}

int tcflush(int fd, int queue) {
  return result(__webmach_tcflush(fd, queue));
}

/* Output goes to the host as it is written: nothing to wait for, nothing to suspend; a terminal is all they check. */
static int terminal(int fd) {
  struct termios t;
  return tcgetattr(fd, &t);
}

int tcdrain(int fd) { return terminal(fd); }

int tcsendbreak(int fd, int duration) {
  (void)duration;
  return terminal(fd);
}

int tcflow(int fd, int action) {
  if (terminal(fd)) return -1;
  if (action < TCOOFF || action > TCION) return result(EINVAL);
  return 0;
}

void cfmakeraw(struct termios *t) {
  t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  t->c_oflag &= ~(tcflag_t)OPOST;
  t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
  t->c_cflag |= CS8;
  t->c_cc[VMIN] = 1;
  t->c_cc[VTIME] = 0;
}

speed_t cfgetospeed(const struct termios *t) { return t->c_cflag & CBAUD; }

speed_t cfgetispeed(const struct termios *t) { return cfgetospeed(t); }

int cfsetospeed(struct termios *t, speed_t speed) {
  if (speed & ~(speed_t)CBAUD) return result(EINVAL);
  t->c_cflag = (t->c_cflag & ~(tcflag_t)CBAUD) | speed;
  t->__c_ospeed = speed;
  return 0;
}

int cfsetispeed(struct termios *t, speed_t speed) { return speed ? cfsetospeed(t, speed) : 0; }

int cfsetspeed(struct termios *t, speed_t speed) { return cfsetospeed(t, speed); }

int ttyname_r(int fd, char *buf, size_t len) {
  struct termios t;
  if (tcgetattr(fd, &t)) return errno;
  if (len < sizeof TTY_NAME) return ERANGE;
  memcpy(buf, TTY_NAME, sizeof TTY_NAME);
  return 0;
}

char *ttyname(int fd) {
  static char name[sizeof TTY_NAME];
  int error = ttyname_r(fd, name, sizeof name);
  if (error) {
    errno = error;
    return NULL;
  }
  return name;
}

/* TIOCGWINSZ, TIOCGPGRP and TIOCSPGRP here; anything else is wasi-libc's (FIONREAD, FIONBIO). */
int __webmach_ioctl(int fd, int request, ...) {
  va_list ap;
  va_start(ap, request);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  if (request == TIOCGWINSZ) return tcgetwinsize(fd, arg);
  if (request == TIOCGPGRP) {
    pid_t pgrp = tcgetpgrp(fd);
    if (pgrp < 0) return -1;
    *(pid_t *)arg = pgrp;
    return 0;
  }
  if (request == TIOCSPGRP) return tcsetpgrp(fd, *(const pid_t *)arg);
  return ioctl(fd, request, arg);
}
