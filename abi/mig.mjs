// A small interface generator in the spirit of MIG (birch-2005 ch. 7; lepreau-1993): reads a subsystem
// definition (abi/*.defs: routines with typed in, out and inout arguments) and emits, for one
// interface, the client stubs, the server's typed decoders and dispatch table, a C header of the
// numbers and the reference page. abi/generate.mjs calls it; nothing here is specific to BSD calls.
//
// Wire format of a routine (the same for every subsystem):
// - request: label = routine number; words (MR1..) in argument order: a 32-bit scalar takes one word,
//   a 64-bit one two (lo, hi), an in string or bytes its byte length, an out bytes its room (the
//   bytes the caller has room for).
// - window: in strings and bytes lie one after another from offset 0, in argument order; out bytes
//   get their rooms one after another from offset 0 too (a server reads its in data first).
// - reply: no out arguments: a short message whose label is the errno. Otherwise MR1 is the errno
//   and the out words follow in argument order (out bytes: the byte count written into its room).

/** Argument types: words on the wire, TypeScript type, and how the trace prints them. */
export const TYPES = {
  int: { words: 1, ts: 'number', doc: 'a signed word' },
  uint: { words: 1, ts: 'number', doc: 'an unsigned word' },
  size: { words: 1, ts: 'number', doc: 'a byte count' },
  fd: { words: 1, ts: 'number', doc: 'a descriptor' },
  flags: { words: 1, ts: 'number', doc: 'a bit set (traced in hex)' },
  u64: { words: 2, ts: 'bigint', doc: 'two words (lo, hi)' },
  s64: { words: 2, ts: 'bigint', doc: 'two words (lo, hi), signed' },
  string: { words: 1, ts: 'string', doc: 'in only: its byte length; the bytes lie in the window (UTF-8, checked by the server)' },
  bytes: { words: 1, ts: 'Uint8Array', doc: 'in: its byte length, the bytes in the window; out: its room in the window, and in the reply the count written there' },
};
/** Kinds the Mach side adds (port rights, out-of-line memory): reserved names, refused until then. */
const RESERVED_TYPES = ['port', 'ool'];
const MAX_WORDS = 64;
const RESERVED_WORDS = new Set(['null', 'delete', 'new', 'in', 'default', 'function', 'class', 'return', 'var', 'this', 'void', 'switch', 'case', 'typeof', 'enum', 'export', 'import', 'package', 'static']);

/** A name as a TypeScript identifier (reserved words get a trailing underscore). */
export function ident(name) {
  return RESERVED_WORDS.has(name) ? `${name}_` : name;
}

export function fail(file, line, message) {
  throw new Error(`${file}:${line}: ${message}`);
}

/** Tokens with their line numbers; a block comment is kept as a doc token (the Mach side's definitions use `[`, `]` and `*` too). */
export function tokenize(text, file) {
  const tokens = [];
  const re = /\s+|\/\/[^\n]*|\/\*([\s\S]*?)\*\/|([A-Za-z_][A-Za-z0-9_]*)|(0x[0-9a-fA-F]+|\d+)|([(){};:=,[\]*])/y;
  let line = 1;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    const m = re.exec(text);
    if (!m) fail(file, line, `unexpected '${text[at]}'`);
    if (m[1] !== undefined) tokens.push({ kind: 'doc', text: docText(m[1]), line });
    else if (m[2] !== undefined) tokens.push({ kind: 'word', text: m[2], line });
    else if (m[3] !== undefined) tokens.push({ kind: 'number', text: m[3], line });
    else if (m[4] !== undefined) tokens.push({ kind: 'punct', text: m[4], line });
    line += m[0].split('\n').length - 1;
  }
  return tokens;
}

/** A block comment's text: the leading stars of each line gone, lines joined. */
function docText(body) {
  return body.split('\n').map((l) => l.replace(/^\s*\*?\s?/, '').trim()).filter(Boolean).join(' ');
}

/**
 * Parse a subsystem definition:
 *   subsystem NAME ;
 *   [doc comment] [export] (routine | simpleroutine) NAME = NUMBER ( [ARG {; ARG}] ) ;
 *   ARG := (in | out | inout) NAME : TYPE
 * `export`: programs may call the routine directly, as the webmach import module's function NAME
 * (the C SDK's way to what WASI lacks).
 */
export function parse(text, file) {
  const tokens = tokenize(text, file);
  let i = 0;
  let doc = '';
  const peek = () => tokens[i];
  const next = (kind, text) => {
    const t = tokens[i++];
    if (!t) fail(file, tokens[tokens.length - 1]?.line ?? 1, `unexpected end, expected ${text ?? kind}`);
    if (t.kind !== kind || (text !== undefined && t.text !== text)) fail(file, t.line, `expected ${text ?? kind}, found '${t.text}'`);
    return t;
  };
  const skipDocs = () => {
    while (peek()?.kind === 'doc') doc = tokens[i++].text;
  };
  skipDocs();
  next('word', 'subsystem');
  const name = next('word').text;
  next('punct', ';');
  const routines = [];
  doc = '';
  for (;;) {
    skipDocs();
    if (!peek()) break;
    let kw = next('word');
    const exported = kw.text === 'export';
    if (exported) kw = next('word');
    if (kw.text !== 'routine' && kw.text !== 'simpleroutine') fail(file, kw.line, `expected routine or simpleroutine, found '${kw.text}'`);
    const rname = next('word').text;
    next('punct', '=');
    const number = Number(next('number').text);
    next('punct', '(');
    const args = [];
    while (peek()?.text !== ')') {
      if (args.length) next('punct', ';');
      const dir = next('word');
      if (!['in', 'out', 'inout'].includes(dir.text)) fail(file, dir.line, `expected in, out or inout, found '${dir.text}'`);
      const aname = next('word').text;
      next('punct', ':');
      const type = next('word');
      args.push({ dir: dir.text, name: aname, type: type.text, line: type.line });
    }
    next('punct', ')');
    next('punct', ';');
    routines.push({ name: rname, number, simple: kw.text === 'simpleroutine', exported, doc, args, line: kw.line });
    doc = '';
  }
  const subsystem = { name, routines };
  check(subsystem, file);
  return subsystem;
}

/** Request words, reply words (after the errno) of a routine. */
export function wordCounts(r) {
  let request = 0;
  let reply = 0;
  for (const a of r.args) {
    const w = TYPES[a.type].words;
    if (a.dir !== 'out' || a.type === 'bytes') request += w;
    if (a.dir !== 'in') reply += w;
  }
  return { request, reply };
}

function check(s, file) {
  const names = new Set();
  const numbers = new Set();
  for (const r of s.routines) {
    if (names.has(r.name)) fail(file, r.line, `routine ${r.name} defined twice`);
    if (numbers.has(r.number)) fail(file, r.line, `number ${r.number} used twice`);
    names.add(r.name);
    numbers.add(r.number);
    const argNames = new Set();
    for (const a of r.args) {
      if (RESERVED_TYPES.includes(a.type)) fail(file, a.line, `${a.name}: type ${a.type} is reserved for the Mach side and not supported yet`);
      if (!(a.type in TYPES)) fail(file, a.line, `${a.name}: unknown type ${a.type}`);
      if (a.type === 'string' && a.dir !== 'in') fail(file, a.line, `${a.name}: a string can only be in`);
      if (a.type === 'bytes' && a.dir === 'inout') fail(file, a.line, `${a.name}: bytes are in or out, not inout`);
      if (argNames.has(a.name) || a.name === 'errno' || a.name === 's') fail(file, a.line, `${a.name}: name used twice or reserved`);
      argNames.add(a.name);
    }
    const { request, reply } = wordCounts(r);
    if (request > MAX_WORDS) fail(file, r.line, `${r.name}: ${request} request words, at most ${MAX_WORDS}`);
    if (reply + 1 > MAX_WORDS) fail(file, r.line, `${r.name}: ${reply + 1} reply words, at most ${MAX_WORDS}`);
    if (r.simple && reply > 0) fail(file, r.line, `${r.name}: a simpleroutine has no out arguments`);
  }
}

const cap = (n) => n[0].toUpperCase() + n.slice(1).replace(/_(.)/g, (_, c) => c.toUpperCase());
const ins = (r) => r.args.filter((a) => a.dir !== 'out');
const outs = (r) => r.args.filter((a) => a.dir !== 'in');
/** Arguments that travel as request words, in order (in and inout, and the rooms of out bytes). */
const requestArgs = (r) => r.args.filter((a) => a.dir !== 'out' || a.type === 'bytes');
/** The first in data of a routine may be placed in the window by the caller beforehand. */
const firstInData = (r) => r.args.find((a) => a.dir === 'in' && (a.type === 'bytes' || a.type === 'string'));

function zero(a) {
  return a.type === 'bytes' ? 'EMPTY' : TYPES[a.type].ts === 'bigint' ? '0n' : '0';
}

/** The reply value of an out argument read from MR `w` (client side). */
function readOut(a, w, room) {
  switch (a.type) {
    case 'u64':
      return `wordsU64(k.mr(${w}), k.mr(${w + 1}))`;
    case 's64':
      return `BigInt.asIntN(64, wordsU64(k.mr(${w}), k.mr(${w + 1})))`;
    case 'int':
      return `k.mr(${w})`;
    case 'bytes':
      return `s.window.subarray(${room}, ${plus(room, `Math.min(k.mr(${w}) >>> 0, ${a.name}$room)`)})`;
    default:
      return `k.mr(${w}) >>> 0`;
  }
}

/** `a - b` or `a + b`, leaving out a zero term. */
const minus = (a, b) => (b === '0' ? a : `${a} - ${b}`);
const plus = (a, b) => (a === '0' ? b : b === '0' ? a : `${a} + ${b}`);

/** TypeScript of the client stubs: one function per routine, the reply as an object. */
export function emitUser(s, { header, syscallsImport, errnoImport, wordsImport }) {
  const out = [header,
    `// Client stubs of subsystem ${s.name}: each routine packs its arguments into message registers and`,
    '// the window, makes one call (Syscalls.send) and returns the errno with the out arguments (their',
    '// zero values when the errno is not 0). Out bytes are views of the window, valid until the next call.',
    `import type { Syscalls } from '${syscallsImport}';`,
    `import { EMSGSIZE, ENAMETOOLONG } from '${errnoImport}';`,
    `import { wordsU64, wordLo, wordHi } from '${wordsImport}';`,
    '',
    'const EMPTY = new Uint8Array(0);',
    '',
    '/** Call numbers by routine name. */',
    'export const NUMBERS = {',
    ...s.routines.map((r) => `  ${r.name}: ${r.number},`),
    '} as const;',
  ];
  for (const r of s.routines) out.push(...userStub(r));
  return out.join('\n') + '\n';
}

function userStub(r) {
  const first = firstInData(r);
  const placed = first?.type === 'bytes' ? first : undefined; // may be given as a count already in the window
  const params = ['s: Syscalls', ...requestArgs(r).map((a) => {
    if (a.dir === 'out') return `${a.name}Room: number`;
    if (a.type === 'bytes' || a.type === 'string') return `${ident(a.name)}: Uint8Array${a === placed ? ' | number' : ''}`;
    return `${ident(a.name)}: ${TYPES[a.type].ts}`;
  })];
  const o = outs(r);
  const replyType = o.length ? `${cap(r.name)}Reply` : 'number';
  const out = [];
  if (o.length) out.push('', `export interface ${replyType} {`, '  errno: number;', ...o.map((a) => `  ${a.name}: ${TYPES[a.type].ts};`), '}');
  const note = placed ? ` \`${placed.name}\` given as a number is that many bytes the caller already put at the window's start.` : '';
  out.push('', `/** ${r.name} (${r.number}): ${r.doc}${note} */`, `export function ${ident(r.name)}(${params.join(', ')}): ${replyType} {`);
  const body = [];
  const fault = (a) => {
    const errno = a.type === 'string' ? 'ENAMETOOLONG' : 'EMSGSIZE';
    return o.length ? `{ errno: ${errno}, ${o.map((x) => `${x.name}: ${zero(x)}`).join(', ')} }` : errno;
  };
  let w = 1;
  let inAt = '0';
  let roomAt = '0';
  const roomOf = new Map();
  for (const a of requestArgs(r)) {
    const v = ident(a.name);
    if (a.dir === 'out') {
      body.push(`const ${a.name}$room = Math.max(0, Math.min(${a.name}Room, ${minus('s.windowLen', roomAt)}));`, `k.setMr(${w}, ${a.name}$room);`);
      roomOf.set(a.name, roomAt);
      roomAt = plus(roomAt, `${a.name}$room`);
    } else if (a.type === 'bytes' || a.type === 'string') {
      const len = `${a.name}$len`;
      body.push(a === placed ? `const ${len} = typeof ${v} === 'number' ? ${v} : ${v}.length;` : `const ${len} = ${v}.length;`);
      body.push(`if (${len} > ${minus('s.windowLen', inAt)}) return ${fault(a)};`);
      body.push(a === placed ? `if (typeof ${v} !== 'number') s.window.set(${v}, ${inAt});` : `s.window.set(${v}, ${inAt});`);
      body.push(`k.setMr(${w}, ${len});`);
      inAt = plus(inAt, len);
    } else if (TYPES[a.type].words === 2) {
      body.push(`k.setMr(${w}, wordLo(${v}));`, `k.setMr(${w + 1}, wordHi(${v}));`);
    } else {
      body.push(`k.setMr(${w}, ${v});`);
    }
    w += TYPES[a.type].words;
  }
  const send = `s.send(${r.number}, ${wordCounts(r).request})`;
  if (!o.length) {
    body.push(`return ${send};`);
  } else {
    body.push(`const errno = ${send};`, `if (errno !== 0) return { errno, ${o.map((a) => `${a.name}: ${zero(a)}`).join(', ')} };`);
    let rw = 2;
    const fields = o.map((a) => {
      const f = `${a.name}: ${readOut(a, rw, roomOf.get(a.name))}`;
      rw += TYPES[a.type].words;
      return f;
    });
    body.push(`return { errno, ${fields.join(', ')} };`);
  }
  if (body.some((l) => /\bk\./.test(l))) body.unshift('const k = s.k;');
  out.push(...body.map((l) => `  ${l}`), '}');
  return out;
}

/** The decoded value of request argument `a` at word `w` (server side, a MessageReader `m`). */
function decodeArg(a, w) {
  if (a.dir === 'out') return `m.room(${w})`;
  const f = { int: 'int', uint: 'uint', size: 'uint', fd: 'uint', flags: 'uint', u64: 'u64', s64: 's64', string: 'string', bytes: 'bytes' }[a.type];
  return `m.${f}(${w})`;
}

/** Reply words of an out argument `o.NAME` (server side). */
function encodeArg(a) {
  if (TYPES[a.type].words === 2) return [`wordLo(o.${a.name})`, `wordHi(o.${a.name})`];
  return [`o.${a.name}`];
}

/** TypeScript of the server side: typed In/Out records, the handler interface, decoders, encoders, the table. */
export function emitServer(s, { header, msgImport, wordsImport }) {
  const I = cap(s.name);
  const out = [header,
    `// Server side of subsystem ${s.name}: for each routine the typed records of its in and out arguments,`,
    `// a decoder that checks the word count and every length against the definition (a malformed`,
    `// message is an errno, never zeros), and an encoder of its reply words. A server implements`,
    `// ${I}Server<R> (R: its request context) and gets the dispatch table from ${s.name}Routines().`,
    `import type { MessageReader } from '${msgImport}';`,
    `import { wordLo, wordHi } from '${wordsImport}';`,
    '',
    "export type ArgType = 'int' | 'uint' | 'size' | 'fd' | 'flags' | 'u64' | 's64' | 'string' | 'bytes';",
    '/** One argument as defined: for the trace and the docs. */',
    "export interface Field { readonly name: string; readonly dir: 'in' | 'out' | 'inout'; readonly type: ArgType }",
    '',
    '/** A routine in the dispatch table. `decode` returns its In record, `serve` runs the handler and returns the reply words. */',
    'export interface Routine<R> {',
    '  readonly name: string;',
    '  readonly number: number;',
    '  readonly fields: readonly Field[];',
    '  decode(m: MessageReader): object;',
    '  serve(r: R, a: object): { words: readonly number[]; out: object };',
    '}',
    '',
    'const NO_WORDS: readonly number[] = [];',
    'const NO_OUT = {};',
  ];
  for (const r of s.routines) {
    const C = cap(r.name);
    out.push('', `/** ${r.name} (${r.number}): ${r.doc} */`);
    const inFields = [...ins(r).map((a) => `  ${a.name}: ${TYPES[a.type].ts};`),
      ...r.args.filter((a) => a.dir === 'out' && a.type === 'bytes').map((a) => `  /** The room for out bytes \`${a.name}\` (return the count written). */\n  ${a.name}: Uint8Array;`)];
    out.push(...(inFields.length ? [`export interface ${C}In {`, ...inFields, '}'] : [`export type ${C}In = Record<string, never>;`]));
    if (outs(r).length) out.push(`export interface ${C}Out {`, ...outs(r).map((a) => `  ${a.name}: ${a.type === 'bytes' ? 'number' : TYPES[a.type].ts};`), '}');
  }
  out.push('', `/** What a server of ${s.name} implements: one handler per routine (throw for an errno). */`, `export interface ${I}Server<R> {`);
  for (const r of s.routines) {
    const C = cap(r.name);
    out.push(`  ${r.name}(r: R, a: ${C}In): ${outs(r).length ? `${C}Out` : 'void'};`);
  }
  out.push('}');
  for (const r of s.routines) {
    const C = cap(r.name);
    const { request } = wordCounts(r);
    let w = 1;
    const fields = [];
    for (const a of requestArgs(r)) {
      fields.push(`${a.name}: ${decodeArg(a, w)}`);
      w += TYPES[a.type].words;
    }
    out.push('', `function decode${C}(m: MessageReader): ${C}In {`, `  m.expect(${request});`, `  return { ${fields.join(', ')} };`, '}');
    if (outs(r).length) {
      out.push(`function encode${C}(o: ${C}Out): readonly number[] {`, `  return [${outs(r).flatMap(encodeArg).join(', ')}];`, '}');
    }
  }
  out.push('', `/** The dispatch table of ${s.name}: routine number -> decoder, handler and encoder. */`,
    `export function ${s.name}Routines<R>(h: ${I}Server<R>): ReadonlyMap<number, Routine<R>> {`,
    '  return new Map<number, Routine<R>>([');
  for (const r of s.routines) {
    const C = cap(r.name);
    const fields = r.args.map((a) => `{ name: '${a.name}', dir: '${a.dir}', type: '${a.type}' }`).join(', ');
    const serve = outs(r).length
      ? `(r, a) => {\n        const out = h.${r.name}(r, a as ${C}In);\n        return { words: encode${C}(out), out };\n      }`
      : `(r, a) => {\n        h.${r.name}(r, a as ${C}In);\n        return { words: NO_WORDS, out: NO_OUT };\n      }`;
    out.push(`    [${r.number}, {`, `      name: '${r.name}',`, `      number: ${r.number},`, `      fields: [${fields}],`, `      decode: decode${C},`, `      serve: ${serve},`, '    }],');
  }
  out.push('  ]);', '}');
  return out.join('\n') + '\n';
}

/** The reference page: the wire format, then one row per routine. */
export function emitDocs(s, { header, title, intro }) {
  const list = (args) => (args.length ? args.map((a) => `\`${a.name}\` (${a.type})`).join(', ') : '—');
  const rows = [...s.routines].sort((a, b) => a.number - b.number).map((r) =>
    `| ${r.number} | \`${r.name}\`${r.exported ? ' (exported)' : ''} | ${list(requestArgs(r).map((a) => (a.dir === 'out' ? { ...a, type: 'room' } : a)))} | errno${outs(r).length ? ', ' + list(outs(r)) : ''} | ${r.doc} |`);
  return [header, `# ${title}`, '', intro, '',
    'Wire format (abi/mig.mjs): the label is the routine number; the request words (MR1..) are the in',
    'arguments in order (a 64-bit value takes two words, lo then hi; an in `string` or `bytes` its byte',
    'length, the bytes lying in the window one after another from offset 0; an out `bytes` its room,',
    'the rooms also one after another from offset 0). The reply of a routine without out arguments is a',
    'short message whose label is the errno (WASI numbering, 0 for success); otherwise MR1 is the errno',
    'and the out words follow in order (an out `bytes`: the count written into its room). The server',
    "checks the word count and every length against this definition: a malformed message gets EINVAL",
    '(wrong word count) or EFAULT (data outside the window), an in `string` that is not UTF-8 EILSEQ.',
    '',
    `Types: ${Object.entries(TYPES).map(([k, v]) => `\`${k}\` ${v.doc}`).join('; ')}.`,
    '',
    '| # | routine | request | reply | notes |',
    '|---|---------|---------|-------|-------|',
    ...rows, ''].join('\n');
}

/** A routine's parameters as a program passes them (C ABI): scalars by value, data as (pointer,
 * length), out data as (pointer, room, pointer to the count), out scalars as a pointer. */
function programParams(r) {
  const out = [];
  for (const a of r.args) {
    const wide = TYPES[a.type].words === 2;
    if (a.type === 'string' || a.type === 'bytes') {
      if (a.dir === 'in') out.push({ a, name: `${a.name}_ptr`, wasm: 'i', c: a.type === 'string' ? 'const char *' : 'const void *' }, { a, name: `${a.name}_len`, wasm: 'i', c: 'size_t ' });
      else out.push({ a, name: `${a.name}_ptr`, wasm: 'i', c: 'void *' }, { a, name: `${a.name}_room`, wasm: 'i', c: 'size_t ' }, { a, name: `${a.name}_len`, wasm: 'i', c: 'size_t *' });
    } else if (a.dir === 'in') {
      out.push({ a, name: a.name, wasm: wide ? 'I' : 'i', c: wide ? (a.type === 's64' ? 'int64_t ' : 'uint64_t ') : a.type === 'int' ? 'int32_t ' : 'uint32_t ' });
    } else {
      if (a.dir === 'inout') throw new Error(`${r.name}.${a.name}: an exported routine has no inout arguments`);
      out.push({ a, name: `${a.name}_out`, wasm: 'i', c: wide ? (a.type === 's64' ? 'int64_t *' : 'uint64_t *') : a.type === 'int' ? 'int32_t *' : 'uint32_t *' });
    }
  }
  return out;
}

/** TypeScript of the exported routines' signatures as the webmach import module's functions, for checking a program's imports. */
export function emitSignatures(s, { header }) {
  const sigs = s.routines.filter((r) => r.exported).map((r) => `  ${r.name}: '${programParams(r).map((p) => p.wasm).join('')}:i',`);
  return [header, `// The exported routines of subsystem ${s.name} as functions of the webmach import module, by signature`,
    '// ("PARAMS:RESULTS"; i = i32, I = i64), for checking a program\'s imports before it starts.',
    'export const PROGRAM_SIGNATURES = {', ...sigs, '} as const;', ''].join('\n');
}

/**
 * TypeScript of the webmach import module's exported routines: each copies its in data from the
 * program's memory (the stub puts it in the window), calls the stub, and stores the out values at
 * the program's pointers; returns the errno.
 */
export function emitProgram(s, { header, memoryImport, userImport, syscallsImport, signaturesImport }) {
  const exported = s.routines.filter((r) => r.exported);
  const out = [header,
    `// The exported routines of subsystem ${s.name} as functions of the webmach import module: a program`,
    '// passes data as (pointer, length), out data as (pointer, room, pointer to the count written) and out',
    '// values as pointers; each function returns the errno. Faults in the pointers are EFAULT (the caller wraps them).',
    `import type { UserMemory } from '${memoryImport}';`,
    `import type { Syscalls } from '${syscallsImport}';`,
    `import * as ${s.name} from '${userImport}';`,
    `import type { PROGRAM_SIGNATURES } from '${signaturesImport}';`,
    '',
    `export function programFunctions(sys: Syscalls, mem: UserMemory): Record<keyof typeof PROGRAM_SIGNATURES, (...args: never[]) => number> {`,
    '  return {',
  ];
  for (const r of exported) {
    const params = programParams(r);
    const sig = params.map((p) => `${p.name}: ${p.wasm === 'I' ? 'bigint' : 'number'}`).join(', ');
    const args = requestArgs(r).map((a) => {
      if (a.dir === 'out') return `${a.name}_room`;
      if (a.type === 'string' || a.type === 'bytes') return `mem.bytes(${a.name}_ptr, ${a.name}_len)`;
      return a.name;
    });
    const o = outs(r);
    out.push(`    ${r.name}: (${sig}) => {`);
    const checks = o.map((a) => (a.type === 'bytes' ? `mem.bytes(${a.name}_ptr, ${a.name}_room)` : `mem.bytes(${a.name}_out, ${TYPES[a.type].words * 4})`));
    if (checks.length) out.push(`      ${checks.join(';\n      ')}; // a bad pointer faults before the call acts, not after`);
    if (!o.length) {
      out.push(`      return ${s.name}.${ident(r.name)}(${['sys', ...args].join(', ')});`, '    },');
      continue;
    }
    out.push(`      const r = ${s.name}.${ident(r.name)}(${['sys', ...args].join(', ')});`, '      if (r.errno !== 0) return r.errno;');
    for (const a of o) {
      if (a.type === 'bytes') out.push(`      mem.copyOut(${a.name}_ptr, r.${a.name});`, `      mem.setU32(${a.name}_len, r.${a.name}.length);`);
      else if (TYPES[a.type].words === 2) out.push(`      mem.setU64(${a.name}_out, r.${a.name});`);
      else out.push(`      mem.setU32(${a.name}_out, r.${a.name});`);
    }
    out.push('      return 0;', '    },');
  }
  out.push('  };', '}');
  return out.join('\n') + '\n';
}

/** A C header declaring the exported routines as imports of the webmach module, and every routine's number. */
export function emitCImports(s, { header, guard, prefix }) {
  const out = [header,
    `/* The routines of subsystem ${s.name} that programs may call, as imports of the webmach module:`,
    ' * each returns 0 or an errno (WASI numbering, which is wasi-libc\'s). The C library (sdk/lib) builds',
    ' * the POSIX calls on them; call these directly only to reach what it does not wrap. */',
    `#ifndef ${guard}`, `#define ${guard}`, '', '#include <stddef.h>', '#include <stdint.h>', ''];
  for (const r of s.routines) out.push(`#define ${prefix.toUpperCase()}SYS_${r.name.toUpperCase()} ${r.number}`);
  for (const r of s.routines.filter((x) => x.exported)) {
    const params = programParams(r).map((p) => `${p.c}${p.name}`).join(', ') || 'void';
    out.push('', `/* ${r.doc} */`, `__attribute__((import_module("webmach"), import_name("${r.name}")))`, `int32_t ${prefix}${r.name}(${params});`);
  }
  out.push('', `#endif /* ${guard} */`);
  return out.join('\n') + '\n';
}
