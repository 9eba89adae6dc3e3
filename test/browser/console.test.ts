import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../infra/local/local-server';
import { makeNoisyPng, REFUSED_SAMPLES } from '../support/image-fixtures';
import { phoneHeic, sidewaysPhoneJpeg } from '../support/model-ready-fixtures';
import { makeTempDir } from '../support/temp-dir';
import { gridCardsOf } from './support/catalogue-page';
import { launchChromium } from './support/chromium';
import { chooseFiles, enterKey, seriousAxeViolations } from './support/console-page';

const KEY = 'console-test-key-3f9a1c';
const dir = makeTempDir('console-browser');
// Every run makes them (the views are exercised either way); docs/console/ is rewritten only when
// asked (`UPDATE_SCREENSHOTS=1`), so a test run leaves the checkout as it found it.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(import.meta.dirname, '../../docs/console')
  : join(dir.path, 'screenshots');

// How long the page may take to show what a step did (uploads and checks run on 2 shared cores).
const SOON = { timeout: 30_000 } as const;

let server: LocalServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;
const requests: Request[] = [];

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['ops', KEY]]),
  });
  browser = await launchChromium();
  context = browser.context;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.apiUrl });
  context.on('request', (request) => requests.push(request));
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  dir.remove();
});

/** What the page's clipboard holds (the test granted the permission to read it). */
const readClipboard = () => page.evaluate<string>('navigator.clipboard.readText()');

const gridCards = () => gridCardsOf(page);

/** Screenshots of the current view at a phone's and a desktop's width, light and dark. */
async function screenshots(view: 'grid' | 'detail'): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [360, 1280]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      // Polled from the test: waitForFunction would eval a string in the page, which its CSP forbids.
      await expect
        .poll(() => page.evaluate<boolean>('[...document.images].every((img) => img.complete)'), SOON)
        .toBe(true);
      await page.screenshot({
        path: join(SCREENSHOTS, `${view}-${width}-${colorScheme}.png`),
        // The grid is below the find and upload panels on a phone: the whole page shows it.
        fullPage: view === 'grid',
      });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('the console, in Chromium, against local mode', () => {
  it('serves the page with its CSP and security headers', async () => {
    // Act
    const response = await page.goto(`${server.apiUrl}/console`);
    // Assess
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    await expect
      .poll(() => page.getByRole('textbox', { name: 'API key', exact: true }).isVisible(), SOON)
      .toBe(true);
  });

  it('refuses a wrong key and says so', async () => {
    // Act
    await enterKey(page, 'not-the-key');
    // Assess
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), SOON)
      .toContain('refused this key');
    expect(await page.getByRole('heading', { name: 'Images' }).isVisible()).toBe(false);
  });

  it('opens the files with the right key, and the page has no serious accessibility violation', async () => {
    // Act
    await enterKey(page, KEY);
    // Assess
    await expect.poll(() => page.getByText('No images here yet.').isVisible(), SOON).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('uploads a phone JPEG and an iPhone HEIC as base64 and refuses an SVG, saying why', async () => {
    // Prepare
    const jpeg = await sidewaysPhoneJpeg(1600, 1200);
    // Act
    await chooseFiles(page, dir.path, [
      { name: 'IMG_0001.jpg', buffer: jpeg },
      { name: 'IMG_0002.heic', buffer: phoneHeic() },
      { name: 'drawing.svg', buffer: REFUSED_SAMPLES.svg },
    ]);
    // Assess
    const uploads = page.getByRole('list', { name: 'Uploads' });
    await expect.poll(() => uploads.getByText('Uploaded').count(), SOON).toBe(2);
    const refusal = uploads.getByRole('listitem').filter({ hasText: 'drawing.svg' }).getByRole('alert');
    expect(await refusal.textContent()).toMatch(/^Refused: .*(not|unsupported|svg)/i);
    await expect.poll(() => gridCards().count(), SOON).toBe(2);
  });

  it('uploads a 20 MB PNG by a presigned PUT, its progress shown, and never sends the key to storage', async () => {
    // Prepare
    const png = await makeNoisyPng(20_000_000, 7);
    const progressSeen: number[] = [];
    await page.exposeFunction('reportProgress', (value: number) => progressSeen.push(value));
    // Every value the page gives a progress bar (it reflects to the attribute) is reported.
    await page.evaluate(`new MutationObserver((records) => {
      for (const { target } of records) if (target instanceof HTMLProgressElement) reportProgress(target.value);
    }).observe(document.getElementById('uploads'), { subtree: true, attributes: true, attributeFilter: ['value'] })`);
    // Loopback moves 20 MB in one progress event: at a home uplink's pace the bar has steps to see.
    const devtools = await context.newCDPSession(page);
    await devtools.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 8 * 1024 * 1024,
    });
    // Act
    await chooseFiles(page, dir.path, [{ name: 'big.png', buffer: png }]);
    // Assess
    await expect.poll(() => gridCards().count(), { timeout: 60_000 }).toBe(3);
    const puts = requests.filter((r) => r.method() === 'PUT');
    expect(puts.map((r) => new URL(r.url()).origin)).toEqual([server.s3Endpoint]);
    expect(puts[0]!.headers()['x-api-key']).toBeUndefined();
    expect(progressSeen.some((value) => value > 0 && value < 1)).toBe(true);
    await devtools.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await screenshots('grid');
  });

  it('opens the detail and copies the Anthropic prompt block to the clipboard', async () => {
    // Act
    // The phone photo: a screenshot of the noisy 20 MB PNG would weigh 800 kB in docs/.
    await gridCards().getByRole('button', { name: 'Open IMG_0001.jpg' }).click();
    const detail = page.getByRole('dialog');
    await expect.poll(() => detail.getByText('Dimensions').isVisible(), SOON).toBe(true);
    await detail.getByRole('button', { name: 'Copy Anthropic block' }).click();
    // Assess
    await expect.poll(() => page.getByRole('status').textContent(), SOON).toBe('Copied: Anthropic block');
    const block = JSON.parse(await readClipboard());
    expect(block).toEqual({
      type: 'image',
      source: { type: 'url', url: expect.stringMatching(`^${server.cdnBaseUrl}/ops/`) },
    });
    expect((await fetch(block.source.url)).status).toBe(200);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshots('detail');
  });

  it('makes a presigned private link to the image from its detail', async () => {
    // Act
    await page.getByRole('dialog').getByRole('button', { name: 'Make a private link' }).click();
    // Assess
    const link = page.getByRole('dialog').getByRole('link', { name: 'Private link' });
    await expect.poll(() => link.isVisible(), SOON).toBe(true);
    const href = new URL((await link.getAttribute('href'))!);
    expect(href.origin).toBe(server.s3Endpoint);
    expect(href.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect((await fetch(href)).status).toBe(200);
  });

  it('deletes one image after a confirmation that names it', async () => {
    // Prepare
    const detail = page.getByRole('dialog', { name: /./ }).first();
    const url = JSON.parse(await readClipboard()).source.url as string;
    const before = await gridCards().count();
    // Act
    await detail.getByRole('button', { name: 'Delete this image' }).click();
    const confirm = page.getByRole('dialog', { name: 'Are you sure?' });
    expect(await confirm.getByText('Delete this image?').isVisible()).toBe(true);
    await confirm.getByRole('button', { name: 'Delete 1 image' }).click();
    // Assess
    await expect.poll(() => gridCards().count(), SOON).toBe(before - 1);
    expect((await fetch(url)).status).toBe(404);
  });

  it('shows the same images in a table, and back in the grid', async () => {
    // Prepare
    const cards = await gridCards().count();
    // Act
    await page.getByRole('button', { name: 'Table' }).click();
    // Assess
    const rows = page.getByRole('table', { name: 'Images' }).getByRole('row');
    expect(await rows.count()).toBe(cards + 1); // and the header row
    expect(await gridCards().count()).toBe(0); // the grid is hidden, not shown twice
    expect(await page.getByRole('button', { name: 'Table' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Grid' }).click();
    expect(await gridCards().first().isVisible()).toBe(true);
  });

  it('deletes the selected images, the confirmation saying how many', async () => {
    // Act
    for (const checkbox of await page.getByRole('list', { name: 'Images' }).getByRole('checkbox').all())
      await checkbox.check();
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await page
      .getByRole('dialog', { name: 'Are you sure?' })
      .getByRole('button', { name: 'Delete 2 images' })
      .click();
    // Assess
    await expect.poll(() => page.getByText('No images here yet.').isVisible(), SOON).toBe(true);
    expect(await gridCards().count()).toBe(0);
    const listed = await fetch(`${server.apiUrl}/objects`, { headers: { 'x-api-key': KEY } });
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('keeps the key in sessionStorage only: never in a URL, a cookie or localStorage', async () => {
    // Act
    const storage = await page.evaluate<{ local: string; session: string }>(
      '({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) })',
    );
    // Assess
    expect(storage.session).toContain(KEY);
    expect(storage.local).not.toContain(KEY);
    expect(JSON.stringify(await context.cookies())).not.toContain(KEY);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(request.url()).not.toContain(KEY);
    const keyed = requests.filter((r) => r.headers()['x-api-key'] !== undefined);
    expect(new Set(keyed.map((r) => new URL(r.url()).origin))).toEqual(new Set([server.apiUrl]));
  });

  it('sends a refused key back to the key prompt', async () => {
    // Prepare
    await page.evaluate("sessionStorage.setItem('s3ip.apiKey', 'revoked-key')");
    // Act
    await page.reload();
    // Assess
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), SOON)
      .toContain('refused this key');
    expect(await page.evaluate("sessionStorage.getItem('s3ip.apiKey')")).toBeNull();
  });
});
