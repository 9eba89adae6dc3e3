import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  launcherChain,
  readProcess,
  watchLaunchers,
  type ProcessInfo,
} from '../../infra/local/launcher-watch';

/** A process table: pid → parent and group. */
function table(rows: Record<number, ProcessInfo>) {
  const processes = new Map(Object.entries(rows).map(([pid, info]) => [Number(pid), info]));
  return { processes, read: (pid: number) => processes.get(pid) };
}

// login shell 100 (its own group) → npm 200 (leads group 200) → sh 300 → tsx 400 → server 500
const NPM_START = {
  100: { ppid: 1, pgid: 100 },
  200: { ppid: 100, pgid: 200 },
  300: { ppid: 200, pgid: 200 },
  400: { ppid: 300, pgid: 200 },
  500: { ppid: 400, pgid: 200 },
};

afterEach(() => {
  vi.useRealTimers();
});

describe('launcherChain', () => {
  it('follows parents inside the process group, up to its leader, and not beyond', () => {
    // Act
    const chain = launcherChain(500, table(NPM_START).read);

    // Assess
    expect(chain).toEqual([500, 400, 300, 200]);
  });

  it('is the process alone when it leads its own group (started from a shell)', () => {
    // Act
    const chain = launcherChain(100, table(NPM_START).read);

    // Assess
    expect(chain).toEqual([100]);
  });

  it('reads this very process and its parent from the OS', () => {
    // Act
    const self = readProcess(process.pid);

    // Assess
    expect(self?.ppid).toBe(process.ppid);
    expect(launcherChain(process.pid)[0]).toBe(process.pid);
  });
});

describe('watchLaunchers', () => {
  it.each([
    [
      "npm's sh dies (SIGTERM) and tsx is re-parented",
      300,
      (t: ReturnType<typeof table>) => (
        t.processes.delete(300), t.processes.set(400, { ppid: 1, pgid: 200 })
      ),
    ],
    ['npm is killed', 200, (t: ReturnType<typeof table>) => t.processes.delete(200)],
    [
      'tsx dies and the server is re-parented',
      400,
      (t: ReturnType<typeof table>) => t.processes.set(500, { ppid: 1, pgid: 200 }),
    ],
  ])('reports when %s', (_name, brokenAt, kill) => {
    // Prepare
    vi.useFakeTimers();
    const processes = table(NPM_START);
    const broken: number[] = [];
    watchLaunchers(launcherChain(500, processes.read), (pid) => broken.push(pid), processes.read, 200);

    // Act
    vi.advanceTimersByTime(1_000);
    kill(processes);
    vi.advanceTimersByTime(1_000);

    // Assess
    expect(broken).toEqual([brokenAt]);
  });

  it("does not care about the group's own parent: a login shell may exit under nohup", () => {
    // Prepare
    vi.useFakeTimers();
    const processes = table(NPM_START);
    const broken: number[] = [];
    watchLaunchers(launcherChain(500, processes.read), (pid) => broken.push(pid), processes.read, 200);

    // Act
    processes.processes.delete(100);
    processes.processes.set(200, { ppid: 1, pgid: 200 });
    vi.advanceTimersByTime(1_000);

    // Assess
    expect(broken).toEqual([]);
  });

  it('watches nothing, and never fires, for a process that leads its own group', () => {
    // Prepare
    vi.useFakeTimers();
    const processes = table(NPM_START);
    const broken: number[] = [];

    // Act
    watchLaunchers(launcherChain(100, processes.read), (pid) => broken.push(pid), processes.read, 200);
    vi.advanceTimersByTime(1_000);

    // Assess
    expect(broken).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
