// How a process ends, as the server reports it to whoever waits for it (the host now, a parent's
// wait4 later), and the status a shell shows for it.

/** Exited with a status (its low 8 bits), or terminated by a signal. */
export type ExitStatus = { code: number } | { signal: number; reason: string };

/** The exit code a shell reports: the status, or 128 + the signal number. */
export function shellCode(status: ExitStatus): number {
  return 'code' in status ? status.code : 128 + status.signal;
}
