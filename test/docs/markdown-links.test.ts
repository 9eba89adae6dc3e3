import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenLinks, headingAnchors, linkTargets, repoReader } from '../support/markdown-links';

const REPO = join(import.meta.dirname, '../..');
const read = repoReader(REPO);
const DOCS = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(REPO, 'clients')).map((client) => `clients/${client}/README.md`),
].filter((file) => read(file) !== undefined);

describe('links between the documents', () => {
  it.each(DOCS)('every relative link and #anchor of %s resolves', (file) => {
    // Act
    const broken = brokenLinks(file, read(file)!, read);

    // Assess
    expect(broken).toEqual([]);
  });

  it('checks the README and every page of docs/', () => {
    // Assess
    expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'docs/api.md', 'docs/deploy.md']));
  });
});

describe('the link checker', () => {
  const pages: Record<string, string> = {
    'README.md': '# Title\n\n## `POST /presign` — direct uploads\n\n## Limits\n\n## Limits\n',
    'docs/api.md': '# API\n\n## Errors of uploads from a URL\n\n```md\n## Not a heading\n```\n',
    'openapi/openapi.json': '{}',
    clients: '',
  };
  const inMemory = (path: string) => pages[path.replace(/\/$/, '')];

  it.each([
    ['a heading with code and a dash', '#post-presign--direct-uploads'],
    ['a repeated heading', '#limits-1'],
    ['another page', 'docs/api.md#errors-of-uploads-from-a-url'],
    ['a file that is not Markdown', 'openapi/openapi.json'],
    ['a directory', 'clients/'],
    ['a site outside the repository', 'https://example.org/#nowhere'],
  ])('accepts a link to %s', (_, target) => {
    // Act
    const broken = brokenLinks('README.md', `see [it](${target})`, inMemory);

    // Assess
    expect(broken).toEqual([]);
  });

  it.each([
    ['a missing file', 'docs/gone.md', 'no file docs/gone.md'],
    ['a missing anchor', '#limitz', 'no heading #limitz in README.md'],
    ['an anchor on another page', 'docs/api.md#settings', 'no heading #settings in docs/api.md'],
    [
      'a heading inside a code block',
      'docs/api.md#not-a-heading',
      'no heading #not-a-heading in docs/api.md',
    ],
    [
      'an anchor into a file that is not Markdown',
      'openapi/openapi.json#x',
      'no heading #x in openapi/openapi.json',
    ],
    ['a path out of the repository', '../outside.md', 'no file ../outside.md'],
  ])('reports a link to %s', (_, target, reason) => {
    // Act
    const broken = brokenLinks('README.md', `see [it](${target})`, inMemory);

    // Assess
    expect(broken).toEqual([{ file: 'README.md', target, reason }]);
  });

  it('resolves a link relative to the page that holds it', () => {
    // Act
    const broken = brokenLinks('docs/api.md', '[home](../README.md#limits) [self](api.md)', inMemory);

    // Assess
    expect(broken).toEqual([]);
  });

  it('reads links in prose only, not in code', () => {
    // Act
    const targets = linkTargets('[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n[ref]: w.md\n![img](i.png)');

    // Assess
    expect(targets).toEqual(['x.md', 'i.png', 'w.md']);
  });

  it('slugs headings as GitHub does', () => {
    // Act
    const anchors = headingAnchors(
      "## The contract: `openapi/openapi.json`\n### `GET /objects?prefix=&limit=&cursor=` — list\n## Reading a client's API key\n## [Linked](x) **bold** SOURCE_MAX_BYTES\n",
    );

    // Assess
    expect([...anchors]).toEqual([
      'the-contract-openapiopenapijson',
      'get-objectsprefixlimitcursor--list',
      'reading-a-clients-api-key',
      'linked-bold-source_max_bytes',
    ]);
  });
});
