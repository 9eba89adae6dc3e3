import { createHash } from 'node:crypto';
import { IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { MAX_DIRECT_UPLOAD_BYTES_CEILING } from '../../lambdas/core/limits';
import { S3RequestRefusedError, writeS3Refusal } from './s3-refusal';
import type { SigV4Verifier, VerifiedRequest } from './sigv4-verifier';

/** Limits of the gate. */
export interface SigV4GateOptions {
  /**
   * Largest body with a signed SHA-256 the gate holds in memory to check it, in bytes.
   * @default MAX_DIRECT_UPLOAD_BYTES_CEILING (1 GiB: the largest object the service writes)
   */
  readonly maxHashedBodyBytes?: number;
}

/** A request listener that can also answer `Expect: 100-continue` itself. */
export interface SigV4Gate {
  /** For the server's `request` event. */
  readonly onRequest: RequestListener;
  /** For the server's `checkContinue` event: the signature is checked before `100 Continue`. */
  readonly onCheckContinue: RequestListener;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/**
 * Puts SigV4 verification in front of `next` (s3rver's handler), as S3 checks every request:
 * unsigned, tampered, expired and unknown-key requests are answered with S3's status and XML
 * error and never reach `next`. A body with a signed SHA-256 is read whole and checked first
 * (`XAmzContentSHA256Mismatch`), then replayed to `next`; an `UNSIGNED-PAYLOAD` body streams
 * through, its length bound by the signed `content-length` Node's parser enforces.
 * CORS preflights (`OPTIONS`) pass unsigned, as they do on S3.
 */
export function createSigV4Gate(
  verifier: SigV4Verifier,
  next: RequestListener,
  options: SigV4GateOptions = {},
): SigV4Gate {
  const maxHashedBodyBytes = options.maxHashedBodyBytes ?? MAX_DIRECT_UPLOAD_BYTES_CEILING;

  async function admit(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): Promise<void> {
    if (req.method === 'OPTIONS') {
      if (expectsContinue) res.writeContinue();
      return void next(req, res);
    }
    let verified: VerifiedRequest;
    try {
      verified = await verifier.verify({
        method: req.method ?? 'GET',
        target: req.url ?? '/',
        headers: req.headers,
      });
      checkFraming(req);
    } catch (err) {
      // Refused before its body was read: the client that waits for 100 Continue never sends it.
      return refuse(req, res, err, expectsContinue);
    }
    if (expectsContinue) res.writeContinue();
    if (verified.payloadSha256 === undefined) return void next(req, res);
    if (!hasBody(req)) {
      if (verified.payloadSha256 !== EMPTY_SHA256)
        return refuse(req, res, digestMismatch(verified.payloadSha256, EMPTY_SHA256));
      return void next(req, res);
    }
    const body = await readHashedBody(req, maxHashedBodyBytes);
    if (body === undefined) return; // the client went away
    if (body instanceof S3RequestRefusedError) return refuse(req, res, body, true);
    if (verified.signedContentLength !== undefined && body.length !== verified.signedContentLength) {
      return refuse(
        req,
        res,
        new S3RequestRefusedError(
          'IncompleteBody',
          'You did not provide the number of bytes specified by the Content-Length HTTP header.',
        ),
      );
    }
    const digest = createHash('sha256').update(body).digest('hex');
    if (digest !== verified.payloadSha256)
      return refuse(req, res, digestMismatch(verified.payloadSha256, digest));
    next(replayOf(req, body), res);
  }

  const handle = (expectsContinue: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    admit(req, res, expectsContinue).catch((err: unknown) => refuse(req, res, err, true));
  };
  return { onRequest: handle(false), onCheckContinue: handle(true) };
}

/** S3 wants the length of a PUT up front (`MissingContentLength`), not a chunked body. */
function checkFraming(req: IncomingMessage): void {
  if (
    req.method === 'PUT' &&
    req.headers['content-length'] === undefined &&
    req.headers['transfer-encoding'] !== undefined
  ) {
    throw new S3RequestRefusedError(
      'MissingContentLength',
      'You must provide the Content-Length HTTP header.',
    );
  }
}

function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

function digestMismatch(claimed: string, computed: string): S3RequestRefusedError {
  return new S3RequestRefusedError(
    'XAmzContentSHA256Mismatch',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
    {
      ClientComputedContentSHA256: claimed,
      S3ComputedContentSHA256: computed,
    },
  );
}

/**
 * Answers a refusal. An unread body is otherwise discarded by Node after the answer, keeping
 * the connection; `closeConnection` when it will never arrive (refused `100-continue`) or
 * reading it was stopped.
 */
function refuse(req: IncomingMessage, res: ServerResponse, err: unknown, closeConnection = false): void {
  if (res.headersSent) return void res.destroy();
  const refusal =
    err instanceof S3RequestRefusedError
      ? err
      : new S3RequestRefusedError('InternalError', 'We encountered an internal error. Please try again.');
  writeS3Refusal(res, req.method, refusal, closeConnection);
}

/** The whole body, a refusal when it is over `limit`, or undefined when the client went away. */
function readHashedBody(
  req: IncomingMessage,
  limit: number,
): Promise<Buffer | S3RequestRefusedError | undefined> {
  const tooLarge = () =>
    new S3RequestRefusedError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      MaxSizeAllowed: String(limit),
    });
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(tooLarge());
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        req.pause();
        return resolve(tooLarge());
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, total)));
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(req.complete ? Buffer.concat(chunks, total) : undefined));
  });
}

/**
 * A request with the same head as `req` whose body is `body`, already read and checked, for
 * s3rver to consume as if it came off the socket.
 */
function replayOf(req: IncomingMessage, body: Buffer): IncomingMessage {
  const replay = new IncomingMessage(req.socket);
  Object.assign(replay, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    trailers: req.trailers,
    rawTrailers: req.rawTrailers,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    // Complete: ending or destroying the replay must never tear down the shared socket.
    complete: true,
  });
  replay.push(body);
  replay.push(null);
  return replay;
}
