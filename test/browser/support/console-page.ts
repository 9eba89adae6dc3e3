import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core finding, as much of it as a failing test needs to say. */
interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: { readonly target: unknown }[];
}

/**
 * Runs axe-core in the page (injected by the test, never served by the console) and answers the
 * serious and critical violations, one line each.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (it forbids inline scripts).
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(
    'axe.run(document).then((result) => result.violations)',
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** Enters an API key at the console's prompt. */
export async function enterKey(page: Page, key: string): Promise<void> {
  await page.getByRole('textbox', { name: 'API key', exact: true }).fill(key);
  await page.getByRole('button', { name: 'Open the files' }).click();
}

/**
 * Chooses files in the upload picker, as a person does with the file dialog: written to `dir`
 * first, since Chromium reads a path at once while a buffer crawls through the protocol.
 */
export async function chooseFiles(
  page: Page,
  dir: string,
  files: { name: string; buffer: Buffer }[],
): Promise<void> {
  const paths = files.map(({ name, buffer }) => {
    const path = join(dir, name);
    writeFileSync(path, buffer);
    return path;
  });
  await page.locator('#file-input').setInputFiles(paths);
}
