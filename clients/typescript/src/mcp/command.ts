import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ImageProxyClient } from '../client.ts';
import { isFilesystemRoot, PathGuard } from './path-guard.ts';
import { createImageToolsServer } from './server.ts';

/** What `s3ip mcp` reads of the CLI's io; the protocol itself runs on the process's stdin and stdout. */
export interface McpCommandIo {
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signal?: AbortSignal;
}

const HELP = `s3ip mcp: an MCP server over stdio (tools: upload_image, list_images, image_info,
delete_image, rendition_url, presign_get), for Claude Desktop, Claude Code, Cursor, VS Code…

Usage: s3ip mcp [--allow-dir DIR]… [--api-url URL]

  --allow-dir DIR   upload_image may read files under DIR (repeatable; default: the working
                    directory, unless it is the filesystem root). Symlinks out are refused.
  --api-url URL     API base URL (default: $S3IP_API_URL)

The API key comes from $S3IP_API_KEY only. stdout carries the protocol; messages go to stderr.
`;

/**
 * `s3ip mcp`: serves the image tools over stdio until the host closes stdin. Resolves to the
 * exit code: 0 after a clean end, 2 for a bad command line or configuration.
 */
export async function runMcpCommand(argv: readonly string[], io: McpCommandIo): Promise<number> {
  const log = (line: string) => io.stderr.write(`${line}\n`);
  let config: ReturnType<typeof configOf>;
  try {
    config = configOf(argv, io);
  } catch (err) {
    log(`s3ip mcp: ${(err as Error).message}\nRun s3ip mcp --help for usage.`);
    return 2;
  }
  if (config === 'help') {
    io.stderr.write(HELP);
    return 0;
  }
  const server = createImageToolsServer({ ...config, version: version(), log });
  const stdin = process.stdin;
  const closed = new Promise<void>((resolve) => {
    stdin.on('end', resolve);
    stdin.on('close', resolve);
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
    server.server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport(stdin, process.stdout));
  log(
    `s3ip mcp: serving ${config.client.apiUrl} over stdio; files readable under: ${config.guard.dirs.join(', ') || 'none'}`,
  );
  await closed;
  await server.close();
  return 0;
}

function configOf(argv: readonly string[], io: McpCommandIo) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      'allow-dir': { type: 'string', multiple: true },
      'api-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  const apiUrl = values['api-url'] ?? io.env.S3IP_API_URL;
  const apiKey = io.env.S3IP_API_KEY;
  if (!apiUrl) throw new Error('no API URL: set S3IP_API_URL in the server’s env (or pass --api-url)');
  if (!/^https?:\/\/[^/]/i.test(apiUrl)) throw new Error(`the API URL must be http(s)://…, got "${apiUrl}"`);
  if (!apiKey) throw new Error('no API key: set S3IP_API_KEY in the server’s env');
  // Desktop hosts start servers in `/`: the whole disk is never allowed without asking.
  const dirs = values['allow-dir'] ?? (isFilesystemRoot(io.cwd) ? [] : [io.cwd]);
  let guard: PathGuard;
  try {
    guard = new PathGuard(dirs);
  } catch (err) {
    throw new Error(`--allow-dir: ${(err as Error).message}`);
  }
  return { client: new ImageProxyClient({ apiUrl, apiKey }), guard };
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
