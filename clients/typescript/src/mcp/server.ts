import { basename } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { UploadAnswer } from '../api-types.ts';
import type { ImageProxyClient } from '../client.ts';
import { renditionUrl } from '../rendition-url.ts';
import type { PathGuard } from './path-guard.ts';
import { ErrorReporter, errorResult, okResult, uploadResult } from './results.ts';
import * as schema from './schemas.ts';

export interface ImageToolsOptions {
  readonly client: ImageProxyClient;
  readonly guard: PathGuard;
  /** The package's version, announced to the host. */
  readonly version: string;
  /** Where the server's own messages go (stderr: stdout carries the protocol). */
  readonly log: (line: string) => void;
}

type UploadArgs = z.infer<z.ZodObject<typeof schema.uploadInput>>;

const DEFAULT_LIST_LIMIT = 50;
const STRICT_BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The MCP server of s3-image-proxy: upload an image (a file, a URL the service fetches, or
 * base64) and get a stable, model-ready URL; list, inspect and delete images; build CDN
 * rendition URLs; sign short-lived private reads. Every failure is a tool result with
 * `isError` and the service's code, so one bad call never ends the session.
 */
export function createImageToolsServer(options: ImageToolsOptions): McpServer {
  const { client, guard } = options;
  const errors = new ErrorReporter(options.log);
  const server = new McpServer({ name: 's3ip', title: 's3-image-proxy', version: options.version });
  const guarded: Guarded = async (run) => {
    try {
      return await run();
    } catch (err) {
      return errors.resultOf(err);
    }
  };
  registerUploadTool(server, client, guard, guarded);
  registerCatalogueTools(server, client, guarded);
  registerUrlTools(server, client, guarded);
  return server;
}

/** Runs a tool's body, turning what it throws into an `isError` result. */
type Guarded = (run: () => Promise<CallToolResult>) => Promise<CallToolResult>;

function registerUploadTool(server: McpServer, client: ImageProxyClient, guard: PathGuard, guarded: Guarded) {
  server.registerTool(
    'upload_image',
    {
      title: 'Upload an image',
      description:
        'Publish an image at a stable, private-by-default HTTPS URL that AI models can fetch: a local file ' +
        '(`path`), an http(s) URL the service fetches (`url`, with optional `headers`) or `base64` bytes, ' +
        'exactly one. The image is made model-ready (upright, sRGB, no EXIF/GPS, sized for the profile). ' +
        'Answers the URL, size, token estimates and ready-to-paste prompt blocks per provider.',
      inputSchema: schema.uploadInput,
      outputSchema: schema.uploadOutput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    (args) => guarded(() => upload(client, guard, args)),
  );
}

/** list_images, image_info, delete_image: the catalogue of the key's client. */
function registerCatalogueTools(server: McpServer, client: ImageProxyClient, guarded: Guarded) {
  server.registerTool(
    'list_images',
    {
      title: 'List images',
      description: 'List your stored images (key, URL, size, type), in key order.',
      inputSchema: schema.listInput,
      outputSchema: schema.listOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ prefix, limit = DEFAULT_LIST_LIMIT }) =>
      guarded(async () => {
        const items = [];
        let more = false;
        for await (const item of client.list({
          ...(prefix && { prefix }),
          pageSize: Math.min(limit + 1, 1000),
        })) {
          if (items.length === limit) {
            more = true;
            break;
          }
          items.push(item);
        }
        return okResult({ items, more }, `${items.length} image(s)${more ? ', more not shown' : ''}.`);
      }),
  );

  server.registerTool(
    'image_info',
    {
      title: 'Image info',
      description: 'One stored image: its URL, size, type, pixel size, profile and what was uploaded.',
      inputSchema: schema.imageInput,
      outputSchema: schema.infoOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ image }) =>
      guarded(async () => {
        const info = await client.info(image);
        return okResult(
          { ...info },
          `${info.key}: ${info.url} (${info.contentType ?? 'unknown type'}, ${info.size} bytes)`,
        );
      }),
  );

  server.registerTool(
    'delete_image',
    {
      title: 'Delete an image',
      description:
        'Delete a stored image for good: its URL stops working (after the CDN cache is invalidated). ' +
        'Deleting one already gone succeeds.',
      inputSchema: schema.imageInput,
      outputSchema: schema.deleteOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ image }) =>
      guarded(async () => {
        await client.delete(image);
        return okResult({ deleted: image }, `Deleted ${image}.`);
      }),
  );
}

/** rendition_url (computed here) and presign_get (signed by the service). */
function registerUrlTools(server: McpServer, client: ImageProxyClient, guarded: Guarded) {
  server.registerTool(
    'rendition_url',
    {
      title: 'Rendition URL',
      description:
        'Build the URL of a resized or converted rendition of an uploaded image, made by the CDN when ' +
        'first fetched (e.g. w=800, format=webp). Computed here: no call to the service.',
      inputSchema: schema.renditionInput,
      outputSchema: schema.renditionOutput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ url, ...rendition }) =>
      guarded(async () => {
        const built = renditionUrl(url, rendition);
        return okResult({ url: built }, built);
      }),
  );

  server.registerTool(
    'presign_get',
    {
      title: 'Presigned private read',
      description:
        'A short-lived URL that reads a stored object privately (it expires; prefer the stable public URL ' +
        'for models, since expired URLs in a chat history break later turns).',
      inputSchema: schema.presignGetInput,
      outputSchema: schema.presignGetOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ image, expiresIn }) =>
      guarded(async () => {
        const signed = await client.presignGet(image, { ...(expiresIn !== undefined && { expiresIn }) });
        return okResult({ ...signed }, `${signed.url} (expires ${signed.expiresAt})`);
      }),
  );
}

async function upload(client: ImageProxyClient, guard: PathGuard, args: UploadArgs): Promise<CallToolResult> {
  const sources = [args.path, args.url, args.base64].filter((value) => value !== undefined);
  if (sources.length !== 1) return errorResult('INVALID_REQUEST', 'give exactly one of path, url or base64');
  if (args.headers && args.url === undefined)
    return errorResult('INVALID_REQUEST', 'headers go with url only');
  const common = {
    ...(args.fit && { fit: args.fit }),
    ...(args.folder !== undefined && { folder: args.folder }),
    ...(args.tags !== undefined && { tags: args.tags }),
  };
  let answer: UploadAnswer;
  let name: string;
  if (args.path !== undefined) {
    const real = await guard.resolveFile(args.path);
    name = args.filename ?? basename(args.path);
    answer = await client.uploadFile(real, { ...common, filename: name });
  } else if (args.url !== undefined) {
    name = args.filename ?? (basename(new URL(args.url).pathname) || args.url);
    answer = await client.uploadFromUrl(args.url, {
      ...common,
      ...(args.filename !== undefined && { filename: args.filename }),
      ...(args.headers && { sourceHeaders: args.headers }),
    });
  } else {
    const base64 = args.base64!.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
    if (!STRICT_BASE64.test(base64)) return errorResult('INVALID_BASE64', 'base64 is not valid base64');
    name = args.filename ?? 'image';
    answer = await client.upload(Buffer.from(base64, 'base64'), {
      ...common,
      ...(args.filename !== undefined && { filename: args.filename }),
    });
  }
  return uploadResult(answer, name);
}
