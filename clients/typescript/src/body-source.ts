/** What `upload` takes: bytes, a Blob (a browser `File`, Node's `fs.openAsBlob`), or a stream. */
export type UploadInput =
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/** An upload body the client can measure, sniff and send (again, when `replayable`). */
export interface BodySource {
  readonly size: number;
  /** The first bytes (up to 64): enough to tell the type. */
  readonly head: Uint8Array;
  /** Whether `open` may be called more than once (retries, the fallback to a presigned PUT). */
  readonly replayable: boolean;
  /** The body to send: a Blob or bytes when replayable, else the one stream. */
  open(): Blob | Uint8Array | ReadableStream<Uint8Array>;
}

const HEAD_BYTES = 64;

/** Streams of unknown size are read into memory first; past this they are refused. */
export const MAX_BUFFERED_STREAM_BYTES = 1024 * 1024 * 1024;

/**
 * A body source for `input`. Bytes and Blobs are measured and can be sent again; a stream with
 * a known `size` is sent as it comes (once: it cannot be retried), and a stream of unknown size
 * is read whole first, since a presigned PUT signs its exact length.
 */
export async function bodySourceOf(input: UploadInput, size?: number): Promise<BodySource> {
  if (input instanceof ArrayBuffer) return bytesSource(new Uint8Array(input));
  if (input instanceof Uint8Array) return bytesSource(input);
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const head = new Uint8Array(await input.slice(0, HEAD_BYTES).arrayBuffer());
    return { size: input.size, head, replayable: true, open: () => input };
  }
  const stream = toReadableStream(input as ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>);
  if (size === undefined) return bytesSource(await readAll(stream));
  if (!Number.isSafeInteger(size) || size < 0)
    throw new RangeError(`size must be a whole number of bytes, got ${size}`);
  const { head, rest } = await peek(stream, HEAD_BYTES);
  let opened = false;
  return {
    size,
    head,
    replayable: false,
    open: () => {
      if (opened) throw new Error('a stream body can be sent only once');
      opened = true;
      return prepend(head, rest);
    },
  };
}

function bytesSource(bytes: Uint8Array): BodySource {
  return { size: bytes.length, head: bytes.subarray(0, HEAD_BYTES), replayable: true, open: () => bytes };
}

function toReadableStream(
  input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): ReadableStream<Uint8Array> {
  if (typeof (input as ReadableStream).getReader === 'function') return input as ReadableStream<Uint8Array>;
  const iterator = (input as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_BUFFERED_STREAM_BYTES) {
      await reader.cancel();
      throw new RangeError(
        `a stream of unknown size is read into memory first, up to ${MAX_BUFFERED_STREAM_BYTES} bytes: pass its size`,
      );
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

async function peek(
  stream: ReadableStream<Uint8Array>,
  bytes: number,
): Promise<{ head: Uint8Array; rest: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  return { head: concat(chunks, total), rest: reader };
}

/** `head`, then whatever `rest` still holds. */
function prepend(
  head: Uint8Array,
  rest: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  let sentHead = head.length === 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(head);
        return;
      }
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => rest.cancel(reason),
  });
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));

/**
 * The type the service will find in these bytes (it decides from the bytes too), from their
 * first bytes: PNG, JPEG, GIF, WebP, and ISO-BMFF brands for AVIF, HEIC/HEIF and MP4. Undefined
 * for anything else, which the service refuses.
 */
export function sniffContentType(head: Uint8Array): string | undefined {
  if (head.length >= 8 && ascii(head, 1, 4) === 'PNG' && head[0] === 0x89) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 6 && /^GIF8[79]a$/.test(ascii(head, 0, 6))) return 'image/gif';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const end = Math.min(head.length, new DataView(head.buffer, head.byteOffset).getUint32(0));
    const brands = [ascii(head, 8, 12)];
    for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
    if (brands.some((b) => b === 'avif' || b === 'avis')) return 'image/avif';
    if (brands.some((b) => /^he(ic|ix|vc|vx|im|is)$/.test(b))) return 'image/heic';
    if (brands.some((b) => b === 'mif1' || b === 'msf1')) return 'image/heif';
    if (brands.some((b) => /^(isom|iso[2-9]|mp4[12]|avc1|M4V |dash)$/.test(b))) return 'video/mp4';
  }
  return undefined;
}
