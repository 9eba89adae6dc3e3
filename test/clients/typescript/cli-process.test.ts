import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../infra/local/local-server';
import { EXIT, runCli } from '../../../clients/typescript/src/cli-main.ts';
import { answerStatus, serveBytes, startSourceServer, type SourceServer } from '../../support/source-servers';
import { makeTempDir } from '../../support/temp-dir';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'clients', 'typescript', 'src', 'cli.ts');
const KEY = 'cli-process-key-81d2';

const dir = makeTempDir('ts-cli-process');
const callerDir = join(dir.path, 'caller');
let server: LocalServer;
let source: SourceServer;

beforeAll(async () => {
  const png = await sharp({ create: { width: 24, height: 18, channels: 3, background: '#3a7' } })
    .png()
    .toBuffer();
  source = await startSourceServer({ '/cat.png': serveBytes(png), '/gone.png': answerStatus(404) });
  server = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['alice', KEY]]),
    env: { SOURCE_ALLOW_HTTP: 'true', LOCAL_SOURCE_LOOPBACK_ALLOWLIST: `127.0.0.1:${source.port}` },
  });
  mkdirSync(callerDir);
  writeFileSync(join(callerDir, 'photo.png'), png);
});

afterAll(async () => {
  await server?.close();
  await source?.close();
  dir.remove();
});

/** The environment of a process run from a shell: the API configured, npm kept off $HOME and the network. */
const processEnv = () => ({
  ...process.env,
  S3IP_API_URL: server.apiUrl,
  S3IP_API_KEY: KEY,
  HOME: join(dir.path, 'home'),
  npm_config_cache: join(dir.path, 'npm-cache'),
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
});

describe('s3ip exit codes', () => {
  it('exits 1 (that item failed), not 4, when the source of an upload from a URL answers 404', async () => {
    // Prepare
    let stdout = '';
    let stderr = '';

    // Act
    const code = await runCli(['upload', `${source.origin}/gone.png`, `${source.origin}/cat.png`, '--json'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { S3IP_API_URL: server.apiUrl, S3IP_API_KEY: KEY },
      cwd: callerDir,
    });

    // Assess
    expect(code).toBe(EXIT.failed);
    const [gone, cat] = JSON.parse(stdout);
    expect(gone.error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', status: 502, sourceStatus: 404 });
    expect(cat).toMatchObject({ via: 'url', width: 24, height: 18 });
    expect(stderr).toMatch(
      /^s3ip: http:\S+\/gone\.png: SOURCE_UNAVAILABLE \(HTTP 502\): the source answered 404$/m,
    );
  });
});

describe('s3ip as a process', () => {
  it('exits quietly with its own code when the reader of its output goes away: `s3ip ls | true`', async () => {
    // Prepare: something to list
    await run(process.execPath, [CLI, 'upload', 'photo.png'], { cwd: callerDir, env: processEnv() });

    // Act: the pipe's reader exits before s3ip writes; s3ip's exit code goes to stderr
    const { stderr } = await run(
      'sh',
      ['-c', `{ "${process.execPath}" "${CLI}" ls; echo "s3ip exited $?" >&2; } | true`],
      { cwd: callerDir, env: processEnv() },
    );

    // Assess
    expect(stderr).toBe('s3ip exited 0\n');
  });

  it('resolves `npm run s3ip -- upload photo.png` in the directory npm was run from', async () => {
    // Act: from a directory outside the repository, as `npm --prefix <repo> run s3ip` runs there
    const { stdout } = await run(
      'npm',
      ['--prefix', ROOT, 'run', '--silent', 's3ip', '--', 'upload', 'photo.png', '--json'],
      { cwd: callerDir, env: processEnv() },
    );

    // Assess
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ file: 'photo.png', via: 'direct', width: 24, height: 18 }),
    ]);
  });
});
