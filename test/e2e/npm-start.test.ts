import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, it, type ExpectStatic } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

const dir = makeTempDir('npm-start');
const REPO = join(import.meta.dirname, '../..');
const START_SCRIPT: string = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts.start;

/** How local mode is launched: as the README says, or straight through tsx or node. */
const LAUNCHERS = {
  'npm start': ['npm', ['start']],
  tsx: [join(REPO, 'node_modules/.bin/tsx'), ['infra/local/main.ts']],
  'node --import tsx': [process.execPath, ['--import', 'tsx', 'infra/local/main.ts']],
} as const;
type Launcher = keyof typeof LAUNCHERS;

interface Started {
  readonly child: ChildProcess;
  readonly banner: string;
  readonly port: number;
  readonly exit: Promise<[number | null, NodeJS.Signals | null]>;
}

const launched = new Set<number>();

afterAll(() => {
  // Each launch made its own process group; whatever is left of one goes.
  for (const pgid of launched) killGroup(pgid, 'SIGKILL');
  dir.remove();
});

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * Launches local mode in its own process group, as a shell runs a job, with PORT=0 and
 * DATA_DIR, HOME and npm's cache and logs in a temp dir; waits for its banner.
 */
async function launch(launcher: Launcher, env: Record<string, string> = {}): Promise<Started> {
  const [command, args] = LAUNCHERS[launcher];
  const child = spawn(command, args, {
    cwd: REPO,
    detached: true,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: join(dir.path, `data-${launched.size}`),
      HOME: dir.path,
      npm_config_cache: join(dir.path, 'npm-cache'),
      npm_config_logs_dir: join(dir.path, 'npm-logs'),
      npm_config_update_notifier: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launched.add(child.pid!);
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let banner = '';
  child.stderr!.on('data', (chunk: Buffer) => (banner += chunk.toString()));
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (banner.includes('Ctrl-C stops.')) resolve();
    });
    void exit.then(() => resolve());
  });
  const port = Number(/API\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1] ?? 0);
  return { child, banner, port, exit };
}

/** Whether something accepts connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Processes left in the process group. */
function groupMembers(pgid: number): number[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, group]) => group === pgid)
    .map(([pid]) => pid!);
}

/** Port free and every process of the launch gone, within 2 s (`expect` of the concurrent test). */
async function expectStoppedWithin2s(expect: ExpectStatic, launch: Started): Promise<void> {
  const pgid = launch.child.pid!;
  await expect.poll(() => accepts(launch.port), { timeout: 2_000, interval: 50 }).toBe(false);
  await expect.poll(() => groupMembers(pgid), { timeout: 2_000, interval: 50 }).toEqual([]);
}

describe.concurrent('npm start, as the README says', () => {
  it('prints the API URL, CDN URL and the LOCAL_API_KEY it was given, serves, and after SIGTERM to the npm process frees its port within 2 s, leaving no process', async ({
    expect,
  }) => {
    // Prepare
    const running = await launch('npm start', { LOCAL_API_KEY: 'my-local-key' });
    const apiUrl = `http://127.0.0.1:${running.port}`;

    // Act
    const health = await fetch(`${apiUrl}/health`);
    const forbidden = await fetch(`${apiUrl}/uploads`, { method: 'POST', body: '{}' });
    const allowed = await fetch(`${apiUrl}/uploads`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-api-key': 'my-local-key' },
    });
    // The catalogue's embedded DynamoDB, as the banner names it, answers the real SDK.
    const dynamo = /DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+)\s+\(catalogue table (\S+),/.exec(running.banner);
    const tables = await new DynamoDBClient({
      endpoint: dynamo?.[1],
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }).send(new ListTablesCommand({}));
    running.child.kill('SIGTERM');

    // Assess
    expect(running.banner).toMatch(/CDN\s+http:\/\/127\.0\.0\.1:\d+\/cdn/);
    expect(running.banner).toContain('my-local-key');
    expect(tables.TableNames).toContain(dynamo?.[2]);
    expect(health.status).toBe(200);
    expect(forbidden.status).toBe(403);
    expect(allowed.status).toBe(400); // past the key check, refused as a malformed upload
    await expectStoppedWithin2s(expect, running);
  });

  it('frees its port within 2 s and leaves no process after Ctrl-C in its terminal (SIGINT to its process group)', async ({
    expect,
  }) => {
    // Prepare
    const running = await launch('npm start');

    // Act
    killGroup(running.child.pid!, 'SIGINT');

    // Assess
    await expectStoppedWithin2s(expect, running);
  });

  it('frees its port within 2 s and leaves no process after SIGINT to the npm process alone', async ({
    expect,
  }) => {
    // Prepare: npm runs scripts through `sh -c`; only an exec'd script gets the SIGINT npm passes on.
    expect(START_SCRIPT.trim().startsWith('exec ')).toBe(true);
    const running = await launch('npm start');

    // Act
    running.child.kill('SIGINT');

    // Assess
    await expectStoppedWithin2s(expect, running);
  });

  it('stops when npm is killed outright, instead of living on, orphaned, on its port', async ({ expect }) => {
    // Prepare
    const running = await launch('npm start');

    // Act
    running.child.kill('SIGKILL');

    // Assess
    await expectStoppedWithin2s(expect, running);
  });
});

describe.concurrent('started without npm', () => {
  it('stops through the tsx CLI on SIGTERM: port free, no process left', async ({ expect }) => {
    // Prepare
    const running = await launch('tsx');

    // Act
    running.child.kill('SIGTERM');
    const [code] = await running.exit;

    // Assess: 0 when the server stopped itself; 143 when tsx, relaying the signal, heard no
    // word from its child within its fixed 30 ms (a loaded host) and killed it. That race is why
    // `npm start` runs `node --import tsx`, where the signal reaches the server itself.
    expect([0, 143]).toContain(code);
    await expectStoppedWithin2s(expect, running);
  });

  it('serves several clients from LOCAL_CLIENTS, and stops cleanly through node --import tsx on SIGINT', async ({
    expect,
  }) => {
    // Prepare
    const running = await launch('node --import tsx', { LOCAL_CLIENTS: 'alice=key-a,bob=key-b' });

    // Act
    running.child.kill('SIGINT');
    const [code] = await running.exit;

    // Assess
    expect(running.banner).toMatch(/key-a\s+\(client "alice"\)/);
    expect(running.banner).toMatch(/key-b\s+\(client "bob"\)/);
    expect(code).toBe(0);
    await expectStoppedWithin2s(expect, running);
  });

  it('keeps the key it generated in DATA_DIR: a second start prints and accepts the same key; LOCAL_API_KEY still wins', async ({
    expect,
  }) => {
    // Prepare
    const dataDir = join(dir.path, 'kept-key');
    const keyOf = (banner: string) => /API key\s+(\S+)\s+\(client "local"\)/.exec(banner)?.[1];
    const first = await launch('tsx', { DATA_DIR: dataDir });
    first.child.kill('SIGTERM');
    await first.exit;

    // Act
    const second = await launch('tsx', { DATA_DIR: dataDir });
    const allowed = await fetch(`http://127.0.0.1:${second.port}/uploads`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-api-key': keyOf(first.banner)! },
    });
    second.child.kill('SIGTERM');
    await second.exit;
    const overridden = await launch('tsx', { DATA_DIR: dataDir, LOCAL_API_KEY: 'chosen-key' });
    overridden.child.kill('SIGTERM');
    await overridden.exit;

    // Assess
    expect(keyOf(first.banner)).toMatch(/^local-[\w-]{24}$/);
    expect(keyOf(second.banner)).toBe(keyOf(first.banner));
    expect(second.banner).toContain(join(dataDir, 'local-api-key'));
    expect(allowed.status).toBe(400); // past the key check, refused as a malformed upload
    expect(keyOf(overridden.banner)).toBe('chosen-key');
    expect(readFileSync(join(dataDir, 'local-api-key'), 'utf8').trim()).toBe(keyOf(first.banner));
  });

  it('says which port is taken and how to choose another, without a stack trace, and exits 1', async ({
    expect,
  }) => {
    // Prepare
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;

    // Act
    const { banner, exit } = await launch('tsx', { PORT: String(port) });
    const [code] = await exit;
    taken.close();

    // Assess
    expect(banner).toContain(`port ${port} is in use: set PORT`);
    expect(banner).not.toMatch(/^\s+at /m);
    expect(code).toBe(1);
  });

  it('refuses an invalid LOCAL_CLIENTS naming the variable, and exits 1', async ({ expect }) => {
    // Act
    const { banner, exit } = await launch('node --import tsx', { LOCAL_CLIENTS: 'Alice' });
    const [code] = await exit;

    // Assess
    expect(banner).toContain('LOCAL_CLIENTS');
    expect(code).toBe(1);
  });
});
