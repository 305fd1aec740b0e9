// Mach semaphores as XNU documents and implements them (osfmk/kern/sync_sema.c; the user calls are the
// semaphore_*_trap traps, semaphore_create and semaphore_destroy are MIG calls on the task port),
// written as for macOS: create, counts, timed waits, wait_signal, signal_all, destroy and their
// errors. A semaphore is a port, so it crosses processes in a message like any send right: children
// wait on one and signal_all wakes them all. `semaphore.wasm all SELF` runs every check (it spawns
// itself as `semaphore.wasm waiter SERVICE` and `semaphore.wasm orphan SERVICE`); one line per
// check, then "N failures".
#include <mach/mach.h>
#include <stdlib.h>
#include <string.h>

#include "../posix/check.h"
#include "common.h"

static mach_port_t me;
static const mach_timespec_t NOW = {0, 0};
static const mach_timespec_t FIVE_S = {5, 0};

static semaphore_t create(int value) {
  semaphore_t s = MACH_PORT_NULL;
  return semaphore_create(me, &s, SYNC_POLICY_FIFO, value) == KERN_SUCCESS ? s : MACH_PORT_NULL;
}

static void create_and_count(void) {
  semaphore_t s = MACH_PORT_NULL, l = MACH_PORT_NULL, x = MACH_PORT_NULL;
  check("semaphore_create FIFO, value 0", semaphore_create(me, &s, SYNC_POLICY_FIFO, 0) == KERN_SUCCESS && MACH_PORT_VALID(s));
  check("a semaphore is a send right", type_of(s) == MACH_PORT_TYPE_SEND);
  check("semaphore_create LIFO", semaphore_create(me, &l, SYNC_POLICY_LIFO, 0) == KERN_SUCCESS);
  // semaphore_create: a negative value, or a policy outside SYNC_POLICY_USER_MASK, is KERN_INVALID_ARGUMENT.
  check("a negative value: KERN_INVALID_ARGUMENT", semaphore_create(me, &x, SYNC_POLICY_FIFO, -1) == KERN_INVALID_ARGUMENT);
  check("SYNC_POLICY_FIXED_PRIORITY: KERN_INVALID_ARGUMENT", semaphore_create(me, &x, SYNC_POLICY_FIXED_PRIORITY, 0) == KERN_INVALID_ARGUMENT);
  // semaphore_timedwait: a zero timeout does not block.
  check("timedwait {0,0} at count 0: KERN_OPERATION_TIMED_OUT", semaphore_timedwait(s, NOW) == KERN_OPERATION_TIMED_OUT);
  check("signal", semaphore_signal(s) == KERN_SUCCESS);
  check("the signal is kept for the next wait", semaphore_timedwait(s, NOW) == KERN_SUCCESS);
  check("and used up by it", semaphore_timedwait(s, NOW) == KERN_OPERATION_TIMED_OUT);
  semaphore_signal(s);
  semaphore_signal(s);
  semaphore_signal(s);
  check("three signals: three waits pass", semaphore_wait(s) == KERN_SUCCESS && semaphore_wait(s) == KERN_SUCCESS && semaphore_wait(s) == KERN_SUCCESS);
  check("a fourth would block", semaphore_timedwait(s, NOW) == KERN_OPERATION_TIMED_OUT);
  semaphore_t two = create(2);
  check("an initial value of 2: two waits pass", semaphore_wait(two) == KERN_SUCCESS && semaphore_timedwait(two, NOW) == KERN_SUCCESS &&
                                                     semaphore_timedwait(two, NOW) == KERN_OPERATION_TIMED_OUT);
  long t0 = now_ms();
  mach_timespec_t fifty = {0, 50 * 1000 * 1000};
  check("timedwait 50 ms: KERN_OPERATION_TIMED_OUT after it", semaphore_timedwait(s, fifty) == KERN_OPERATION_TIMED_OUT && now_ms() - t0 >= 45);
  mach_timespec_t bad = {0, 1000000000};
  check("tv_nsec of a whole second: KERN_INVALID_VALUE", semaphore_timedwait(s, bad) == KERN_INVALID_VALUE);
  // semaphore_signal_internal: with nobody waiting, signal_all leaves the count alone.
  check("signal_all with nobody waiting counts nothing", semaphore_signal_all(s) == KERN_SUCCESS && semaphore_timedwait(s, NOW) == KERN_OPERATION_TIMED_OUT);
  semaphore_destroy(me, l);
  semaphore_destroy(me, two);
  semaphore_destroy(me, s);
}

static void wait_signal(void) {
  semaphore_t a = create(1), b = create(0);
  check("wait_signal: waits on one", semaphore_wait_signal(a, b) == KERN_SUCCESS && semaphore_timedwait(a, NOW) == KERN_OPERATION_TIMED_OUT);
  check("and signals the other", semaphore_timedwait(b, NOW) == KERN_SUCCESS);
  mach_timespec_t twenty = {0, 20 * 1000 * 1000};
  check("timedwait_signal times out on the first", semaphore_timedwait_signal(a, b, twenty) == KERN_OPERATION_TIMED_OUT);
  check("but signalled the second", semaphore_timedwait(b, NOW) == KERN_SUCCESS);
  semaphore_destroy(me, a);
  semaphore_destroy(me, b);
}

static void errors(void) {
  // The traps look the name up as a send right (port_name_to_semaphore).
  check("signal MACH_PORT_NULL: KERN_INVALID_NAME", semaphore_signal(MACH_PORT_NULL) == KERN_INVALID_NAME);
  check("wait on MACH_PORT_NULL: KERN_INVALID_NAME", semaphore_wait(MACH_PORT_NULL) == KERN_INVALID_NAME);
  mach_port_t p = new_port_with_send();
  check("signal a port that is no semaphore: KERN_INVALID_CAPABILITY", semaphore_signal(p) == KERN_INVALID_CAPABILITY);
  mach_port_destroy(me, p);
  semaphore_t s = create(0);
  // semaphore_destroy consumes the caller's send right (semaphore_consume_ref_t).
  check("semaphore_destroy", semaphore_destroy(me, s) == KERN_SUCCESS);
  check("the name is gone", type_of(s) == 0);
  check("signal it: KERN_INVALID_NAME", semaphore_signal(s) == KERN_INVALID_NAME);
  check("timedwait on it: KERN_INVALID_NAME", semaphore_timedwait(s, NOW) == KERN_INVALID_NAME);
  // The MIG stub cannot move a right the name no longer holds.
  check("destroy it again: MACH_SEND_INVALID_RIGHT", semaphore_destroy(me, s) == MACH_SEND_INVALID_RIGHT);
  check("destroy SEMAPHORE_NULL: KERN_INVALID_ARGUMENT", semaphore_destroy(me, SEMAPHORE_NULL) == KERN_INVALID_ARGUMENT);
}

/* Child roles: get two semaphores (wait on the first, signal the second), then wait on the first while
 * signalling the second in one step. `waiter` expects a wake-up, `orphan` the semaphore's destruction. */
static int child(const char *service, kern_return_t want) {
  mach_port_t mine = connect_to_parent(service, 1);
  if (mine == MACH_PORT_NULL) return 10;
  port_rcv_t a, b;
  if (receive_port(mine, &a, LONG_WAIT) != MACH_MSG_SUCCESS || receive_port(mine, &b, LONG_WAIT) != MACH_MSG_SUCCESS) return 11;
  kern_return_t kr = semaphore_timedwait_signal(a.m.port.name, b.m.port.name, FIVE_S);
  return kr == want ? 0 : 12;
}

/* Parent side: spawn a child in role and hand it wait_on and ready. Returns its pid. */
static pid_t start(const char *self, const char *role, const char *service, mach_port_t svc, semaphore_t wait_on, semaphore_t ready) {
  pid_t pid = spawn_role(self, role, service);
  mach_port_t c = accept_child(svc, NULL);
  send_port(c, 1, wait_on, MACH_MSG_TYPE_COPY_SEND, 0);
  send_port(c, 2, ready, MACH_MSG_TYPE_COPY_SEND, 0);
  mach_port_deallocate(me, c);
  return pid;
}

static void other_processes(const char *self) {
  char service[128];
  service_name(service, sizeof service, "semaphore");
  mach_port_t svc = MACH_PORT_NULL;
  check("check in a service for the children", bootstrap_check_in(bootstrap_port, service, &svc) == KERN_SUCCESS);
  semaphore_t gate = create(0), ready = create(0);
  pid_t pids[3];
  for (int i = 0; i < 3; i++) pids[i] = start(self, "waiter", service, svc, gate, ready);
  int waiting = 0;
  for (int i = 0; i < 3; i++) waiting += semaphore_timedwait(ready, FIVE_S) == KERN_SUCCESS;
  check("three children wait on the semaphore", waiting == 3);
  check("signal_all", semaphore_signal_all(gate) == KERN_SUCCESS);
  int woke = 0;
  for (int i = 0; i < 3; i++) woke += exit_code(pids[i]) == 0;
  check("woke all three", woke == 3);
  check("and left the count at 0", semaphore_timedwait(gate, NOW) == KERN_OPERATION_TIMED_OUT);
  semaphore_t doomed = create(0);
  pid_t pid = start(self, "orphan", service, svc, doomed, ready);
  semaphore_timedwait(ready, FIVE_S);
  semaphore_destroy(me, doomed);
  check("a waiter of a destroyed semaphore gets KERN_TERMINATED", exit_code(pid) == 0);
  semaphore_destroy(me, gate);
  semaphore_destroy(me, ready);
  mach_port_destroy(me, svc);
}

int main(int argc, char **argv) {
  me = mach_task_self();
  if (argc == 3 && !strcmp(argv[1], "waiter")) return child(argv[2], KERN_SUCCESS);
  if (argc == 3 && !strcmp(argv[1], "orphan")) return child(argv[2], KERN_TERMINATED);
  if (argc < 3 || strcmp(argv[1], "all")) return 100;
  create_and_count();
  wait_signal();
  errors();
  other_processes(argv[2]);
  return report();
}
