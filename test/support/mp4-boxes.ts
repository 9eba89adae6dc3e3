import { box as isoBox } from './image-fixtures';

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

/** The boxes that tile `[start, end)`, one level only. */
function boxesIn(b: Buffer, start: number, end: number, parent: string): Box[] {
  const boxes: Box[] = [];
  for (let offset = start; offset + 8 <= end; ) {
    let size = b.readUInt32BE(offset);
    let header = 8;
    if (size === 1) {
      size = Number(b.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) size = end - offset;
    if (size < header || offset + size > end) throw new Error(`box at ${offset} runs past ${end}`);
    const type = b.toString('latin1', offset + 4, offset + 8);
    boxes.push({
      path: parent ? `${parent}/${type}` : type,
      type,
      start: offset,
      payload: offset + header,
      end: offset + size,
    });
    offset += size;
  }
  return boxes;
}

/** Where the children of a container start: `meta` is a full box in MP4, a plain one in QuickTime. */
function childrenStart(b: Buffer, box: Box): number {
  const fullBox = box.type === 'meta' && b.toString('latin1', box.payload + 4, box.payload + 8) !== 'hdlr';
  return box.payload + (fullBox ? 4 : 0);
}

function walk(b: Buffer, start: number, end: number, parent: string, into: Box[]): Box[] {
  for (const box of boxesIn(b, start, end, parent)) {
    into.push(box);
    if (CONTAINERS.has(box.type)) walk(b, childrenStart(b, box), box.end, box.path, into);
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

/** Each chunk offset of each track (`stco` or `co64`), as absolute file offsets. */
function chunkOffsets(bytes: Buffer): number[][] {
  return walk(bytes, 0, bytes.length, '', [])
    .filter((box) => box.type === 'stco' || box.type === 'co64')
    .map((box) => {
      const width = box.type === 'co64' ? 8 : 4;
      const count = bytes.readUInt32BE(box.payload + 4);
      return Array.from({ length: count }, (_, i) => {
        const at = box.payload + 8 + i * width;
        return width === 8 ? Number(bytes.readBigUInt64BE(at)) : bytes.readUInt32BE(at);
      });
    });
}

/**
 * Each chunk offset of each track, counted from the start of the first `mdat` payload, so a
 * clip whose `mdat` moved compares equal when its chunks did not.
 */
export function chunkOffsetsInMedia(bytes: Buffer): number[][] {
  const mdat = walk(bytes, 0, bytes.length, '', []).find((box) => box.path === 'mdat');
  if (!mdat) throw new Error('no mdat');
  return chunkOffsets(bytes).map((track) => track.map((offset) => offset - mdat.payload));
}

/** The first `length` bytes of each chunk, as hex: what a player reads where the tables point. */
export function chunkHeads(bytes: Buffer, length = 8): string[][] {
  return chunkOffsets(bytes).map((track) =>
    track.map((offset) => bytes.toString('hex', offset, offset + length)),
  );
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

/**
 * The same clip with 64-bit chunk offsets (`co64`) in place of `stco`, as cameras write past
 * 4 GiB. Only for a clip whose `moov` follows its media, so the larger `moov` moves nothing.
 */
export function withCo64ChunkOffsets(bytes: Buffer): Buffer {
  const top = boxesIn(bytes, 0, bytes.length, '');
  if (top.findIndex((box) => box.type === 'moov') < top.findIndex((box) => box.type === 'mdat'))
    throw new Error('withCo64ChunkOffsets needs moov after mdat');
  const rebuild = (box: Box): Buffer => {
    if (box.type === 'stco') {
      const count = bytes.readUInt32BE(box.payload + 4);
      const table = Buffer.alloc(8 + 8 * count);
      bytes.copy(table, 0, box.payload, box.payload + 8);
      for (let i = 0; i < count; i++)
        table.writeBigUInt64BE(BigInt(bytes.readUInt32BE(box.payload + 8 + 4 * i)), 8 + 8 * i);
      return isoBox('co64', table);
    }
    if (!['moov', 'trak', 'mdia', 'minf', 'stbl'].includes(box.type))
      return bytes.subarray(box.start, box.end);
    return isoBox(box.type, Buffer.concat(boxesIn(bytes, box.payload, box.end, box.path).map(rebuild)));
  };
  return Buffer.concat(top.map(rebuild));
}
