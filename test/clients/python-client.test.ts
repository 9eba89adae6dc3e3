import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { makeTempDir } from '../support/temp-dir';

const REPO = join(import.meta.dirname, '../..');
const API_KEY = 'key-python-client';
/** The Python suite's size today: fewer means tests were lost or not discovered. */
const PYTHON_TESTS = 61;

const home = makeTempDir('python-client-home');
const mainDir = makeTempDir('python-client');
const throttledDir = makeTempDir('python-client-throttled');
let main: LocalServer;
let throttled: LocalServer;

beforeAll(async () => {
  const clients = new Map([['py', API_KEY]]);
  [main, throttled] = await Promise.all([
    // The throttle is lifted: the suite uploads dozens of images in a few seconds.
    startLocalServer({
      port: 0,
      dataDir: mainDir.path,
      clients,
      env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
    }),
    // The retry tests' server: past a burst of 2, 429 with Retry-After: 1.
    startLocalServer({
      port: 0,
      dataDir: throttledDir.path,
      clients,
      env: { THROTTLE_RATE_PER_SECOND: '1', THROTTLE_BURST: '2' },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([main?.close(), throttled?.close()]);
  for (const dir of [home, mainDir, throttledDir]) dir.remove();
});

/** Runs `python3 -m unittest` as the README says; resolves with its exit code and all it printed. */
function runPythonTests(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(https?|all|no)_proxy$/i.test(name)),
  );
  const child = spawn('python3', ['-m', 'unittest', 'discover', '-s', 'clients/python/tests', '-v'], {
    cwd: REPO,
    env: {
      ...inherited,
      ...env,
      // Loopback only, and nothing written outside the temp dirs and the tree.
      NO_PROXY: '127.0.0.1,localhost',
      HOME: home.path,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('Python client (clients/python) against local mode', () => {
  it('passes its unittest suite with every test run, none skipped', { timeout: 240_000 }, async () => {
    // Act
    const { code, output } = await runPythonTests({
      S3IP_API_URL: main.apiUrl,
      S3IP_CDN_URL: main.cdnBaseUrl,
      S3IP_API_KEY: API_KEY,
      S3IP_THROTTLED_API_URL: throttled.apiUrl,
    });

    // Assess
    expect(code, output).toBe(0);
    const ran = Number(/^Ran (\d+) tests? in /m.exec(output)?.[1] ?? 0);
    expect(ran, output).toBeGreaterThanOrEqual(PYTHON_TESTS);
    // "OK (skipped=N)" would mean the server-backed tests did not see the server.
    expect(output).toMatch(/^OK$/m);
    expect(output).not.toMatch(/\bskipped\b/);
  });
});
