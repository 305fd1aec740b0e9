// Task and thread ports as XNU documents and implements them (osfmk/kern/task.c, thread.c,
// bsd/kern/kern_proc.c for task_for_pid), written as for macOS: the task's own port, task_info and
// thread_info flavors and counts, task_threads, task_for_pid and pid_for_task, and task_suspend and
// task_resume of a child seen through a pipe. On macOS task_for_pid of another process needs root
// or an entitlement; webmach lets a process have its children's task ports.
// `task.wasm all SELF` runs every check (it spawns itself as `task.wasm tick`); one line per check,
// then "N failures".
#include <errno.h>
#include <fcntl.h>
#include <mach/mach.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../posix/check.h"
#include "common.h"

static mach_port_t me;

static void self_port(void) {
  check("mach_task_self is a send right", MACH_PORT_VALID(me) && (type_of(me) & MACH_PORT_TYPE_SEND));
  mach_port_t t = MACH_PORT_NULL;
  // task_for_pid: the caller's own pid gives its own (pinned) task port, equal to mach_task_self_.
  check("task_for_pid of our own pid is mach_task_self", task_for_pid(me, getpid(), &t) == KERN_SUCCESS && t == me);
  int pid = -1;
  check("pid_for_task of it is getpid", pid_for_task(me, &pid) == KERN_SUCCESS && pid == getpid());
  check("task_for_pid of a pid nobody has: KERN_FAILURE", task_for_pid(me, 999999, &t) == KERN_FAILURE);
  check("task_for_pid of pid 0: KERN_FAILURE", task_for_pid(me, 0, &t) == KERN_FAILURE);
}

static void info(void) {
  mach_task_basic_info_data_t mb;
  mach_msg_type_number_t n = MACH_TASK_BASIC_INFO_COUNT;
  check("task_info MACH_TASK_BASIC_INFO", task_info(me, MACH_TASK_BASIC_INFO, (task_info_t)&mb, &n) == KERN_SUCCESS);
  check("count MACH_TASK_BASIC_INFO_COUNT (12)", n == MACH_TASK_BASIC_INFO_COUNT && n == 12);
  check("not suspended, some memory resident", mb.suspend_count == 0 && mb.resident_size > 0 && mb.virtual_size >= mb.resident_size);
  task_basic_info_data_t b;
  n = TASK_BASIC_INFO_COUNT;
  check("task_info TASK_BASIC_INFO (the 32-bit flavor, 4)", TASK_BASIC_INFO == 4 && task_info(me, TASK_BASIC_INFO, (task_info_t)&b, &n) == KERN_SUCCESS);
  check("count TASK_BASIC_INFO_COUNT (8)", n == TASK_BASIC_INFO_COUNT && n == 8 && b.suspend_count == 0 && b.resident_size > 0);
  // task_info: a count below the flavor's is KERN_INVALID_ARGUMENT.
  n = MACH_TASK_BASIC_INFO_COUNT - 1;
  check("MACH_TASK_BASIC_INFO with a short count: KERN_INVALID_ARGUMENT", task_info(me, MACH_TASK_BASIC_INFO, (task_info_t)&mb, &n) == KERN_INVALID_ARGUMENT);
  task_thread_times_info_data_t tt;
  n = TASK_THREAD_TIMES_INFO_COUNT;
  check("task_info TASK_THREAD_TIMES_INFO", task_info(me, TASK_THREAD_TIMES_INFO, (task_info_t)&tt, &n) == KERN_SUCCESS && n == TASK_THREAD_TIMES_INFO_COUNT);
  check("times are well formed", tt.user_time.microseconds >= 0 && tt.user_time.microseconds < TIME_MICROS_MAX && tt.system_time.microseconds < TIME_MICROS_MAX);
  integer_t any[TASK_INFO_MAX];
  n = TASK_INFO_MAX;
  check("an unknown flavor: KERN_INVALID_ARGUMENT", task_info(me, 9999, any, &n) == KERN_INVALID_ARGUMENT);
}

static void threads(void) {
  mach_port_t th = mach_thread_self();
  check("mach_thread_self is a send right", MACH_PORT_VALID(th) && (type_of(th) & MACH_PORT_TYPE_SEND));
  mach_port_t th2 = mach_thread_self();
  check("a second call gives the same name", th2 == th);
  mach_port_deallocate(me, th2);
  thread_basic_info_data_t tb;
  mach_msg_type_number_t n = THREAD_BASIC_INFO_COUNT;
  check("thread_info THREAD_BASIC_INFO", thread_info(th, THREAD_BASIC_INFO, (thread_info_t)&tb, &n) == KERN_SUCCESS && n == THREAD_BASIC_INFO_COUNT);
  check("running, not suspended", tb.run_state == TH_STATE_RUNNING && tb.suspend_count == 0);
  check("cpu usage within TH_USAGE_SCALE", tb.cpu_usage >= 0 && tb.cpu_usage <= TH_USAGE_SCALE);
  n = THREAD_BASIC_INFO_COUNT - 1;
  check("a short count: KERN_INVALID_ARGUMENT", thread_info(th, THREAD_BASIC_INFO, (thread_info_t)&tb, &n) == KERN_INVALID_ARGUMENT);
  thread_act_array_t list = NULL;
  mach_msg_type_number_t count = 0;
  check("task_threads: one thread", task_threads(me, &list, &count) == KERN_SUCCESS && count == 1);
  check("our thread", list && list[0] == th);
  if (list) mach_port_deallocate(me, list[0]);
  check("the array is vm_deallocate'd", vm_deallocate(me, (vm_address_t)list, count * sizeof *list) == KERN_SUCCESS);
  mach_port_deallocate(me, th);
}

/* The child: a byte on stdout every 10 ms, for at most 20 s. */
static int tick(void) {
  for (int i = 0; i < 2000; i++) {
    if (write(1, ".", 1) != 1) return 1;
    sleep_ms(10);
  }
  return 0;
}

/* Bytes readable from fd within ms; drains what is there. */
static int drain(int fd, int ms) {
  struct pollfd p = {fd, POLLIN, 0};
  char buf[256];
  int total = 0;
  while (poll(&p, 1, ms) > 0) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    total += (int)n;
    ms = 0;
  }
  return total;
}

static void child_task(const char *self) {
  int fds[2] = {-1, -1};
  check("a pipe for the child's output", pipe(fds) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  char *argv[] = {(char *)self, "tick", NULL};
  pid_t pid = -1;
  posix_spawn(&pid, self, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  mach_port_t t = MACH_PORT_NULL;
  check("task_for_pid of a child", task_for_pid(me, pid, &t) == KERN_SUCCESS && MACH_PORT_VALID(t) && t != me);
  int back = -1;
  check("pid_for_task gives its pid back", pid_for_task(t, &back) == KERN_SUCCESS && back == pid);
  check("the child makes progress", drain(fds[0], 2000) > 0);
  check("task_suspend", task_suspend(t) == KERN_SUCCESS);
  drain(fds[0], 50); /* what it wrote before it stopped */
  check("suspended, it writes nothing", drain(fds[0], 300) == 0);
  mach_task_basic_info_data_t mb;
  mach_msg_type_number_t n = MACH_TASK_BASIC_INFO_COUNT;
  check("its suspend count is 1", task_info(t, MACH_TASK_BASIC_INFO, (task_info_t)&mb, &n) == KERN_SUCCESS && mb.suspend_count == 1);
  check("task_resume", task_resume(t) == KERN_SUCCESS);
  check("resumed, it writes again", drain(fds[0], 2000) > 0);
  // release_task_hold: resuming a task that is not suspended is KERN_FAILURE.
  check("task_resume when not suspended: KERN_FAILURE", task_resume(t) == KERN_FAILURE);
  kill(pid, SIGKILL);
  int st;
  waitpid(pid, &st, 0);
  close(fds[0]);
  mach_port_deallocate(me, t);
}

int main(int argc, char **argv) {
  me = mach_task_self();
  if (argc >= 2 && !strcmp(argv[1], "tick")) return tick();
  if (argc < 3 || strcmp(argv[1], "all")) return 100;
  self_port();
  info();
  threads();
  child_task(argv[2]);
  return report();
}
