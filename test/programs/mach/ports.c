// Port rights and the task's name space, as XNU documents and implements them (osfmk/ipc/mach_port.c,
// ipc_right.c, ipc_object.c), written as for macOS. `ports.wasm all SELF` runs every check; one line
// per check, then "N failures". No second process is needed.
#include <mach/mach.h>
#include <stdlib.h>
#include <string.h>

#include "../posix/check.h"
#include "common.h"

static mach_port_t me;

static void allocation(mach_port_name_t *r, mach_port_name_t *s, mach_port_name_t *d) {
  mach_port_name_t r2 = MACH_PORT_NULL, x = MACH_PORT_NULL;
  check("allocate a receive right", mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, r) == KERN_SUCCESS && MACH_PORT_VALID(*r));
  check("allocate a port set", mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, s) == KERN_SUCCESS && MACH_PORT_VALID(*s));
  check("allocate a dead name", mach_port_allocate(me, MACH_PORT_RIGHT_DEAD_NAME, d) == KERN_SUCCESS && MACH_PORT_VALID(*d));
  check("allocate a second receive right", mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &r2) == KERN_SUCCESS);
  check("the four names are distinct", *r != *s && *r != *d && *r != r2 && *s != *d && *s != r2 && *d != r2);
  // mach_port_allocate_full: only receive, port set and dead name can be allocated.
  check("allocate MACH_PORT_RIGHT_SEND: KERN_INVALID_VALUE", mach_port_allocate(me, MACH_PORT_RIGHT_SEND, &x) == KERN_INVALID_VALUE);
  check("allocate right 9: KERN_INVALID_VALUE", mach_port_allocate(me, 9, &x) == KERN_INVALID_VALUE);
  check("type of a receive right: RECEIVE", type_of(*r) == MACH_PORT_TYPE_RECEIVE);
  check("type of a port set: PORT_SET", type_of(*s) == MACH_PORT_TYPE_PORT_SET);
  check("type of a dead name: DEAD_NAME", type_of(*d) == MACH_PORT_TYPE_DEAD_NAME);
  mach_port_destroy(me, r2);
}

static void types_and_refs(mach_port_name_t r, mach_port_name_t s, mach_port_name_t d) {
  mach_port_type_t t = 0;
  mach_port_urefs_t n = 0;
  // mach_port_type: MACH_PORT_NULL is KERN_INVALID_NAME, MACH_PORT_DEAD reads as a dead name.
  check("type of MACH_PORT_NULL: KERN_INVALID_NAME", mach_port_type(me, MACH_PORT_NULL, &t) == KERN_INVALID_NAME);
  check("type of MACH_PORT_DEAD: DEAD_NAME", mach_port_type(me, MACH_PORT_DEAD, &t) == KERN_SUCCESS && t == MACH_PORT_TYPE_DEAD_NAME);
  check("type of a freed name: KERN_INVALID_NAME", mach_port_type(me, freed_name(), &t) == KERN_INVALID_NAME);
  check("receive right: 1 ref", refs_of(r, MACH_PORT_RIGHT_RECEIVE) == 1);
  check("receive right: 0 send refs", refs_of(r, MACH_PORT_RIGHT_SEND) == 0);
  check("port set: 1 ref", refs_of(s, MACH_PORT_RIGHT_PORT_SET) == 1);
  check("dead name: 1 uref", refs_of(d, MACH_PORT_RIGHT_DEAD_NAME) == 1);
  check("get_refs of right 6: KERN_INVALID_VALUE", mach_port_get_refs(me, r, MACH_PORT_RIGHT_NUMBER, &n) == KERN_INVALID_VALUE);
  // mach_port_get_refs: a null name holds one send right.
  check("get_refs SEND of MACH_PORT_NULL: 1", mach_port_get_refs(me, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, &n) == KERN_SUCCESS && n == 1);
  check("get_refs of a freed name: KERN_INVALID_NAME", mach_port_get_refs(me, freed_name(), MACH_PORT_RIGHT_SEND, &n) == KERN_INVALID_NAME);
}

static void insert(mach_port_name_t r, mach_port_name_t s, mach_port_name_t d) {
  check("insert_right MAKE_SEND under the receive right's name", mach_port_insert_right(me, r, r, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS);
  check("send and receive share the name", type_of(r) == MACH_PORT_TYPE_SEND_RECEIVE);
  check("one send uref", refs_of(r, MACH_PORT_RIGHT_SEND) == 1);
  check("MAKE_SEND again: 2 urefs", mach_port_insert_right(me, r, r, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS && refs_of(r, MACH_PORT_RIGHT_SEND) == 2);
  check("COPY_SEND: 3 urefs", mach_port_insert_right(me, r, r, MACH_MSG_TYPE_COPY_SEND) == KERN_SUCCESS && refs_of(r, MACH_PORT_RIGHT_SEND) == 3);
  check("make-send count 2", status_of(r).mps_mscount == 2);
  // ipc_object_copyout_name: the space holds the port under r, so another name is refused.
  check("the same port under another name: KERN_RIGHT_EXISTS", mach_port_insert_right(me, d, r, MACH_MSG_TYPE_MAKE_SEND) == KERN_RIGHT_EXISTS);
  check("a send-once right over a used name: KERN_NAME_EXISTS", mach_port_insert_right(me, d, r, MACH_MSG_TYPE_MAKE_SEND_ONCE) == KERN_NAME_EXISTS);
  check("insert under MACH_PORT_NULL: KERN_INVALID_VALUE", mach_port_insert_right(me, MACH_PORT_NULL, r, MACH_MSG_TYPE_MAKE_SEND) == KERN_INVALID_VALUE);
  // ipc_object_insert_send_right: a port set holds no port right; a dead name holds no object.
  check("MAKE_SEND on a port set: KERN_INVALID_RIGHT", mach_port_insert_right(me, s, s, MACH_MSG_TYPE_MAKE_SEND) == KERN_INVALID_RIGHT);
  check("MAKE_SEND on a dead name: KERN_INVALID_CAPABILITY", mach_port_insert_right(me, d, d, MACH_MSG_TYPE_MAKE_SEND) == KERN_INVALID_CAPABILITY);
  mach_port_name_t f = freed_name();
  check("MAKE_SEND on a freed name: KERN_INVALID_NAME", mach_port_insert_right(me, f, f, MACH_MSG_TYPE_MAKE_SEND) == KERN_INVALID_NAME);
  mach_port_name_t q = new_port();
  check("COPY_SEND from a receive-only name: KERN_INVALID_RIGHT", mach_port_insert_right(me, q, q, MACH_MSG_TYPE_COPY_SEND) == KERN_INVALID_RIGHT);
  mach_port_destroy(me, q);
}

static void extract(void) {
  mach_port_name_t r = new_port_with_send(), p = MACH_PORT_NULL, so = MACH_PORT_NULL;
  mach_msg_type_name_t t = 0;
  check("extract_right MAKE_SEND comes back under the same name",
        mach_port_extract_right(me, r, MACH_MSG_TYPE_MAKE_SEND, &p, &t) == KERN_SUCCESS && p == r && t == MACH_MSG_TYPE_PORT_SEND);
  check("and adds a uref", refs_of(r, MACH_PORT_RIGHT_SEND) == 2);
  check("extract_right MAKE_SEND_ONCE: a new name",
        mach_port_extract_right(me, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t) == KERN_SUCCESS && so != r && t == MACH_MSG_TYPE_PORT_SEND_ONCE);
  check("the new name holds a send-once right", type_of(so) == MACH_PORT_TYPE_SEND_ONCE && refs_of(so, MACH_PORT_RIGHT_SEND_ONCE) == 1);
  check("the port counts one send-once right", status_of(r).mps_sorights == 1);
  // ipc_right_dealloc: destroying an unused send-once right sends MACH_NOTIFY_SEND_ONCE to its port.
  value_rcv_t m;
  check("deallocating it notifies the port (MACH_NOTIFY_SEND_ONCE)",
        mach_port_deallocate(me, so) == KERN_SUCCESS && receive_value(r, &m, 0) == MACH_MSG_SUCCESS && m.m.header.msgh_id == MACH_NOTIFY_SEND_ONCE);
  check("extract type 0: KERN_INVALID_VALUE", mach_port_extract_right(me, r, 0, &p, &t) == KERN_INVALID_VALUE);
  mach_port_name_t q = new_port();
  check("extract COPY_SEND from a receive-only name: KERN_INVALID_RIGHT", mach_port_extract_right(me, q, MACH_MSG_TYPE_COPY_SEND, &p, &t) == KERN_INVALID_RIGHT);
  check("extract MOVE_RECEIVE: the receive right comes back",
        mach_port_extract_right(me, q, MACH_MSG_TYPE_MOVE_RECEIVE, &p, &t) == KERN_SUCCESS && t == MACH_MSG_TYPE_PORT_RECEIVE && type_of(p) == MACH_PORT_TYPE_RECEIVE);
  mach_port_destroy(me, p);
  mach_port_destroy(me, r);
}

static void mod_refs(void) {
  mach_port_name_t r = new_port_with_send(), d = MACH_PORT_NULL;
  check("mod_refs SEND +2: 3 urefs", mach_port_mod_refs(me, r, MACH_PORT_RIGHT_SEND, 2) == KERN_SUCCESS && refs_of(r, MACH_PORT_RIGHT_SEND) == 3);
  check("mod_refs SEND -4: KERN_INVALID_VALUE", mach_port_mod_refs(me, r, MACH_PORT_RIGHT_SEND, -4) == KERN_INVALID_VALUE);
  check("and the urefs are unchanged", refs_of(r, MACH_PORT_RIGHT_SEND) == 3);
  check("mod_refs SEND -3: the send right goes, the name stays", mach_port_mod_refs(me, r, MACH_PORT_RIGHT_SEND, -3) == KERN_SUCCESS && type_of(r) == MACH_PORT_TYPE_RECEIVE);
  check("mod_refs SEND on a receive-only name: KERN_INVALID_RIGHT", mach_port_mod_refs(me, r, MACH_PORT_RIGHT_SEND, -1) == KERN_INVALID_RIGHT);
  check("mod_refs RECEIVE +1: KERN_INVALID_VALUE", mach_port_mod_refs(me, r, MACH_PORT_RIGHT_RECEIVE, 1) == KERN_INVALID_VALUE);
  check("mod_refs RECEIVE 0: success, no change", mach_port_mod_refs(me, r, MACH_PORT_RIGHT_RECEIVE, 0) == KERN_SUCCESS && type_of(r) == MACH_PORT_TYPE_RECEIVE);
  check("mod_refs right 6: KERN_INVALID_VALUE", mach_port_mod_refs(me, r, MACH_PORT_RIGHT_NUMBER, 1) == KERN_INVALID_VALUE);
  // mach_port_mod_refs: a null name's send rights are accepted and ignored.
  check("mod_refs SEND of MACH_PORT_NULL: success", mach_port_mod_refs(me, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, 1) == KERN_SUCCESS);
  check("mod_refs of a freed name: KERN_INVALID_NAME", mach_port_mod_refs(me, freed_name(), MACH_PORT_RIGHT_SEND, 1) == KERN_INVALID_NAME);
  mach_port_allocate(me, MACH_PORT_RIGHT_DEAD_NAME, &d);
  check("dead name +2: 3 urefs", mach_port_mod_refs(me, d, MACH_PORT_RIGHT_DEAD_NAME, 2) == KERN_SUCCESS && refs_of(d, MACH_PORT_RIGHT_DEAD_NAME) == 3);
  check("dead name -5: KERN_INVALID_VALUE", mach_port_mod_refs(me, d, MACH_PORT_RIGHT_DEAD_NAME, -5) == KERN_INVALID_VALUE);
  check("dead name -3: the name is freed", mach_port_mod_refs(me, d, MACH_PORT_RIGHT_DEAD_NAME, -3) == KERN_SUCCESS && type_of(d) == 0);
  // ipc_right_delta: the receive right of a name that also holds send rights dies; the send urefs stay as a dead name.
  mach_port_insert_right(me, r, r, MACH_MSG_TYPE_MAKE_SEND);
  mach_port_mod_refs(me, r, MACH_PORT_RIGHT_SEND, 1);
  check("mod_refs RECEIVE -1 with send rights: a dead name with their urefs",
        mach_port_mod_refs(me, r, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_SUCCESS && type_of(r) == MACH_PORT_TYPE_DEAD_NAME && refs_of(r, MACH_PORT_RIGHT_DEAD_NAME) == 2);
  mach_port_mod_refs(me, r, MACH_PORT_RIGHT_DEAD_NAME, -2);
}

static void deallocate_and_destroy(void) {
  mach_port_name_t r = new_port_with_send(), s = MACH_PORT_NULL, d = MACH_PORT_NULL;
  check("deallocate a send right: the receive right stays", mach_port_deallocate(me, r) == KERN_SUCCESS && type_of(r) == MACH_PORT_TYPE_RECEIVE);
  check("deallocate a receive right: KERN_INVALID_RIGHT", mach_port_deallocate(me, r) == KERN_INVALID_RIGHT);
  mach_port_allocate(me, MACH_PORT_RIGHT_DEAD_NAME, &d);
  check("deallocate a dead name's last uref frees it", mach_port_deallocate(me, d) == KERN_SUCCESS && type_of(d) == 0);
  // ipc_right_dealloc: deallocating a port set destroys it.
  mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, &s);
  check("deallocate a port set destroys it", mach_port_deallocate(me, s) == KERN_SUCCESS && type_of(s) == 0);
  check("deallocate a freed name: KERN_INVALID_NAME", mach_port_deallocate(me, freed_name()) == KERN_INVALID_NAME);
  check("deallocate MACH_PORT_NULL: success", mach_port_deallocate(me, MACH_PORT_NULL) == KERN_SUCCESS);
  check("deallocate MACH_PORT_DEAD: success", mach_port_deallocate(me, MACH_PORT_DEAD) == KERN_SUCCESS);
  mach_port_insert_right(me, r, r, MACH_MSG_TYPE_MAKE_SEND);
  check("destroy removes every right under the name", mach_port_destroy(me, r) == KERN_SUCCESS && type_of(r) == 0);
  check("destroy a freed name: KERN_INVALID_NAME", mach_port_destroy(me, r) == KERN_INVALID_NAME);
  check("destroy MACH_PORT_NULL: success", mach_port_destroy(me, MACH_PORT_NULL) == KERN_SUCCESS);
}

/* Whether the (names, types) arrays list name with type t. */
static int listed(mach_port_name_array_t names, mach_port_type_array_t types, mach_msg_type_number_t n,
                  mach_port_name_t name, mach_port_type_t t) {
  for (mach_msg_type_number_t i = 0; i < n; i++)
    if (names[i] == name) return types[i] == t;
  return 0;
}

static void names(mach_port_name_t r, mach_port_name_t s, mach_port_name_t d) {
  mach_port_name_array_t nv = NULL;
  mach_port_type_array_t tv = NULL;
  mach_msg_type_number_t nc = 0, tc = 0;
  check("mach_port_names", mach_port_names(me, &nv, &nc, &tv, &tc) == KERN_SUCCESS && nc == tc && nc >= 3);
  check("lists the send/receive name", nv && listed(nv, tv, nc, r, MACH_PORT_TYPE_SEND_RECEIVE));
  check("lists the port set", nv && listed(nv, tv, nc, s, MACH_PORT_TYPE_PORT_SET));
  check("lists the dead name", nv && listed(nv, tv, nc, d, MACH_PORT_TYPE_DEAD_NAME));
  check("the arrays are vm_deallocate'd",
        vm_deallocate(me, (vm_address_t)nv, nc * sizeof *nv) == KERN_SUCCESS && vm_deallocate(me, (vm_address_t)tv, tc * sizeof *tv) == KERN_SUCCESS);
}

static void sets(mach_port_name_t s, mach_port_name_t d) {
  mach_port_name_t q = new_port(), s2 = MACH_PORT_NULL;
  mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, &s2);
  check("insert_member", mach_port_insert_member(me, q, s) == KERN_SUCCESS);
  check("the port says it is in a set", status_of(q).mps_pset == 1);
  check("insert_member again: KERN_ALREADY_IN_SET", mach_port_insert_member(me, q, s) == KERN_ALREADY_IN_SET);
  mach_port_name_array_t members = NULL;
  mach_msg_type_number_t count = 0;
  check("get_set_status lists the member",
        mach_port_get_set_status(me, s, &members, &count) == KERN_SUCCESS && count == 1 && members[0] == q);
  vm_deallocate(me, (vm_address_t)members, count * sizeof *members);
  check("extract_member", mach_port_extract_member(me, q, s) == KERN_SUCCESS && status_of(q).mps_pset == 0);
  check("extract_member again: KERN_NOT_IN_SET", mach_port_extract_member(me, q, s) == KERN_NOT_IN_SET);
  check("move_member into a set", mach_port_move_member(me, q, s) == KERN_SUCCESS);
  // mach_port_move_member: the port leaves every other set.
  check("move_member into another set leaves the first",
        mach_port_move_member(me, q, s2) == KERN_SUCCESS && mach_port_extract_member(me, q, s) == KERN_NOT_IN_SET);
  check("move_member to MACH_PORT_NULL leaves the set", mach_port_move_member(me, q, MACH_PORT_NULL) == KERN_SUCCESS && status_of(q).mps_pset == 0);
  check("again: KERN_NOT_IN_SET", mach_port_move_member(me, q, MACH_PORT_NULL) == KERN_NOT_IN_SET);
  check("insert a dead name: KERN_INVALID_RIGHT", mach_port_insert_member(me, d, s) == KERN_INVALID_RIGHT);
  check("insert into a receive right: KERN_INVALID_RIGHT", mach_port_insert_member(me, q, q) == KERN_INVALID_RIGHT);
  check("insert a freed name: KERN_INVALID_NAME", mach_port_insert_member(me, freed_name(), s) == KERN_INVALID_NAME);
  check("insert MACH_PORT_NULL: KERN_INVALID_RIGHT", mach_port_insert_member(me, MACH_PORT_NULL, s) == KERN_INVALID_RIGHT);
  mach_port_destroy(me, q);
  mach_port_destroy(me, s2);
}

static void attributes(mach_port_name_t s) {
  mach_port_name_t q = new_port();
  mach_port_limits_t lim = {0};
  mach_msg_type_number_t n = MACH_PORT_LIMITS_INFO_COUNT;
  check("a new port's queue limit is MACH_PORT_QLIMIT_DEFAULT",
        mach_port_get_attributes(me, q, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &n) == KERN_SUCCESS &&
            n == MACH_PORT_LIMITS_INFO_COUNT && lim.mpl_qlimit == MACH_PORT_QLIMIT_DEFAULT);
  lim.mpl_qlimit = 1;
  check("set the queue limit to 1", mach_port_set_attributes(me, q, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT) == KERN_SUCCESS &&
                                        status_of(q).mps_qlimit == 1);
  lim.mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1;
  check("a limit above MACH_PORT_QLIMIT_MAX: KERN_INVALID_VALUE",
        mach_port_set_attributes(me, q, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT) == KERN_INVALID_VALUE);
  n = 0;
  check("get with a count too small: KERN_FAILURE", mach_port_get_attributes(me, q, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &n) == KERN_FAILURE);
  mach_port_insert_right(me, q, q, MACH_MSG_TYPE_MAKE_SEND);
  send_value(q, 1, 1);
  mach_port_status_t st;
  n = MACH_PORT_RECEIVE_STATUS_COUNT;
  check("RECEIVE_STATUS", mach_port_get_attributes(me, q, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &n) == KERN_SUCCESS && n == MACH_PORT_RECEIVE_STATUS_COUNT);
  check("status: one message queued, qlimit 1", st.mps_msgcount == 1 && st.mps_qlimit == 1);
  check("status: make-send count 1, send rights exist, no send-once", st.mps_mscount == 1 && st.mps_srights && st.mps_sorights == 0);
  check("status: not in a set, no requests", st.mps_pset == 0 && !st.mps_pdrequest && !st.mps_nsrequest);
  n = MACH_PORT_RECEIVE_STATUS_COUNT;
  check("RECEIVE_STATUS of a port set: KERN_INVALID_RIGHT", mach_port_get_attributes(me, s, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &n) == KERN_INVALID_RIGHT);
  check("RECEIVE_STATUS of a freed name: KERN_INVALID_NAME", mach_port_get_attributes(me, freed_name(), MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &n) == KERN_INVALID_NAME);
  int size = -1;
  n = MACH_PORT_DNREQUESTS_SIZE_COUNT;
  check("DNREQUESTS_SIZE", mach_port_get_attributes(me, q, MACH_PORT_DNREQUESTS_SIZE, (mach_port_info_t)&size, &n) == KERN_SUCCESS && size >= 0);
  n = MACH_PORT_RECEIVE_STATUS_COUNT;
  check("an unknown flavor: KERN_INVALID_ARGUMENT", mach_port_get_attributes(me, q, 99, (mach_port_info_t)&st, &n) == KERN_INVALID_ARGUMENT);
  mach_port_destroy(me, q);
}

static void construct(void) {
  mach_port_options_t opts;
  memset(&opts, 0, sizeof opts);
  opts.flags = MPO_INSERT_SEND_RIGHT | MPO_QLIMIT;
  opts.mpl.mpl_qlimit = 3;
  mach_port_name_t c = MACH_PORT_NULL;
  check("construct with a send right and a queue limit",
        mach_port_construct(me, &opts, 0, &c) == KERN_SUCCESS && type_of(c) == MACH_PORT_TYPE_SEND_RECEIVE && status_of(c).mps_qlimit == 3);
  check("destruct with srdelta -1 frees the name", mach_port_destruct(me, c, -1, 0) == KERN_SUCCESS && type_of(c) == 0);
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "all")) return 100;
  me = mach_task_self();
  mach_port_name_t r = MACH_PORT_NULL, s = MACH_PORT_NULL, d = MACH_PORT_NULL;
  allocation(&r, &s, &d);
  types_and_refs(r, s, d);
  insert(r, s, d);
  names(r, s, d);
  extract();
  mod_refs();
  deallocate_and_destroy();
  sets(s, d);
  attributes(s);
  construct();
  return report();
}
