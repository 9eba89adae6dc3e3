import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
// The README links here for the standard-library Python function.
const LOCAL_EXAMPLES = readFileSync(join(import.meta.dirname, '../../docs/local-examples.md'), 'utf8');
const dir = makeTempDir('readme-examples');
const apiKey = 'readme-key';
let server: LocalServer;
let photo: Buffer;

/** The fenced code blocks of a language in a page (the README unless named), in order. */
function codeBlocks(language: string, page = README): string[] {
  return [...page.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (match) => match[1]!,
  );
}

/** The block of a page that holds `needle`: the examples are run as they are written. */
function blockWith(language: string, needle: string, page = README): string {
  const block = codeBlocks(language, page).find((code) => code.includes(needle));
  if (!block) throw new Error(`no ${language} block holds ${needle}`);
  return block;
}

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['local', apiKey]]),
  });
  // A 4 MB phone photo: 4.8 MP of noise (incompressible), stored sideways, with a GPS position.
  photo = await sharp(randomBytes(2520 * 1890 * 3), { raw: { width: 2520, height: 1890, channels: 3 } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExifMerge({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100' } })
    .toBuffer();
  writeFileSync(join(dir.path, 'photo.jpg'), photo);
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

/** Runs a shell example from the README in a folder holding photo.jpg, with KEY and API set. */
async function shell(example: string): Promise<Record<string, unknown>> {
  const script = example.replace(/^KEY=.*$/m, '').replace(/^API=.*$/m, '');
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: dir.path,
    env: { ...process.env, KEY: apiKey, API: server.apiUrl },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

describe('the README examples, run as written, with a 4 MB phone photo', () => {
  it('uses a photo of about 4 MB', () => {
    expect(photo.length).toBeGreaterThan(3_500_000);
    expect(photo.length).toBeLessThan(4_400_000);
  });

  it.each([
    ['the raw-body curl', '--data-binary @photo.jpg'],
    ['the JSON curl built on stdin', 'base64 < photo.jpg'],
  ])('%s stores it and answers a model-ready URL', async (_, needle) => {
    // Act
    const answer = await shell(blockWith('sh', needle));

    // Assess
    expect(answer).toMatchObject({
      contentType: 'image/jpeg',
      original: { size: photo.length, width: 1890, height: 2520 },
    });
    const served = await fetch(answer.url as string);
    expect(served.status).toBe(200);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).exif).toBeUndefined();
  });

  it('the standard-library Python example the README links to stores it and prints its URL', async () => {
    // Prepare: the linked page's function, pointed at this server and key.
    const example = blockWith('python', 'def upload', LOCAL_EXAMPLES)
      .replace('http://127.0.0.1:3000', server.apiUrl)
      .replace('key="..."', `key="${apiKey}"`);

    // Act
    const { stdout } = await run('python3', ['-c', example], { cwd: dir.path });

    // Assess
    expect(stdout.trim()).toMatch(new RegExp(`^${server.cdnBaseUrl}/local/[0-9a-f]{40}\\.jpg$`));
  });
});
