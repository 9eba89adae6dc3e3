import type { IncomingMessage } from 'node:http';

/**
 * A cap on request-body bytes held in memory at once, across all requests. Without it, a few
 * hundred slow clients each declaring a 10 MiB body could hold gigabytes.
 */
export class MemoryBudget {
  private used = 0;

  constructor(readonly capBytes: number) {}

  /** Bytes held now. */
  get heldBytes(): number {
    return this.used;
  }

  /** Takes `bytes` from the budget; false (and nothing taken) when they do not fit. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.capBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** What reading a body gave: the bytes (release them when done), or why not. */
export type BodyRead =
  | { readonly kind: 'read'; readonly body: Buffer; readonly release: () => void }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'aborted' };

// Past this a body is not worth draining for a polite answer: the connection is cut instead.
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a body of at most `limit` bytes, holding it against `budget`: a declared
 * Content-Length is reserved up front, a chunked body chunk by chunk. A body over the limit,
 * or one that does not fit the budget, is drained without being kept (up to a bound) so the
 * client, still sending, can read the answer instead of a reset.
 */
export function readBody(req: IncomingMessage, limit: number, budget: MemoryBudget): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let reserved = 0;
    let busy = false;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      if (result.kind !== 'read') budget.release(reserved);
      resolve(result);
    };
    // Keeps the reservation at least `bytes`; once it fails the body is only drained.
    const cover = (bytes: number) => {
      if (busy || bytes <= reserved) return;
      if (budget.tryReserve(bytes - reserved)) reserved = bytes;
      else busy = true;
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > 0) cover(Math.min(declared, limit));

    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > DRAIN_LIMIT_BYTES) return void req.destroy();
      if (total > limit || busy) return;
      cover(total);
      if (!busy) chunks.push(chunk);
    });
    req.on('end', () => {
      if (total > limit) return settle({ kind: 'too-large' });
      if (busy) return settle({ kind: 'busy' });
      const held = reserved;
      let released = false;
      settle({
        kind: 'read',
        body: Buffer.concat(chunks, total),
        release: () => {
          if (!released) budget.release(held);
          released = true;
        },
      });
    });
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}
