import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { makeTempDir } from '../../support/temp-dir';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH names another build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Flags that keep Chromium to the page under test: without them its own background
 * connections (updates, sync, QUIC probes) are refused by a closed network, many at a time.
 */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A headless Chromium with a fresh profile in a temp dir; `close()` removes both. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM_PATH)) {
    // CI installs it (.ci/run); a missing browser fails the run rather than skipping the tests.
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install chromium\` (or set CHROMIUM_PATH)`,
    );
  }
  const profile = makeTempDir('console-chromium');
  const context = await chromium.launchPersistentContext(join(profile.path, 'profile'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: QUIET_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      profile.remove();
    },
  };
}
