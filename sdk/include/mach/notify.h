/*
 * webmach's <mach/notify.h>: the notifications the kernel sends to a port given to
 * mach_port_request_notification (msgh_id MACH_NOTIFY_*, generated from abi/mach.abi.mjs) and their
 * messages as a receiver sees them, trailer included.
 */
#ifndef _MACH_NOTIFY_H_
#define _MACH_NOTIFY_H_

#include <mach/port.h>
#include <mach/message.h>
#include <mach/ndr.h>

#include <webmach/mach/notify.h>

typedef mach_port_t notify_port_t;

/* MACH_NOTIFY_PORT_DELETED: not_port is the name whose send(-once) right was deleted. */
typedef struct {
  mach_msg_header_t not_header;
  NDR_record_t NDR;
  mach_port_name_t not_port;
  mach_msg_format_0_trailer_t trailer;
} mach_port_deleted_notification_t;

/* MACH_NOTIFY_SEND_POSSIBLE: the queue of not_port has room again. */
typedef struct {
  mach_msg_header_t not_header;
  NDR_record_t NDR;
  mach_port_name_t not_port;
  mach_msg_format_0_trailer_t trailer;
} mach_send_possible_notification_t;

/* MACH_NOTIFY_PORT_DESTROYED: complex; not_port carries the receive right back. */
typedef struct {
  mach_msg_header_t not_header;
  mach_msg_body_t not_body;
  mach_msg_port_descriptor_t not_port;
  mach_msg_format_0_trailer_t trailer;
} mach_port_destroyed_notification_t;

/* MACH_NOTIFY_NO_SENDERS: not_count is the make-send count when the last send right went. */
typedef struct {
  mach_msg_header_t not_header;
  NDR_record_t NDR;
  mach_msg_type_number_t not_count;
  mach_msg_format_0_trailer_t trailer;
} mach_no_senders_notification_t;

/* MACH_NOTIFY_SEND_ONCE: a send-once right was destroyed without being used. */
typedef struct {
  mach_msg_header_t not_header;
  mach_msg_format_0_trailer_t trailer;
} mach_send_once_notification_t;

/* MACH_NOTIFY_DEAD_NAME: the port of not_port died; the name is now a dead name. */
typedef struct {
  mach_msg_header_t not_header;
  NDR_record_t NDR;
  mach_port_name_t not_port;
  mach_msg_format_0_trailer_t trailer;
} mach_dead_name_notification_t;

#endif /* _MACH_NOTIFY_H_ */
