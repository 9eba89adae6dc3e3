import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** One answer of the API as local mode sent it: what a contract test checks against the spec. */
export interface TappedAnswer {
  /** The request's method and path (no query); both '' for bytes that were not HTTP. */
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Readonly<OutgoingHttpHeaders>;
  readonly body: Buffer;
}

/** Receives every API answer once it is sent. */
export type AnswerTap = (answer: TappedAnswer) => void;

/**
 * Copies what `res` sends (status, headers, body) to `tap` when the answer is finished. Wraps
 * `write`/`end` of this one response only; nothing changes on the wire.
 */
export function tapAnswer(req: IncomingMessage, res: ServerResponse, path: string, tap: AnswerTap): void {
  const chunks: Buffer[] = [];
  // Headers given to writeHead are sent but never show in getHeaders().
  const written: Record<string, OutgoingHttpHeaders[string]> = {};
  const keep = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string')
      chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg));
    for (const [name, value] of Object.entries((headers ?? {}) as OutgoingHttpHeaders))
      written[name.toLowerCase()] = value;
    return writeHead(status, ...rest);
  }) as ServerResponse['writeHead'];
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') keep(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
  res.once('finish', () =>
    tap({
      method: req.method ?? '',
      path,
      status: res.statusCode,
      headers: { ...res.getHeaders(), ...written },
      body: Buffer.concat(chunks),
    }),
  );
}
