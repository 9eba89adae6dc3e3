import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeImage } from '../support/image-fixtures';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');
const DOC = readFileSync(join(REPO, 'docs/local-examples.md'), 'utf8');
const dir = makeTempDir('local-examples');
const started: ChildProcess[] = [];

afterAll(() => {
  // Each block ran in its own process group; whatever is left of one goes.
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  dir.remove();
});

/** The `sh` blocks of the page, in order, without their comment lines. */
const blocks = [...DOC.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) =>
  match[1]!
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .trim(),
);

/** Starts a long-running block in its own process group; resolves with its output once `ready` matches it. */
async function startBlock(script: string, cwd: string, env: Record<string, string>, ready: RegExp) {
  const child = spawn('bash', ['-c', script], {
    cwd,
    detached: true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    void once(child, 'exit').then(() => reject(new Error(`block exited before it was ready:\n${output}`)));
  });
  return output;
}

describe('docs/local-examples.md', () => {
  it('uploads a photo from a server on this machine with the three blocks as written (ports chosen by the OS)', async () => {
    // Prepare: photo.jpg in a folder; the repository's place is the temp folder (its .data/ holds the key).
    const [serveBlock, startBlockText, uploadBlock] = blocks;
    expect(blocks).toHaveLength(3);
    const photo = await makeImage('jpeg', 64, 48);
    writeFileSync(join(dir.path, 'photo.jpg'), photo);
    const served = await startBlock(serveBlock!.replace('8080', '0'), dir.path, {}, /port (\d+)/);
    const sourcePort = /port (\d+)/.exec(served)![1]!;

    // Act
    const banner = await startBlock(
      startBlockText!.replaceAll('8080', sourcePort),
      REPO,
      { PORT: '0', DATA_DIR: join(dir.path, '.data') },
      /Ctrl-C stops\./,
    );
    const apiPort = /API\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(banner)![1]!;
    const { stdout } = await run(
      'bash',
      ['-euo', 'pipefail', '-c', uploadBlock!.replaceAll('8080', sourcePort).replaceAll('3000', apiPort)],
      { cwd: dir.path },
    );
    const answer = JSON.parse(stdout) as { url: string; contentType: string };

    // Assess
    expect(answer.contentType).toBe('image/jpeg');
    expect(answer.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${apiPort}/cdn/local/`));
    expect((await fetch(answer.url)).status).toBe(200);
  });
});
