// `webmach sh` as a user meets it: the system's shell and programs from the boot image's /bin, with
// the run options; the process view at /proc and the programs that read and signal it (ps, kill)
// or list its Mach names (lsmp, /proc/PID/ports);
// scripts with "#!" run through their interpreter; a mounted directory is where the shell starts;
// on a terminal: webmach's line discipline, termios and job control, as a user types at them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function sh(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'sh', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'webmach-system-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('webmach sh', () => {
  it("runs a command line with the system's programs: echo hi | wc -c prints 3", () => {
    expect(sh('-c', 'echo hi | wc -c')).toEqual({ code: 0, stdout: '3\n', stderr: '' });
  });

  it('gives the shell its arguments, PATH and HOME, and its exit status', () => {
    const r = sh('-c', 'echo "$PATH $HOME $0 $1"; exit 4', 'name', 'one');
    expect(r.stdout).toBe('/bin / name one\n');
    expect(r.code).toBe(4);
  });

  it('starts in the directory mounted with --dir, where programs see the host files', () => {
    writeFileSync(join(tmp, 'notes.txt'), 'b\na\nc\n');
    const r = sh('--dir', `${tmp}::/work`, '-c', 'pwd; ls; sort notes.txt | head -2; cd /tmp && pwd');
    expect(r).toEqual({ code: 0, stdout: '/work\nnotes.txt\na\nb\n/tmp\n', stderr: '' });
  });

  it('runs a script file, and a "#!" script through its interpreter with the script and its arguments', () => {
    writeFileSync(join(tmp, 'greet'), '#!/bin/sh\necho "hello $1 from $0"\nexit 3\n');
    chmodSync(join(tmp, 'greet'), 0o755);
    writeFileSync(join(tmp, 'plain.sh'), 'echo plain "$@"\n');
    const r = sh('--dir', `${tmp}::/work`, '-c', './greet you; echo status=$?; sh plain.sh a b');
    // The script's path as the system resolved it (Linux passes it as given: ./greet)
    expect(r).toEqual({ code: 0, stdout: 'hello you from /work/greet\nstatus=3\nplain a b\n', stderr: '' });
  });

  it('refuses an unknown webmach option before the shell and passes the rest to it', () => {
    expect(sh('--dir').code).toBe(2);
    expect(sh('-c', 'exit 0', '--dir', 'x').code).toBe(0); // after -c everything is the shell's
  });
});

describe('processes: /proc, ps and kill', () => {
  it('/proc names each process with its stat line and command line, read-only', () => {
    const r = sh('-c', 'cat /proc/$$/stat; tr "\\0" " " < /proc/$$/cmdline; echo; echo x > /proc/$$/stat');
    expect(r.stdout).toBe('1 (sh) R 0 1\nsh -c cat /proc/$$/stat; tr "\\0" " " < /proc/$$/cmdline; echo; echo x > /proc/$$/stat \n');
    expect(r.stderr).toMatch(/Read-only file system/);
    expect(r.code).toBe(1);
  });

  it('ps lists the running processes, -f with their command lines; -p of no process exits 1', () => {
    const r = sh('-c', 'sleep 5 & ps; ps -f -p $!; kill $!; ps -p 999; echo $?');
    expect(r.stdout).toMatch(/^ {4}PID TTY {6}STAT COMMAND\n {6}1 console  R {4}sh\n {6}2 console  R {4}sleep\n {6}3 console  R {4}ps\n/);
    expect(r.stdout).toContain('UID          PID    PPID    PGID STAT CMD\nroot           2       1       1 R    sleep 5\n');
    expect(r.stdout.endsWith('    PID TTY      STAT COMMAND\n1\n')).toBe(true);
  });

  it('kill sends SIGTERM by default, or the signal named; wait shows 128+N; errors name the pid', () => {
    const r = sh('-c', 'sleep 5 & kill $!; wait $!; echo $?; sleep 5 & kill -s KILL $!; wait $!; echo $?; ' +
      'sleep 5 & kill -INT $!; wait $!; echo $?; kill -l 143; kill 99999; echo $?');
    expect(r.stdout).toBe('143\n137\n130\nTERM\n1\n');
    expect(r.stderr).toBe('kill: (99999): No such process\n');
  });

  it('lsmp and /proc/PID/ports: only the header for processes that never used Mach; a pid of no process is status 1', () => {
    const header = 'name        ipc-object  rights      urefs  reqs  msgcount  qlimit  mscount  receiver  object\n';
    const r = sh('-c', 'cat /proc/$$/ports; lsmp; lsmp -p $$; lsmp -p 99999; echo $?; lsmp -p x; echo $?');
    expect(r.stdout).toBe(`${header}Process (3) : lsmp\n${header}Process (1) : sh\n${header}1\n2\n`);
    expect(r.stderr).toBe("lsmp: no process with pid 99999\nlsmp: invalid pid 'x'\nUsage: lsmp [-a | -p PID]\nTry 'lsmp --help' for more information.\n");
  });

  it('webmach run of a program with Mach names: lsmp -p and cat /proc/1/ports list them', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', '--dir', 'test/programs/posix::/progs', 'test/programs/posix/lsmp_subject.wasm', '/progs/lsmp_subject.wasm'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, input: '' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok /proc/PID/ports is the listing after its first line\n');
    expect(r.stdout).toMatch(/^Process \(1\) : lsmp_subject\.wasm\nname {8}ipc-object/m);
    expect(r.stdout).toMatch(/^0x00000103 {2}0x[0-9a-f]{8} {2}send {12}1 {2}--- {10}- {7}- {8}- {2}kernel {4}TASK \(1\)$/m);
    expect(r.stdout.endsWith('\n0 failures\n')).toBe(true);
  });

  it('kill -0 tests that a process exists; a bad signal name is a usage error', () => {
    const r = sh('-c', 'kill -0 $$; echo $?; kill -s NOPE 1; echo $?');
    expect(r.stdout).toBe('0\n2\n');
    expect(r.stderr).toBe('kill: unknown signal: NOPE\n');
  });
});

/** An interactive `webmach sh` (or another webmach command) on a pseudo-terminal (util-linux's script): type, wait for what shows, type again. */
class Terminal {
  private out = '';
  private exited: Promise<number | null>;
  private child;

  constructor(command = 'sh') {
    // exec: script runs the command under $SHELL -c, and a shell left waiting in the terminal's
    // foreground group (dash, where SHELL is unset) would take the ^C too and end by it afterwards.
    this.child = spawn('script', ['-qfec', `exec ${process.execPath} ${BIN} ${command}`, '/dev/null'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => (this.out += d.toString().replace(/\r/g, '')));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Wait until the screen has shown `text` `times` times in all (at most 20 s). */
  async shows(text: string, times = 1): Promise<void> {
    for (let i = 0; i < 400 && this.out.split(text).length - 1 < times; i++) await new Promise((r) => setTimeout(r, 50));
    expect(this.out.split(text).length - 1).toBeGreaterThanOrEqual(times);
  }

  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  get screen(): string {
    return this.out;
  }

  end(): Promise<number | null> {
    return this.exited;
  }
}

describe.skipIf(!hasScript)('webmach sh on a terminal', () => {
  it('^C abandons a line at the prompt and ends the foreground command, not the shell (status 130); yes | head -3 prints three lines and ends', async () => {
    const t = new Terminal();
    await t.shows('$ ');
    t.type('echo half');
    await t.shows('echo half');
    t.type('\x03');
    await t.shows('echo half^C\n$ ');
    t.type('sleep 100\n');
    await t.shows('sleep 100\n');
    await new Promise((r) => setTimeout(r, 500));
    t.type('\x03');
    await t.shows('sleep 100\n^C\n$ ');
    t.type('echo back $?\n');
    await t.shows('back 130\n');
    t.type('yes | head -3\n');
    await t.shows('y\ny\ny\n$ ');
    t.type('exit 5\n');
    expect(await t.end()).toBe(5);
    expect(t.screen).not.toContain('y\ny\ny\ny');
    expect(t.screen).not.toContain('half\n'); // the abandoned line never ran
  }, 60_000);

  it('cat ends at ^D and the shell reads on: ^D is an end of file for one read, not for the terminal', async () => {
    const t = new Terminal();
    await t.shows('$ ');
    t.type('cat\r');
    await t.shows('cat\n');
    t.type('some text\r');
    await t.shows('some text\nsome text\n');
    t.type('\x04');
    await t.shows('$ ', 2);
    t.type('echo after $?\r');
    await t.shows('after 0\n$ ');
    t.type('\x04'); // at the prompt: the shell's own end of input
    expect(await t.end()).toBe(0);
  }, 60_000);

  it('^Z stops a command (jobs: Stopped), fg continues it and ^C ends it; bg continues a stopped job in the background', async () => {
    const t = new Terminal();
    await t.shows('$ ');
    t.type('sleep 100\r');
    await t.shows('sleep 100\n');
    await new Promise((r) => setTimeout(r, 500));
    t.type('\x1a');
    await t.shows('^Z\n[1]+  Stopped                 sleep 100\n$ ');
    t.type('echo status $?; jobs\r');
    await t.shows('status 148\n[1]+  Stopped                 sleep 100\n$ ');
    t.type('fg\r');
    await t.shows('fg\nsleep 100\n');
    await new Promise((r) => setTimeout(r, 500));
    t.type('\x03');
    await t.shows('^C\n$ ');
    t.type('echo fg $?; jobs\r');
    await t.shows('fg 130\n$ ');
    t.type('sleep 100\r');
    await t.shows('sleep 100\n', 3);
    await new Promise((r) => setTimeout(r, 500));
    t.type('\x1a');
    await t.shows('[1]+  Stopped                 sleep 100\n$ ', 3);
    t.type('bg\r');
    await t.shows('bg\n[1]+ sleep 100 &\n$ ');
    t.type('jobs\r');
    await t.shows('[1]+  Running                 sleep 100 &\n$ ');
    t.type('kill $!; wait; echo gone\r');
    await t.shows('gone\n$ ');
    t.type('exit 3\r');
    expect(await t.end()).toBe(3);
    expect(t.screen).not.toContain('fg 130\n[1]'); // the job ^C ended is gone
  }, 60_000);

  it('a program on the terminal: termios, the foreground group, line editing, ^D, raw reads, SIGTTIN (test/programs/posix/tty.c)', async () => {
    const t = new Terminal('run --dir test/programs/posix::/progs test/programs/posix/tty.wasm all /progs/tty.wasm');
    const keys: Array<[string, string]> = [['two lines', 'one\rtwo\r'], ['edit', 'ab\x7fc\x15xyz\x7f\r'], ['word', 'foo bar\x17baz\r'], ['eof', '\x04'],
      ['after', 'more\r'], ['partial', 'abc\x04'], ['junk', 'junk\r'], ['kept', 'kept\r'], ['key', 'q'], ['ctrl-c', '\x03']];
    for (const [prompt, typed] of keys) {
      await t.shows(`type: ${prompt}\n`);
      t.type(typed);
    }
    expect(await t.end()).toBe(0);
    const checks = t.screen.split('\n').filter((l) => /^(ok|FAIL) /.test(l));
    expect(checks.filter((l) => !l.startsWith('ok '))).toEqual([]);
    expect(checks).toHaveLength(29);
    expect(t.screen).toContain('type: edit\nab\b \bc\b \b\b \bxyz\b \b\nok'); // echoed and wiped as Linux does
    expect(t.screen.trimEnd().endsWith('0 failures')).toBe(true);
  }, 60_000);
});
