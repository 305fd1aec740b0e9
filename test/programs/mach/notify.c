// Port notifications as XNU documents and implements them (mach_port_request_notification in
// osfmk/ipc/mach_port.c, ipc_port_nsrequest in ipc_port.c, ipc_right_request_alloc in ipc_right.c),
// written as for macOS: no-senders with its make-send count and sync, dead-name (also when the
// receiving process exits), port-destroyed returning the receive right, send-once, the previous
// notify right, and the errors. `notify.wasm all SELF` runs every check (it spawns itself as
// `notify.wasm leave SERVICE`); one line per check, then "N failures".
#include <mach/mach.h>
#include <stdlib.h>
#include <string.h>

#include "../posix/check.h"
#include "common.h"

static mach_port_t me;

/* Room for any notification message and the largest trailer. */
typedef union {
  mach_msg_header_t header;
  mach_no_senders_notification_t no_senders;
  mach_dead_name_notification_t dead_name;
  mach_port_destroyed_notification_t destroyed;
  mach_send_once_notification_t send_once;
  char room[256];
} note_t;

static kern_return_t request(mach_port_name_t name, mach_msg_id_t id, mach_port_mscount_t sync, mach_port_t notify,
                             mach_port_t *previous) {
  *previous = MACH_PORT_NULL;
  return mach_port_request_notification(me, name, id, sync, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, previous);
}

/* The next notification on n within timeout ms: its msgh_id, or -1. */
static int next_note(mach_port_t n, note_t *note, mach_msg_timeout_t timeout) {
  return receive(n, &note->header, sizeof *note, 0, timeout) == MACH_MSG_SUCCESS ? note->header.msgh_id : -1;
}

static void no_senders(void) {
  mach_port_t r = new_port(), n = new_port(), prev = MACH_PORT_NULL;
  note_t note;
  // ipc_port_nsrequest: no send rights and sync <= make-send count: the notification is sent at once.
  check("NO_SENDERS, sync 0, no send rights: accepted", request(r, MACH_NOTIFY_NO_SENDERS, 0, n, &prev) == KERN_SUCCESS && prev == MACH_PORT_NULL);
  check("and sent at once", next_note(n, &note, 0) == MACH_NOTIFY_NO_SENDERS);
  check("count 0 (the make-send count)", note.no_senders.not_count == 0);
  check("msgh_size: header, NDR and count", note.header.msgh_size == sizeof(mach_no_senders_notification_t) - sizeof(mach_msg_format_0_trailer_t));
  check("sent to our send-once right: local PORT_SEND_ONCE, no reply",
        note.header.msgh_local_port == n && MACH_MSGH_BITS_LOCAL(note.header.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE && note.header.msgh_remote_port == MACH_PORT_NULL);
  check("sync 1 above the make-send count: armed, nothing sent", request(r, MACH_NOTIFY_NO_SENDERS, 1, n, &prev) == KERN_SUCCESS && next_note(n, &note, 0) == -1);
  check("the port shows the request", status_of(r).mps_nsrequest);
  mach_port_insert_right(me, r, r, MACH_MSG_TYPE_MAKE_SEND);
  mach_port_insert_right(me, r, r, MACH_MSG_TYPE_MAKE_SEND);
  mach_port_deallocate(me, r);
  check("while a send right remains, nothing", next_note(n, &note, 0) == -1);
  mach_port_deallocate(me, r);
  check("the last send right going sends it", next_note(n, &note, LONG_WAIT) == MACH_NOTIFY_NO_SENDERS);
  check("with the make-send count, 2", note.no_senders.not_count == 2);
  check("the request is used up", !status_of(r).mps_nsrequest);
  mach_port_t n1 = new_port(), n2 = new_port();
  mach_port_insert_right(me, r, r, MACH_MSG_TYPE_MAKE_SEND);
  check("arm with a first notify port: no previous", request(r, MACH_NOTIFY_NO_SENDERS, 0, n1, &prev) == KERN_SUCCESS && prev == MACH_PORT_NULL);
  check("arm again: the previous notify right comes back",
        request(r, MACH_NOTIFY_NO_SENDERS, 0, n2, &prev) == KERN_SUCCESS && prev != MACH_PORT_NULL && type_of(prev) == MACH_PORT_TYPE_SEND_ONCE);
  mach_port_deallocate(me, prev);
  check("it was a send-once right to the first port", next_note(n1, &note, 0) == MACH_NOTIFY_SEND_ONCE);
  check("a null notify port cancels, returning the armed one",
        mach_port_request_notification(me, r, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == KERN_SUCCESS &&
            type_of(prev) == MACH_PORT_TYPE_SEND_ONCE);
  mach_port_deallocate(me, prev);
  check("to the second port", next_note(n2, &note, 0) == MACH_NOTIFY_SEND_ONCE);
  mach_port_deallocate(me, r);
  check("cancelled: no notification", next_note(n2, &note, 0) == -1 && next_note(n1, &note, 0) == -1);
  mach_port_destroy(me, r);
  mach_port_destroy(me, n);
  mach_port_destroy(me, n1);
  mach_port_destroy(me, n2);
}

static void dead_name(void) {
  mach_port_t p = new_port_with_send(), h = new_port_with_send(), n = new_port(), prev = MACH_PORT_NULL;
  note_t note;
  send_port(h, 1, p, MACH_MSG_TYPE_MOVE_RECEIVE, 0);
  check("after moving its receive right away, the name holds a send right", type_of(p) == MACH_PORT_TYPE_SEND);
  check("DEAD_NAME on a send right", request(p, MACH_NOTIFY_DEAD_NAME, 0, n, &prev) == KERN_SUCCESS && prev == MACH_PORT_NULL);
  check("the name shows the request", type_of(p) == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST));
  mach_port_destroy(me, h); /* the queued message, and the receive right in it, are destroyed */
  check("the receive right destroyed: MACH_NOTIFY_DEAD_NAME", next_note(n, &note, LONG_WAIT) == MACH_NOTIFY_DEAD_NAME);
  check("naming our send right", note.dead_name.not_port == p);
  check("which is now a dead name", type_of(p) == MACH_PORT_TYPE_DEAD_NAME);
  // ipc_right_check: the notification holds a uref of the dead name, on top of the send right's.
  check("with one more uref for the notification", refs_of(p, MACH_PORT_RIGHT_DEAD_NAME) == 2);
  mach_port_mod_refs(me, p, MACH_PORT_RIGHT_DEAD_NAME, -2);
  mach_port_t junk = new_port(), s = MACH_PORT_NULL, d = MACH_PORT_NULL;
  mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, &s);
  mach_port_allocate(me, MACH_PORT_RIGHT_DEAD_NAME, &d);
  // ipc_right_request_alloc: a dead name cannot take a request; a port set holds no port.
  check("DEAD_NAME on a dead name: KERN_INVALID_ARGUMENT", request(d, MACH_NOTIFY_DEAD_NAME, 0, junk, &prev) == KERN_INVALID_ARGUMENT);
  check("DEAD_NAME on a port set: KERN_INVALID_RIGHT", request(s, MACH_NOTIFY_DEAD_NAME, 0, junk, &prev) == KERN_INVALID_RIGHT);
  check("DEAD_NAME on MACH_PORT_NULL: KERN_INVALID_ARGUMENT", request(MACH_PORT_NULL, MACH_NOTIFY_DEAD_NAME, 0, junk, &prev) == KERN_INVALID_ARGUMENT);
  check("DEAD_NAME on a freed name: KERN_INVALID_NAME", request(freed_name(), MACH_NOTIFY_DEAD_NAME, 0, junk, &prev) == KERN_INVALID_NAME);
  mach_port_destroy(me, s);
  mach_port_deallocate(me, d);
  mach_port_destroy(me, junk);
  mach_port_destroy(me, n);
}

static void port_destroyed(void) {
  mach_port_t p = new_port(), n = new_port(), prev = MACH_PORT_NULL, junk = new_port();
  note_t note;
  check("PORT_DESTROYED with sync 1: KERN_INVALID_VALUE", request(p, MACH_NOTIFY_PORT_DESTROYED, 1, junk, &prev) == KERN_INVALID_VALUE);
  check("PORT_DESTROYED on a receive right", request(p, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev) == KERN_SUCCESS && prev == MACH_PORT_NULL);
  check("the port shows the request", status_of(p).mps_pdrequest);
  check("a second request: KERN_FAILURE", request(p, MACH_NOTIFY_PORT_DESTROYED, 0, junk, &prev) == KERN_FAILURE);
  mach_port_destroy(me, p);
  check("destroying the receive right sends MACH_NOTIFY_PORT_DESTROYED", next_note(n, &note, LONG_WAIT) == MACH_NOTIFY_PORT_DESTROYED);
  check("a complex message with one port descriptor",
        (note.header.msgh_bits & MACH_MSGH_BITS_COMPLEX) && note.destroyed.not_body.msgh_descriptor_count == 1 && note.destroyed.not_port.type == MACH_MSG_PORT_DESCRIPTOR);
  check("carrying the receive right back", note.destroyed.not_port.disposition == MACH_MSG_TYPE_PORT_RECEIVE &&
                                               type_of(note.destroyed.not_port.name) == MACH_PORT_TYPE_RECEIVE);
  check("its request is used up", !status_of(note.destroyed.not_port.name).mps_pdrequest);
  mach_port_destroy(me, note.destroyed.not_port.name);
  mach_port_t d = MACH_PORT_NULL;
  mach_port_allocate(me, MACH_PORT_RIGHT_DEAD_NAME, &d);
  check("PORT_DESTROYED on a dead name: KERN_INVALID_RIGHT", request(d, MACH_NOTIFY_PORT_DESTROYED, 0, junk, &prev) == KERN_INVALID_RIGHT);
  mach_port_deallocate(me, d);
  mach_port_destroy(me, junk);
  mach_port_destroy(me, n);
}

static void send_once(void) {
  mach_port_t n = new_port(), h = new_port_with_send(), so = MACH_PORT_NULL;
  mach_msg_type_name_t t;
  note_t note;
  mach_port_extract_right(me, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t);
  mach_port_deallocate(me, so);
  check("a send-once right destroyed unused: MACH_NOTIFY_SEND_ONCE", next_note(n, &note, LONG_WAIT) == MACH_NOTIFY_SEND_ONCE);
  check("a bare header sent to the port", note.header.msgh_size == sizeof(mach_msg_header_t) && note.header.msgh_local_port == n);
  check("the right used up once: no send-once rights left", status_of(n).mps_sorights == 0);
  mach_port_extract_right(me, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t);
  send_port(h, 1, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
  check("nothing while the right waits in a message", next_note(n, &note, 0) == -1);
  mach_port_destroy(me, h);
  check("destroyed with the message: MACH_NOTIFY_SEND_ONCE", next_note(n, &note, LONG_WAIT) == MACH_NOTIFY_SEND_ONCE);
  check("and again none left", status_of(n).mps_sorights == 0);
  mach_port_destroy(me, n);
}

static void errors(void) {
  mach_port_t r = new_port(), junk = new_port(), s = MACH_PORT_NULL, prev = MACH_PORT_NULL;
  mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, &s);
  check("an unknown notification id: KERN_INVALID_VALUE", request(r, 0, 0, junk, &prev) == KERN_INVALID_VALUE);
  check("NO_SENDERS on a port set: KERN_INVALID_RIGHT", request(s, MACH_NOTIFY_NO_SENDERS, 0, junk, &prev) == KERN_INVALID_RIGHT);
  check("NO_SENDERS on a freed name: KERN_INVALID_NAME", request(freed_name(), MACH_NOTIFY_NO_SENDERS, 0, junk, &prev) == KERN_INVALID_NAME);
  check("notify port MACH_PORT_DEAD: KERN_INVALID_CAPABILITY",
        mach_port_request_notification(me, r, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_DEAD, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == KERN_INVALID_CAPABILITY);
  note_t note;
  // A failed request destroys the send-once right made for it, which notifies its port.
  check("each failed request's send-once right notifies the notify port",
        next_note(junk, &note, 0) == MACH_NOTIFY_SEND_ONCE && next_note(junk, &note, 0) == MACH_NOTIFY_SEND_ONCE &&
            next_note(junk, &note, 0) == MACH_NOTIFY_SEND_ONCE && next_note(junk, &note, 0) == -1);
  mach_port_destroy(me, s);
  mach_port_destroy(me, junk);
  mach_port_destroy(me, r);
}

/* The child: give the parent a send right to a port of ours, wait for word, then exit. */
static int leave(const char *service) {
  mach_port_t mine = connect_to_parent(service, 1);
  if (mine == MACH_PORT_NULL) return 10;
  value_rcv_t v;
  return receive_value(mine, &v, LONG_WAIT) == MACH_MSG_SUCCESS ? 0 : 11;
}

static void process_exit(const char *self) {
  char service[128];
  service_name(service, sizeof service, "notify");
  mach_port_t svc = MACH_PORT_NULL, n = new_port(), prev = MACH_PORT_NULL;
  note_t note;
  bootstrap_check_in(bootstrap_port, service, &svc);
  pid_t pid = spawn_role(self, "leave", service);
  mach_port_t child = accept_child(svc, NULL);
  check("a send right to the child's port", child != MACH_PORT_NULL && type_of(child) == MACH_PORT_TYPE_SEND);
  check("DEAD_NAME on it", request(child, MACH_NOTIFY_DEAD_NAME, 0, n, &prev) == KERN_SUCCESS);
  send_value(child, 1, 0);
  check("the child exits", exit_code(pid) == 0);
  check("its port died with it: MACH_NOTIFY_DEAD_NAME", next_note(n, &note, LONG_WAIT) == MACH_NOTIFY_DEAD_NAME && note.dead_name.not_port == child);
  check("our send right is a dead name", type_of(child) == MACH_PORT_TYPE_DEAD_NAME);
  mach_port_destroy(me, child);
  mach_port_destroy(me, svc);
  mach_port_destroy(me, n);
}

int main(int argc, char **argv) {
  me = mach_task_self();
  if (argc == 3 && !strcmp(argv[1], "leave")) return leave(argv[2]);
  if (argc < 3 || strcmp(argv[1], "all")) return 100;
  no_senders();
  dead_name();
  port_destroyed();
  send_once();
  errors();
  process_exit(argv[2]);
  return report();
}
