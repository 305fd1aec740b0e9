// Wait channels (xv6's sleep and wakeup, in the server): a call that cannot complete yet parks on the
// channels of what it waits for (a stream's input or output, later a pipe, a process's children) and
// is tried again only when one of them is woken, when its deadline passes, or never, if its process
// ends or is interrupted (EINTR). Any object can be a channel.

/** What a parked call waits for: any object (a stream's input, a process's children). */
export type Channel = object;

/** The call must wait until one of `channels` is woken, or until `wakeAt` (performance.now() ms). */
export class Blocked {
  constructor(readonly channels: readonly Channel[] = [], readonly wakeAt?: number) {}
}

/** Sleepers by channel; a sleeper on several channels is woken (and taken off all of them) by the first. */
export class WaitChannels<T> {
  private sleepers = new Map<Channel, Set<T>>();
  private channelsOf = new Map<T, readonly Channel[]>();

  sleep(sleeper: T, channels: readonly Channel[]): void {
    this.channelsOf.set(sleeper, channels);
    for (const c of channels) {
      let set = this.sleepers.get(c);
      if (!set) this.sleepers.set(c, (set = new Set()));
      set.add(sleeper);
    }
  }

  /** Take `sleeper` off its channels (it completed, timed out, or its process ended). */
  remove(sleeper: T): void {
    for (const c of this.channelsOf.get(sleeper) ?? []) {
      const set = this.sleepers.get(c);
      set?.delete(sleeper);
      if (set?.size === 0) this.sleepers.delete(c);
    }
    this.channelsOf.delete(sleeper);
  }

  /** Whether anything sleeps on `channel`. */
  has(channel: Channel): boolean {
    return this.sleepers.has(channel);
  }

  /** Every sleeper on `channel`, taken off all its channels. */
  wake(channel: Channel): T[] {
    const woken = [...(this.sleepers.get(channel) ?? [])];
    for (const s of woken) this.remove(s);
    return woken;
  }

  /** The sleepers for which `pick` holds, taken off their channels (a process's calls, to interrupt or drop). */
  take(pick: (sleeper: T) => boolean): T[] {
    const taken = [...this.channelsOf.keys()].filter(pick);
    for (const s of taken) this.remove(s);
    return taken;
  }

  get size(): number {
    return this.channelsOf.size;
  }
}
