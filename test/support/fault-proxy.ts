import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does to a request:
 * - `pass`: forwards it to the upstream S3 and relays the answer;
 * - `slowdown` / `internal-error`: answers 503 SlowDown / 500 InternalError in S3's XML;
 * - `reset`: reads the request, then resets the connection (ECONNRESET);
 * - `hang`: reads the request and never answers (past any client timeout);
 * - `lose-answer`: forwards it (the upstream acts on it), then resets instead of relaying;
 * - `truncate`: forwards the headers and half the body, then cuts both connections.
 */
export type FaultMode =
  | 'pass'
  | 'slowdown'
  | 'internal-error'
  | 'reset'
  | 'hang'
  | 'lose-answer'
  | 'truncate';

/** One request the proxy saw and what it did to it. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly fault: FaultMode;
  /** The request id of an S3 error the proxy answered itself (`x-amz-request-id`, as S3 sends it). */
  readonly s3RequestId?: string;
}

interface FaultRule {
  readonly mode: FaultMode;
  remaining: number;
  readonly method: string | undefined;
}

/** A fault-injecting HTTP proxy in front of an S3-compatible server, on loopback. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to an S3 client as its endpoint. */
  readonly endpoint: string;
  /** Requests seen, in order. */
  readonly log: readonly ProxiedRequest[];
  /**
   * Applies `mode` to the next `times` requests (those of `method` only, when given), after the
   * rules already queued. `times` defaults to every request until `clear()`.
   */
  inject(mode: FaultMode, options?: { times?: number; method?: string }): void;
  /** Drops every queued rule and the log: requests pass again. */
  clear(): void;
  close(): Promise<void>;
}

const S3_ERRORS = {
  slowdown: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  'internal-error': {
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  },
} as const;

function s3ErrorXml(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId><HostId>fault-proxy</HostId></Error>`;
}

// DynamoDB's own answers to the same faults: throttled (400 ThrottlingException) and failed (500).
const DYNAMODB_ERRORS = {
  slowdown: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
    message: 'Rate exceeded',
  },
  'internal-error': {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error',
  },
} as const;

/**
 * Starts the proxy on 127.0.0.1 (port chosen by the OS), forwarding to `upstream`. `dialect`
 * says whose errors it answers with: S3's XML, or DynamoDB's JSON (`x-amzn-ErrorType`).
 */
export async function startFaultProxy(
  upstream: string,
  dialect: 's3' | 'dynamodb' = 's3',
): Promise<FaultProxy> {
  const target = new URL(upstream);
  let rules: FaultRule[] = [];
  const log: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const nextFault = (method: string): FaultMode => {
    const rule = rules.find((r) => r.remaining > 0 && (r.method === undefined || r.method === method));
    if (!rule) return 'pass';
    rule.remaining -= 1;
    return rule.mode;
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    onAnswer: (upstreamRes: IncomingMessage, answer: Buffer) => void,
    onError: () => void,
  ) => {
    // The Host header stays as the client signed it: the embedded S3 checks SigV4, which binds it.
    const headers = req.headers;
    const upstreamReq = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
      (upstreamRes) => {
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamRes.on('end', () => onAnswer(upstreamRes, Buffer.concat(chunks)));
        upstreamRes.on('error', onError);
      },
    );
    upstreamReq.on('error', onError);
    upstreamReq.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const method = req.method ?? 'GET';
    const fault = nextFault(method);
    // S3 names each answer, errors included, in x-amz-request-id (and x-amz-id-2).
    const s3RequestId =
      fault === 'slowdown' || fault === 'internal-error'
        ? randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()
        : undefined;
    log.push({ method, path: req.url ?? '', fault, ...(s3RequestId !== undefined && { s3RequestId }) });
    const reset = () => req.socket.resetAndDestroy();
    switch (fault) {
      case 'slowdown':
      case 'internal-error': {
        if (dialect === 'dynamodb') {
          const { status, type, message } = DYNAMODB_ERRORS[fault];
          res.writeHead(status, {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-errortype': type,
            'x-amzn-requestid': s3RequestId!,
          });
          return void res.end(JSON.stringify({ __type: type, message }));
        }
        const { status, code, message } = S3_ERRORS[fault];
        res.writeHead(status, {
          'content-type': 'application/xml',
          'x-amz-request-id': s3RequestId!,
          'x-amz-id-2': `fault-proxy/${s3RequestId}`,
        });
        return void res.end(method === 'HEAD' ? undefined : s3ErrorXml(code, message, s3RequestId!));
      }
      case 'reset':
        return reset();
      case 'hang':
        return; // the socket stays open and silent until the client gives up or close()
      case 'lose-answer':
        return forward(req, body, () => reset(), reset);
      case 'truncate': {
        const upstreamReq = request({
          host: target.hostname,
          port: target.port,
          method,
          path: req.url,
          headers: req.headers,
          agent: false,
        });
        upstreamReq.on('error', () => undefined);
        upstreamReq.write(body.subarray(0, Math.floor(body.length / 2)), () => {
          upstreamReq.destroy();
          reset();
        });
        return;
      }
      case 'pass':
        return forward(
          req,
          body,
          (upstreamRes, answer) => {
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            res.end(answer);
          },
          reset,
        );
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    inject: (mode, options = {}) => {
      rules.push({ mode, remaining: options.times ?? Number.POSITIVE_INFINITY, method: options.method });
    },
    clear: () => {
      rules = [];
      log.length = 0;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
