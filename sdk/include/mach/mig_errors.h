/*
 * webmach's <mach/mig_errors.h>: the MIG_* codes of MIG stubs and servers (generated from
 * abi/mach.abi.mjs) and mig_reply_error_t, the reply that carries only a return code.
 */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/ndr.h>

#include <webmach/mach/mig_errors.h>

#pragma pack(push, 4)
typedef struct {
  mach_msg_header_t Head;
  NDR_record_t NDR;
  kern_return_t RetCode;
} mig_reply_error_t;
#pragma pack(pop)

#endif /* _MACH_MIG_ERRORS_H_ */
