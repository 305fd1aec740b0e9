/*
 * webmach's <mach/ndr.h>: NDR_record_t, the 8 bytes after the header of a MIG message that describe
 * its data representation, and NDR_record, the record of this machine (little endian, ASCII, IEEE).
 */
#ifndef _MACH_NDR_H_
#define _MACH_NDR_H_

typedef struct {
  unsigned char mig_vers;
  unsigned char if_vers;
  unsigned char reserved1;
  unsigned char mig_encoding;
  unsigned char int_rep;
  unsigned char char_rep;
  unsigned char float_rep;
  unsigned char reserved2;
} NDR_record_t;

#include <webmach/mach/ndr.h>

extern NDR_record_t NDR_record;

#endif /* _MACH_NDR_H_ */
