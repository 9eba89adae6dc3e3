import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../infra/local/local-server';
import { sidewaysPhoneJpeg } from '../../support/model-ready-fixtures';
import {
  type SourceServer,
  serveBytesWithAuthorization,
  startSourceServer,
} from '../../support/source-servers';
import { makeTempDir } from '../../support/temp-dir';

const CLI = join(import.meta.dirname, '..', '..', '..', 'clients', 'typescript', 'src', 'cli.ts');
const KEY = 'mcp-secret-key-8d21';
const WRONG_KEY = 'mcp-wrong-key-00aa';
const TOKEN = 'Bearer chat-media-token-4c1f';

const dir = makeTempDir('mcp');
const allowed = join(dir.path, 'allowed');
const outside = join(dir.path, 'outside');
let local: LocalServer;
let source: SourceServer;
let photo: Buffer;

/**
 * Starts `s3ip mcp` as an MCP host does with the docs' configuration (a command, its arguments,
 * S3IP_API_URL and S3IP_API_KEY in its env) and connects the SDK's own client over stdio.
 */
async function connect(apiKey: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--allow-dir', allowed],
    env: { S3IP_API_URL: local.apiUrl, S3IP_API_KEY: apiKey, PATH: process.env.PATH ?? '' },
    cwd: dir.path,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'mcp-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

const textOf = (result: any): string =>
  result.content
    .filter((part: any) => part.type === 'text')
    .map((part: any) => part.text)
    .join('\n');

let mcp: Client;

beforeAll(async () => {
  photo = await sidewaysPhoneJpeg(1600, 1200);
  mkdirSync(allowed);
  mkdirSync(outside);
  writeFileSync(join(allowed, 'phone.jpg'), photo);
  writeFileSync(join(outside, 'secret.jpg'), photo);
  // A link inside the allowed directory to a file outside it.
  symlinkSync(join(outside, 'secret.jpg'), join(allowed, 'escape.jpg'));
  source = await startSourceServer({
    '/media/photo': serveBytesWithAuthorization(photo, TOKEN, 'image/jpeg'),
  });
  local = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['agent', KEY]]),
    // Loopback sources are refused but for this one server: local mode's test allowance.
    env: { SOURCE_ALLOW_HTTP: 'true', LOCAL_SOURCE_LOOPBACK_ALLOWLIST: `127.0.0.1:${source.port}` },
  });
  ({ client: mcp } = await connect(KEY));
});

afterAll(async () => {
  await mcp?.close();
  await local?.close();
  await source?.close();
  dir.remove();
});

describe('s3ip mcp, driven by the MCP SDK’s client over stdio', () => {
  it('lists its six tools, each with an input schema, an output schema and truthful annotations', async () => {
    // Act
    const { tools } = await mcp.listTools();

    // Assess
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual([
      'delete_image',
      'image_info',
      'list_images',
      'presign_get',
      'rendition_url',
      'upload_image',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description).toBeTruthy();
    }
    expect(Object.keys(byName.upload_image!.inputSchema.properties!)).toEqual(
      expect.arrayContaining(['path', 'url', 'headers', 'base64', 'fit', 'folder', 'tags', 'filename']),
    );
    expect(byName.delete_image!.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(byName.upload_image!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    for (const name of ['list_images', 'image_info', 'rendition_url', 'presign_get'])
      expect(byName[name]!.annotations?.readOnlyHint).toBe(true);
  });

  it('uploads a phone photo by path: a resource_link whose URL serves the model-ready JPEG', async () => {
    // Act
    const result: any = await mcp.callTool({ name: 'upload_image', arguments: { path: 'phone.jpg' } });

    // Assess
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent;
    const link = result.content.find((part: any) => part.type === 'resource_link');
    expect(link).toMatchObject({
      uri: answer.url,
      name: 'phone.jpg',
      mimeType: 'image/jpeg',
      size: answer.size,
    });
    expect(textOf(result)).toContain(answer.url);
    expect(answer.prompt.anthropic).toEqual({ type: 'image', source: { type: 'url', url: answer.url } });
    const served = await fetch(link.uri);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.length).toBe(answer.size);
    // Upright (the phone stored it sideways), no EXIF left: what a model should get.
    const meta = await sharp(bytes).metadata();
    expect(meta.width! < meta.height!).toBe(true);
    expect([meta.width, meta.height]).toEqual([answer.width, answer.height]);
    expect(meta.exif).toBeUndefined();
  });

  it('uploads by URL, with the header the source needs, through the service’s own fetch', async () => {
    // Act
    const result: any = await mcp.callTool({
      name: 'upload_image',
      arguments: { url: `${source.origin}/media/photo`, headers: { Authorization: TOKEN }, fit: 'openai' },
    });

    // Assess
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ contentType: 'image/jpeg', profile: 'openai' });
    const link = result.content.find((part: any) => part.type === 'resource_link');
    expect(link.uri).toBe(result.structuredContent.url);
    expect((await fetch(link.uri)).status).toBe(200);
    expect(source.requests.at(-1)?.headers.authorization).toBe(TOKEN);
  });

  it('lists, describes, signs, builds a rendition URL for, and deletes an image', async () => {
    // Prepare
    const uploaded: any = await mcp.callTool({
      name: 'upload_image',
      arguments: {
        base64: (
          await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0ffee' } })
            .png()
            .toBuffer()
        ).toString('base64'),
      },
    });
    const { key, url } = uploaded.structuredContent;

    // Act
    const listed: any = await mcp.callTool({ name: 'list_images', arguments: {} });
    const info: any = await mcp.callTool({ name: 'image_info', arguments: { image: url } });
    const signed: any = await mcp.callTool({ name: 'presign_get', arguments: { image: key, expiresIn: 60 } });
    const privateRead = (await fetch(signed.structuredContent.url)).status;
    const rendition: any = await mcp.callTool({
      name: 'rendition_url',
      arguments: { url, w: 32, format: 'webp' },
    });
    const deleted: any = await mcp.callTool({ name: 'delete_image', arguments: { image: key } });
    const gone: any = await mcp.callTool({ name: 'image_info', arguments: { image: key } });

    // Assess
    expect(listed.structuredContent.items.map((item: any) => item.key)).toContain(key);
    expect(info.structuredContent).toMatchObject({ key, url, width: 64, height: 48 });
    expect(privateRead).toBe(200);
    expect(rendition.structuredContent).toEqual({ url: `${url}?w=32&format=webp` });
    expect(deleted.structuredContent).toEqual({ deleted: key });
    expect(gone.isError).toBe(true);
    expect(textOf(gone)).toMatch(/^NOT_FOUND: \(HTTP 404\) /);
  });

  it.each([
    ['an absolute path outside the allowed directory', () => join(outside, 'secret.jpg')],
    ['a relative path climbing out', () => '../outside/secret.jpg'],
    ['a symlink inside pointing outside', () => 'escape.jpg'],
  ])('refuses %s as an isError result, and keeps serving', async (_case, path) => {
    // Act
    const refused: any = await mcp.callTool({ name: 'upload_image', arguments: { path: path() } });
    const next: any = await mcp.callTool({ name: 'list_images', arguments: { limit: 1 } });

    // Assess
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^PATH_NOT_ALLOWED: .* is outside the directories this server may read/);
    expect(refused.structuredContent).toBeUndefined();
    expect(next.isError).toBeFalsy();
  });

  it('answers a listing outside its namespace as FORBIDDEN, without blaming the key', async () => {
    // Act
    const result: any = await mcp.callTool({ name: 'list_images', arguments: { prefix: 'someone-else/' } });

    // Assess
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^FORBIDDEN: \(HTTP 403\) prefix must start with "agent\/"/);
    expect(textOf(result)).not.toContain('API key');
  });

  it('answers an input that is no image with the service’s code, as an isError result', async () => {
    // Act
    const result: any = await mcp.callTool({
      name: 'upload_image',
      arguments: { base64: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64') },
    });

    // Assess
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^UNSUPPORTED_MEDIA_TYPE: \(HTTP 415\) /);
  });
});

describe('s3ip mcp with a key the service refuses', () => {
  it('says so once, clearly, answers isError each time, and keeps serving', async () => {
    // Prepare
    const { client, stderr } = await connect(WRONG_KEY);

    // Act
    const first: any = await client.callTool({ name: 'upload_image', arguments: { path: 'phone.jpg' } });
    const second: any = await client.callTool({ name: 'list_images', arguments: {} });
    const pure: any = await client.callTool({
      name: 'rendition_url',
      arguments: { url: `${local.apiUrl}/cdn/agent/x.jpg`, fit: 'anthropic' },
    });
    await client.close();

    // Assess
    expect([first.isError, second.isError]).toEqual([true, true]);
    expect(textOf(first)).toMatch(/^FORBIDDEN: \(HTTP 403\) .*refused this server's API key.*S3IP_API_KEY/);
    expect(textOf(second)).toMatch(/^FORBIDDEN: \(HTTP 403\) .*\(the API key was refused\)$/);
    expect(textOf(second)).not.toContain('S3IP_API_KEY');
    expect(pure.structuredContent).toEqual({ url: `${local.apiUrl}/cdn/agent/x.jpg?fit=anthropic` });
    expect(stderr().match(/refused the API key/g)).toHaveLength(1);
    expect(stderr()).not.toContain(WRONG_KEY);
  });
});
