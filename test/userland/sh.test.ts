// The shell, /bin/sh (userland/sh/*.c, built into userland/bin/sh.wasm), through the real CLI
// (`webmach run`) with a fresh host directory mounted at /work whose bin/ holds the shell itself,
// test programs (hello prints its arguments and exits with atoi(argv[1]); exit7 exits 7; trapper
// dies of SIGILL) and the userland utilities, with PATH=/work/bin. Where the behaviour is POSIX,
// stdout and the exit status are compared with what dash (/bin/sh on this machine) does with the
// same commands; the rest checks exact output, messages and files.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));
const SH = 'userland/bin/sh.wasm';
const hasDash = spawnSync('dash', ['-c', 'exit 0']).status === 0;
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

type Result = { code: number | null; stdout: string; stderr: string };

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'webmach-sh-'));
  const bin = join(tmp, 'bin');
  mkdirSync(bin);
  for (const f of readdirSync(join(ROOT, 'userland/bin'))) {
    if (f.endsWith('.wasm')) copyFileSync(join(ROOT, 'userland/bin', f), join(bin, f.slice(0, -5)));
  }
  copyFileSync(join(ROOT, 'test/programs/hello.wasm'), join(bin, 'hello'));
  copyFileSync(join(ROOT, 'test/programs/exit7.wasm'), join(bin, 'exit7'));
  copyFileSync(join(ROOT, 'test/programs/trap.wasm'), join(bin, 'trapper'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const util = (name: string) => existsSync(join(ROOT, 'userland/bin', name + '.wasm'));

/** The shell under webmach: ARGS after sh.wasm; PATH=/work/bin unless opts.path says otherwise. */
function sh(args: string[], opts: { input?: string; env?: string[]; path?: string | null } = {}): Result {
  const env = opts.path === null ? [] : ['--env', `PATH=${opts.path ?? '/work/bin'}`];
  for (const e of opts.env ?? []) env.push('--env', e);
  const r = spawnSync(process.execPath, [BIN, 'run', '--dir', tmp + '::/work', ...env, SH, ...args], {
    cwd: ROOT, encoding: 'utf8', input: opts.input ?? '', timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const c = (script: string, opts: { input?: string; env?: string[]; path?: string | null } = {}) => sh(['-c', script], opts);

/** dash -c SCRIPT in the test directory. */
function dash(script: string, input = ''): Result {
  const r = spawnSync('dash', ['-c', script], { cwd: tmp, encoding: 'utf8', input, timeout: 30_000, env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Snippets whose stdout and status must be dash's (no paths, no backslashes in echo, no printf).
const POSIX_CASES: string[] = [
  'echo hello   world; echo "a  b"',
  'echo $((1+2*3)) $((10/3)) $((10%3)) $((-7/2)) $((-7%2)) $(( (1+2)*3 ))',
  'echo $((1<2)) $((2<=1)) $((3>2)) $((3>=4)) $((2==2)) $((2!=2)) $((!0)) $((~0))',
  'echo $((0x10)) $((010)) $((1<<4)) $((7&3)) $((7|8)) $((6^3)) $(( 1 ? 2 : 3 )) $(( 0 && 1/0 )) $(( 1 || 1/0 ))',
  'x=10; echo $((x * 2)) $(( x += 5 )) $x $((x)) $(( $x - 1 ))',
  'x=5; echo "x is $x" \'single $x\' \\$x a\\ b "c\\"d"',
  'a="1 2   3"; for w in $a; do echo "[$w]"; done; for w in "$a"; do echo "[$w]"; done',
  'set -- a "b c" d; echo $#; for x in "$@"; do echo "<$x>"; done; for x in $@; do echo "<$x>"; done; for x in "$*"; do echo "<$x>"; done',
  'set --; for x in "$@"; do echo "<$x>"; done; echo n=$#; set -- "" ""; echo $#',
  'x=""; set -- $x; echo $#; set -- "$x"; echo $#; set -- \'\'"$x"; echo $#',
  'IFS=:; x="a:b::c:"; for w in $x; do echo "[$w]"; done',
  'IFS=" :"; x=" a : b :c"; for w in $x; do echo "[$w]"; done; x=" :b"; set -- $x; echo $#',
  'IFS=,; set -- "a,b" c; echo "$*"; IFS=; echo "$*"',
  'x=; echo "${x:-default}" "${x-unset}" "${y:-dy}" "${y-uy}"; echo ${z:=zz} $z',
  'x=hello; echo ${#x} ${x%l*} ${x%%l*} ${x#*l} ${x##*l}; v=abcdef; echo ${v#a*c} ${v%d*} "${v}s"',
  'x=abc; echo ${x:+alt} ${nope:+alt}end; echo ${x:-"a b"} "${u:-"c d"}"',
  'f() { echo "$# $1"; }; f one two; f() { return 4; }; f; echo $?',
  '! true; echo $?; ! false; echo $?; true | false; echo $?; false | true; echo $?',
  'true && echo and1; false && echo and2; false || echo or1; true || echo or2',
  'if true; then echo t; else echo f; fi; if false; then echo t; elif true; then echo elif; else echo f; fi',
  'i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done; until [ $i -eq 0 ]; do i=$((i-1)); echo u$i; done',
  'for i in 1 2 3 4 5; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done',
  'for i in a b; do for j in 1 2 3; do if [ $j = 2 ]; then continue 2; fi; echo $i$j; done; done; for i in x y; do while :; do break 2; done; done; echo out',
  'while false; do :; done; echo $?; for x; do echo $x; done; echo none',
  'case hello in h*o) echo glob;; *) echo no;; esac; case x.c in *.h|*.c) echo source;; esac; case "a b" in "a b") echo quoted;; esac',
  'x=\'*\'; case abc in $x) echo unquoted;; esac; case abc in "$x") echo bad;; *) echo quoted;; esac; case foo in (foo) echo paren;; esac; case z in a) ;; esac; echo $?',
  '{ echo a; echo b; } | while read l; do echo "got $l"; done',
  'echo a b c | { read x y; echo "$y"; }; echo "a  b  c" | { read x; echo "[$x]"; }; echo " a b " | { read -r x y z; echo "[$x][$y][$z]"; }',
  'x=1; (x=2; echo in $x; exit 3); echo out $x $?; { x=4; }; echo $x',
  'echo $(echo a; echo b) "$(echo c; echo; echo)"x; x=$(echo one two); echo "$x"; echo "$(echo "inner quotes")"',
  'echo `echo back` "`echo q`"; x=$(false); echo $?; x=$(exit 3); echo $?',
  'x=1; f() { echo "in f $x"; }; echo $(f) $(echo $x) $( x=2; echo $x ) $x',
  'f() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(f $(( $1 - 1 ))) )); fi; }; f 5',
  'HOME=/h; echo ~ ~/a "~" x~; y=~/b:~/c; echo $y',
  'HOME=/h; cat() { while read -r l; do echo "$l"; done; }; cat <<EOF\nhere $HOME $((1+1))\nEOF\ncat <<\'EOF\'\nhere $HOME\nEOF\ncat <<-EOF\n\ttab stripped\n\tEOF',
  'echo one; exit 3; echo two',
  'false; echo $?; true; echo $?; (exit 5); echo $?',
  'f() { local x=2; echo $x; }; x=1; f; echo $x; g() { x=3; }; g; echo $x',
  'set -e; false; echo notreached',
  'set -e; false || true; echo reached; if false; then :; fi; ! true; echo reached2; (false); echo notreached',
  'set -e; f() { false; echo no; }; f; echo notreached',
  'set -u; echo ${undefined_var}; echo notreached',
  'echo ${undefined_var?custom message}; echo notreached',
  'a=1 b=2; echo $a $b; x=1; x=2 eval \'echo $x\'; echo $x',
  'eval \'echo $((2+3))\'; eval "x=7"; echo $x; eval "for i in 1 2; do echo e\\$i; done"',
  'set -- 1 2 3 4; shift; echo $*; shift 2; echo $*; shift; echo $#',
  'set -- a b; echo "$1" "${2}" "${3:-none}"; set a b c; echo ${3} $#',
  'echo \'multi\nline\'; x="a\nb"; echo "$x"',
  'for i in 1 2; do echo $i; done | while read n; do echo "n=$n"; done',
  'unset x; x=5; unset x; echo "[${x-unset}]"; f() { echo f; }; unset -f f; f 2>/dev/null; echo $?',
  'readonly r=1; r=2; echo $r',
  'echo "${x:-$(echo cmd)}" $(( 1 + $(echo 2) )); echo ${x=$(echo set)}; echo $x',
  'test -n "x" && echo yes; test -z "" && echo empty; [ a = a ] && echo eq; [ 1 -lt 2 ] && echo lt; [ ! -d /nonexistent ] && echo nodir; [ -d / ] && echo dir',
  '[ "a" = "b" -o "c" = "c" ] && echo or; [ "a" = "a" -a "b" = "c" ] || echo and; [ 2 -gt 10 ]; echo $?; [ abc ]; echo $?; [ "" ]; echo $?',
  'echo -n no newline; echo; echo a\'b\'"c"d "a\'b\'c" \'a"b"c\'',
  'echo \\# not a comment # a comment\necho x#y ${#}',
  'trap \'echo bye $?\' EXIT; echo main; exit 4',
  'f() { return; }; false; f; echo $?; g() { return 3; echo no; }; g; echo $?',
  'i=0; while true; do i=$((i+1)); if [ $i -gt 3 ]; then break; fi; done; echo $i',
  'x="*"; echo "$x"; set -f; echo $x',
  'f() { shift; echo "$@"; }; f a b c; echo "$@"; echo "${#x}" ${#nope}',
  'w="hello world"; set -- $w; echo $2',
  'echo $(( 5 > 3 )); echo $((1/0)); echo after',
  'x=$(echo a; exit 3); echo "$x $?"; echo "$(echo "$(echo deep)")"',
  'x=$(case a in a) echo A;; (b) echo B;; esac); echo "$x"; y=$(if true; then case q in q) echo Q;; esac; fi); echo $y $(echo case; echo ")")',
  'x=$(echo a; exit 3); echo "$x $?"; v=$(printf_missing 2>/dev/null); echo "[$v] $?"',
  'set -- -a -b val -c rest; while getopts "ab:c" o; do echo "$o ${OPTARG-}"; done; shift $((OPTIND-1)); echo "$*"',
  'OPTIND=1; while getopts ":b:" o -x -b; do echo "$o $OPTARG"; done; echo $OPTIND',
];

describe('sh: POSIX behaviour, compared with dash', () => {
  it.skipIf(!hasDash).each(POSIX_CASES)('%s', (script) => {
    const want = dash(script);
    const got = c(script);
    expect(got.stdout).toBe(want.stdout);
    expect(got.code).toBe(want.code);
  });
});

describe('sh: invocation', () => {
  it('sh -c COMMANDS NAME ARGS sets $0 and the positional parameters', () => {
    const r = sh(['-c', 'echo "$0|$#|$1|$2"', 'myname', 'a b', 'c']);
    expect(r).toEqual({ code: 0, stdout: 'myname|2|a b|c\n', stderr: '' });
  });

  it('runs a script file with arguments ($0 is the file) and exits with its status', () => {
    writeFileSync(join(tmp, 's.sh'), 'echo "$0 $# $1"\nif true; then\n  echo two\nfi\nexit 9\necho no\n');
    expect(sh(['/work/s.sh', 'x', 'y'])).toEqual({ code: 9, stdout: '/work/s.sh 2 x\ntwo\n', stderr: '' });
  });

  it('reads commands from standard input when it is not a terminal, line by line', () => {
    // `read` gets the line after its own: the shell reads no further than the command it runs.
    const r = sh([], { input: 'read x\nhello there\necho "got $x"\nexit 4\necho no\n' });
    expect(r).toEqual({ code: 4, stdout: 'got hello there\n', stderr: '' });
    const s = sh(['-s', 'a', 'b'], { input: 'echo "$# $1 $2"\n' });
    expect(s.stdout).toBe('2 a b\n');
  });

  it('reads a script from a file on standard input without consuming what programs read', () => {
    writeFileSync(join(tmp, 'in.txt'), 'read a\nfirst\nsh -c "read b; echo b=\\$b"\nsecond\necho "a=$a"\n');
    const r = c('sh < /work/in.txt');
    expect(r).toEqual({ code: 0, stdout: 'b=second\na=first\n', stderr: '' });
  });

  it('reports a missing script (127) and a bad option (2)', () => {
    const r = sh(['/work/nope.sh']);
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('sh: /work/nope.sh: No such file or directory\n');
    const o = sh(['-Q']);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^sh: invalid option: -Q\nusage: sh /);
  });

  it('starts with PATH=/bin:/usr/bin when it is unset, and exports the environment it was given', () => {
    expect(c('echo $PATH', { path: null }).stdout).toBe('/bin:/usr/bin\n');
    expect(c('echo $GREETING; sh -c "echo child \\$GREETING"', { env: ['GREETING=hi'] }).stdout).toBe('hi\nchild hi\n');
  });
});

describe('sh: syntax errors', () => {
  it('stops a -c string or script with 2 and the message, after running what came before', () => {
    const r = c('echo a\necho b; )\necho c');
    expect(r).toEqual({ code: 2, stdout: 'a\n', stderr: "sh: line 2: syntax error near unexpected token ')'\n" });
    writeFileSync(join(tmp, 'bad.sh'), 'echo one\nif then\necho two\n');
    const s = sh(['/work/bad.sh']);
    expect(s).toEqual({ code: 2, stdout: 'one\n', stderr: "sh: line 2: syntax error near unexpected token 'then'\n" });
  });

  it('names the token or the end of file', () => {
    expect(c('echo x |').stderr).toBe('sh: line 1: syntax error: unexpected end of file\n');
    expect(c('echo "open').stderr).toBe('sh: line 1: syntax error: unexpected end of file\n');
    expect(c('if true; then echo; fi fi').stderr).toBe("sh: line 1: syntax error near unexpected token 'fi'\n");
    expect(c('echo a;; echo b').stderr).toBe("sh: line 1: syntax error near unexpected token ';;'\n");
    expect(c('for 1 in a; do :; done').code).toBe(2);
  });

  it('in eval and command substitution fails that command with 2', () => {
    const r = c('x=$(if); echo "[$x] $?"');
    expect(r.stdout).toBe('[] 2\n');
    expect(r.stderr).toBe('sh: line 1: syntax error: unexpected end of file\n');
  });
});

describe('sh: programs', () => {
  it('runs programs found on PATH or by path, with their arguments and exit status', () => {
    const r = c('hello 3 "a b"; echo "st=$?"; /work/bin/exit7; echo "st=$?"');
    expect(r.stdout).toBe('hello from webmach\nargc=3\nargv[0]=hello\nargv[1]=3\nargv[2]=a b\nclock ok\nrandom ok\nst=3\nexit7\nst=7\n');
    expect(r.stderr).toBe('hello: stderr works\n');
    expect(r.code).toBe(0);
  });

  it('says not found (127) and cannot run (126)', () => {
    writeFileSync(join(tmp, 'bin', 'binary'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    const r = c('nosuch; echo $?; /work/bin/nosuch; echo $?; /work/bin; echo $?; binary; echo $?');
    expect(r.stdout).toBe('127\n127\n126\n126\n');
    expect(r.stderr).toBe('sh: nosuch: not found\nsh: /work/bin/nosuch: not found\nsh: /work/bin: Permission denied\nsh: binary: cannot execute binary file\n');
  });

  it('runs a text file that is not a WASI program as a shell script (found as sh on PATH)', () => {
    writeFileSync(join(tmp, 'bin', 'myscript'), '#!/bin/sh\necho "script $# $1"\nexit 5\n');
    const r = c('myscript arg; echo "st=$?"');
    expect(r).toEqual({ code: 0, stdout: 'script 1 arg\nst=5\n', stderr: '' });
  });

  it('gives 128+N for a program ended by signal N', () => {
    const r = c('trapper; echo "st=$?"');
    expect(r.stdout).toBe('before trap\nst=132\n');
  });

  it('passes exported variables and prefix assignments to programs, prefix assignments only to them', () => {
    const r = c('A=1 sh -c "echo A=\\$A"; echo "A=[$A]"; B=2; sh -c "echo B=[\\$B]"; export B; sh -c "echo B=\\$B"; unset B; sh -c "echo B=[\\$B]"');
    expect(r.stdout).toBe('A=1\nA=[]\nB=[]\nB=2\nB=[]\n');
  });

  it('exec CMD runs it and exits with its status', () => {
    expect(c('exec exit7; echo no')).toEqual({ code: 7, stdout: 'exit7\n', stderr: '' });
    expect(c('(exec sh -c "exit 3"; echo no); echo "sub $?"').stdout).toBe('sub 3\n');
  });
});

describe('sh: pipelines', () => {
  it('connects programs, returns the status of the last, negates with !', () => {
    const r = c('echo a b | sh -c "read x y; echo \\$y"; echo one two | sh -c "read x; echo \\$x" | sh -c "read y; echo got \\$y"; exit7 | sh -c "exit 0"; echo $?; sh -c "exit 0" | exit7; echo $?; ! exit7; echo $?');
    expect(r.stdout).toBe('b\ngot one two\n0\nexit7\n7\nexit7\n0\n');
  });

  it('runs builtins and compound commands as elements, in a subshell', () => {
    const r = c('x=1; echo a | { read x; echo "in $x"; }; echo "out $x"; echo z | exit 3; echo $?; hello 1 | while read l; do echo "> $l"; done | sh -c "read a; read b; echo \\"\\$b\\""');
    expect(r.stdout).toBe('in a\nout 1\n3\n> argc=2\n');
  });

  it('moves more than a pipe holds between elements the shell runs itself, without blocking', () => {
    const r = c('{ i=0; while [ $i -lt 4000 ]; do echo "line $i $L"; i=$((i+1)); done; } | { n=0; while read l x; do n=$((n+1)); last="$l $x"; done; echo "$n $last"; }', { env: [`L=${'x'.repeat(100)}`] });
    expect(r).toEqual({ code: 0, stdout: `4000 line 3999 ${'x'.repeat(100)}\n`, stderr: '' }); // 440 kB
  });

  it.skipIf(!util('cat'))('... and through a program between two such elements', () => {
    const s = c('{ i=0; while [ $i -lt 4000 ]; do echo "line $i $L"; i=$((i+1)); done; } | cat | { n=0; while read l; do n=$((n+1)); done; echo "$n"; }', { env: [`L=${'x'.repeat(100)}`] });
    expect(s).toEqual({ code: 0, stdout: '4000\n', stderr: '' });
  });

  // The shell runs these elements itself: a reader that goes away must end only the element (as
  // SIGPIPE ends a subshell), not the shell.
  it('ends a shell element writing to a pipe whose reader goes away, as SIGPIPE would', () => {
    const r = c('while :; do echo y; done | sh -c "read a; echo \\$a"; echo "st=$?"');
    expect(r).toEqual({ code: 0, stdout: 'y\nst=0\n', stderr: '' });
  });

  it.skipIf(!util('sleep'))('... and one whose reader has already gone', () => {
    const r = c('{ sleep 1; echo y; echo not reached >&2; } | sh -c "exit 0"; echo "st=$?"; { sleep 1; echo y; } | sh -c "exit 0" | sh -c "exit 4"; echo "st=$?"');
    expect(r).toEqual({ code: 0, stdout: 'st=0\nst=4\n', stderr: '' });
  });

  it.skipIf(!util('head') || !util('yes') || !util('seq') || !util('sort'))('with the userland utilities', () => {
    const r = c('yes | head -2; seq 3 | sort -r | { read a; read b; echo "$a $b"; }; seq 5 | while read n; do echo "n=$n"; done | tail -1');
    expect(r.stdout).toBe('y\ny\n3 2\nn=5\n');
  });
});

describe('sh: redirections', () => {
  it('> >> < on programs and builtins', () => {
    const r = c('echo hi > /work/o.txt; echo more >> /work/o.txt; sh -c "read a; read b; echo \\$a+\\$b" < /work/o.txt; read x < /work/o.txt; echo $x');
    expect(r.stdout).toBe('hi+more\nhi\n');
    expect(readFileSync(join(tmp, 'o.txt'), 'utf8')).toBe('hi\nmore\n');
  });

  it('2> 2>&1 >&2 and their order', () => {
    const r = c('hello x 2>/work/err.txt >/dev/null; hello x 2>&1 >/dev/null | sh -c "read l; echo piped: \\$l"; echo to-err >&2');
    expect(r.stdout).toBe('piped: hello: stderr works\n');
    expect(r.stderr).toBe('to-err\n');
    expect(readFileSync(join(tmp, 'err.txt'), 'utf8')).toBe('hello: stderr works\n');
    const s = c('{ echo out; echo err >&2; } > /work/both.txt 2>&1');
    expect(s.stdout).toBe('');
    expect(readFileSync(join(tmp, 'both.txt'), 'utf8')).toBe('out\nerr\n');
  });

  it('n>file, <&- and exec redirections', () => {
    const r = c('6>/work/six.txt sh -c "echo six >&6"; exec 7>/work/seven.txt; echo via7 >&7; hello 1 >&7 2>/dev/null; exec 7>&-; echo x >&7; echo "st=$?"; sh -c "read x; echo [\\$x]" <&-');
    expect(readFileSync(join(tmp, 'six.txt'), 'utf8')).toBe('six\n');
    expect(readFileSync(join(tmp, 'seven.txt'), 'utf8')).toMatch(/^via7\nhello from webmach\n/);
    expect(r.stdout).toBe('st=1\n[]\n');
    expect(r.stderr).toBe('sh: 7: Bad file descriptor\n');
  });

  it('on compound commands, restored afterwards', () => {
    const r = c('for i in 1 2; do echo $i; done > /work/loop.txt; while read l; do echo "r$l"; done < /work/loop.txt; if true; then echo if; fi >> /work/loop.txt; f() { echo f; }; f > /work/f.txt; echo end');
    expect(r.stdout).toBe('r1\nr2\nend\n');
    expect(readFileSync(join(tmp, 'loop.txt'), 'utf8')).toBe('1\n2\nif\n');
    expect(readFileSync(join(tmp, 'f.txt'), 'utf8')).toBe('f\n');
  });

  it('reports a file that cannot be opened and fails only that command (status 1)', () => {
    const r = c('echo a > /work/no/dir/f; echo "st=$?"; sh -c "exit 0" < /work/nope; echo "st=$?"; { echo b; } < /work/nope; echo "st=$?"');
    expect(r.stdout).toBe('st=1\nst=1\nst=1\n');
    expect(r.stderr).toBe('sh: /work/no/dir/f: No such file or directory\nsh: /work/nope: No such file or directory\nsh: /work/nope: No such file or directory\n');
  });

  it('here-documents for programs and builtins', () => {
    const r = c('x=3; sh -c "read a; read b; echo \\"\\$a|\\$b\\"" <<EOF\nv$((x+1)) $x\n`echo q` \\$x\nEOF\nread y <<\'E\'\n$x raw\nE\necho "$y"');
    expect(r.stdout).toBe('v4 3|q $x\n$x raw\n');
  });

  it('a data file read line by line leaves the offset after each line for programs', () => {
    writeFileSync(join(tmp, 'five.txt'), '1\n2\n3\n4\n5\n');
    const r = c('{ read a; sh -c "read b; echo b=\\$b"; read c; echo "a=$a c=$c"; } < /work/five.txt; exec < /work/five.txt; read x; sh -c "read y; echo y=\\$y"; read z; echo "x=$x z=$z"');
    expect(r.stdout).toBe('b=2\na=1 c=3\ny=2\nx=1 z=3\n');
  });
});

describe('sh: expansions', () => {
  it('pathname expansion, sorted; a pattern matching nothing stays; quoted patterns do not expand', () => {
    for (const f of ['b.txt', 'a.txt', 'c.log', '.hidden.txt']) writeFileSync(join(tmp, f), '');
    const r = c('echo /work/*.txt; cd /work; echo *.txt ?.log [ab].txt; echo none*; echo "*.txt" \'*\'; x="*.log"; echo $x "$x"; set -f; echo *.txt');
    expect(r.stdout).toBe('/work/a.txt /work/b.txt\na.txt b.txt c.log a.txt b.txt\nnone*\n*.txt *\nc.log *.log\n*.txt\n');
  });

  it('command substitution sees the shell\'s variables and functions; large output comes back whole', () => {
    const r = c('x=1; f() { echo "f$1"; }; y=$(f $x; echo $x); echo $y; big=$(i=0; while [ $i -lt 5000 ]; do echo 0123456789abcdefghijklmnopqrstuvwxyz; i=$((i+1)); done); echo ${#big}');
    expect(r.stdout).toBe('f1 1\n184999\n');
  });

  it('command substitution of programs, with the status in $?', () => {
    const r = c('x=$(hello 1 2>/dev/null | sh -c "read a; read b; echo \\$b"); echo "[$x] $?"; y=$(exit7); echo "[$y] $?"');
    expect(r.stdout).toBe('[argc=2] 0\n[exit7] 7\n');
  });

  it('~ is $HOME', () => {
    expect(c('echo ~ ~/x', { env: ['HOME=/home/u'] }).stdout).toBe('/home/u /home/u/x\n');
  });
});

describe('sh: background jobs', () => {
  it('cmd & runs without waiting; $! and wait PID give its status', () => {
    const r = c('sh -c "exit 3" & p=$!; echo started; wait $p; echo "waited $?"; exit7 & wait $!; echo "st=$?"');
    expect(r).toEqual({ code: 0, stdout: 'started\nwaited 3\nexit7\nst=7\n', stderr: '' });
  });

  it.skipIf(!util('sleep'))('jobs lists running jobs; wait with no operand waits for all', () => {
    const r = c('sleep 1 & sleep 1 & jobs; wait; echo "st=$?"; jobs; echo end');
    expect(r.stdout).toBe('[1]-  Running                 sleep 1 &\n[2]+  Running                 sleep 1 &\nst=0\nend\n');
  });

  it.skipIf(!util('sleep'))('a finished job keeps its status for wait; a pid not a child gives 127', () => {
    const r = c('exit7 & p=$!; sh -c "exit 0"; sleep 2; jobs; wait $p; echo "st=$?"; wait 99999; echo "st=$?"');
    expect(r.stdout).toBe('exit7\n[1]+  Done                    exit7\nst=7\nst=127\n');
    expect(r.stderr).toBe('sh: wait: pid 99999 is not a child of this shell\n');
  });

  it('a background list the shell runs itself is finished at once, recorded as a job', () => {
    const r = c('{ echo grp; exit 4; } & wait $!; echo "st=$?"');
    expect(r.stdout).toBe('grp\nst=4\n');
  });

  it('a background program reads /dev/null, not the shell\'s input', () => {
    const r = c('sh -c "read x; echo [\\$x]" & wait', { input: 'typed\n' });
    expect(r.stdout).toBe('[]\n');
  });
});

describe('sh: builtins', () => {
  it('cd and pwd: cd alone goes to $HOME, cd - to $OLDPWD; PWD and OLDPWD follow', () => {
    mkdirSync(join(tmp, 'd', 'e'), { recursive: true });
    const r = c('cd /work/d; pwd; cd e; pwd; echo "$PWD $OLDPWD"; cd ..; pwd; cd -; cd; pwd; cd /nonexistent; echo "st=$?"', { env: ['HOME=/work'] });
    expect(r.stdout).toBe('/work/d\n/work/d/e\n/work/d/e /work/d\n/work/d\n/work/d/e\n/work\nst=1\n');
    expect(r.stderr).toBe('sh: cd: /nonexistent: No such file or directory\n');
    expect(c('cd; echo $?').stderr).toBe('sh: cd: HOME not set\n');
  });

  it('cd in a subshell does not change the shell\'s directory', () => {
    expect(c('cd /work; (cd /work/bin; pwd); pwd').stdout).toBe('/work/bin\n/work\n');
  });

  it('exit N, exit with the last status, a bad exit argument', () => {
    expect(c('exit 300').code).toBe(44);
    expect(c('exit7; exit').code).toBe(7);
    expect(c('exit foo')).toEqual({ code: 2, stdout: '', stderr: 'sh: exit: foo: numeric argument required\n' });
  });

  it('export, unset, readonly and set print variables to be read back', () => {
    const r = c('export A=1 B="x y"; export -p | while read -r l; do case $l in *" A="*|*" B="*) echo "$l";; esac; done; Q="it\'s"; set | while read -r l; do case $l in Q=*) echo "$l";; esac; done');
    expect(r.stdout).toBe("export A='1'\nexport B='x y'\nQ='it'\\''s'\n");
  });

  it('read: IFS splitting, -r, the last variable taking the rest, 1 at end of file', () => {
    const r = c('read a b c; echo "[$a][$b][$c]"; IFS=: read x y; echo "[$x][$y]"; read -r l; echo "[$l]"; read l; echo "[$l]"; read e; echo "st=$? [$e]"', {
      input: '  one two three four  \nk:v:w\nback\\slash\ncont\\\ninued\n',
    });
    expect(r.stdout).toBe('[one][two][three four]\n[k][v:w]\n[back\\slash]\n[continued]\nst=1 []\n');
  });

  it('. and source run a file in the shell, with arguments; return leaves it', () => {
    writeFileSync(join(tmp, 'lib.sh'), 'libvar="set by lib $1"\nlibf() { echo "libf $*"; }\nreturn 3\necho no\n');
    const r = c('. /work/lib.sh arg; echo "$? $libvar"; libf a b; source /work/lib.sh; echo "$# $libvar"');
    expect(r.stdout).toBe('3 set by lib arg\nlibf a b\n0 set by lib \n');
  });

  it('echo -n -e -E as GNU echo', () => {
    expect(c('echo -n a; echo -e "b\\tc\\n"; echo -E "d\\te"; echo -nx; echo -- -n').stdout).toBe('ab\tc\n\nd\\te\n-nx\n-- -n\n');
  });

  it('set -x traces commands on stderr; set -- replaces the positional parameters', () => {
    const r = c('set -x; x=1; echo $x; A=2 true; set +x; set -- p q; echo "$# $2"');
    expect(r.stdout).toBe('1\n2 q\n');
    expect(r.stderr).toBe('+ x=1\n+ echo 1\n+ A=2 true\n+ set +x\n');
  });

  it('type and command -v tell builtins, functions and programs apart', () => {
    const r = c('f() { :; }; command -v echo f hello; type cd f hello nosuch; echo "st=$?"');
    expect(r.stdout).toBe('echo\nf\n/work/bin/hello\ncd is a shell builtin\nf is a function\nhello is /work/bin/hello\nst=1\n');
    expect(r.stderr).toBe('sh: nosuch: not found\n');
  });

  it('trap EXIT runs at exit, with the exit status', () => {
    expect(c('trap "echo bye \\$?" EXIT; echo main; sh -c "exit 6"')).toEqual({ code: 6, stdout: 'main\nbye 6\n', stderr: '' });
  });

  it('true, false, : and return/break/continue statuses', () => {
    expect(c('true; echo $?; false; echo $?; : ignored; echo $?; f() { return 5; }; f; echo $?').stdout).toBe('0\n1\n0\n5\n');
  });
});

describe.skipIf(!hasScript || !util('sleep'))('sh: interactive', () => {
  it('prompts on stderr, continues lines with PS2, survives syntax errors and reports finished jobs', () => {
    const cmd = `${process.execPath} ${BIN} run --dir ${tmp}::/work --env PATH=/work/bin ${SH}`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      cwd: ROOT, encoding: 'utf8', timeout: 30_000,
      input: 'echo hi\nif true\nthen echo cont\nfi\necho a; )\nsleep 0.2 &\nsleep 2\necho after\nx=7; PS1="[$x]# "\nexit 3\n',
    });
    const out = r.stdout.replace(/\r/g, '');
    expect(out).toContain('$ hi\n');
    expect(out).toContain('$ > > cont\n');
    expect(out).toContain("$ sh: line 5: syntax error near unexpected token ')'\n");
    expect(out).toMatch(/\$ \[1\] \d+\n/);
    expect(out).toContain('[1]+  Done                    sleep 0.2\n');
    expect(out).toContain('$ after\n');
    expect(out).toMatch(/\[7\]# $/); // PS1 is expanded
    expect(r.status).toBe(3);
  });
});
