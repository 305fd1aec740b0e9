/* webmach's <sys/time.h>: wasi-libc's, plus ITIMER_REAL interval timers (sdk/lib/signal.c). */
#include_next <sys/time.h>

#ifndef WEBMACH_SYS_TIME_H
#define WEBMACH_SYS_TIME_H

#ifdef __cplusplus
extern "C" {
#endif

#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2

struct itimerval {
  struct timeval it_interval;
  struct timeval it_value;
};

/* ITIMER_REAL only (SIGALRM); the others are EINVAL. */
int getitimer(int which, struct itimerval *value);
int setitimer(int which, const struct itimerval *__restrict value, struct itimerval *__restrict old);

#ifdef __cplusplus
}
#endif

#endif /* WEBMACH_SYS_TIME_H */
