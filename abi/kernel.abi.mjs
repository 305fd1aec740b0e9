// The kernel ABI, defined once: constants, error codes and the layout of every kernel object in
// machine memory. abi/generate.mjs turns it into kernel-as/abi.ts (AssemblyScript),
// kernel-as/bindings/abi.ts (TypeScript) and docs/kernel-abi.md. Edit here, then `npm run gen`.

/** Plain constants: name -> [value, doc]. */
export const constants = {
  ABI_MAGIC: [0x574d4b31, "'WMK1' in the header's magic field once the kernel is booted"],
  ABI_VERSION: [1, 'bumped on any incompatible change of this file'],
  MAX_TASKS: [64, 'task records in the task table'],
  MAX_THREADS: [256, 'thread control blocks in the thread table'],
  CAP_SLOTS: [64, 'capability slots per task'],
  MR_COUNT: [65, 'message registers per UTCB: MR0 (the tag) and MR1..MR64'],
  MAX_WORDS: [64, 'largest untyped word count a message may carry after its tag'],
  ANY: [-1, 'receive from any sender (open receive)'],
  NO_THREAD: [0, 'thread-id value meaning "none"'],
  TIMEOUT_NEVER: [-1, 'timeout: wait forever'],
  TIMEOUT_ASYNC: [-2, 'timeout: spin the budget, then return WOULDBLOCK and stay receiving'],
  DEFAULT_SPIN: [60000, 'default spin budget in polls of the thread state before sleeping: about 250 us here, longer than a halted vCPU takes to wake (100-125 us), so a round trip whose peer slept still finds this side spinning'],
  KERNEL_END: [0x100000, 'first byte above the kernel area; AssemblyScript static data starts here'],
  FRAMES_BASE: [0x200000, 'first page frame handed out by the host (page cache, buffers, rings)'],
  PAGE_SIZE: [65536, 'size of a Wasm page and of a machine-memory frame'],
  THREAD_INDEX_BITS: [16, 'a thread id is (generation << 16) | index'],
  LOCK_CONTENDED: [0x40000000, 'bit or-ed into the kernel lock word while someone waits for it'],
};

/** Kernel return codes (the value of every kernel call, also left in UTCB.error). */
export const errors = {
  OK: [0, 'success'],
  E_INVALID_CAP: [1, 'empty or out-of-range capability slot, or wrong kind of capability'],
  E_INVALID_ARG: [2, 'argument out of range: word count above 64, bad thread id, bad slot, bad op'],
  E_DEAD: [3, 'the partner thread or its task is gone; aborted IPC reports this to partners'],
  E_TIMEOUT: [4, 'the timeout expired before the operation could complete (0 = poll found nobody)'],
  E_NOT_WAITING: [5, 'reply target is not waiting for a reply from the caller'],
  E_PERM: [6, 'the caller lacks the privilege (not a privileged task, not the pager, no right)'],
  E_STATE: [7, 'the thread is in the wrong state for this operation'],
  E_NO_SPACE: [8, 'no free task record, thread block or capability slot'],
  E_OVERFLOW: [9, 'a bulk item was larger than the receiver buffer (BR1)'],
  E_ABORTED: [10, 'the IPC was aborted by thread control (pager) or cancelled'],
  E_BAD_ADDR: [11, 'a bulk item or buffer lies outside machine memory or below FRAMES_BASE (kernel area, static data)'],
  E_WOULDBLOCK: [12, 'asynchronous receive armed: nothing yet, wait on the futex and poll'],
  E_NO_HANDLER: [13, 'exception raised but the task has no exception handler'],
};

/** Thread states (TCB.state). */
export const threadStates = {
  TS_FREE: [0, 'slot unused'],
  TS_RUNNING: [1, 'running user code, not in IPC'],
  TS_SENDING: [2, 'blocked sending: queued on TCB.partner\'s send queue'],
  TS_RECEIVING: [3, 'blocked receiving from TCB.partner (ANY for an open receive)'],
  TS_CALLING: [4, 'sent a call, blocked for the reply from TCB.partner'],
  TS_PASSIVE: [5, 'a handler thread: runs only when called from its own worker (colocated call)'],
  TS_DEAD: [6, 'its task was destroyed; the slot is reused by a later thread_create'],
  TS_BUSY: [7, 'claimed: low nibble of a state word (claimer index + 1) << 8 | previous state << 4 | TS_BUSY, held while the claimer delivers to or cancels the thread'],
  TS_DELIVERED: [8, 'running, with a short message delivered in one step: low nibble of (sender index + 1) << 10 | capability slot << 4 | TS_DELIVERED; the thread completes the receive itself'],
};

export const taskStates = {
  TASK_FREE: [0, 'record unused'],
  TASK_ALIVE: [1, 'task exists'],
  TASK_DEAD: [2, 'destroyed: its threads are dead and IPC with them fails with E_DEAD'],
};

export const flags = {
  TASK_PRIVILEGED: [1, 'task flag: may create tasks and threads, mint capabilities, destroy tasks'],
  CAP_NONE: [0, 'capability type: empty slot'],
  CAP_THREAD: [1, 'capability type: names a thread (an IPC endpoint)'],
  RIGHT_SEND: [1, 'capability right: send and call'],
  RIGHT_NOTIFY: [2, 'capability right: post notification bits'],
  RIGHT_RECEIVE: [4, 'capability right: closed receive from the named thread'],
  TAG_WORDS_MASK: [0x7f, 'MR0 bits 0-6: untyped words following the tag (0..64)'],
  TAG_BULK: [0x80, 'MR0 bit 7: the two words after the untyped ones are a bulk item (address, length)'],
  TAG_NOTIFY: [0x100, 'MR0 bit 8 (kernel-set): this message is a notification, MR1 holds the bits'],
  TAG_EXCEPTION: [0x200, 'MR0 bit 9 (kernel-set): this message is exception IPC'],
  TAG_LABEL_SHIFT: [16, 'MR0 bits 16-31: the label (protocol-defined)'],
  CTL_STOP: [1, 'thread_control op: stop the thread at its next kernel entry or IPC completion'],
  CTL_RESUME: [2, 'thread_control op: resume a stopped thread'],
  CTL_POST: [3, 'thread_control op: or arg into the pending word, checked by the task library'],
  CTL_ABORT: [4, 'thread_control op: abort the thread\'s blocked IPC with E_ABORTED'],
  TCTL_STOPPED: [1, 'TCB.ctl bit: stopped by its pager'],
};

/**
 * Structures in machine memory. Each field: [name, byte offset, writer, guard, doc].
 * Offsets are relative to the structure's base; `base`, `stride` and `count` place the table.
 */
export const structs = {
  KHDR: {
    doc: 'kernel header at address 0',
    base: 0, size: 128,
    fields: [
      ['MAGIC', 0, 'host (boot)', 'written once before any worker starts', 'ABI_MAGIC once booted'],
      ['VERSION', 4, 'host (boot)', 'written once', 'ABI_VERSION'],
      ['SPIN', 8, 'host, bench', 'plain store; read relaxed at each wait', 'spin budget in polls; 0 = block at once'],
      ['NEXT_GEN', 12, 'kernel', 'atomic add', 'generation counter for thread ids'],
      ['FASTPATH', 16, 'host, bench, tests', 'plain store; read at each send', '1: try delivery before taking the kernel lock (fastpath.ts); 0: always under the lock'],
      ['MEM_PAGES', 20, 'host (boot)', 'written once', 'machine memory size in pages at boot'],
      ['LOCK', 64, 'kernel', 'itself: cmpxchg 0 -> owner thread id', 'the kernel lock, alone on its cache line; LOCK_CONTENDED bit set while waited for'],
    ],
  },
  TASK: {
    doc: 'task (address-space) record',
    base: 0x1000, stride: 1088, count: 'MAX_TASKS',
    fields: [
      ['STATE', 0, 'kernel', 'kernel lock', 'TASK_FREE / TASK_ALIVE / TASK_DEAD'],
      ['ID', 4, 'kernel', 'kernel lock', 'task index (stable while the record is alive)'],
      ['FLAGS', 8, 'kernel (task_create)', 'kernel lock', 'TASK_PRIVILEGED'],
      ['PAGER', 12, 'kernel (task_set_pager)', 'kernel lock', 'thread id of the pager: the only thread allowed thread_control on this task'],
      ['EXC_HANDLER', 16, 'kernel (task_set_exc_handler)', 'kernel lock', 'thread id receiving exception IPC from this task'],
      ['NTHREADS', 20, 'kernel', 'kernel lock', 'threads created in the task and not yet freed'],
      ['CAPS', 64, 'kernel (cap_mint, cap_delete)', 'kernel lock', 'CAP_SLOTS capability entries of CAP_SIZE bytes'],
    ],
  },
  CAP: {
    doc: 'capability entry inside TASK.CAPS',
    base: 0, stride: 16, count: 'CAP_SLOTS',
    fields: [
      ['TYPE', 0, 'kernel', 'kernel lock', 'CAP_NONE / CAP_THREAD'],
      ['TARGET', 4, 'kernel', 'kernel lock', 'thread id (generation-checked on use)'],
      ['BADGE', 8, 'kernel', 'kernel lock', 'word the receiver sees in UTCB.BADGE (who is calling)'],
      ['RIGHTS', 12, 'kernel', 'kernel lock', 'RIGHT_SEND | RIGHT_NOTIFY | RIGHT_RECEIVE'],
    ],
  },
  TCB: {
    doc: 'thread control block. The first cache line holds what a round trip writes: the event count, partner, result, the sender and badge of the last message, the state and, right after it, the received MR0..MR8 (the state and MR0 form one 64-bit word, so a short message is delivered by one compare-and-swap). The outgoing message registers start on a line of their own, so a thread writing its next message never invalidates the line its partner just read. The queue and control words follow the UTCB; the identity words, read by every sender and written only at creation, sit alone on the last line so that reading them never pulls a partner\'s hot line',
    base: 0x20000, stride: 1024, count: 'MAX_THREADS',
    fields: [
      ['FUTEX', 0, 'kernel (wake)', 'atomic; bumped only when SLEEPING is set', 'event count the thread sleeps on'],
      ['SLEEPING', 4, 'the thread itself', 'atomic store; wakers read it', '1 from prepareSleep until the sleep ends'],
      ['PARTNER', 8, 'kernel', 'the thread itself before blocking; stable while blocked', 'SENDING: receiver id; RECEIVING: sender id or ANY; CALLING: callee id'],
      ['RESULT', 12, 'kernel', 'the thread itself (OK) before blocking; then the claimer (or the kernel lock for senders) before the release to TS_RUNNING', 'outcome of the blocked IPC: OK, E_DEAD, E_TIMEOUT, E_ABORTED'],
      ['SENDER', 16, 'kernel', 'written on arrival', 'thread id of the sender of the last message received (reply to it)'],
      ['BADGE', 20, 'kernel', 'written on arrival', 'badge of the capability the sender used (0 for replies, task index for exceptions)'],
      ['STATE', 24, 'kernel', 'claim protocol: leaving TS_RECEIVING or TS_CALLING only by cmpxchg to a TS_BUSY word, or by one 64-bit cmpxchg of STATE and MR0 (a short message); the rest under the kernel lock', 'TS_* state, a TS_BUSY claim word, or a TS_DELIVERED word; with UTCB.MR0 after it, one 64-bit word'],
      ['UTCB', 28, 'the thread (MRs, BRs) and kernel (ERROR)', 'see UTCB', 'user thread control block; its MR0 is the upper half of the 64-bit word at STATE'],
      ['SENDQ_HEAD', 640, 'kernel', 'kernel lock', 'first queued sender (index + 1, 0 = empty)'],
      ['SENDQ_TAIL', 644, 'kernel', 'kernel lock', 'last queued sender (index + 1)'],
      ['SENDQ_NEXT', 648, 'kernel', 'kernel lock', 'next sender in the queue this thread waits in'],
      ['CTL', 652, 'kernel (thread_control)', 'atomic', 'TCTL_STOPPED'],
      ['PENDING', 656, 'kernel (CTL_POST)', 'atomic or / xchg', 'flags posted by the pager, read by the task library at every entry'],
      ['IS_CALL', 660, 'kernel', 'kernel lock', '1 while SENDING as the first phase of a call'],
      ['SEND_BADGE', 664, 'kernel', 'kernel lock', 'badge of the capability the queued send used'],
      ['SEND_BITS', 668, 'kernel', 'kernel lock', 'kernel tag bits (TAG_EXCEPTION) the queued send delivers'],
      ['NOTIFY', 672, 'any poster', 'atomic or; taken with atomic xchg by the thread', 'pending notification bits'],
      ['ID', 960, 'kernel (thread creation)', 'kernel lock; read-mostly', 'thread id: (generation << 16) | index; 0 when free'],
      ['TASK', 964, 'kernel (thread creation)', 'kernel lock; read-mostly', 'index of the owning task'],
      ['PASSIVE_IN', 968, 'kernel (thread_set_passive)', 'kernel lock; read-mostly', 'worker number + 1 whose colocated calls run this passive thread; 0 = not passive'],
    ],
  },
  UTCB: {
    doc: 'user thread control block, at TCB + TCB_UTCB. A thread writes the message it sends into OUT and reads the message it received from MR; the kernel copies a message once, from the sender\'s OUT to the receiver\'s MR',
    base: 0, size: 552,
    fields: [
      ['MR', 0, 'kernel on arrival', 'read by the thread outside IPC; while the thread waits, MR0 holds its partner (0: any sender)', 'received message: MR0 (tag) .. MR64, 4 bytes each; its sender and badge are TCB.SENDER and TCB.BADGE'],
      ['ERROR', 260, 'kernel', 'written at every kernel return', 'error code of the last operation'],
      ['BR0', 264, 'the thread', 'owned by the thread', 'buffer register: machine-memory address accepting a bulk item'],
      ['BR1', 268, 'the thread', 'owned by the thread', 'buffer register: its length in bytes (0 = no bulk accepted)'],
      ['OUT', 292, 'the thread', 'owned by the thread; read by the kernel while it sends', 'message to send: MR0 (tag) .. MR64'],
    ],
  },
};
