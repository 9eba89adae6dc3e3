import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../infra/local/local-server';
import { makeNoisyPng } from '../support/image-fixtures';
import { sidewaysPhoneJpeg } from '../support/model-ready-fixtures';
import { makeTempDir } from '../support/temp-dir';
import {
  breadcrumbOf,
  cardNames as cardNamesOf,
  factOf,
  filterBy as filterFields,
  gridCardsOf,
  listedImages,
  showFolder as showFolderOf,
} from './support/catalogue-page';
import { launchChromium } from './support/chromium';
import { chooseFiles, enterKey, seriousAxeViolations } from './support/console-page';

// The console against the catalogue: folders, tags, filters, stats, PATCH and erasing a folder.
const KEY = 'console-catalogue-key-8d2e47';

// How long the page may take to show what a step did (uploads and checks run on 2 shared cores).
const SOON = { timeout: 30_000 } as const;

const dir = makeTempDir('console-catalogue-browser');
let server: LocalServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['ops', KEY]]),
    // Folders of more than one image are erased in the background (202 and a status path), so
    // erasing a folder here goes through the console's polling as a large folder would.
    env: { ERASE_IN_BACKGROUND_ABOVE: '1' },
  });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  dir.remove();
});

const gridCards = () => gridCardsOf(page);
const listed = (query: Record<string, string>) => listedImages(server.apiUrl, KEY, query);
const cardNames = () => cardNamesOf(page);
const filterBy = (fields: Record<string, string>) => filterFields(page, fields);
const showFolder = (folder: string) => showFolderOf(page, folder, SOON.timeout);

describe('the console, in Chromium, against the catalogue of local mode', () => {
  it('opens the files of an empty catalogue with the key', async () => {
    // Act
    await page.goto(`${server.apiUrl}/console`);
    await enterKey(page, KEY);
    // Assess
    await expect.poll(() => page.getByText('No images here yet.').isVisible(), SOON).toBe(true);
    expect(await breadcrumbOf(page).getByRole('listitem').allTextContents()).toEqual(['All folders']);
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
    const crumbs = breadcrumbOf(page);
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
    await breadcrumbOf(page).getByRole('button', { name: 'trips' }).click();
    await expect.poll(() => factOf(stats, 'Images'), SOON).toBe('3');
  });

  it('finds images by tag, type, source, filename and date, and clears the filters', async () => {
    // Prepare
    await breadcrumbOf(page).getByRole('button', { name: 'All folders' }).click();
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
    expect(await breadcrumbOf(page).getByRole('listitem').allTextContents()).toEqual(['All folders']);
    expect(await listed({ folder: 'trips', recursive: 'true' })).toEqual([]);
  });
});
