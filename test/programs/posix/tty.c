// The terminal, written as for Linux and run on a pseudo-terminal (test/userland/system.test.ts types
// what each "type: ..." line asks for): isatty, ttyname, the modes and their defaults, the
// controlling terminal's foreground group and session with tcsetpgrp's errors, the window size; a
// canonical read returns one line, ERASE, KILL and WERASE edit it, ^D on an empty line ends one read;
// non-canonical reads as VMIN and VTIME say, ^C as a byte without ISIG; tcflush; a background reader
// stops by SIGTTIN, or gets EIO when it ignores it. Run as `tty.wasm all SELF`.
#define _GNU_SOURCE /* POSIX_SPAWN_SETSID, cfmakeraw, in glibc */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

extern char **environ;
static const char *self;

static void nap(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&t, NULL);
}

static pid_t spawn_with(const posix_spawnattr_t *attr, const char *role) {
  char *argv[] = {"tty.wasm", (char *)role, (char *)self, NULL};
  pid_t pid;
  int e = posix_spawn(&pid, self, NULL, attr, argv, environ);
  if (e) errno = e;
  return e ? -1 : pid;
}

static int role(const char *r) {
  char c;
  if (!strcmp(r, "sleep")) {
    nap(10000);
    return 0;
  }
  if (!strcmp(r, "read")) return read(0, &c, 1) < 0 ? errno : 0;
  if (!strcmp(r, "other-session")) /* the terminal is not the controlling terminal of a new session */
    return tcgetpgrp(0) == -1 && errno == ENOTTY && tcsetpgrp(0, getpgrp()) == -1 && errno == ENOTTY && tcgetsid(0) == -1 &&
                   errno == ENOTTY
               ? 0
               : 1;
  if (!strcmp(r, "read-ignoring")) {
    signal(SIGTTIN, SIG_IGN);
    return read(0, &c, 1) == -1 && errno == EIO ? 0 : 1;
  }
  return 100;
}

/* Ask the driver to type something, and read what one read(2) returns, as a string. */
static const char *typed(const char *what) {
  static char buf[256];
  printf("type: %s\n", what);
  ssize_t n = read(0, buf, sizeof buf - 1);
  buf[n < 0 ? 0 : n] = 0;
  return n < 0 ? "(error)" : buf;
}

static void identity(void) {
  struct termios t;
  check("isatty(0) and isatty(1)", isatty(0) == 1 && isatty(1) == 1);
  const char *name = ttyname(0);
  check("ttyname names a device", name != NULL && strncmp(name, "/dev/", 5) == 0);
  check("tcgetattr: canonical, echoing, signalling, ICRNL, OPOST|ONLCR by default",
        tcgetattr(0, &t) == 0 && (t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG) && (t.c_iflag & ICRNL) &&
            (t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR));
  check("the control characters: ^C ^\\ ^? ^U ^D ^Z", t.c_cc[VINTR] == 3 && t.c_cc[VQUIT] == 0x1c && t.c_cc[VERASE] == 0x7f &&
                                                       t.c_cc[VKILL] == 0x15 && t.c_cc[VEOF] == 4 && t.c_cc[VSUSP] == 0x1a);
  check("the foreground group is ours (tcgetpgrp), the session ours (tcgetsid)", tcgetpgrp(0) == getpgrp() && tcgetsid(0) == getsid(0));
  struct winsize ws;
  check("TIOCGWINSZ answers", ioctl(1, TIOCGWINSZ, &ws) == 0);
  check("tcsetattr with a bad action: EINVAL", tcsetattr(0, 99, &t) == -1 && errno == EINVAL);
}

static void foreground(void) {
  check("tcsetpgrp to our own group", tcsetpgrp(0, getpgrp()) == 0);
  check("tcsetpgrp to a negative group: EINVAL", tcsetpgrp(0, -1) == -1 && errno == EINVAL);
  posix_spawnattr_t session;
  posix_spawnattr_init(&session);
  posix_spawnattr_setflags(&session, POSIX_SPAWN_SETSID);
  pid_t other = spawn_with(&session, "sleep");
  nap(300);
  check("tcsetpgrp to a group of another session: EPERM", tcsetpgrp(0, other) == -1 && errno == EPERM);
  kill(other, SIGKILL);
  waitpid(other, NULL, 0);
  int st;
  pid_t off = spawn_with(&session, "other-session");
  check("off the caller's controlling terminal: tcgetpgrp, tcsetpgrp and tcgetsid say ENOTTY",
        waitpid(off, &st, 0) == off && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void canonical(void) {
  check("a canonical read returns one line of two typed at once", !strcmp(typed("two lines"), "one\n"));
  char buf[16];
  ssize_t n = read(0, buf, sizeof buf);
  check("and the next read the next line", n == 4 && !memcmp(buf, "two\n", 4));
  check("ERASE and KILL edit the line", !strcmp(typed("edit"), "xy\n"));
  check("WERASE takes back a word", !strcmp(typed("word"), "foo baz\n"));
  check("^D on an empty line: that read returns 0", !strcmp(typed("eof"), ""));
  check("and the next read waits for more", !strcmp(typed("after"), "more\n"));
  int partial = !strcmp(typed("partial"), "abc");
  printf("\n"); /* the echo left the cursor after "abc" */
  check("^D after text ends the read with the text", partial);
  printf("type: junk\n");
  nap(500);
  check("tcflush(TCIFLUSH) discards what was typed", tcflush(0, TCIFLUSH) == 0 && !strcmp(typed("kept"), "kept\n"));
}

static void noncanonical(void) {
  struct termios saved, raw;
  tcgetattr(0, &saved);
  raw = saved;
  cfmakeraw(&raw);
  raw.c_oflag |= OPOST; /* keep \n as \r\n for the report */
  check("tcsetattr: raw mode", tcsetattr(0, TCSAFLUSH, &raw) == 0);
  struct termios now;
  check("tcgetattr gives it back", tcgetattr(0, &now) == 0 && !(now.c_lflag & (ICANON | ECHO | ISIG)) && now.c_cc[VMIN] == 1);
  check("VMIN 1: one key, no newline needed", !strcmp(typed("key"), "q"));
  check("no ISIG: ^C is a byte", !strcmp(typed("ctrl-c"), "\003"));
  raw.c_cc[VMIN] = 0;
  tcsetattr(0, TCSANOW, &raw);
  char c;
  check("VMIN 0, VTIME 0: a read of nothing typed returns 0 at once", read(0, &c, 1) == 0);
  raw.c_cc[VTIME] = 3;
  tcsetattr(0, TCSANOW, &raw);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ssize_t n = read(0, &c, 1);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  check("VMIN 0, VTIME 3: 0 after about 0.3 s", n == 0 && ms >= 250 && ms < 2000);
  check("back to the saved modes", tcsetattr(0, TCSAFLUSH, &saved) == 0 && tcgetattr(0, &now) == 0 && (now.c_lflag & ICANON));
}

static void background(void) {
  posix_spawnattr_t own;
  posix_spawnattr_init(&own);
  posix_spawnattr_setflags(&own, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&own, 0);
  pid_t reader = spawn_with(&own, "read");
  int st;
  check("a background reader stops by SIGTTIN", waitpid(reader, &st, WUNTRACED) == reader && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
  kill(reader, SIGKILL);
  check("and SIGKILL ends it", waitpid(reader, &st, 0) == reader && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
  pid_t ignoring = spawn_with(&own, "read-ignoring");
  check("a background reader that ignores SIGTTIN gets EIO", waitpid(ignoring, &st, 0) == ignoring && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(int argc, char **argv) {
  self = argc > 2 ? argv[2] : "";
  if (argc < 3 || strcmp(argv[1], "all")) return role(argv[1]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  identity();
  foreground();
  canonical();
  noncanonical();
  background();
  return report();
}
