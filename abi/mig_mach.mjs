// The interface generator's Mach side (MIG's role; birch-2005 ch. 7, lepreau-1993 2.3): reads a Mach
// subsystem definition (routines and simpleroutines on a request port, with in, out and inout
// arguments: 32-bit scalars, ports, in-line byte arrays of fixed size, in-line int arrays of
// variable count, out-of-line bytes) and emits, from that one definition:
// - for programs, a C header, the C client stubs (each builds the request message, makes the call
//   through the binding the SDK chooses, __webmach_mig_rpc: colocated, direct or full message, and
//   checks and unpacks the reply) and the C server demultiplexer NAME_server (MIG_BAD_ID for an
//   unknown id), calling the server's routines (named with the serverprefix);
// - for the personality server's own subsystems (task_info and friends on a task port), a
//   TypeScript demultiplexer over the server's messages (Kmsg) with typed handlers.
// Message layout, as MIG lays it out: the header; for a message with ports or out-of-line memory,
// the body's descriptor count and the descriptors in argument order; the NDR record; then the
// in-line arguments in order (a variable array as its count, then its elements; an out-of-line
// argument as its byte count). A reply has the NDR record, the return code, then the out arguments
// the same way. Reply ids are request ids + 100.

import { fail, tokenize } from './mig.mjs';

/**
 * Parse:
 *   subsystem NAME BASE ; [userprefix P ;] [serverprefix P ;]
 *   { [doc] (routine | simpleroutine) NAME [= ID] ( PORT : port {; DIR NAME : TYPE} ) ; | skip ; }
 *   TYPE := int | uint | port | ool | array [ N ] | array [ * : N ] of int
 * Ids count up from BASE, one per routine or skip, unless given.
 */
export function parseMach(text, file) {
  const tokens = tokenize(text, file);
  let i = 0;
  const peek = () => tokens[i];
  const next = (kind, text) => {
    const t = tokens[i++];
    if (!t) fail(file, tokens[tokens.length - 1]?.line ?? 1, `unexpected end, expected ${text ?? kind}`);
    if (t.kind !== kind || (text !== undefined && t.text !== text)) fail(file, t.line, `expected ${text ?? kind}, found '${t.text}'`);
    return t;
  };
  let doc = '';
  const docs = () => {
    while (peek()?.kind === 'doc') doc = tokens[i++].text;
  };
  docs();
  const intro = doc;
  next('word', 'subsystem');
  const s = { name: next('word').text, base: Number(next('number').text), userprefix: '', serverprefix: '', routines: [], doc: intro };
  next('punct', ';');
  let id = s.base;
  for (;;) {
    doc = '';
    docs();
    if (!peek()) break;
    const kw = next('word');
    if (kw.text === 'userprefix' || kw.text === 'serverprefix') {
      s[kw.text] = next('word').text;
      next('punct', ';');
      continue;
    }
    if (kw.text === 'skip') {
      next('punct', ';');
      id++;
      continue;
    }
    if (kw.text !== 'routine' && kw.text !== 'simpleroutine') fail(file, kw.line, `expected routine, simpleroutine or skip, found '${kw.text}'`);
    const r = { name: next('word').text, simple: kw.text === 'simpleroutine', doc, args: [], line: kw.line };
    if (peek()?.text === '=') {
      next('punct', '=');
      id = Number(next('number').text);
    }
    r.id = id++;
    next('punct', '(');
    r.port = next('word').text;
    next('punct', ':');
    next('word', 'port');
    while (peek()?.text === ';') {
      next('punct', ';');
      const dir = next('word');
      if (!['in', 'out', 'inout'].includes(dir.text)) fail(file, dir.line, `expected in, out or inout, found '${dir.text}'`);
      const name = next('word').text;
      next('punct', ':');
      r.args.push({ dir: dir.text, name, ...parseType(next, peek, file) });
    }
    next('punct', ')');
    next('punct', ';');
    check(r, file);
    s.routines.push(r);
  }
  return s;
}

function parseType(next, peek, file) {
  const t = next('word');
  if (['int', 'uint', 'port', 'ool'].includes(t.text)) return { type: t.text };
  if (t.text !== 'array') fail(file, t.line, `unknown type '${t.text}'`);
  next('punct', '[');
  if (peek()?.text === '*') {
    next('punct', '*');
    next('punct', ':');
    const max = Number(next('number').text);
    next('punct', ']');
    next('word', 'of');
    next('word', 'int');
    return { type: 'varints', max };
  }
  const size = Number(next('number').text);
  next('punct', ']');
  return { type: 'bytes', size };
}

function check(r, file) {
  for (const dir of ['request', 'reply']) {
    const list = r.args.filter((a) => (dir === 'request' ? a.dir !== 'out' : a.dir !== 'in'));
    const v = list.findIndex((a) => a.type === 'varints');
    if (v >= 0 && list.slice(v + 1).some((a) => a.type !== 'port' && a.type !== 'ool')) fail(file, r.line, `${r.name}: a variable array must be the last in-line argument of its message`);
  }
  if (r.args.some((a) => a.dir === 'in' && a.type === 'varints') && roomCounts(r).length) fail(file, r.line, `${r.name}: a routine has a variable array in one direction only`);
  if (r.simple && r.args.some((a) => a.dir !== 'in')) fail(file, r.line, `${r.name}: a simpleroutine has only in arguments`);
  for (const a of r.args) if (a.dir === 'inout' && (a.type === 'port' || a.type === 'ool' || a.type === 'varints')) fail(file, r.line, `${r.name}.${a.name}: inout is for scalars and fixed arrays`);
}

const isDescriptor = (a) => a.type === 'port' || a.type === 'ool';
const requestArgs = (r) => r.args.filter((a) => a.dir !== 'out');
const replyArgs = (r) => r.args.filter((a) => a.dir !== 'in');
const pad4 = (n) => (n + 3) & ~3;

/** The C fields of a message's in-line part for `args`, and its descriptors. */
function cFields(args) {
  const descs = args.filter(isDescriptor).map((a) => (a.type === 'port' ? `  mach_msg_port_descriptor_t ${a.name};` : `  mach_msg_ool_descriptor_t ${a.name};`));
  const inline = [];
  for (const a of args) {
    if (a.type === 'int') inline.push(`  int32_t ${a.name};`);
    else if (a.type === 'uint') inline.push(`  uint32_t ${a.name};`);
    else if (a.type === 'bytes') inline.push(`  uint8_t ${a.name}[${pad4(a.size)}];`);
    else if (a.type === 'varints') inline.push(`  mach_msg_type_number_t ${a.name}Cnt;`, `  int32_t ${a.name}[${a.max}];`);
    else if (a.type === 'ool') inline.push(`  mach_msg_type_number_t ${a.name}Cnt;`);
  }
  return { descs, inline };
}

/** The counts a request carries for its routine's out variable arrays (MIG's CountInOut: the caller's room). */
const roomCounts = (r) => replyArgs(r).filter((a) => a.type === 'varints');

function cStruct(name, args, reply, rooms = []) {
  const { descs, inline } = cFields(args);
  inline.push(...rooms.map((a) => `mach_msg_type_number_t ${a.name}Cnt;`));
  const fields = ['mach_msg_header_t Head;'];
  if (descs.length) fields.push('mach_msg_body_t msgh_body;', ...descs);
  fields.push('NDR_record_t NDR;');
  if (reply) fields.push('kern_return_t RetCode;');
  fields.push(...inline);
  if (reply) fields.push('mach_msg_trailer_t trailer;');
  return ['  typedef struct {', ...fields.map((f) => `    ${f.trim()}`), `  } ${name};`];
}

/** The C parameter list of a routine (client and server alike): the request port, then the arguments. */
function cParams(r) {
  const ps = [`mach_port_t ${r.port}`];
  for (const a of r.args) {
    const out = a.dir !== 'in';
    if (a.type === 'int') ps.push(out ? `int32_t *${a.name}` : `int32_t ${a.name}`);
    else if (a.type === 'uint') ps.push(out ? `uint32_t *${a.name}` : `uint32_t ${a.name}`);
    else if (a.type === 'port') ps.push(out ? `mach_port_t *${a.name}` : `mach_port_t ${a.name}`);
    else if (a.type === 'bytes') ps.push(a.dir === 'in' ? `const uint8_t *${a.name}` : `uint8_t *${a.name}`);
    else if (a.type === 'varints') ps.push(out ? `int32_t *${a.name}, mach_msg_type_number_t *${a.name}Cnt` : `const int32_t *${a.name}, mach_msg_type_number_t ${a.name}Cnt`);
    else if (a.type === 'ool') ps.push(out ? `void **${a.name}, mach_msg_type_number_t *${a.name}Cnt` : `const void *${a.name}, mach_msg_type_number_t ${a.name}Cnt`);
  }
  return ps.join(', ');
}

/** Statements filling message `M` (a pointer) from arguments `args` (values or, for outs, pointers). */
function cPack(M, args, fromPointers) {
  const out = [];
  const v = (a) => (fromPointers ? `*${a.name}` : a.name);
  for (const a of args) {
    if (a.type === 'int' || a.type === 'uint') out.push(`${M}->${a.name} = ${v(a)};`);
    else if (a.type === 'bytes') out.push(`memcpy(${M}->${a.name}, ${a.name}, ${a.size});`);
    else if (a.type === 'varints') {
      const n = fromPointers ? `*${a.name}Cnt` : `${a.name}Cnt`;
      out.push(`if (${n} > ${a.max}) return MIG_ARRAY_TOO_LARGE;`, `${M}->${a.name}Cnt = ${n};`, `memcpy(${M}->${a.name}, ${a.name}, ${n} * 4);`);
    } else if (a.type === 'port') {
      out.push(`${M}->${a.name}.name = ${v(a)};`, `${M}->${a.name}.disposition = ${fromPointers ? 'MACH_MSG_TYPE_MOVE_SEND' : 'MACH_MSG_TYPE_COPY_SEND'};`, `${M}->${a.name}.type = MACH_MSG_PORT_DESCRIPTOR;`);
    } else if (a.type === 'ool') {
      const n = fromPointers ? `*${a.name}Cnt` : `${a.name}Cnt`;
      out.push(`${M}->${a.name}.address = (void *)${fromPointers ? `*${a.name}` : a.name};`, `${M}->${a.name}.size = ${n};`, `${M}->${a.name}.deallocate = ${fromPointers ? 'TRUE' : 'FALSE'};`,
        `${M}->${a.name}.copy = MACH_MSG_VIRTUAL_COPY;`, `${M}->${a.name}.type = MACH_MSG_OOL_DESCRIPTOR;`, `${M}->${a.name}Cnt = ${n};`);
    }
  }
  return out;
}

/** The message's size: its struct, less the unused end of a variable array (and the trailer, for a reply). */
function cSize(T, M, args, reply) {
  const v = args.find((a) => a.type === 'varints');
  const trailer = reply ? ' - sizeof(mach_msg_trailer_t)' : '';
  return v ? `(mach_msg_size_t)(sizeof(${T})${trailer} - (${v.max} - ${M}->${v.name}Cnt) * 4)` : `(mach_msg_size_t)(sizeof(${T})${trailer})`;
}

/** ` - MAX * 4` for a message ending in a variable array (the least it may be), else nothing. */
function varMax(args) {
  const v = args.find((a) => a.type === 'varints');
  return v ? ` - ${v.max} * 4` : '';
}

function descriptorCount(args) {
  return args.filter(isDescriptor).length;
}

/** Statements taking out arguments from reply `M` into the caller's pointers. */
function cUnpack(M, args) {
  const out = [];
  for (const a of args) {
    if (a.type === 'int' || a.type === 'uint') out.push(`*${a.name} = ${M}->${a.name};`);
    else if (a.type === 'bytes') out.push(`memcpy(${a.name}, ${M}->${a.name}, ${a.size});`);
    else if (a.type === 'varints') out.push(`if (${M}->${a.name}Cnt > *${a.name}Cnt) return MIG_ARRAY_TOO_LARGE;`, `memcpy(${a.name}, ${M}->${a.name}, ${M}->${a.name}Cnt * 4);`, `*${a.name}Cnt = ${M}->${a.name}Cnt;`);
    else if (a.type === 'port') out.push(`*${a.name} = ${M}->${a.name}.name;`);
    else if (a.type === 'ool') out.push(`*${a.name} = ${M}->${a.name}.address;`, `*${a.name}Cnt = ${M}->${a.name}.size;`);
  }
  return out;
}

/** The C header: the client stubs' and the server routines' prototypes, and the demultiplexer's. */
export function emitCHeader(s, { header, server = true }) {
  const guard = `_${s.name.toUpperCase()}_USER_`;
  const out = [header, `/* ${s.doc || `Subsystem ${s.name}.`} */`, `#ifndef ${guard}`, `#define ${guard}`, '', '#include <mach/mach.h>', '#include <stdint.h>', '',
    `#define ${s.name}_MSG_COUNT ${s.routines.length}`, ''];
  for (const r of s.routines) {
    out.push(`/* ${r.name} (id ${r.id}): ${r.doc} */`, `kern_return_t ${s.userprefix}${r.name}(${cParams(r)});`);
    if (server) out.push(`kern_return_t ${s.serverprefix}${r.name}(${cParams(r)});`);
    out.push('');
  }
  if (server) out.push(`/* The demultiplexer: serve the request in InHeadP into OutHeadP (FALSE for an id not of ${s.name}: MIG_BAD_ID). */`,
    `boolean_t ${s.name}_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);`,
    `/* The largest request or reply of ${s.name}, for a server's buffers. */`,
    `#define ${s.name}_MAX_SIZE ${maxSize(s)}`, '');
  out.push(`#endif /* ${guard} */`);
  return out.join('\n') + '\n';
}

/** Bytes of the largest message (with a trailer) of the subsystem. */
function maxSize(s) {
  let max = 36 + 68;
  for (const r of s.routines) {
    for (const [args, extra] of [[requestArgs(r), 0], [replyArgs(r), 4]]) {
      let n = 24 + 8 + extra + (descriptorCount(args) ? 4 + 12 * descriptorCount(args) : 0);
      for (const a of args) n += a.type === 'bytes' ? pad4(a.size) : a.type === 'varints' ? 4 + a.max * 4 : a.type === 'port' ? 0 : 4;
      max = Math.max(max, n + 68);
    }
  }
  return max;
}

/** The C client stubs. */
export function emitCUser(s, { header, include }) {
  const out = [header, `/* Client stubs of subsystem ${s.name}: each builds its request, calls through __webmach_mig_rpc and checks the reply. */`,
    `#include "${include}"`, '#include <string.h>', '#include <webmach/mig.h>', ''];
  for (const r of s.routines) {
    const req = requestArgs(r);
    const rep = replyArgs(r);
    out.push(`kern_return_t ${s.userprefix}${r.name}(${cParams(r)}) {`, ...cStruct('Request', req, false, roomCounts(r)));
    if (!r.simple) out.push(...cStruct('Reply', rep, true), '  union { Request In; Reply Out; } Mess;', '  Request *InP = &Mess.In;', '  Reply *OutP = &Mess.Out;');
    else out.push('  Request Mess;', '  Request *InP = &Mess;');
    const complex = descriptorCount(req) > 0;
    if (complex) out.push(`  InP->msgh_body.msgh_descriptor_count = ${descriptorCount(req)};`);
    out.push('  InP->NDR = NDR_record;', ...cPack('InP', req, false).map((l) => `  ${l}`), ...roomCounts(r).map((a) => `  InP->${a.name}Cnt = *${a.name}Cnt;`));
    out.push(`  InP->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, ${r.simple ? '0' : 'MACH_MSG_TYPE_MAKE_SEND_ONCE'})${complex ? ' | MACH_MSGH_BITS_COMPLEX' : ''};`,
      `  InP->Head.msgh_remote_port = ${r.port};`, `  InP->Head.msgh_local_port = ${r.simple ? 'MACH_PORT_NULL' : 'mig_get_reply_port()'};`,
      '  InP->Head.msgh_voucher_port = MACH_PORT_NULL;', `  InP->Head.msgh_id = ${r.id};`, `  InP->Head.msgh_size = ${cSize('Request', 'InP', req, false)};`);
    if (r.simple) {
      out.push('  return mach_msg(&InP->Head, MACH_SEND_MSG, InP->Head.msgh_size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);', '}', '');
      continue;
    }
    out.push('  mach_msg_return_t msg_result = __webmach_mig_rpc(&InP->Head, InP->Head.msgh_size, sizeof(Reply));',
      '  if (msg_result != MACH_MSG_SUCCESS) {', '    if (msg_result == MACH_SEND_INVALID_REPLY || msg_result == MACH_RCV_PORT_DIED) mig_dealloc_reply_port(InP->Head.msgh_local_port);', '    return msg_result;', '  }',
      `  if (OutP->Head.msgh_id != ${r.id + 100}) {`, '    mach_msg_destroy(&OutP->Head);', '    return OutP->Head.msgh_id == MACH_NOTIFY_SEND_ONCE ? MIG_SERVER_DIED : MIG_REPLY_MISMATCH;', '  }',
      '  mig_reply_error_t *Err = (mig_reply_error_t *)OutP;',
      '  if (!(OutP->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) && OutP->Head.msgh_size == sizeof(mig_reply_error_t) && Err->RetCode != KERN_SUCCESS) return Err->RetCode;',
      '  if (OutP->RetCode != KERN_SUCCESS) return OutP->RetCode;',
      `  if (OutP->Head.msgh_size < sizeof(Reply) - sizeof(mach_msg_trailer_t)${varMax(rep)}) return MIG_TYPE_ERROR;`,
      ...cUnpack('OutP', rep).map((l) => `  ${l}`), '  return KERN_SUCCESS;', '}', '');
  }
  return out.join('\n') + '\n';
}

/** The C server demultiplexer and the per-routine server stubs. */
export function emitCServer(s, { header, include }) {
  const out = [header, `/* Server side of subsystem ${s.name}: ${s.name}_server decodes a request, calls ${s.serverprefix}<routine> and builds the reply. */`,
    `#include "${include}"`, '#include <string.h>', ''];
  for (const r of s.routines) {
    const req = requestArgs(r);
    const rep = replyArgs(r);
    out.push(`static void _X${r.name}(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP) {`, ...cStruct('Request', req, false, roomCounts(r)), ...cStruct('Reply', rep, true),
      '  Request *In0P = (Request *)InHeadP;', '  Reply *OutP = (Reply *)OutHeadP;', '  mig_reply_error_t *Err = (mig_reply_error_t *)OutHeadP;');
    const complex = descriptorCount(req) > 0;
    const v = req.find((a) => a.type === 'varints');
    const shape = complex ? '!(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)' : '(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)';
    const size = v ? `In0P->Head.msgh_size < sizeof(Request) - ${v.max} * 4 || In0P->${v.name}Cnt > ${v.max} || In0P->Head.msgh_size != ${cSize('Request', 'In0P', req, false)}` : 'In0P->Head.msgh_size != sizeof(Request)';
    out.push(`  if (${shape} || ${size}) {`,
      '    Err->RetCode = MIG_BAD_ARGUMENTS;', '    return;', '  }');
    for (const a of rep) {
      if (a.dir === 'inout') out.push(a.type === 'bytes' ? `  memcpy(OutP->${a.name}, In0P->${a.name}, ${a.size});` : `  OutP->${a.name} = In0P->${a.name};`);
      if (a.type === 'varints') out.push(`  OutP->${a.name}Cnt = In0P->${a.name}Cnt < ${a.max} ? In0P->${a.name}Cnt : ${a.max};`);
    }
    const call = [`In0P->Head.msgh_local_port`];
    for (const a of r.args) {
      if (a.dir === 'in') {
        if (a.type === 'port') call.push(`In0P->${a.name}.name`);
        else if (a.type === 'ool') call.push(`In0P->${a.name}.address, In0P->${a.name}.size`);
        else if (a.type === 'varints') call.push(`In0P->${a.name}, In0P->${a.name}Cnt`);
        else call.push(`In0P->${a.name}`);
      } else if (a.type === 'varints') call.push(`OutP->${a.name}, &OutP->${a.name}Cnt`);
      else if (a.type === 'port') call.push(`&OutP->${a.name}.name`);
      else if (a.type === 'ool') call.push(`&OutP->${a.name}.address, &OutP->${a.name}.size`);
      else if (a.type === 'bytes') call.push(`OutP->${a.name}`);
      else call.push(`&OutP->${a.name}`);
    }
    out.push(`  kern_return_t RetCode = ${s.serverprefix}${r.name}(${call.join(', ')});`, '  if (RetCode != KERN_SUCCESS) {', '    Err->RetCode = RetCode;', '    return;', '  }');
    if (r.simple) {
      out.push('  Err->RetCode = MIG_NO_REPLY;', '}', '');
      continue;
    }
    if (descriptorCount(rep)) {
      out.push(`  OutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;`, `  OutP->msgh_body.msgh_descriptor_count = ${descriptorCount(rep)};`);
      for (const a of rep.filter(isDescriptor)) {
        if (a.type === 'port') out.push(`  OutP->${a.name}.disposition = MACH_MSG_TYPE_MOVE_SEND;`, `  OutP->${a.name}.type = MACH_MSG_PORT_DESCRIPTOR;`);
        else out.push(`  OutP->${a.name}.deallocate = TRUE;`, `  OutP->${a.name}.copy = MACH_MSG_VIRTUAL_COPY;`, `  OutP->${a.name}.type = MACH_MSG_OOL_DESCRIPTOR;`, `  OutP->${a.name}Cnt = OutP->${a.name}.size;`);
      }
    }
    out.push('  OutP->NDR = NDR_record;', '  OutP->RetCode = KERN_SUCCESS;', `  OutP->Head.msgh_size = ${cSize('Reply', 'OutP', rep, true)};`, '}', '');
  }
  out.push(`boolean_t ${s.name}_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP) {`,
    '  mig_reply_error_t *Err = (mig_reply_error_t *)OutHeadP;',
    '  OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);',
    '  OutHeadP->msgh_remote_port = InHeadP->msgh_remote_port;', '  OutHeadP->msgh_local_port = MACH_PORT_NULL;', '  OutHeadP->msgh_voucher_port = MACH_PORT_NULL;',
    '  OutHeadP->msgh_id = InHeadP->msgh_id + 100;', '  OutHeadP->msgh_size = sizeof(mig_reply_error_t);', '  Err->NDR = NDR_record;', '  Err->RetCode = KERN_SUCCESS;',
    '  switch (InHeadP->msgh_id) {');
  for (const r of s.routines) out.push(`  case ${r.id}:`, `    _X${r.name}(InHeadP, OutHeadP);`, '    return TRUE;');
  out.push('  default:', '    Err->RetCode = MIG_BAD_ID;', '    return FALSE;', '  }', '}');
  return out.join('\n') + '\n';
}

/** The TypeScript demultiplexer of a subsystem the personality server serves on its own ports. */
export function emitTsServer(s, { header, kmsgImport, constantsImport }) {
  const I = s.name[0].toUpperCase() + s.name.slice(1);
  const out = [header, `// Server side of Mach subsystem ${s.name} for the personality server's own ports: ${s.name}Demux decodes a`,
    `// request message (its in-line part: NDR, then the arguments), calls the handler and lays out the reply`,
    `// (NDR, return code, out arguments). A malformed request is MIG_BAD_ARGUMENTS, an unknown id MIG_BAD_ID.`,
    `import { MIG_BAD_ID, MIG_BAD_ARGUMENTS, KERN_SUCCESS } from '${constantsImport}';`, `import type { Kmsg } from '${kmsgImport}';`, ''];
  for (const r of s.routines) {
    if (r.args.some((a) => a.type === 'port' || a.type === 'ool')) throw new Error(`${s.name}.${r.name}: the TypeScript side carries no ports or out-of-line memory yet`);
    const C = r.name.replace(/(^|_)(.)/g, (_, __, c) => c.toUpperCase());
    const ins = [...requestArgs(r).map((a) => `${a.name}: ${a.type === 'bytes' ? 'Uint8Array' : a.type === 'varints' ? 'number[]' : 'number'}`),
      ...roomCounts(r).map((a) => `/** the caller's room for \`${a.name}\`, in ints */ ${a.name}Cnt: number`)];
    const outs = replyArgs(r).map((a) => `${a.name}: ${a.type === 'bytes' ? 'Uint8Array' : a.type === 'varints' ? 'number[]' : 'number'}`);
    out.push(`/** ${r.name} (${r.id}): ${r.doc} */`, ins.length ? `export interface ${C}In { ${ins.join('; ')} }` : `export type ${C}In = Record<string, never>;`,
      `export interface ${C}Out { ${['kr: number', ...outs].join('; ')} }`, '');
  }
  out.push(`/** What a server of ${s.name} implements, for its kernel object K. */`, `export interface ${I}Subsystem<K> {`);
  for (const r of s.routines) {
    const C = r.name.replace(/(^|_)(.)/g, (_, __, c) => c.toUpperCase());
    out.push(`  ${r.name}(target: K, a: ${C}In): ${C}Out;`);
  }
  out.push('}', '', 'const NDR = 8;', '');
  out.push(`/** Serve request \`k\` on object \`target\`: the reply's id and in-line part, or undefined for a simpleroutine. */`,
    `export function ${s.name}Demux<K>(h: ${I}Subsystem<K>, target: K, k: Kmsg): { id: number; body: Uint8Array } | undefined {`,
    '  const v = new DataView(k.body.buffer, k.body.byteOffset, k.body.byteLength);', '  const fail = (kr: number) => reply(k.id, kr, []);',
    '  if (k.descriptors.length) return fail(MIG_BAD_ARGUMENTS);', '  switch (k.id) {');
  for (const r of s.routines) {
    const req = requestArgs(r);
    let at = 8;
    const reads = [];
    let fixed = true;
    let size = 8;
    for (const a of req) {
      if (a.type === 'int') reads.push(`${a.name}: v.getInt32(${at}, true)`), (at += 4);
      else if (a.type === 'uint') reads.push(`${a.name}: v.getUint32(${at}, true)`), (at += 4);
      else if (a.type === 'bytes') reads.push(`${a.name}: k.body.slice(${at}, ${at + a.size})`), (at += pad4(a.size));
      else if (a.type === 'varints') {
        reads.push(`${a.name}: Array.from({ length: v.getUint32(${at}, true) }, (_, i) => v.getInt32(${at + 4} + i * 4, true))`);
        fixed = false;
        at += 4;
      }
    }
    for (const a of roomCounts(r)) reads.push(`${a.name}Cnt: v.getUint32(${fixed ? at : `k.body.length - ${4 * (roomCounts(r).length - roomCounts(r).indexOf(a))}`}, true)`), (at += 4);
    size = at;
    const C = r.name.replace(/(^|_)(.)/g, (_, __, c) => c.toUpperCase());
    const sizeCheck = fixed ? `k.body.length !== ${size}` : `k.body.length < ${size}`;
    out.push(`  case ${r.id}: {`, `    if (${sizeCheck}) return fail(MIG_BAD_ARGUMENTS);`, `    const o = h.${r.name}(target, { ${reads.join(', ')} });`);
    if (r.simple) out.push('    return undefined;', '  }');
    else {
      const words = replyArgs(r).map((a) => (a.type === 'bytes' ? `{ bytes: o.${a.name}, size: ${pad4(a.size)} }` : a.type === 'varints' ? `{ ints: o.${a.name} }` : `{ word: o.${a.name} }`));
      out.push(words.length ? `    return reply(k.id, o.kr, o.kr === KERN_SUCCESS ? [${words.join(', ')}] : []);` : '    return reply(k.id, o.kr, []);', '  }');
    }
  }
  out.push('  default:', '    return fail(MIG_BAD_ID);', '  }', '}', '',
    'type Part = { word: number } | { bytes: Uint8Array; size: number } | { ints: number[] };', '',
    '/** A reply\'s in-line part: the NDR record, the return code, then the out arguments. */',
    'function reply(id: number, kr: number, parts: Part[]): { id: number; body: Uint8Array } {',
    '  let size = NDR + 4;',
    "  for (const p of parts) size += 'word' in p ? 4 : 'size' in p ? p.size : 4 + p.ints.length * 4;",
    '  const body = new Uint8Array(size);', '  const v = new DataView(body.buffer);', '  body[4] = 1; // NDR: little-endian integers',
    '  v.setInt32(NDR, kr, true);', '  let at = NDR + 4;', '  for (const p of parts) {',
    "    if ('word' in p) v.setUint32(at, p.word >>> 0, true), (at += 4);",
    "    else if ('size' in p) body.set(p.bytes.subarray(0, p.size), at), (at += p.size);",
    '    else {', '      v.setUint32(at, p.ints.length, true);', '      p.ints.forEach((x, i) => v.setInt32(at + 4 + i * 4, x, true));', '      at += 4 + p.ints.length * 4;', '    }', '  }',
    '  return { id: id + 100, body };', '}');
  return out.join('\n') + '\n';
}
