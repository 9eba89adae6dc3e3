import { launcherChain, watchLaunchers } from './launcher-watch';

/** How long a stop may take before the process exits anyway, in milliseconds. */
export const STOP_DEADLINE_MS = 1_500;

/**
 * Stops local mode once, on Ctrl-C (SIGINT), SIGTERM, or when a process that launched it in
 * its job is gone (see `watchLaunchers`): `close()` ends the listeners, then the process exits
 * 0. A second signal, or a stop that outlasts `STOP_DEADLINE_MS`, exits 1 at once, so the
 * ports are free within two seconds whatever is in flight.
 */
export function stopOnSignals(close: () => Promise<void>, log: (line: string) => void = console.log): void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      log(`${reason} again: exiting now`);
      return process.exit(1);
    }
    stopping = true;
    log(`\n${reason}: stopping`);
    setTimeout(() => {
      log(`stop took over ${STOP_DEADLINE_MS} ms: exiting`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  watchLaunchers(launcherChain(process.pid), (pid) => stop(`launcher ${pid} exited`));
}
