// Wait channels (personality/bsd/wait.ts): a sleeper is woken only by a channel it sleeps on, once,
// and leaves every other channel it slept on; taking a process's sleepers (to interrupt or drop them)
// leaves nobody behind.
import { describe, expect, it } from 'vitest';
import { WaitChannels } from '../../dist/personality/bsd/wait.js';

describe('wait channels', () => {
  it('wakes only the sleepers of the channel woken, each once, and takes them off their other channels', () => {
    const w = new WaitChannels<string>();
    const input = {};
    const output = {};
    const children = {};
    w.sleep('reader', [input]);
    w.sleep('poller', [input, output]);
    w.sleep('waiter', [children]);
    expect(w.wake(output)).toEqual(['poller']);
    expect(w.wake(input)).toEqual(['reader']); // the poller left the input channel when woken by the output
    expect(w.wake(input)).toEqual([]);
    expect(w.size).toBe(1);
    expect(w.wake(children)).toEqual(['waiter']);
    expect(w.size).toBe(0);
  });

  it('takes the sleepers a process has (interrupt, exit) from every channel; removing one twice is harmless', () => {
    const w = new WaitChannels<{ pid: number }>();
    const a = { pid: 1 };
    const b = { pid: 1 };
    const c = { pid: 2 };
    const chan = {};
    w.sleep(a, [chan]);
    w.sleep(b, [chan, {}]);
    w.sleep(c, [chan]);
    w.sleep({ pid: 1 }, []); // a call waiting only for its deadline
    expect(w.take((s) => s.pid === 1)).toHaveLength(3);
    w.remove(a);
    expect(w.wake(chan)).toEqual([c]);
    expect(w.size).toBe(0);
  });
});
