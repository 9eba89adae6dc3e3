import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { UploadAnswer } from '../api-types.ts';
import { ApiError, ForbiddenError, ImageProxyError } from '../errors.ts';
import { PathRefusedError } from './path-guard.ts';

/** A tool's answer: its structured content, and a short text line for models that read only text. */
export function okResult(structured: Record<string, unknown>, text: string): CallToolResult {
  return { structuredContent: structured, content: [{ type: 'text', text }] };
}

/**
 * The answer of an upload: the upload answer as structured content, a `resource_link` to the
 * model-ready URL (MCP has no image-by-URL block), and one line a model can act on.
 */
export function uploadResult(answer: UploadAnswer, name: string): CallToolResult {
  const pixels = answer.width && answer.height ? `${answer.width}×${answer.height} ` : '';
  const tokens = answer.tokens ? `, ~${answer.tokens.anthropic} Claude tokens` : '';
  return {
    structuredContent: answer as unknown as Record<string, unknown>,
    content: [
      {
        type: 'resource_link',
        uri: answer.url,
        name,
        mimeType: answer.contentType,
        size: answer.size,
        description: `Model-ready rendition (${pixels}${answer.contentType}, ${answer.size} bytes)`,
      },
      {
        type: 'text',
        text: `Uploaded ${name}: ${answer.url} (${pixels}${answer.contentType}, ${answer.size} bytes${tokens}). Any model can fetch this URL; structuredContent.prompt has the image block for each provider.`,
      },
    ],
  };
}

/** A failure as a tool result (`isError`), never a thrown error: the server keeps serving. */
export function errorResult(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
}

/**
 * Turns what a tool threw into its error result, with the service's code, status and message.
 * A refused API key is explained once, in full, then named briefly: every tool fails the same
 * way until the user fixes the server's configuration, and a model should stop retrying.
 */
export class ErrorReporter {
  readonly #log: (line: string) => void;
  #keyRefusedSaid = false;

  /** `log` writes a line where the host shows the server's own messages (stderr). */
  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  resultOf(err: unknown): CallToolResult {
    if (err instanceof ForbiddenError && refusesTheKey(err)) return this.#forbidden(err);
    if (err instanceof ApiError) return errorResult(err.code, `(HTTP ${err.status}) ${err.message}`);
    if (err instanceof ImageProxyError || err instanceof PathRefusedError)
      return errorResult(err.code, err.message);
    if (err instanceof TypeError || err instanceof RangeError)
      return errorResult('INVALID_REQUEST', err.message);
    this.#log(`s3ip mcp: unexpected error: ${(err as Error)?.stack ?? String(err)}`);
    return errorResult('ERROR', (err as Error)?.message ?? String(err));
  }

  #forbidden(err: ForbiddenError): CallToolResult {
    if (this.#keyRefusedSaid)
      return errorResult(err.code, `(HTTP 403) ${err.message} (the API key was refused)`);
    this.#keyRefusedSaid = true;
    this.#log('s3ip mcp: the service refused the API key (S3IP_API_KEY): fix it in the server configuration');
    return errorResult(
      err.code,
      `(HTTP 403) ${err.message}. The service refused this server's API key: every tool will fail until ` +
        "the user sets a valid S3IP_API_KEY in the MCP server's configuration and restarts it. Do not retry.",
    );
  }
}

/**
 * FORBIDDEN also answers a request outside the caller's namespace (a listing prefix): only an
 * answer about the key itself (`a valid x-api-key header is required`, `the API key belongs to
 * no configured client`) means every call will fail.
 */
const refusesTheKey = (err: ForbiddenError): boolean => /\bapi key\b|x-api-key/i.test(err.message);
