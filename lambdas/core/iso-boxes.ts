import { InvalidImageError } from './errors';

/** One ISO-BMFF box (MP4, HEIF, AVIF): its four-character type and where it lies in the file. */
export interface IsoBox {
  readonly type: string;
  /** Offset of its size field. */
  readonly start: number;
  /** Offset just past its header (8 bytes, or 16 with a 64-bit size). */
  readonly payloadStart: number;
  /** Offset just past its last byte. */
  readonly end: number;
}

const invalid = (message: string) => new InvalidImageError('INVALID_IMAGE', message);

/**
 * The boxes that tile `[start, end)` of `b`, in order, one at a time (a hostile file may hold
 * millions of 8-byte boxes: nothing is kept unless the caller keeps it). A size of 0 runs to
 * `end`; a size of 1 is followed by a 64-bit size. Throws 422 `INVALID_IMAGE` when a header is
 * cut short or a box runs past `end`: a truncated upload, or sizes crafted to make readers
 * disagree. Inside a container, QuickTime writers may end the list with a zero 32-bit
 * terminator: `zeroTail` accepts up to 7 trailing zero bytes there.
 */
export function* iterateBoxes(
  b: Buffer,
  start: number,
  end: number,
  options: { zeroTail?: boolean } = {},
): Generator<IsoBox, void, undefined> {
  let offset = start;
  while (offset < end) {
    if (offset + 8 > end) {
      if (options.zeroTail && b.subarray(offset, end).every((byte) => byte === 0)) return;
      throw invalid('media file ends inside a box header: it is truncated');
    }
    let size = b.readUInt32BE(offset);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > end) throw invalid('media file ends inside a box header: it is truncated');
      size = Number(b.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end)
      throw invalid('media file box runs past the end: it is truncated');
    yield {
      type: b.toString('latin1', offset + 4, offset + 8),
      start: offset,
      payloadStart: offset + header,
      end: offset + size,
    };
    offset += size;
  }
}

/** The boxes inside `box` (a plain container: its children start right after its header). */
export function childBoxes(b: Buffer, box: IsoBox): Generator<IsoBox, void, undefined> {
  return iterateBoxes(b, box.payloadStart, box.end, { zeroTail: true });
}

/** The first child of `box` of type `type`, if any. */
export function findChildBox(b: Buffer, box: IsoBox, type: string): IsoBox | undefined {
  for (const child of childBoxes(b, box)) if (child.type === type) return child;
  return undefined;
}
