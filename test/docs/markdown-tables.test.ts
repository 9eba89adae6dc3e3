import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Lines where a blank line splits one table in two (the second half renders as text). */
function splitTables(markdown: string): number[] {
  const lines = markdown.split('\n');
  const splits: number[] = [];
  for (let i = 1; i + 2 < lines.length; i++) {
    const continuesTable = lines[i + 1]!.startsWith('|') && !lines[i + 2]!.startsWith('|---');
    if (lines[i] === '' && lines[i - 1]!.startsWith('|') && continuesTable) splits.push(i + 1);
  }
  return splits;
}

describe('markdown tables', () => {
  it.each(DOCS)('%s has no table split by a blank line', (file) => {
    // Act
    const splits = splitTables(readFileSync(join(REPO, file), 'utf8'));

    // Assess
    expect(splits).toEqual([]);
  });

  it('finds a table split by a blank line', () => {
    // Act
    const splits = splitTables('| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n');

    // Assess
    expect(splits).toEqual([4]);
  });
});
