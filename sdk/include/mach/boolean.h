/*
 * webmach's <mach/boolean.h>: boolean_t, the int Mach calls use for true/false, and TRUE/FALSE
 * (left alone when another header already defined them).
 */
#ifndef _MACH_BOOLEAN_H_
#define _MACH_BOOLEAN_H_

typedef int boolean_t;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif /* _MACH_BOOLEAN_H_ */
