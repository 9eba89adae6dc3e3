import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { buildConsole } from '../../infra/console-assets';
import { startLocalServer } from '../../infra/local/local-server';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH, launchChromium } from '../../test/browser/support/chromium';
import { makeTempDir } from '../../test/support/temp-dir';
import { noisyImage } from '../support/images';
import { type BenchRow, skippedRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * The console: its three files gzipped against the 60 KB budget, and the time from
 * entering the key to a first grid of 100 thumbnails in local mode (Chromium, loopback), against
 * the floor of fetching the same listing and 100 thumbnails from Node, 6 at a time as a browser does.
 */

const KEY = 'bench-console-key';
const IMAGES = 100;
const BUDGET_BYTES = 60 * 1024;
// What Chromium asks images with: format=auto resolves to AVIF for it, in the floor too.
const CHROMIUM_IMAGE_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

async function bundleRow(): Promise<BenchRow> {
  const files = await buildConsole();
  const gzipped = [...files.values()].reduce(
    (sum, file) => sum + gzipSync(file.body, { level: 9 }).length,
    0,
  );
  return {
    section: 'console',
    name: `bundle, gzipped (${[...files.keys()].join(' + ')})`,
    value: `${(gzipped / 1024).toFixed(1)} KiB`,
    floor: '60.0 KiB',
    ratio: gzipped / BUDGET_BYTES,
    target: { op: '<=', limit: 1 },
    note: 'floor = the budget',
  };
}

/** Node's own time for what the first grid needs: the listing, then every thumbnail, 6 at a time. */
async function floorMs(apiUrl: string): Promise<number> {
  const started = performance.now();
  const listed = (await (
    await fetch(`${apiUrl}/objects?limit=100`, { headers: { 'x-api-key': KEY } })
  ).json()) as {
    items: { url: string }[];
  };
  const urls = listed.items.map((item) => `${item.url}?w=256&h=256&fit=cover&format=auto`);
  await Promise.all(
    Array.from({ length: 6 }, async (_, lane) => {
      for (let i = lane; i < urls.length; i += 6)
        await (await fetch(urls[i]!, { headers: { accept: CHROMIUM_IMAGE_ACCEPT } })).arrayBuffer();
    }),
  );
  return performance.now() - started;
}

async function firstGridRow(): Promise<BenchRow> {
  const name = `time to the first grid of ${IMAGES} thumbnails (local mode, Chromium)`;
  // A bench peer, as Pillow is: shown as skipped without it (the browser tests fail instead).
  if (!existsSync(CHROMIUM_PATH)) return skippedRow({ section: 'console', name }, 'chromium not installed');
  const dir = makeTempDir('bench-console');
  const server = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['ops', KEY]]),
  });
  const browser = await launchChromium();
  try {
    for (let i = 0; i < IMAGES; i += 1) {
      const image = (await noisyImage('png', 20_000)).toString('base64');
      await fetch(`${server.apiUrl}/uploads`, {
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ image }),
      });
    }
    // The renditions are made once (the first viewer); both sides below read them from storage.
    await floorMs(server.apiUrl);
    const floor = await floorMs(server.apiUrl);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    // Tall enough that all 100 cards are in view: lazy loading then fetches every thumbnail.
    await page.setViewportSize({ width: 1920, height: 4000 });
    await page.goto(`${server.apiUrl}/console/`);
    await page.getByRole('textbox', { name: 'API key', exact: true }).fill(KEY);
    const started = performance.now();
    await page.getByRole('button', { name: 'Open the files' }).click();
    // Polled from here: waitForFunction would eval in the page, which the console's CSP forbids.
    const shown = `[...document.querySelectorAll('#grid img')].filter((img) => img.complete && img.naturalWidth > 0).length`;
    while ((await page.evaluate<number>(shown)) < IMAGES)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const measured = performance.now() - started;
    return {
      section: 'console',
      name,
      value: `${measured.toFixed(0)} ms`,
      floor: `${floor.toFixed(0)} ms`,
      ratio: measured / floor,
      note: 'floor = the listing and the 100 thumbnails fetched from Node, 6 at a time',
    };
  } finally {
    await browser.close();
    await server.close();
    dir.remove();
  }
}

reportRows([await bundleRow(), await firstGridRow()]);
