/**
 * A reader of MP4 box trees for tests, written apart from `lambdas/core` so a test does not
 * check the cleaner with its own parser: every box path, the chunk offsets, the media data.
 */

// Boxes whose payload is a list of boxes; `meta` is a full box (4 bytes of version and flags)
// in MP4, a plain container in QuickTime, told apart by what follows.
const CONTAINERS = new Set([
  'moov',
  'trak',
  'edts',
  'mdia',
  'minf',
  'dinf',
  'stbl',
  'udta',
  'meta',
  'mvex',
  'moof',
  'traf',
]);

interface Box {
  readonly path: string;
  readonly type: string;
  readonly start: number;
  readonly payload: number;
  readonly end: number;
}

function walk(b: Buffer, start: number, end: number, parent: string, into: Box[]): Box[] {
  let offset = start;
  while (offset + 8 <= end) {
    let size = b.readUInt32BE(offset);
    let header = 8;
    if (size === 1) {
      size = Number(b.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) size = end - offset;
    if (size < header || offset + size > end) throw new Error(`box at ${offset} runs past ${end}`);
    const type = b.toString('latin1', offset + 4, offset + 8);
    const path = parent ? `${parent}/${type}` : type;
    into.push({ path, type, start: offset, payload: offset + header, end: offset + size });
    if (CONTAINERS.has(type)) {
      const fullBox =
        type === 'meta' && b.toString('latin1', offset + header + 4, offset + header + 8) !== 'hdlr';
      walk(b, offset + header + (fullBox ? 4 : 0), offset + size, path, into);
    }
    offset += size;
  }
  return into;
}

/** Every box of the file, depth first, as `moov/trak/mdia`-style paths. */
export function boxPaths(bytes: Buffer): string[] {
  return walk(bytes, 0, bytes.length, '', []).map((box) => box.path);
}

/** The payloads of the top-level `mdat` boxes, joined: the media, as a player reads it. */
export function mediaData(bytes: Buffer): Buffer {
  const boxes = walk(bytes, 0, bytes.length, '', []).filter((box) => box.path === 'mdat');
  return Buffer.concat(boxes.map((box) => bytes.subarray(box.payload, box.end)));
}

/**
 * Each chunk offset of each track (`stco` or `co64`), counted from the start of the first
 * `mdat` payload, so a clip whose `mdat` moved compares equal when its chunks did not.
 */
export function chunkOffsetsInMedia(bytes: Buffer): number[][] {
  const boxes = walk(bytes, 0, bytes.length, '', []);
  const mdat = boxes.find((box) => box.path === 'mdat');
  if (!mdat) throw new Error('no mdat');
  return boxes
    .filter((box) => box.type === 'stco' || box.type === 'co64')
    .map((box) => {
      const width = box.type === 'co64' ? 8 : 4;
      const count = bytes.readUInt32BE(box.payload + 4);
      return Array.from({ length: count }, (_, i) => {
        const at = box.payload + 8 + i * width;
        const offset = width === 8 ? Number(bytes.readBigUInt64BE(at)) : bytes.readUInt32BE(at);
        return offset - mdat.payload;
      });
    });
}

/** The chunk offset table types, in track order (`stco`, `co64`). */
export function chunkOffsetTypes(bytes: Buffer): string[] {
  return walk(bytes, 0, bytes.length, '', [])
    .filter((box) => box.type === 'stco' || box.type === 'co64')
    .map((box) => box.type);
}

/** The payload of the first box at `path` (`moov/mvhd`), or undefined. */
export function boxPayload(bytes: Buffer, path: string): Buffer | undefined {
  const found = walk(bytes, 0, bytes.length, '', []).find((box) => box.path === path);
  return found && bytes.subarray(found.payload, found.end);
}
