import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../infra/local/local-server';
import { startLoopbackNpmRegistry } from '../../support/loopback-npm-registry';
import { nodePackageForThisPlatform, nodeRuntime } from '../../support/node-runtimes';
import { makeTempDir } from '../../support/temp-dir';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const PACKAGE = join(ROOT, 'clients', 'typescript');
const KEY = 'package-key-5e0c';
/** The newest release of each older line the package supports (engines >=20.3), checked 2026-12-07. */
const OLDER_NODES: Readonly<Record<number, string>> = { 20: '20.20.2', 22: '22.23.5' };
/** Kept across runs (git-ignored, never $HOME): the first run downloads ~2 × 30 MB, later runs nothing. */
const RUNTIME_CACHE = join(ROOT, 'node_modules', '.cache', 'package-test-node-runtimes');

const dir = makeTempDir('ts-package');
/** An empty project the packed tarball is installed into, as a user would. */
const consumer = join(dir.path, 'consumer');
let server: LocalServer;
let tarball: string;
let registry: Awaited<ReturnType<typeof startLoopbackNpmRegistry>>;

/**
 * npm with its cache and logs under the temp folder, and the package's dependencies from a
 * registry on loopback (served from the project's node_modules): nothing goes to $HOME or the network.
 */
const npmEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
  HOME: join(dir.path, 'home'),
  npm_config_cache: join(dir.path, 'npm-cache'),
  npm_config_registry: registry.url,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
});

beforeAll(async () => {
  const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
  registry = await startLoopbackNpmRegistry(ROOT, manifest.dependencies ?? {});
  server = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['alice', KEY]]),
  });
  // Pack the package as `npm publish` would: its prepack script builds dist/ (git-ignored) with tsc.
  const packed = await run('npm', ['pack', '--silent', '--pack-destination', dir.path], {
    cwd: PACKAGE,
    env: npmEnv(),
  });
  tarball = join(dir.path, packed.stdout.trim().split('\n').at(-1)!);
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    '{ "name": "consumer", "private": true, "type": "module" }\n',
  );
  await run('npm', ['install', tarball], { cwd: consumer, env: npmEnv() });
  const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#c33' } })
    .png()
    .toBuffer();
  writeFileSync(join(consumer, 'red.png'), png);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await registry?.close();
  dir.remove();
});

describe('the packed @s3-image-proxy/client, installed into an empty project', () => {
  it.for([20, 22, 24])(
    'runs `s3ip --help`, an upload, an import and `s3ip mcp` on Node %i',
    { timeout: 240_000 },
    async (major, { skip }) => {
      // Prepare: Node 24 is the project's own; 20 and 22 come from npm, like it
      let node = process.execPath;
      if (major !== 24) {
        if (!nodePackageForThisPlatform())
          skip(`npm has no Node package for ${process.platform}-${process.arch}: test Node ${major} by hand`);
        node = await nodeRuntime(OLDER_NODES[major]!, RUNTIME_CACHE);
      }
      // The bin's `#!/usr/bin/env node` finds this Node first.
      const env = {
        ...process.env,
        PATH: `${dirname(node)}:${process.env.PATH}`,
        S3IP_API_URL: server.apiUrl,
        S3IP_API_KEY: KEY,
      };
      const s3ip = join(consumer, 'node_modules', '.bin', 's3ip');

      // Act
      const version = await run('node', ['-p', 'process.versions.node'], { env });
      const help = await run(s3ip, ['--help'], { cwd: consumer, env });
      const upload = await run(s3ip, ['upload', 'red.png', '--json'], { cwd: consumer, env });
      const imported = await run(
        'node',
        [
          '--input-type=module',
          '-e',
          "const m = await import('@s3-image-proxy/client'); console.log(typeof m.ImageProxyClient, m.renditionUrl('https://cdn.test/a.png', { w: 64 }))",
        ],
        { cwd: consumer, env },
      );
      // The MCP server as docs/agents.md starts it, asked for its tools by the SDK's own client.
      const mcp = new Client({ name: 'packed-check', version: '1.0.0' });
      await mcp.connect(
        new StdioClientTransport({
          command: s3ip,
          args: ['mcp'],
          env: env as Record<string, string>,
          cwd: consumer,
          stderr: 'ignore',
        }),
      );
      const { tools } = await mcp.listTools();
      await mcp.close();

      // Assess
      expect(Number(version.stdout.split('.')[0])).toBe(major);
      expect(help.stdout).toMatch(/^s3ip: turn images into URLs that AI models can fetch/);
      const [answer] = JSON.parse(upload.stdout);
      expect(answer).toMatchObject({ file: 'red.png', via: 'direct', width: 30, height: 20 });
      const served = await fetch(answer.url);
      expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
      expect(imported.stdout).toBe('function https://cdn.test/a.png?w=64\n');
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'delete_image',
        'image_info',
        'list_images',
        'presign_get',
        'rendition_url',
        'upload_image',
      ]);
    },
  );

  it('ships the built JavaScript, its types, the README and package.json: no sources, no tests', async () => {
    // Act
    const listed = await run('tar', ['-tzf', tarball]);

    // Assess
    const files = listed.stdout.trim().split('\n');
    expect(
      files.filter(
        (f) => !/^package\/(dist\/([\w-]+\/)*[\w-]+\.(js|d\.ts)|README\.md|package\.json)$/.test(f),
      ),
    ).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining(['package/dist/cli.js', 'package/dist/index.js', 'package/dist/index.d.ts']),
    );
  });

  it('gives TypeScript users its types through the package exports', { timeout: 120_000 }, async () => {
    // Prepare: a consumer's file, with one call its types must refuse
    writeFileSync(
      join(consumer, 'use.ts'),
      `import { ImageProxyClient, SourceUnavailableError, type UploadAnswer } from '@s3-image-proxy/client';
const client = new ImageProxyClient({ apiUrl: 'http://127.0.0.1:3000', apiKey: 'k' });
export const answer: Promise<UploadAnswer> = client.uploadFromUrl('https://example.org/cat.png', { fit: 'openai' });
// @ts-expect-error: not a profile
client.uploadFromUrl('https://example.org/cat.png', { fit: 'poster' });
export const isSourceError = (err: unknown) => err instanceof SourceUnavailableError && err.sourceStatus === 404;
`,
    );

    // Act
    const checked = await run(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--noEmit',
        '--strict',
        // The package's own .d.ts are still resolved and used; only their bodies go unchecked (fast).
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(ROOT, 'node_modules', '@types'),
        'use.ts',
      ],
      { cwd: consumer },
    ).catch((err) => err);

    // Assess
    expect(`${checked.stdout ?? ''}${checked.stderr ?? ''}`).toBe('');
  });
});
