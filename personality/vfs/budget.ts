// Budgets: the bounds on what the personality server holds for programs. A Budget counts bytes against a
// limit; a reservation past the limit is refused and takes nothing, and a holder gives back exactly what
// it took when it lets go. tmpfs charges file data and metadata to its own budget and metadata also to
// the server-wide one; open files charge the directory listings they keep (file.ts). The server-wide
// budgets themselves belong to the machine's tree (vfs.ts).

export class Budget {
  private used = 0;

  constructor(readonly limit = Number.POSITIVE_INFINITY) {}

  get bytesUsed(): number {
    return this.used;
  }

  /** Take `bytes`; false (and nothing taken) when that would pass the limit. */
  reserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  free(bytes: number): void {
    this.used -= bytes;
  }
}
