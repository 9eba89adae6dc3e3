import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../infra/local/local-server';
import { makeNoisyPng, REFUSED_SAMPLES } from '../support/image-fixtures';
import { phoneHeic, sidewaysPhoneJpeg } from '../support/model-ready-fixtures';
import { makeTempDir } from '../support/temp-dir';
import { launchChromium } from './support/chromium';
import { chooseFiles, enterKey, seriousAxeViolations } from './support/console-page';

const KEY = 'console-test-key-3f9a1c';
const SCREENSHOTS = join(import.meta.dirname, '../../docs/console');

// How long the page may take to show what a step did (uploads and checks run on 2 shared cores).
const SOON = { timeout: 30_000 } as const;

const dir = makeTempDir('console-browser');
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

const gridCards = () => page.getByRole('list', { name: 'Images' }).getByRole('listitem');

/** An image record, as much of it as these tests read. */
interface ImageItem {
  readonly filename?: string;
  readonly folder?: string;
  readonly tags?: readonly string[];
  readonly contentType?: string;
  readonly profiles?: Record<string, unknown>;
}

/** What `GET /objects` answers with these catalogue filters, asked straight of the API. */
async function listed(query: Record<string, string>): Promise<ImageItem[]> {
  const url = new URL(`${server.apiUrl}/objects`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const answer = await fetch(url, { headers: { 'x-api-key': KEY } });
  return ((await answer.json()) as { items: ImageItem[] }).items;
}

/** The accessible names of the grid's cards, sorted. */
const cardNames = async () => {
  const buttons = await gridCards()
    .getByRole('button', { name: /^Open / })
    .all();
  return (await Promise.all(buttons.map((button) => button.getAttribute('aria-label')))).sort();
};

// The Find form's fields that are selects (the others are text and date inputs).
const SELECTS = new Set(['Type', 'Source']);

/** Sets the Find form's fields by their labels (a select by its option) and filters. */
async function filterBy(fields: Record<string, string>): Promise<void> {
  const find = page.getByRole('region', { name: 'Find' });
  for (const [label, value] of Object.entries(fields)) {
    const field = find.getByLabel(label, { exact: true });
    if (SELECTS.has(label)) await field.selectOption(value);
    else await field.fill(value);
  }
  await find.getByRole('button', { name: 'Filter', exact: true }).click();
}

/** Opens a folder by the Find form's Folder field, as a person types a path. */
async function showFolder(folder: string): Promise<void> {
  await filterBy({ Folder: folder });
  await expect
    .poll(
      () =>
        page
          .getByRole('navigation', { name: 'Folders', exact: true })
          .getByRole('listitem')
          .last()
          .textContent(),
      SOON,
    )
    .toBe(folder.split('/').at(-1));
}

/** The value a definition list in `region` gives for `term`. */
const factOf = (region: Locator, term: string) =>
  region
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${term}$`) })
    .locator('xpath=following-sibling::dd[1]')
    .textContent();

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
    await gridCards()
      .first()
      .getByRole('button', { name: /^Open / })
      .click();
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

  it('uploads into the current folder with its tags, and browses folders by breadcrumb and subfolders', async () => {
    // Prepare
    await showFolder('trips/rome');
    await page.getByRole('textbox', { name: 'Tags for these uploads' }).fill('holiday, rome');
    // Act
    await chooseFiles(page, dir.path, [
      { name: 'colosseum.jpg', buffer: await sidewaysPhoneJpeg(640, 480) },
      { name: 'forum.png', buffer: await makeNoisyPng(40_000, 11) },
    ]);
    await expect.poll(() => gridCards().count(), SOON).toBe(2);
    await showFolder('trips/paris');
    await page.getByRole('textbox', { name: 'Tags for these uploads' }).fill('holiday, paris');
    await chooseFiles(page, dir.path, [{ name: 'louvre.png', buffer: await makeNoisyPng(40_000, 12) }]);
    await expect.poll(() => gridCards().count(), SOON).toBe(1);
    // Assess: stored in the folder with the tags, as the API lists them
    const rome = await listed({ folder: 'trips/rome' });
    expect(rome.map((item) => [item.filename, item.folder, item.tags]).sort()).toEqual([
      ['colosseum.jpg', 'trips/rome', ['holiday', 'rome']],
      ['forum.png', 'trips/rome', ['holiday', 'rome']],
    ]);
    // Assess: the breadcrumb leads up, the subfolders lead down, each folder shows what is under it
    const crumbs = page.getByRole('navigation', { name: 'Folders', exact: true });
    expect(await crumbs.getByRole('listitem').allTextContents()).toEqual(['All folders', 'trips', 'paris']);
    await crumbs.getByRole('button', { name: 'trips' }).click();
    await expect.poll(() => gridCards().count(), SOON).toBe(3);
    const subfolders = page.getByRole('navigation', { name: 'Subfolders' });
    expect(await subfolders.getByRole('button').allTextContents()).toEqual(['paris', 'rome']);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await subfolders.getByRole('button', { name: 'rome' }).click();
    await expect.poll(() => cardNames(), SOON).toEqual(['Open colosseum.jpg', 'Open forum.png']);
    await crumbs.getByRole('button', { name: 'All folders' }).click();
    await expect.poll(() => gridCards().count(), SOON).toBe(3);
    expect(await subfolders.getByRole('button').allTextContents()).toEqual(['trips']);
  });

  it('shows the stats of the current folder', async () => {
    // Act
    await showFolder('trips/rome');
    // Assess
    const stats = page.getByRole('region', { name: 'Stats' });
    const expected = (await (
      await fetch(`${server.apiUrl}/stats?folder=trips/rome`, { headers: { 'x-api-key': KEY } })
    ).json()) as { images: number; byContentType: Record<string, number> };
    expect(expected.images).toBe(2);
    await expect.poll(() => factOf(stats, 'Images'), SOON).toBe('2');
    expect(await factOf(stats, 'By source')).toBe('upload 2');
    expect(await factOf(stats, 'By type')).toBe(
      Object.entries(expected.byContentType)
        .map(([type, n]) => `${type} ${n}`)
        .join(', '),
    );
    await page
      .getByRole('navigation', { name: 'Folders', exact: true })
      .getByRole('button', { name: 'trips' })
      .click();
    await expect.poll(() => factOf(stats, 'Images'), SOON).toBe('3');
  });

  it('finds images by tag, type, source, filename and date, and clears the filters', async () => {
    // Prepare
    await page
      .getByRole('navigation', { name: 'Folders', exact: true })
      .getByRole('button', { name: 'All folders' })
      .click();
    const everything = await listed({ recursive: 'true' });
    const pngType = everything.find((item) => item.filename === 'forum.png')!.contentType!;
    const ofType = everything
      .filter((item) => item.contentType === pngType)
      .map((item) => `Open ${item.filename}`);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    // Act + Assess
    await filterBy({ Tags: 'rome' });
    await expect.poll(() => cardNames(), SOON).toEqual(['Open colosseum.jpg', 'Open forum.png']);
    await filterBy({ Tags: 'holiday, paris' }); // all of them
    await expect.poll(() => cardNames(), SOON).toEqual(['Open louvre.png']);
    await filterBy({ Tags: 'paris' });
    await expect.poll(() => cardNames(), SOON).toEqual(['Open louvre.png']);
    await filterBy({ Tags: '', Filename: 'COLOSS' });
    await expect.poll(() => cardNames(), SOON).toEqual(['Open colosseum.jpg']);
    await filterBy({ Filename: '', Type: pngType });
    await expect.poll(() => cardNames(), SOON).toEqual(ofType.sort());
    await filterBy({ Type: '', Source: 'presign' });
    await expect.poll(() => page.getByText('No images here yet.').isVisible(), SOON).toBe(true);
    await filterBy({ Source: 'upload', 'Created after': tomorrow });
    await expect.poll(() => page.getByText('No images here yet.').isVisible(), SOON).toBe(true);
    await filterBy({ 'Created after': '', 'Created before': tomorrow });
    await expect.poll(() => gridCards().count(), SOON).toBe(3);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => gridCards().count(), SOON).toBe(3);
    expect(
      await page.getByRole('region', { name: 'Find' }).getByRole('textbox', { name: 'Tags' }).inputValue(),
    ).toBe('');
  });

  it('edits the tags and the filename in the detail', async () => {
    // Prepare
    await gridCards()
      .filter({ hasText: 'louvre.png' })
      .getByRole('button', { name: 'Open louvre.png' })
      .click();
    const detail = page.getByRole('dialog', { name: 'louvre.png' });
    await expect.poll(() => detail.getByText('Dimensions').isVisible(), SOON).toBe(true);
    // Act
    await detail.getByRole('textbox', { name: 'Filename' }).fill('pyramid.png');
    await detail.getByRole('textbox', { name: 'Tags' }).fill('paris, museum');
    await detail.getByRole('button', { name: 'Save' }).click();
    // Assess
    await expect.poll(() => page.getByRole('dialog', { name: 'pyramid.png' }).isVisible(), SOON).toBe(true);
    expect(await page.getByRole('status').textContent()).toBe('Saved');
    const [saved] = await listed({ folder: 'trips/paris' });
    expect([saved!.filename, saved!.tags]).toEqual(['pyramid.png', ['paris', 'museum']]);
    await page.getByRole('dialog', { name: 'pyramid.png' }).getByRole('button', { name: 'Close' }).click();
    await filterBy({ Tags: 'museum' });
    await expect.poll(() => cardNames(), SOON).toEqual(['Open pyramid.png']);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => gridCards().count(), SOON).toBe(3);
  });

  it('makes another profile of an image from its detail, which joins the same image', async () => {
    // Prepare
    await gridCards().getByRole('button', { name: 'Open pyramid.png' }).click();
    const detail = page.getByRole('dialog', { name: 'pyramid.png' });
    await expect.poll(() => detail.getByText('Dimensions').isVisible(), SOON).toBe(true);
    // Act
    await detail.getByRole('combobox', { name: 'Profile to make' }).selectOption('gemini');
    await detail.getByRole('button', { name: 'Make this profile' }).click();
    // Assess
    await expect.poll(() => page.getByRole('status').textContent(), SOON).toBe('Made the gemini profile');
    const profiles = detail.getByRole('region', { name: 'Profiles' });
    await expect.poll(() => profiles.getByRole('link', { name: 'gemini' }).isVisible(), SOON).toBe(true);
    const images = await listed({ folder: 'trips/paris' });
    expect(
      images.map((image) => [image.filename, Object.keys(image.profiles ?? {}).includes('gemini')]),
    ).toEqual([['pyramid.png', true]]);
    await detail.getByRole('button', { name: 'Close' }).click();
  });

  it('erases a folder only once its name is typed to confirm', async () => {
    // Prepare
    await showFolder('trips');
    await expect.poll(() => gridCards().count(), SOON).toBe(3);
    // Act
    await page.getByRole('button', { name: 'Erase folder' }).click();
    const confirm = page.getByRole('dialog', { name: 'Are you sure?' });
    const typed = confirm.getByRole('textbox', { name: "Type the folder's name to confirm" });
    const erase = confirm.getByRole('button', { name: 'Erase folder' });
    expect(await erase.isDisabled()).toBe(true);
    await typed.fill('trip');
    expect(await erase.isDisabled()).toBe(true);
    await typed.fill('trips');
    await erase.click();
    // Assess
    await expect
      .poll(() => page.getByRole('status').textContent(), SOON)
      .toBe('Erased trips: 3 images deleted');
    await expect.poll(() => page.getByText('No images here yet.').isVisible(), SOON).toBe(true);
    expect(
      await page
        .getByRole('navigation', { name: 'Folders', exact: true })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual(['All folders']);
    expect(await listed({ folder: 'trips', recursive: 'true' })).toEqual([]);
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
