import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImageProxyClient,
  SourceForbiddenError,
  SourceUnavailableError,
} from '../../../clients/typescript/src/index.ts';
import { runCli } from '../../../clients/typescript/src/cli-main.ts';
import { KEY, served, sha256 } from '../../support/client-local';
import { useLocalServer } from '../../support/file-server';
import { makeNoisyPng } from '../../support/image-fixtures';
import {
  answerStatus,
  serveBytes,
  serveBytesWithAuthorization,
  startSourceServer,
  type SourceServer,
} from '../../support/source-servers';

describe('uploads from a URL through the TypeScript client and s3ip', () => {
  const TOKEN = 'Bearer source-token-5b2e';
  let source: SourceServer;
  let png: Buffer;

  beforeAll(async () => {
    png = await makeNoisyPng(3_000, 31);
    source = await startSourceServer({
      '/cat.png': serveBytes(png, 'application/octet-stream'),
      '/private.png': serveBytesWithAuthorization(png, TOKEN, 'image/png'),
      '/gone.png': answerStatus(404),
    });
  });
  // Registered before the server's own: after hooks run last-first, so the server closes first.
  afterAll(async () => {
    await source.close();
  });

  const fetching = useLocalServer('ts-client-source', { alice: KEY }, () => ({
    // Loopback sources are refused but for this one server: local mode's test allowance.
    env: { SOURCE_ALLOW_HTTP: 'true', LOCAL_SOURCE_LOOPBACK_ALLOWLIST: `127.0.0.1:${source.port}` },
  }));

  it('has the service fetch an image, with the header its source needs', async () => {
    // Prepare
    const proxy = new ImageProxyClient({ apiUrl: fetching.server.apiUrl, apiKey: KEY });

    // Act
    const fetched = await proxy.uploadFromUrl(`${source.origin}/cat.png`, { filename: 'cat.png' });
    const authorised = await proxy.uploadFromUrl(`${source.origin}/private.png`, {
      sourceHeaders: { Authorization: TOKEN },
      fit: 'openai',
    });

    // Assess
    expect(fetched.sha256).toBe(sha256(png));
    expect((await served(fetched.url)).equals(png)).toBe(true);
    expect(authorised.profile).toBe('openai');
  });

  it('throws SourceUnavailableError with the status the source answered, without retrying a 4xx', async () => {
    // Prepare
    const proxy = new ImageProxyClient({ apiUrl: fetching.server.apiUrl, apiKey: KEY });
    const before = source.requests.length;

    // Act
    const gone = proxy.uploadFromUrl(`${source.origin}/gone.png`);

    // Assess
    await expect(gone).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(gone).rejects.toMatchObject({ status: 502, sourceStatus: 404 });
    expect(source.requests.length - before).toBe(1);
    await expect(proxy.uploadFromUrl('http://169.254.169.254/latest/meta-data/')).rejects.toBeInstanceOf(
      SourceForbiddenError,
    );
  });

  it('uploads URLs given to s3ip upload, files alongside', async () => {
    // Prepare
    const file = join(fetching.dataDir, 'local.png');
    writeFileSync(file, await makeNoisyPng(2_000, 32));
    let stdout = '';

    // Act
    const code = await runCli(['upload', `${source.origin}/cat.png`, 'local.png', '--json'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      env: { S3IP_API_URL: fetching.server.apiUrl, S3IP_API_KEY: KEY },
      cwd: fetching.dataDir,
    });

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((r: any) => [r.file, r.via, r.sha256])).toEqual([
      [`${source.origin}/cat.png`, 'url', sha256(png)],
      ['local.png', 'direct', expect.stringMatching(/^[0-9a-f]{64}$/)],
    ]);
  });
});
