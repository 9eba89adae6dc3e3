import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One live process as the OS reports it. */
export interface ProcessInfo {
  /** Parent process id. */
  readonly ppid: number;
  /** Process group id: a shell job, or `npm start` with everything it started. */
  readonly pgid: number;
}

/** Reads one process; undefined when it is gone (or a zombie, which is as good as gone). */
export type ProcessReader = (pid: number) => ProcessInfo | undefined;

/** Reads `/proc/<pid>/stat` on Linux, asks `ps` elsewhere. */
export const readProcess: ProcessReader = (pid) => {
  try {
    // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses, so split after the last `)`.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' ? undefined : { ppid: Number(ppid), pgid: Number(pgid) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return undefined;
    return readWithPs(pid);
  }
};

function readWithPs(pid: number): ProcessInfo | undefined {
  try {
    const [ppid, pgid, state] = execFileSync('ps', ['-o', 'ppid=,pgid=,stat=', '-p', String(pid)], {
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/);
    return state?.startsWith('Z') ? undefined : { ppid: Number(ppid), pgid: Number(pgid) };
  } catch {
    return undefined; // ps exits 1 when there is no such process
  }
}

/**
 * This process and the ones that launched it inside its job (its process group), nearest
 * first: under `npm start`, the server, the tsx CLI, npm's `sh -c` and npm itself. The job's
 * own parent (a login shell, a test runner) is outside it and not included.
 */
export function launcherChain(pid: number, read: ProcessReader = readProcess): number[] {
  const self = read(pid);
  if (!self) return [];
  const chain = [pid];
  for (let parent = self.ppid; parent > 1 && chain.length < 32; ) {
    const info = read(parent);
    if (!info || info.pgid !== self.pgid) break;
    chain.push(parent);
    parent = info.ppid;
  }
  return chain;
}

/**
 * Calls `onBroken` with the pid of the first launcher of `chain` (from `launcherChain`) found
 * gone: exited, or seen gone because the process below it was re-parented. npm runs scripts through
 * `sh -c`, which dies of the SIGTERM npm forwards without passing it on; this is how the
 * server learns of it instead of living on, orphaned, on its port. Polls every
 * `intervalMs`; the timer does not keep the process alive. Returns a function that stops it.
 */
export function watchLaunchers(
  chain: readonly number[],
  onBroken: (pid: number) => void,
  read: ProcessReader = readProcess,
  intervalMs = 200,
): () => void {
  if (chain.length < 2) return () => undefined;
  const timer = setInterval(() => {
    for (let i = 0; i < chain.length; i++) {
      const info = read(chain[i]!);
      // Re-parented: the launcher above it exited (it may linger as a zombie a moment longer).
      const gone = !info
        ? chain[i]
        : i + 1 < chain.length && info.ppid !== chain[i + 1]
          ? chain[i + 1]
          : undefined;
      if (gone !== undefined) {
        clearInterval(timer);
        return onBroken(gone);
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
