// mach_msg as XNU documents and implements it (osfmk/ipc/mach_msg.c, ipc_kmsg.c, ipc_mqueue.c), written
// as for macOS: in-line data, the header and trailer a receiver sees, port rights of every disposition,
// out-of-line memory and port arrays, timeouts, too-large messages, queue limits, port sets, the send
// and receive errors, and a round trip and a blocked sender across two processes.
// `msg.wasm all SELF` runs every check (it spawns itself as `msg.wasm echo SERVICE`); one line per
// check, then "N failures".
#include <mach/mach.h>
#include <stdlib.h>
#include <string.h>

#include "../posix/check.h"
#include "common.h"

static mach_port_t me;

/* In-line data: a header and 100 bytes; received with room for the largest trailer. */
typedef struct {
  mach_msg_header_t header;
  char data[100];
} data_msg_t;

typedef struct {
  data_msg_t m;
  mach_msg_max_trailer_t trailer;
} data_rcv_t;

/* The trailer that follows a received message. */
static mach_msg_max_trailer_t *trailer_of(mach_msg_header_t *h) {
  return (mach_msg_max_trailer_t *)((char *)h + round_msg(h->msgh_size));
}

static void inline_data(void) {
  mach_port_t r = new_port(), reply = new_port();
  data_msg_t out;
  memset(&out, 0, sizeof out);
  for (int i = 0; i < 100; i++) out.data[i] = (char)(i * 7);
  out.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
  out.header.msgh_size = sizeof out;
  out.header.msgh_remote_port = r;
  out.header.msgh_local_port = reply;
  out.header.msgh_id = 4242;
  check("send 100 bytes in-line to a port of ours",
        mach_msg(&out.header, MACH_SEND_MSG, sizeof out, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS);
  data_rcv_t in;
  check("receive it", receive(r, &in.m.header, sizeof in, 0, 0) == MACH_MSG_SUCCESS);
  mach_msg_header_t *h = &in.m.header;
  check("msgh_size is the size sent", h->msgh_size == sizeof out);
  check("msgh_id is the sender's", h->msgh_id == 4242);
  check("msgh_local_port is the receive right's name", h->msgh_local_port == r);
  // ipc_kmsg_copyout_header: remote gets the reply right's type, local the destination's.
  check("msgh_bits: remote PORT_SEND_ONCE, local PORT_SEND", h->msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND));
  check("msgh_remote_port: a new send-once right to the reply port", h->msgh_remote_port != reply && type_of(h->msgh_remote_port) == MACH_PORT_TYPE_SEND_ONCE);
  check("the data arrived", memcmp(in.m.data, out.data, sizeof out.data) == 0);
  check("default trailer after the message: format 0, 8 bytes",
        trailer_of(h)->msgh_trailer_type == MACH_MSG_TRAILER_FORMAT_0 && trailer_of(h)->msgh_trailer_size == MACH_MSG_TRAILER_MINIMUM_SIZE);
  mach_port_t so = h->msgh_remote_port;
  check("reply through the send-once right", send_value_full(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 4342, 7, 0, 0) == MACH_MSG_SUCCESS);
  check("the send-once right is used up", type_of(so) == 0);
  value_rcv_t v;
  check("the reply arrives on the reply port, no reply right, local PORT_SEND_ONCE",
        receive_value(reply, &v, 0) == MACH_MSG_SUCCESS && v.m.header.msgh_id == 4342 && v.m.value == 7 &&
            v.m.header.msgh_remote_port == MACH_PORT_NULL && v.m.header.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
  mach_port_insert_right(me, r, r, MACH_MSG_TYPE_MAKE_SEND);
  send_value(r, 1, 10);
  send_value(r, 2, 20);
  mach_msg_option_t seqno = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO);
  value_rcv_t a, b;
  check("a sequence-number trailer is 12 bytes",
        receive(r, &a.m.header, sizeof a, seqno, 0) == MACH_MSG_SUCCESS && a.trailer.msgh_trailer_size == sizeof(mach_msg_seqno_trailer_t));
  check("sequence numbers count up", receive(r, &b.m.header, sizeof b, seqno, 0) == MACH_MSG_SUCCESS && b.trailer.msgh_seqno == a.trailer.msgh_seqno + 1);
  value_rcv_t both;
  memset(&both, 0, sizeof both);
  both.m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
  both.m.header.msgh_size = sizeof both.m;
  both.m.header.msgh_remote_port = r;
  both.m.header.msgh_id = 99;
  check("MACH_SEND_MSG|MACH_RCV_MSG to and from the same port",
        mach_msg(&both.m.header, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof both.m, sizeof both, r, LONG_WAIT, MACH_PORT_NULL) == MACH_MSG_SUCCESS &&
            both.m.header.msgh_id == 99);
  mach_port_destroy(me, r);
  mach_port_destroy(me, reply);
}

static void dispositions(void) {
  mach_port_t q = new_port_with_send(), x = new_port_with_send(), y = new_port();
  port_rcv_t in;
  send_port(q, 1, x, MACH_MSG_TYPE_COPY_SEND, 0);
  check("COPY_SEND arrives as PORT_SEND under the sender's name",
        receive_port(q, &in, 0) == MACH_MSG_SUCCESS && in.m.port.name == x && in.m.port.disposition == MACH_MSG_TYPE_PORT_SEND);
  check("a complex message: COMPLEX bit, one port descriptor",
        (in.m.header.msgh_bits & MACH_MSGH_BITS_COMPLEX) && in.m.body.msgh_descriptor_count == 1 && in.m.port.type == MACH_MSG_PORT_DESCRIPTOR);
  check("the copy added a uref", refs_of(x, MACH_PORT_RIGHT_SEND) == 2);
  mach_port_mscount_t ms = status_of(x).mps_mscount;
  send_port(q, 2, x, MACH_MSG_TYPE_MAKE_SEND, 0);
  check("MAKE_SEND arrives as PORT_SEND, same name", receive_port(q, &in, 0) == MACH_MSG_SUCCESS && in.m.port.name == x && in.m.port.disposition == MACH_MSG_TYPE_PORT_SEND);
  check("MAKE_SEND counted in the make-send count", status_of(x).mps_mscount == ms + 1 && refs_of(x, MACH_PORT_RIGHT_SEND) == 3);
  send_port(q, 3, x, MACH_MSG_TYPE_MOVE_SEND, 0);
  check("MOVE_SEND takes a uref from the sender", refs_of(x, MACH_PORT_RIGHT_SEND) == 2);
  check("MOVE_SEND arrives as PORT_SEND and gives it back",
        receive_port(q, &in, 0) == MACH_MSG_SUCCESS && in.m.port.disposition == MACH_MSG_TYPE_PORT_SEND && refs_of(x, MACH_PORT_RIGHT_SEND) == 3);
  send_port(q, 4, x, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
  check("MAKE_SEND_ONCE arrives as PORT_SEND_ONCE under a new name",
        receive_port(q, &in, 0) == MACH_MSG_SUCCESS && in.m.port.disposition == MACH_MSG_TYPE_PORT_SEND_ONCE && in.m.port.name != x &&
            type_of(in.m.port.name) == MACH_PORT_TYPE_SEND_ONCE);
  mach_port_t so = in.m.port.name;
  send_port(q, 5, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
  check("MOVE_SEND_ONCE takes the right from the sender", type_of(so) == 0);
  check("MOVE_SEND_ONCE arrives as PORT_SEND_ONCE",
        receive_port(q, &in, 0) == MACH_MSG_SUCCESS && in.m.port.disposition == MACH_MSG_TYPE_PORT_SEND_ONCE && type_of(in.m.port.name) == MACH_PORT_TYPE_SEND_ONCE);
  mach_port_deallocate(me, in.m.port.name); /* its port x gets MACH_NOTIFY_SEND_ONCE */
  send_port(q, 6, y, MACH_MSG_TYPE_MOVE_RECEIVE, 0);
  check("MOVE_RECEIVE takes the receive right from the sender", type_of(y) == 0);
  check("MOVE_RECEIVE arrives as PORT_RECEIVE",
        receive_port(q, &in, 0) == MACH_MSG_SUCCESS && in.m.port.disposition == MACH_MSG_TYPE_PORT_RECEIVE && type_of(in.m.port.name) == MACH_PORT_TYPE_RECEIVE);
  mach_port_destroy(me, in.m.port.name);
  mach_port_destroy(me, x);
  mach_port_destroy(me, q);
}

typedef struct {
  mach_msg_header_t header;
  mach_msg_body_t body;
  mach_msg_ool_descriptor_t ool;
} ool_msg_t;

typedef struct {
  ool_msg_t m;
  mach_msg_max_trailer_t trailer;
} ool_rcv_t;

static mach_msg_return_t send_ool(mach_port_t dest, void *addr, mach_msg_size_t size, boolean_t dealloc) {
  ool_msg_t m;
  memset(&m, 0, sizeof m);
  m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
  m.header.msgh_size = sizeof m;
  m.header.msgh_remote_port = dest;
  m.header.msgh_id = 7;
  m.body.msgh_descriptor_count = 1;
  m.ool.address = addr;
  m.ool.size = size;
  m.ool.deallocate = dealloc;
  m.ool.copy = MACH_MSG_VIRTUAL_COPY;
  m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
  return mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static int pattern_ok(const unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != (unsigned char)(i * 31 + seed)) return 0;
  return 1;
}

static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 31 + seed);
}

static void out_of_line(void) {
  enum { SIZE = 12288 };
  mach_port_t q = new_port_with_send();
  vm_address_t buf = 0;
  check("vm_allocate 12 KiB anywhere", vm_allocate(me, &buf, SIZE, VM_FLAGS_ANYWHERE) == KERN_SUCCESS && buf != 0);
  fill((unsigned char *)buf, SIZE, 1);
  check("send it out-of-line", send_ool(q, (void *)buf, SIZE, FALSE) == MACH_MSG_SUCCESS);
  fill((unsigned char *)buf, SIZE, 2); /* changed after the send: the receiver must see the old bytes */
  ool_rcv_t in;
  check("receive: an OOL descriptor of the size sent",
        receive(q, &in.m.header, sizeof in, 0, 0) == MACH_MSG_SUCCESS && in.m.ool.type == MACH_MSG_OOL_DESCRIPTOR && in.m.ool.size == SIZE);
  check("in new memory of the receiver", in.m.ool.address != NULL && (vm_address_t)in.m.ool.address != buf);
  check("holding the bytes as they were when sent", in.m.ool.address && pattern_ok(in.m.ool.address, SIZE, 1));
  check("the sender's memory is its own", pattern_ok((unsigned char *)buf, SIZE, 2));
  check("the receiver vm_deallocates it", vm_deallocate(me, (vm_address_t)in.m.ool.address, SIZE) == KERN_SUCCESS);
  check("send with deallocate: TRUE", send_ool(q, (void *)buf, SIZE, TRUE) == MACH_MSG_SUCCESS);
  check("the receiver gets the bytes", receive(q, &in.m.header, sizeof in, 0, 0) == MACH_MSG_SUCCESS && in.m.ool.address && pattern_ok(in.m.ool.address, SIZE, 2));
  vm_deallocate(me, (vm_address_t)in.m.ool.address, SIZE);

  struct {
    mach_msg_header_t header;
    mach_msg_body_t body;
    mach_msg_ool_ports_descriptor_t ports;
  } pm;
  struct {
    mach_msg_header_t header;
    mach_msg_body_t body;
    mach_msg_ool_ports_descriptor_t ports;
    mach_msg_max_trailer_t trailer;
  } pin;
  mach_port_t x = new_port_with_send(), names[2] = {q, x};
  memset(&pm, 0, sizeof pm);
  pm.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
  pm.header.msgh_size = sizeof pm;
  pm.header.msgh_remote_port = q;
  pm.body.msgh_descriptor_count = 1;
  pm.ports.address = names;
  pm.ports.count = 2;
  pm.ports.disposition = MACH_MSG_TYPE_COPY_SEND;
  pm.ports.copy = MACH_MSG_PHYSICAL_COPY;
  pm.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
  check("send an out-of-line array of two send rights", mach_msg(&pm.header, MACH_SEND_MSG, sizeof pm, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS);
  check("receive: two PORT_SEND rights", receive(q, &pin.header, sizeof pin, 0, 0) == MACH_MSG_SUCCESS && pin.ports.type == MACH_MSG_OOL_PORTS_DESCRIPTOR &&
                                             pin.ports.count == 2 && pin.ports.disposition == MACH_MSG_TYPE_PORT_SEND);
  mach_port_t *got = pin.ports.address;
  check("under the names the receiver has for them", got && got[0] == q && got[1] == x);
  vm_deallocate(me, (vm_address_t)got, 2 * sizeof *got);
  mach_port_destroy(me, x);
  mach_port_destroy(me, q);
}

static void timeouts_and_sizes(void) {
  mach_port_t q = new_port_with_send();
  value_rcv_t v;
  long t0 = now_ms();
  check("timeout 0 polls: MACH_RCV_TIMED_OUT at once", receive_value(q, &v, 0) == MACH_RCV_TIMED_OUT && now_ms() - t0 < 50);
  t0 = now_ms();
  check("timeout 100 ms: MACH_RCV_TIMED_OUT after it", receive_value(q, &v, 100) == MACH_RCV_TIMED_OUT && now_ms() - t0 >= 90);
  data_msg_t big;
  memset(&big, 0, sizeof big);
  big.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
  big.header.msgh_size = sizeof big;
  big.header.msgh_remote_port = q;
  mach_msg(&big.header, MACH_SEND_MSG, sizeof big, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
  value_rcv_t small;
  // mach_msg_receive_too_large: with MACH_RCV_LARGE the message stays queued and msgh_size says its size
  // (ipc_kmsg_copyout_size: the message without its trailer, which the buffer needs room for too).
  check("too small a buffer with MACH_RCV_LARGE: MACH_RCV_TOO_LARGE", receive(q, &small.m.header, sizeof small, MACH_RCV_LARGE, 0) == MACH_RCV_TOO_LARGE);
  check("msgh_size tells the message's size, trailer not included", small.m.header.msgh_size == sizeof big);
  check("the message stays queued", status_of(q).mps_msgcount == 1);
  data_rcv_t in;
  check("a large enough buffer then gets it", receive(q, &in.m.header, sizeof in, 0, 0) == MACH_MSG_SUCCESS && in.m.header.msgh_size == sizeof big);
  mach_msg(&big.header, MACH_SEND_MSG, sizeof big, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
  // mach_msg_receive_error: without MACH_RCV_LARGE the message is dequeued and destroyed.
  check("without MACH_RCV_LARGE: MACH_RCV_TOO_LARGE", receive(q, &small.m.header, sizeof small, 0, 0) == MACH_RCV_TOO_LARGE);
  check("and the message is gone", status_of(q).mps_msgcount == 0 && receive_value(q, &v, 0) == MACH_RCV_TIMED_OUT);
  check("send_size below a header: MACH_SEND_MSG_TOO_SMALL", mach_msg(&big.header, MACH_SEND_MSG, 20, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) == MACH_SEND_MSG_TOO_SMALL);
  big.header.msgh_size = 30;
  check("send_size not a multiple of 4: MACH_SEND_MSG_TOO_SMALL", mach_msg(&big.header, MACH_SEND_MSG, 30, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) == MACH_SEND_MSG_TOO_SMALL);
  mach_port_destroy(me, q);
}

static void queue_limit(void) {
  mach_port_t q = new_port_with_send();
  mach_port_limits_t lim = {1};
  mach_port_set_attributes(me, q, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
  check("qlimit 1: the first send is queued", send_value(q, 1, 1) == MACH_MSG_SUCCESS);
  check("the second with MACH_SEND_TIMEOUT 0: MACH_SEND_TIMED_OUT",
        send_value_full(q, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2, 2, MACH_SEND_TIMEOUT, 0) == MACH_SEND_TIMED_OUT);
  long t0 = now_ms();
  check("with MACH_SEND_TIMEOUT 100: MACH_SEND_TIMED_OUT after it",
        send_value_full(q, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2, 2, MACH_SEND_TIMEOUT, 100) == MACH_SEND_TIMED_OUT && now_ms() - t0 >= 90);
  // ipc_mqueue_send: a message to a send-once right ignores the queue limit.
  check("a send-once destination ignores the limit",
        send_value_full(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 3, 3, MACH_SEND_TIMEOUT, 0) == MACH_MSG_SUCCESS && status_of(q).mps_msgcount == 2);
  value_rcv_t v;
  receive_value(q, &v, 0);
  receive_value(q, &v, 0);
  check("room again after a receive", send_value_full(q, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 4, 4, MACH_SEND_TIMEOUT, 0) == MACH_MSG_SUCCESS);
  mach_port_destroy(me, q);
}

static void port_sets(void) {
  mach_port_t set = MACH_PORT_NULL, a = new_port_with_send(), b = new_port_with_send();
  mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, &set);
  mach_port_insert_member(me, a, set);
  mach_port_insert_member(me, b, set);
  send_value(b, 21, 0);
  value_rcv_t v;
  check("receive from a set gets a member's message, local port the member",
        receive_value(set, &v, 0) == MACH_MSG_SUCCESS && v.m.header.msgh_id == 21 && v.m.header.msgh_local_port == b);
  send_value(a, 22, 0);
  check("and from the other member", receive_value(set, &v, 0) == MACH_MSG_SUCCESS && v.m.header.msgh_local_port == a);
  check("an empty set times out", receive_value(set, &v, 0) == MACH_RCV_TIMED_OUT);
  mach_port_destroy(me, a);
  mach_port_destroy(me, b);
  mach_port_destroy(me, set);
}

static void errors(void) {
  mach_port_t q = new_port(), dead = MACH_PORT_NULL, f = freed_name();
  mach_port_allocate(me, MACH_PORT_RIGHT_DEAD_NAME, &dead);
  check("send to MACH_PORT_NULL: MACH_SEND_INVALID_DEST", send_value(MACH_PORT_NULL, 1, 0) == MACH_SEND_INVALID_DEST);
  check("send to a dead name: MACH_SEND_INVALID_DEST", send_value(dead, 1, 0) == MACH_SEND_INVALID_DEST);
  check("send to a freed name: MACH_SEND_INVALID_DEST", send_value(f, 1, 0) == MACH_SEND_INVALID_DEST);
  check("COPY_SEND to a receive-only name: MACH_SEND_INVALID_DEST", send_value(q, 1, 0) == MACH_SEND_INVALID_DEST);
  // ipc_kmsg_copyin_header_validate: the destination disposition must be a send kind.
  check("destination MOVE_RECEIVE: MACH_SEND_INVALID_HEADER",
        send_value_full(q, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_PORT_NULL, 0, 1, 0, 0, 0) == MACH_SEND_INVALID_HEADER && type_of(q) == MACH_PORT_TYPE_RECEIVE);
  mach_port_insert_right(me, q, q, MACH_MSG_TYPE_MAKE_SEND);
  check("a reply port that is a freed name: MACH_SEND_INVALID_REPLY",
        send_value_full(q, MACH_MSG_TYPE_COPY_SEND, f, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1, 0, 0, 0) == MACH_SEND_INVALID_REPLY);
  check("a descriptor naming a freed name: MACH_SEND_INVALID_RIGHT", send_port(q, 1, f, MACH_MSG_TYPE_COPY_SEND, 0) == MACH_SEND_INVALID_RIGHT);
  mach_port_t other = new_port();
  check("a descriptor copying a send right we lack: MACH_SEND_INVALID_RIGHT", send_port(q, 1, other, MACH_MSG_TYPE_COPY_SEND, 0) == MACH_SEND_INVALID_RIGHT);
  check("nothing was queued by the failed sends", status_of(q).mps_msgcount == 0);
  value_rcv_t v;
  check("receive on MACH_PORT_NULL: MACH_RCV_INVALID_NAME", receive_value(MACH_PORT_NULL, &v, 0) == MACH_RCV_INVALID_NAME);
  check("receive on a freed name: MACH_RCV_INVALID_NAME", receive_value(f, &v, 0) == MACH_RCV_INVALID_NAME);
  check("receive on a dead name: MACH_RCV_INVALID_NAME", receive_value(dead, &v, 0) == MACH_RCV_INVALID_NAME);
  // ipc_right_delta: our send right to a port whose receive right died is a dead name.
  mach_port_mod_refs(me, q, MACH_PORT_RIGHT_RECEIVE, -1);
  check("send to a port whose receive right died: MACH_SEND_INVALID_DEST", send_value(q, 1, 0) == MACH_SEND_INVALID_DEST && type_of(q) == MACH_PORT_TYPE_DEAD_NAME);
  mach_port_deallocate(me, q);
  mach_port_deallocate(me, dead);
  mach_port_destroy(me, other);
}

static void destroyed_undelivered(void) {
  mach_port_t a = new_port_with_send(), b = new_port(), n = new_port(), prev = MACH_PORT_NULL;
  mach_port_request_notification(me, b, MACH_NOTIFY_NO_SENDERS, 1, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
  send_port(a, 1, b, MACH_MSG_TYPE_MAKE_SEND, 0);
  check("a queued message holds a send right", status_of(b).mps_srights);
  mach_port_destroy(me, a);
  mach_no_senders_notification_t ns;
  // ipc_port_destroy: the queued messages are destroyed and the rights they carry released.
  check("destroying its port releases it: MACH_NOTIFY_NO_SENDERS",
        receive(n, &ns.not_header, sizeof ns, 0, LONG_WAIT) == MACH_MSG_SUCCESS && ns.not_header.msgh_id == MACH_NOTIFY_NO_SENDERS && ns.not_count == 1);
  mach_port_destroy(me, b);
  mach_port_destroy(me, n);
}

/* The child: connect, answer one request through its send-once reply right, then fill the port it is given. */
static int echo(const char *service) {
  mach_port_t mine = connect_to_parent(service, 1), svc = MACH_PORT_NULL;
  if (mine == MACH_PORT_NULL) return 10;
  if (bootstrap_look_up(bootstrap_port, service, &svc) != KERN_SUCCESS || send_value(svc, 2, getpid()) != MACH_MSG_SUCCESS) return 11;
  value_rcv_t req;
  if (receive_value(mine, &req, LONG_WAIT) != MACH_MSG_SUCCESS) return 12;
  if (MACH_MSGH_BITS_REMOTE(req.m.header.msgh_bits) != MACH_MSG_TYPE_PORT_SEND_ONCE) return 13;
  if (send_value_full(req.m.header.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, req.m.header.msgh_id + 100,
                      req.m.value * 2, 0, 0) != MACH_MSG_SUCCESS)
    return 14;
  port_rcv_t flood;
  if (receive_port(mine, &flood, LONG_WAIT) != MACH_MSG_SUCCESS) return 15;
  if (send_value(flood.m.port.name, 11, 0) != MACH_MSG_SUCCESS) return 16;
  if (send_value(flood.m.port.name, 12, 0) != MACH_MSG_SUCCESS) return 17; /* blocks until the parent receives */
  return 0;
}

static void two_processes(const char *self) {
  char service[128];
  service_name(service, sizeof service, "msg");
  mach_port_t svc = MACH_PORT_NULL;
  check("check in a service for the child", bootstrap_check_in(bootstrap_port, service, &svc) == KERN_SUCCESS);
  pid_t pid = spawn_role(self, "echo", service);
  mach_port_t child = accept_child(svc, NULL);
  check("the child's port arrives as a send right", child != MACH_PORT_NULL && type_of(child) == MACH_PORT_TYPE_SEND);
  value_rcv_t v;
  mach_msg_option_t audit = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT);
  check("an audit trailer is 52 bytes", receive(svc, &v.m.header, sizeof v, audit, LONG_WAIT) == MACH_MSG_SUCCESS && v.trailer.msgh_trailer_size == sizeof(mach_msg_audit_trailer_t));
  check("its audit token holds the sender's pid", v.trailer.msgh_audit.val[5] == (unsigned)pid && v.m.value == pid);
  mach_port_t reply = new_port();
  value_rcv_t rt;
  memset(&rt, 0, sizeof rt);
  rt.m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
  rt.m.header.msgh_size = sizeof rt.m;
  rt.m.header.msgh_remote_port = child;
  rt.m.header.msgh_local_port = reply;
  rt.m.header.msgh_id = 500;
  rt.m.value = 21;
  check("SEND|RCV round trip with a send-once reply right",
        mach_msg(&rt.m.header, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof rt.m, sizeof rt, reply, LONG_WAIT, MACH_PORT_NULL) == MACH_MSG_SUCCESS);
  check("the other process's reply", rt.m.header.msgh_id == 600 && rt.m.value == 42 && rt.m.header.msgh_local_port == reply);
  mach_port_t q = new_port_with_send();
  mach_port_limits_t lim = {1};
  mach_port_set_attributes(me, q, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
  send_port(child, 3, q, MACH_MSG_TYPE_COPY_SEND, 0);
  sleep_ms(300);
  check("qlimit 1 across processes: one queued, the second sender waits", status_of(q).mps_msgcount == 1);
  check("the first message", receive_value(q, &v, LONG_WAIT) == MACH_MSG_SUCCESS && v.m.header.msgh_id == 11);
  check("the receive released the blocked sender", receive_value(q, &v, LONG_WAIT) == MACH_MSG_SUCCESS && v.m.header.msgh_id == 12);
  check("the child exited 0", exit_code(pid) == 0);
  mach_port_destroy(me, q);
  mach_port_destroy(me, reply);
  mach_port_deallocate(me, child);
  mach_port_destroy(me, svc);
}

int main(int argc, char **argv) {
  me = mach_task_self();
  if (argc == 3 && !strcmp(argv[1], "echo")) return echo(argv[2]);
  if (argc < 3 || strcmp(argv[1], "all")) return 100;
  inline_data();
  dispositions();
  out_of_line();
  timeouts_and_sizes();
  queue_limit();
  port_sets();
  errors();
  destroyed_undelivered();
  two_processes(argv[2]);
  return report();
}
