import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** An image record as `GET /objects` lists it, as much of it as the browser tests read. */
export interface ListedImage {
  readonly filename?: string;
  readonly folder?: string;
  readonly tags?: readonly string[];
  readonly contentType?: string;
  readonly profiles?: Record<string, unknown>;
}

/** What `GET /objects` answers with these catalogue filters, asked straight of the API. */
export async function listedImages(
  apiUrl: string,
  key: string,
  query: Record<string, string>,
): Promise<ListedImage[]> {
  const url = new URL(`${apiUrl}/objects`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const answer = await fetch(url, { headers: { 'x-api-key': key } });
  return ((await answer.json()) as { items: ListedImage[] }).items;
}

/** The cards of the console's grid. */
export const gridCardsOf = (page: Page) => page.getByRole('list', { name: 'Images' }).getByRole('listitem');

/** The accessible names of the grid's cards, sorted. */
export async function cardNames(page: Page): Promise<(string | null)[]> {
  const buttons = await gridCardsOf(page)
    .getByRole('button', { name: /^Open / })
    .all();
  return (await Promise.all(buttons.map((button) => button.getAttribute('aria-label')))).sort();
}

/** The breadcrumb of folders (not the subfolders' navigation, whose name contains its name). */
export const breadcrumbOf = (page: Page) => page.getByRole('navigation', { name: 'Folders', exact: true });

// The Find form's fields that are selects (the others are text and date inputs).
const SELECTS = new Set(['Type', 'Source']);

/** Sets the Find form's fields by their labels (a select by its option) and filters. */
export async function filterBy(page: Page, fields: Record<string, string>): Promise<void> {
  const find = page.getByRole('region', { name: 'Find' });
  for (const [label, value] of Object.entries(fields)) {
    const field = find.getByLabel(label, { exact: true });
    if (SELECTS.has(label)) await field.selectOption(value);
    else await field.fill(value);
  }
  await find.getByRole('button', { name: 'Filter', exact: true }).click();
}

/** Opens a folder by the Find form's Folder field, as a person types a path, and waits for it. */
export async function showFolder(page: Page, folder: string, timeout: number): Promise<void> {
  await filterBy(page, { Folder: folder });
  await expect
    .poll(() => breadcrumbOf(page).getByRole('listitem').last().textContent(), { timeout })
    .toBe(folder.split('/').at(-1));
}

/** The value a definition list in `region` gives for `term`. */
export const factOf = (region: Locator, term: string) =>
  region
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${term}$`) })
    .locator('xpath=following-sibling::dd[1]')
    .textContent();
