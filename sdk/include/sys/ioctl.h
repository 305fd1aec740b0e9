/*
 * webmach's <sys/ioctl.h>: wasi-libc's (FIONREAD, FIONBIO), plus the terminal requests Linux
 * programs use: TIOCGWINSZ (the window size), TIOCGPGRP and TIOCSPGRP (tcgetpgrp, tcsetpgrp).
 * ioctl is webmach's (sdk/lib/termios.c), which hands every other request to wasi-libc's.
 */
#include_next <sys/ioctl.h>

#ifndef WEBMACH_SYS_IOCTL_H
#define WEBMACH_SYS_IOCTL_H

#include <termios.h> /* struct winsize */

#ifdef __cplusplus
extern "C" {
#endif

#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413

int __webmach_ioctl(int fd, int request, ...);
#define ioctl __webmach_ioctl

#ifdef __cplusplus
}
#endif

#endif /* WEBMACH_SYS_IOCTL_H */
