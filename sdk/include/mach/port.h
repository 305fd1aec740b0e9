/*
 * webmach's <mach/port.h>: port names and the rights a name can denote, the attribute structures of
 * mach_port_get_attributes/set_attributes and the options of mach_port_construct. In a program a
 * port is only a name (mach_port_t is an unsigned int, as in XNU's user headers); the server keeps
 * the ports. The values are generated from abi/mach.abi.mjs into <webmach/mach/port.h>.
 */
#ifndef _MACH_PORT_H_
#define _MACH_PORT_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/vm_types.h>

typedef natural_t mach_port_name_t;
typedef mach_port_name_t *mach_port_name_array_t;
typedef mach_port_name_t mach_port_t;
typedef mach_port_t *mach_port_array_t;

typedef natural_t mach_port_right_t;
typedef natural_t mach_port_type_t;
typedef mach_port_type_t *mach_port_type_array_t;
typedef natural_t mach_port_urefs_t;
typedef integer_t mach_port_delta_t; /* a change of urefs */
typedef natural_t mach_port_seqno_t;
typedef natural_t mach_port_mscount_t; /* make-send count */
typedef natural_t mach_port_msgcount_t;
typedef natural_t mach_port_rights_t;
typedef unsigned int mach_port_srights_t;
typedef int mach_port_flavor_t;
typedef integer_t *mach_port_info_t; /* an array of words, its length given as a count */

#include <webmach/mach/port.h>

/* A name that denotes (or denoted) a right: neither null nor dead. */
#define MACH_PORT_VALID(name) (((name) != MACH_PORT_NULL) && ((name) != MACH_PORT_DEAD))

/* The type bit of a right kind (MACH_PORT_RIGHT_*). */
#define MACH_PORT_TYPE(right) ((mach_port_type_t)(((mach_port_type_t)1) << ((right) + ((mach_port_right_t)16))))

/* A right kind mach_port_get_refs and mach_port_mod_refs accept. */
#define MACH_PORT_RIGHT_VALID_TRANSLATE(right) ((right) >= MACH_PORT_RIGHT_SEND && (right) <= MACH_PORT_RIGHT_DEAD_NAME)

/* MACH_PORT_RECEIVE_STATUS. */
typedef struct mach_port_status {
  mach_port_rights_t mps_pset;      /* port sets holding the port */
  mach_port_seqno_t mps_seqno;      /* sequence number of the next message */
  mach_port_mscount_t mps_mscount;  /* make-send count */
  mach_port_msgcount_t mps_qlimit;  /* queue limit */
  mach_port_msgcount_t mps_msgcount; /* messages queued */
  mach_port_rights_t mps_sorights;  /* send-once rights outstanding */
  boolean_t mps_srights;            /* any send right exists */
  boolean_t mps_pdrequest;          /* port-destroyed request armed */
  boolean_t mps_nsrequest;          /* no-senders request armed */
  natural_t mps_flags;              /* MACH_PORT_STATUS_FLAG_* */
} mach_port_status_t;

/* MACH_PORT_LIMITS_INFO. */
typedef struct mach_port_limits {
  mach_port_msgcount_t mpl_qlimit;
} mach_port_limits_t;

/* MACH_PORT_INFO_EXT. */
typedef struct mach_port_info_ext {
  mach_port_status_t mpie_status;
  mach_port_msgcount_t mpie_boost_cnt;
  uint32_t reserved[6];
} mach_port_info_ext_t;

/* MACH_PORT_GUARD_INFO. */
typedef struct mach_port_guard_info {
  uint64_t mpgi_guard;
} mach_port_guard_info_t;

/* mach_port_allocate_qos. */
typedef struct mach_port_qos {
  unsigned int name : 1;
  unsigned int prealloc : 1;
  boolean_t pad1 : 30;
  natural_t len;
} mach_port_qos_t;

/* mach_port_construct: flags (MPO_*), the queue limit and a union XNU keeps for services. */
typedef struct mach_port_options {
  uint32_t flags;
  mach_port_limits_t mpl;
  union {
    uint64_t reserved[2];
    mach_port_name_t work_interval_port;
    mach_port_name_t service_port_name;
  };
} mach_port_options_t;
typedef mach_port_options_t *mach_port_options_ptr_t;

#endif /* _MACH_PORT_H_ */
