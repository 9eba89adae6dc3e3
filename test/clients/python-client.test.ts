import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { type SourceHandler, startSourceServer, type SourceServer } from '../support/source-servers';
import { makeTempDir } from '../support/temp-dir';

const REPO = join(import.meta.dirname, '../..');
const PYTHON_TESTS_DIR = join(REPO, 'clients', 'python', 'tests');
const API_KEY = 'key-python-client';
const SOURCE_AUTHORIZATION = 'Bearer python-source-token';

const home = makeTempDir('python-client-home');
const mainDir = makeTempDir('python-client');
const throttledDir = makeTempDir('python-client-throttled');
let main: LocalServer;
let throttled: LocalServer;
let source: SourceServer;

/** `/<w>x<h>.png` answers a PNG of that size (sharp); `authorization`, when given, is required (401). */
const sizedPng =
  (authorization?: string): SourceHandler =>
  (req, res, url) => {
    const size = /\/(\d{1,4})x(\d{1,4})\.png$/.exec(url.pathname);
    if (!size) return void res.writeHead(404).end();
    if (authorization && req.headers.authorization !== authorization)
      return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"token"}');
    const [width, height] = [Number(size[1]), Number(size[2])];
    void sharp({ create: { width, height, channels: 3, background: '#2a6' } })
      .png()
      .toBuffer()
      .then((png) =>
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png),
      );
  };

/**
 * The test methods the suite's files define (`def test_…`, none inherited): a run that reports
 * fewer lost some to discovery (an import error, a file not named test_*.py).
 */
function definedPythonTests(): number {
  return readdirSync(PYTHON_TESTS_DIR)
    .filter((name) => name.endsWith('.py'))
    .map((name) =>
      readFileSync(join(PYTHON_TESTS_DIR, name), 'utf8').match(/^\s+(?:async\s+)?def test_\w+\(/gm),
    )
    .reduce((sum, found) => sum + (found?.length ?? 0), 0);
}

beforeAll(async () => {
  const clients = new Map([['py', API_KEY]]);
  source = await startSourceServer({ '/public/': sizedPng(), '/private/': sizedPng(SOURCE_AUTHORIZATION) });
  [main, throttled] = await Promise.all([
    // The throttle is lifted: the suite uploads dozens of images in a few seconds. Uploads from
    // a URL may fetch from the source server: local mode's loopback allowance, over plain http.
    startLocalServer({
      port: 0,
      dataDir: mainDir.path,
      clients,
      env: {
        THROTTLE_RATE_PER_SECOND: '10000',
        THROTTLE_BURST: '5000',
        SOURCE_ALLOW_HTTP: 'true',
        LOCAL_SOURCE_LOOPBACK_ALLOWLIST: `127.0.0.1:${source.port}`,
        // Folders of more than one image are erased in the background: erase_folder polls (202).
        ERASE_IN_BACKGROUND_ABOVE: '1',
      },
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
  await Promise.all([main?.close(), throttled?.close(), source?.close()]);
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
      S3IP_SOURCE_URL: source.origin,
      S3IP_SOURCE_AUTHORIZATION: SOURCE_AUTHORIZATION,
    });

    // Assess
    expect(code, output).toBe(0);
    const ran = Number(/^Ran (\d+) tests? in /m.exec(output)?.[1] ?? 0);
    expect(ran, output).toBe(definedPythonTests());
    // "OK (skipped=N)" would mean the server-backed tests did not see the server.
    expect(output).toMatch(/^OK$/m);
    expect(output).not.toMatch(/\bskipped\b/);
  });
});
