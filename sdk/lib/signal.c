/*
 * Signals: sigaction and signal, masks and sets, kill, killpg and raise, sigsuspend, pause and
 * sigpending, alarm and the ITIMER_REAL timer. The server keeps each signal's action (default,
 * ignore, or caught), the mask and the pending set (its routines in abi/bsd.defs); the handlers live
 * here, in the program, and the task library calls dispatch (through the function table, which
 * `webmach cc` exports: an exported function would rerun the program's constructors) to run the one
 * for a signal when the program next returns from a system call.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>
#include <webmach/syscalls.h>

enum { ACTION_DEFAULT = 0, ACTION_IGNORE = 1, ACTION_CATCH = 2, ACTION_KEEP = -1 };

static struct sigaction handlers[NSIG + 1];

__attribute__((import_module("webmach"), import_name("sigdispatch"))) int32_t __webmach_sigdispatch(void (*dispatch)(int));

/* The task library calls this to run the handler of `sig` (the server has already applied its mask). */
static void dispatch(int sig) {
  if (sig < 1 || sig > NSIG) return;
  struct sigaction *a = &handlers[sig];
  if (a->sa_flags & SA_SIGINFO) {
    siginfo_t info = {.si_signo = sig, .si_code = SI_USER};
    if (a->sa_sigaction) a->sa_sigaction(sig, &info, NULL);
  } else if (a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN) {
    a->sa_handler(sig);
  }
  if (a->sa_flags & SA_RESETHAND) a->sa_handler = SIG_DFL;
}

static int fail(int error) {
  errno = error;
  return -1;
}

void __SIG_IGN(int sig) { (void)sig; }
void __SIG_ERR(int sig) { (void)sig; }

static int action_of(const struct sigaction *act) {
  if (!(act->sa_flags & SA_SIGINFO) && act->sa_handler == SIG_DFL) return ACTION_DEFAULT;
  if (!(act->sa_flags & SA_SIGINFO) && act->sa_handler == SIG_IGN) return ACTION_IGNORE;
  return ACTION_CATCH;
}

int sigaction(int sig, const struct sigaction *__restrict act, struct sigaction *__restrict old) {
  int32_t oldaction, oldflags, oldmask;
  int error = __webmach_sigaction(sig, act ? action_of(act) : ACTION_KEEP, act ? act->sa_flags : 0, act ? (int32_t)act->sa_mask : 0,
                                  &oldaction, &oldflags, &oldmask);
  if (error) return fail(error);
  static int registered;
  if (!registered) registered = __webmach_sigdispatch(dispatch) == 0;
  if (old) {
    *old = handlers[sig];
    if (oldaction != ACTION_CATCH) old->sa_handler = oldaction == ACTION_IGNORE ? SIG_IGN : SIG_DFL;
    old->sa_flags = oldflags;
    old->sa_mask = (sigset_t)oldmask;
  }
  if (act) handlers[sig] = *act;
  return 0;
}

void (*signal(int sig, void (*handler)(int)))(int) {
  struct sigaction act = {.sa_handler = handler, .sa_flags = SA_RESTART}, old;
  if (sigaction(sig, &act, &old)) return SIG_ERR;
  return old.sa_handler;
}

int kill(pid_t pid, int sig) {
  int32_t terminated;
  int error = __webmach_kill(pid, sig, &terminated);
  return error ? fail(error) : 0;
}

int killpg(pid_t pgrp, int sig) {
  if (pgrp <= 1) return fail(EINVAL);
  return kill(-pgrp, sig);
}

int raise(int sig) {
  return kill(getpid(), sig);
}

int sigemptyset(sigset_t *set) {
  *set = 0;
  return 0;
}

int sigfillset(sigset_t *set) {
  *set = 0x7fffffff;
  return 0;
}

static int valid(int sig) {
  return sig >= 1 && sig <= NSIG;
}

int sigaddset(sigset_t *set, int sig) {
  if (!valid(sig)) return fail(EINVAL);
  *set |= 1ul << (sig - 1);
  return 0;
}

int sigdelset(sigset_t *set, int sig) {
  if (!valid(sig)) return fail(EINVAL);
  *set &= ~(1ul << (sig - 1));
  return 0;
}

int sigismember(const sigset_t *set, int sig) {
  if (!valid(sig)) return fail(EINVAL);
  return (*set >> (sig - 1)) & 1;
}

int sigprocmask(int how, const sigset_t *__restrict set, sigset_t *__restrict old) {
  int32_t was;
  int error = set ? __webmach_sigprocmask(how, (int32_t)*set, &was) : __webmach_sigprocmask(SIG_BLOCK, 0, &was);
  if (error) return fail(error);
  if (old) *old = (sigset_t)was;
  return 0;
}

int pthread_sigmask(int how, const sigset_t *__restrict set, sigset_t *__restrict old) {
  return sigprocmask(how, set, old) ? errno : 0;
}

int sigpending(sigset_t *set) {
  int32_t pending;
  int error = __webmach_sigpending(&pending);
  if (error) return fail(error);
  *set = (sigset_t)pending;
  return 0;
}

int sigsuspend(const sigset_t *mask) {
  sigset_t old;
  sigprocmask(SIG_BLOCK, NULL, &old);
  int error = __webmach_sigsuspend((int32_t)*mask); /* the handlers have run when it returns */
  sigprocmask(SIG_SETMASK, &old, NULL);
  return fail(error);
}

int pause(void) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  return sigsuspend(&now);
}

/* nanosleep, as wasi-libc's but for a signal: EINTR with what was left of the time in `rem`. */
int nanosleep(const struct timespec *req, struct timespec *rem) {
  if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000) return fail(EINVAL);
  __wasi_timestamp_t start, now, ns = (__wasi_timestamp_t)req->tv_sec * 1000000000u + (__wasi_timestamp_t)req->tv_nsec;
  if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &start)) return fail(EINVAL);
  __wasi_subscription_t sub = {.u.tag = __WASI_EVENTTYPE_CLOCK, .u.u.clock = {.id = __WASI_CLOCKID_MONOTONIC, .timeout = ns}};
  __wasi_event_t event;
  __wasi_size_t n;
  __wasi_errno_t error = __wasi_poll_oneoff(&sub, &event, 1, &n);
  if (error == EINTR && rem && __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now) == 0) {
    __wasi_timestamp_t left = start + ns > now ? start + ns - now : 0;
    rem->tv_sec = left / 1000000000u;
    rem->tv_nsec = left % 1000000000u;
  }
  return error ? fail(error) : 0;
}

static uint64_t micros(const struct timeval *t) {
  return (uint64_t)t->tv_sec * 1000000u + (uint64_t)t->tv_usec;
}

static void timeval_of(uint64_t us, struct timeval *t) {
  t->tv_sec = us / 1000000u;
  t->tv_usec = us % 1000000u;
}

int setitimer(int which, const struct itimerval *__restrict value, struct itimerval *__restrict old) {
  if (value && (value->it_value.tv_usec >= 1000000 || value->it_interval.tv_usec >= 1000000 ||
                value->it_value.tv_sec < 0 || value->it_interval.tv_sec < 0 || value->it_value.tv_usec < 0 || value->it_interval.tv_usec < 0))
    return fail(EINVAL);
  uint64_t left, interval;
  int error = __webmach_setitimer(which, value ? micros(&value->it_value) : 0, value ? micros(&value->it_interval) : 0, &left, &interval);
  if (error) return fail(error);
  if (old) {
    timeval_of(left, &old->it_value);
    timeval_of(interval, &old->it_interval);
  }
  return 0;
}

int getitimer(int which, struct itimerval *value) {
  /* read by setting it again with what was left (the server answers with the old timer) */
  struct itimerval now;
  if (setitimer(which, NULL, &now)) return -1;
  if (now.it_value.tv_sec || now.it_value.tv_usec) setitimer(which, &now, NULL);
  *value = now;
  return 0;
}

unsigned alarm(unsigned seconds) {
  struct itimerval value = {.it_value = {.tv_sec = seconds}}, old;
  if (setitimer(ITIMER_REAL, &value, &old)) return 0;
  return old.it_value.tv_sec + (old.it_value.tv_usec >= 500000 || (old.it_value.tv_sec == 0 && old.it_value.tv_usec > 0));
}
