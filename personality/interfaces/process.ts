// What the host asks of the personality server when it starts a process (until fork and spawn move
// process creation into the server): the process's identity, its arguments and environment, the
// frames of machine memory the server shares with it, and the directories to mount and preopen.

export interface MountSpec {
  /** Where the program sees it: an absolute path, or a relative name used only as the preopen's name. */
  guest: string;
  /** A host directory; without it, a fresh empty in-memory directory. */
  host?: string;
  readOnly?: boolean;
}

export interface ProcessSpec {
  task: number;
  pid: number;
  name: string;
  args: string[];
  env: string[];
  /** Machine-memory frames: the message window, the commpage and the process's output ring. */
  window: number;
  commpage: number;
  outputRing: number;
  mounts: MountSpec[];
}
