import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

const dir = makeTempDir('npm-start');
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts `npm start`'s entry the way npm does, and waits for its banner. */
async function start(env: Record<string, string>): Promise<{ banner: string; exit: Promise<[number | null, NodeJS.Signals | null]> }> {
  child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dir.path, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let banner = '';
  child.stderr!.on('data', (chunk: Buffer) => (banner += chunk.toString()));
  await new Promise<void>((resolve) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (banner.includes('Ctrl-C stops.')) resolve();
    });
    void exit.then(() => resolve());
  });
  return { banner, exit };
}

describe('npm start', () => {
  it('prints the API URL, CDN URL and the LOCAL_API_KEY it was given, serves, and stops cleanly on SIGTERM', async () => {
    // Act
    const { banner, exit } = await start({ LOCAL_API_KEY: 'my-local-key' });
    const apiUrl = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    const health = await fetch(`${apiUrl}/health`);
    const forbidden = await fetch(`${apiUrl}/uploads`, { method: 'POST', body: '{}' });
    const allowed = await fetch(`${apiUrl}/uploads`, { method: 'POST', body: '{}', headers: { 'x-api-key': 'my-local-key' } });
    child!.kill('SIGTERM');
    const [code] = await exit;

    // Assess
    expect(banner).toMatch(/CDN\s+http:\/\/127\.0\.0\.1:\d+\/cdn/);
    expect(banner).toContain('my-local-key');
    expect(health.status).toBe(200);
    expect(forbidden.status).toBe(403);
    expect(allowed.status).toBe(400); // past the key check, refused as a malformed upload
    expect(code).toBe(0);
  });

  it('serves several clients from LOCAL_CLIENTS', async () => {
    // Act
    const { banner, exit } = await start({ LOCAL_CLIENTS: 'alice=key-a,bob=key-b' });
    child!.kill('SIGINT');
    const [code] = await exit;

    // Assess
    expect(banner).toMatch(/key-a\s+\(client "alice"\)/);
    expect(banner).toMatch(/key-b\s+\(client "bob"\)/);
    expect(code).toBe(0);
  });

  it('refuses an invalid LOCAL_CLIENTS naming the variable, and exits 1', async () => {
    // Act
    const { banner, exit } = await start({ LOCAL_CLIENTS: 'Alice' });
    const [code] = await exit;

    // Assess
    expect(banner).toContain('LOCAL_CLIENTS');
    expect(code).toBe(1);
  });
});
