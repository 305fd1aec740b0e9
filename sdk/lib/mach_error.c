/*
 * mach_error.c: texts for Mach error codes (<mach/mach_error.h>) and bootstrap codes
 * (bootstrap_strerror, <servers/bootstrap.h>). A code is split as XNU splits it: system (bits 26-31),
 * subsystem (bits 14-25), code (bits 0-13); each text starts with its "(system/subsystem)" type as on
 * macOS. Departures: launchd's BOOTSTRAP_* codes (1100-1106, which macOS leaves as "unknown error
 * code") get texts, and mach_msg's resource-shortage flag bits (MACH_MSG_MASK) are ignored.
 */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <servers/bootstrap.h>
#include <stdio.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Each text with its type in front. */
#define K(text) "(os/kern) " text
#define S(text) "(ipc/send) " text
#define R(text) "(ipc/rcv) " text
#define M(text) "(ipc/mig) " text
#define BOOTSTRAP_TYPE "(bootstrap) "

/* KERN_SUCCESS .. KERN_NOT_FOUND, by value. */
static const char *const kern_texts[] = {
  K("success"), K("invalid address"), K("protection failure"), K("no space available"), K("invalid argument"),
  K("failure"), K("resource shortage"), K("not receiver"), K("no access"), K("memory failure"),
  K("memory error"), K("already in set"), K("not in set"), K("name exists"), K("aborted"),
  K("invalid name"), K("invalid task"), K("invalid right"), K("invalid value"), K("urefs overflow"),
  K("invalid capability"), K("right exists"), K("invalid host"), K("memory present"), K("memory data moved"),
  K("memory restart copy"), K("invalid processor set"), K("policy limit"), K("invalid policy"), K("invalid object"),
  K("already waiting"), K("default set"), K("exception protected"), K("invalid ledger"), K("invalid memory control"),
  K("invalid security"), K("not depressed"), K("object terminated"), K("lock set destroyed"), K("lock unstable"),
  K("lock owned by another"), K("lock owned by self"), K("semaphore destroyed"), K("RPC server terminated"),
  K("terminate orphan"), K("continue orphan"), K("not supported"), K("remote node down"), K("thread not waiting"),
  K("operation timed out"), K("code signing error"), K("policy is static"), K("insufficient buffer size"),
  K("denied by security policy"), K("missing kernel collection"), K("invalid kernel collection"), K("not found"),
};
_Static_assert(COUNT(kern_texts) == KERN_NOT_FOUND + 1, "a text for every KERN_* code");

/* MACH_SEND_* by their code field (0 is MACH_MSG_SUCCESS; NULL: no such code). */
static const char *const send_texts[] = {
  S("no error"), S("send in progress"), S("invalid data"), S("invalid destination port"), S("timed out"),
  S("invalid voucher"), NULL, S("interrupted"), S("message too small"), S("invalid reply port"),
  S("invalid port right"), S("invalid notify port"), S("invalid memory"), S("no message buffer"), S("message too large"),
  S("invalid message type"), S("invalid header"), S("invalid trailer"), S("invalid context"), S("invalid options"),
  NULL, S("out-of-line buffer too large"), S("destination does not accept rights"), S("message filtered"),
  S("auxiliary data too small"), S("auxiliary data too large"),
};
_Static_assert(COUNT(send_texts) == (MACH_SEND_AUX_TOO_LARGE & 0x3fff) + 1, "a text for every MACH_SEND_* code");

/* MACH_RCV_* by their code field. */
static const char *const rcv_texts[] = {
  R("no error"), R("receive in progress"), R("invalid name"), R("timed out"), R("message too large"),
  R("interrupted"), R("port changed"), R("invalid notify port"), R("invalid data"), R("port died"),
  R("port in set"), R("header error"), R("body error"), R("invalid scatter list entry"), R("scatter list too small"),
  R("invalid trailer"), NULL, R("receive in progress (timed)"), R("invalid reply port"), R("invalid arguments"),
};
_Static_assert(COUNT(rcv_texts) == (MACH_RCV_INVALID_ARGUMENTS & 0x3fff) + 1, "a text for every MACH_RCV_* code");

/* MIG_TYPE_ERROR (-300) .. MIG_TRAILER_ERROR (-309), by -(code + 300). */
static const char *const mig_texts[] = {
  M("client type check failure"), M("wrong reply message id"), M("server detected error"), M("bad request message id"),
  M("server type check failure"), M("no reply should be sent"), M("server raised exception"), M("array not large enough"),
  M("server died"), M("unknown trailer format"),
};
_Static_assert(COUNT(mig_texts) == -(MIG_TRAILER_ERROR - MIG_TYPE_ERROR) + 1, "a text for every MIG_* code");

/* BOOTSTRAP_NOT_PRIVILEGED (1100) .. BOOTSTRAP_NO_CHILDREN (1106), each with its type in front. */
static const char *const bootstrap_texts[] = {
  BOOTSTRAP_TYPE "not privileged", BOOTSTRAP_TYPE "name in use", BOOTSTRAP_TYPE "unknown service",
  BOOTSTRAP_TYPE "service already active", BOOTSTRAP_TYPE "bad count", BOOTSTRAP_TYPE "out of memory",
  BOOTSTRAP_TYPE "no children",
};
_Static_assert(COUNT(bootstrap_texts) == BOOTSTRAP_NO_CHILDREN - BOOTSTRAP_NOT_PRIVILEGED + 1, "a text for every BOOTSTRAP_* code");

/* One subsystem's texts: its type and its code table. */
struct subsystem {
  const char *type;
  const char *const *texts;
  unsigned count;
};

static const struct subsystem KERN = { "(os/kern)", kern_texts, COUNT(kern_texts) };
static const struct subsystem SEND = { "(ipc/send)", send_texts, COUNT(send_texts) };
static const struct subsystem RCV = { "(ipc/rcv)", rcv_texts, COUNT(rcv_texts) };
static const struct subsystem MIG = { "(ipc/mig)", mig_texts, COUNT(mig_texts) };

/* The subsystem of err and its index in that subsystem's table; NULL for a code with no table. */
static const struct subsystem *classify(mach_error_t err, unsigned *index) {
  if (err <= MIG_TYPE_ERROR && err >= MIG_TRAILER_ERROR) {
    *index = (unsigned)-(err - MIG_TYPE_ERROR);
    return &MIG;
  }
  unsigned system = (unsigned)err_system(err_get_system(err)), sub = (unsigned)err_get_sub(err);
  unsigned code = (unsigned)err_get_code(err);
  if (system == (unsigned)err_kern && sub == 0) {
    *index = code;
    return &KERN;
  }
  if (system == (unsigned)err_mach_ipc && sub <= 1) {
    *index = code & ~(unsigned)MACH_MSG_MASK;
    return sub == 0 ? &SEND : &RCV;
  }
  return NULL;
}

static int is_bootstrap(mach_error_t err) {
  return err >= BOOTSTRAP_NOT_PRIVILEGED && err <= BOOTSTRAP_NO_CHILDREN;
}

/* "(type) text" for a code with a text; NULL otherwise. */
static const char *full_text(mach_error_t err) {
  if (is_bootstrap(err)) return bootstrap_texts[err - BOOTSTRAP_NOT_PRIVILEGED];
  unsigned index = 0;
  const struct subsystem *s = classify(err, &index);
  if (s == NULL || index >= s->count) return NULL;
  return s->texts[index];
}

char *mach_error_type(mach_error_t err) {
  if (is_bootstrap(err)) return (char *)"(bootstrap)";
  unsigned index = 0;
  const struct subsystem *s = classify(err, &index);
  return (char *)(s ? s->type : "(?/?)");
}

char *mach_error_string(mach_error_t err) {
  const char *text = full_text(err);
  if (text) return (char *)text;
  if (classify(err, &(unsigned){ 0 })) return (char *)"unknown error code";
  return (char *)"(?/?) unknown error code";
}

void mach_error(const char *str, mach_error_t err) {
  fprintf(stderr, "%s %s\n", str, mach_error_string(err));
}

const char *bootstrap_strerror(kern_return_t r) {
  if (is_bootstrap(r)) return bootstrap_texts[r - BOOTSTRAP_NOT_PRIVILEGED] + sizeof BOOTSTRAP_TYPE - 1;
  return mach_error_string(r);
}
