// One booted machine for a describe block's tests, as the tests of programs use it: booted before
// them and shut down after; before each test the captured output cleared; after each, the leak check:
// the census back to what the idle machine held (waiting a while for orphans that are still ending).
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { Machine, type Census } from '../../dist/host/machine.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';

export interface MachineFixture {
  readonly platform: CapturePlatform;
  /** The machine, and its census when it was idle (valid inside the tests). */
  readonly machine: Machine;
  readonly idle: Census;
  /** The census once the machine is idle again (orphans may still be ending when their parent's run returns). */
  settled(): Promise<Census>;
}

export function useMachine(): MachineFixture {
  const platform = new CapturePlatform();
  let machine: Machine | undefined;
  let idle: Census;

  async function settled(): Promise<Census> {
    for (let i = 0; ; i++) {
      const c = await machine!.census();
      if (JSON.stringify(c) === JSON.stringify(idle) || i === 100) return c;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    machine = await Machine.boot(platform, { spareWorkers: 2 });
    idle = await machine.census();
  });
  afterAll(async () => {
    await machine?.shutdown();
  });
  beforeEach(() => platform.clear());
  afterEach(async () => {
    expect(await settled()).toEqual(idle);
  });
  return {
    platform,
    get machine() {
      return machine!;
    },
    get idle() {
      return idle;
    },
    settled,
  };
}
