import { InvalidImageError } from './errors';
import { childBoxes, findChildBox, iterateBoxes, type IsoBox } from './iso-boxes';

/**
 * A box of the cleaned clip: copied as it came (chunk offsets and times patched on the way),
 * or a container rebuilt from the children it keeps.
 */
type PlannedBox =
  | { readonly kind: 'copy'; readonly box: IsoBox; readonly size: number }
  | {
      readonly kind: 'container';
      readonly type: string;
      readonly size: number;
      readonly children: PlannedBox[];
    };

/** Where a kept `mdat` lay in the upload and where it lies in the cleaned clip. */
interface MovedMediaData {
  readonly box: IsoBox;
  readonly newStart: number;
}

// What each box of the movie keeps: any other child (UserData with ©xyz/©mak/©mod, the Keys and
// iTunes lists of `meta`, XMP, a vendor's box, free space) is dropped. Containers listed here
// are rebuilt the same way, so the walk goes no deeper than moov/trak/mdia/minf/stbl.
const KEPT_CHILDREN: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['moov', new Set(['mvhd', 'iods', 'trak'])],
  ['trak', new Set(['tkhd', 'tref', 'trgr', 'edts', 'mdia'])],
  ['edts', new Set(['elst'])],
  ['mdia', new Set(['mdhd', 'hdlr', 'elng', 'minf'])],
  ['minf', new Set(['vmhd', 'smhd', 'hmhd', 'nmhd', 'sthd', 'dinf', 'stbl'])],
  ['dinf', new Set(['dref'])],
]);
const CONTAINERS = new Set(['trak', 'edts', 'mdia', 'minf', 'dinf', 'stbl']);
// A sample table keeps every child but these: a box a decoder needs must not be lost to a list.
const METADATA_BOXES = new Set(['udta', 'meta', 'uuid', 'XMP_', 'free', 'skip', 'wide']);
// A fragmented MP4 keeps media offsets in every `moof`; moving them is not done here.
const FRAGMENT_BOXES = new Set(['mvex', 'moof', 'mfra', 'sidx', 'ssix', 'styp', 'emsg', 'prft']);
// Tracks of pictures and sound; a timed-metadata or text track (GoPro GPS, DJI subtitles) has
// its samples inside `mdat` and cannot be removed without moving the media.
const MEDIA_HANDLERS = new Set(['vide', 'soun']);
// Full boxes whose creation and modification times say when the clip was filmed.
const TIMED_BOXES = new Set(['mvhd', 'tkhd', 'mdhd']);
// Video sample entries: each names its encoder in 32 bytes ("GoPro AVC encoder", "DJI.AVC").
const VISUAL_SAMPLE_ENTRIES = new Set([
  'avc1',
  'avc3',
  'hvc1',
  'hev1',
  'dvh1',
  'dvhe',
  'av01',
  'vp08',
  'vp09',
  'mp4v',
]);

// More boxes than any real movie holds (a track has a few dozen, a movie a few tracks): past
// it the file is crafted, and walking on would only cost memory and time.
const MAX_BOXES = 100_000;
/** Boxes walked so far in one clip. */
interface BoxCount {
  walked: number;
}

const invalid = (message: string) => new InvalidImageError('INVALID_IMAGE', message);
const notCleanable = (why: string, fix: string) =>
  new InvalidImageError(
    'CLIP_NOT_CLEANABLE',
    `MP4 clip ${why}, so its metadata cannot be removed losslessly; ${fix}`,
  );
const REMUX_HINT = 'remux it first: ffmpeg -i in.mp4 -map 0:v -map 0:a? -c copy -map_metadata -1 out.mp4';

/**
 * Removes every metadata box from a progressive MP4 without touching its media: `moov/udta`,
 * `moov/meta` (Apple `mdta` keys, iTunes lists), `trak/udta` and `trak/meta`, XMP and other
 * `uuid` boxes, free space, and any box the movie does not need to play (`KEPT_CHILDREN`). It
 * blanks in place the creation/modification times of the movie, its tracks and media, the
 * handler names and the video encoder names (device names). The `mdat` boxes are copied byte
 * for byte; the `stco`/`co64` chunk offsets are moved by as much as their `mdat` moved (a
 * fast-start clip's `moov` shrinks in front of it).
 * Throws 422 `CLIP_NOT_CLEANABLE` for what it cannot clean (fragmented MP4, timed-metadata or
 * text tracks, media in another file or at offsets no `mdat` holds, encryption's auxiliary
 * offsets) and 422 `INVALID_IMAGE` for box sizes that do not fit.
 */
export function stripClipMetadata(b: Buffer): Buffer {
  const count: BoxCount = { walked: 0 };
  const kept: PlannedBox[] = [];
  for (const box of iterateBoxes(b, 0, b.length)) {
    countBox(count);
    if (FRAGMENT_BOXES.has(box.type)) throw fragmented(box.type);
    if (box.type === 'moov') kept.push(planContainer(b, box, count));
    else if (box.type === 'ftyp' || box.type === 'mdat') kept.push(copyOf(box));
  }
  const movies = kept.filter((planned) => planned.kind === 'container').length;
  if (movies !== 1) throw invalid(`MP4 clip has ${movies} movie boxes (moov), not one`);

  const moved: MovedMediaData[] = [];
  let size = 0;
  for (const planned of kept) {
    if (planned.kind === 'copy' && planned.box.type === 'mdat')
      moved.push({ box: planned.box, newStart: size });
    size += planned.size;
  }
  const out = Buffer.allocUnsafe(size);
  const relocate = relocator(moved);
  let at = 0;
  for (const planned of kept) at = writeBox(b, planned, out, at, relocate);
  return out;
}

function fragmented(type: string): InvalidImageError {
  return notCleanable(
    `is fragmented (${type})`,
    'make it progressive first: ffmpeg -i in.mp4 -c copy -map_metadata -1 out.mp4',
  );
}

function countBox(count: BoxCount): void {
  count.walked += 1;
  if (count.walked > MAX_BOXES) throw invalid(`MP4 clip has more than ${MAX_BOXES} boxes`);
}

function copyOf(box: IsoBox): PlannedBox {
  return { kind: 'copy', box, size: box.end - box.start };
}

/** Keeps a container's children that carry no metadata, refusing what cannot be cleaned. */
function planContainer(b: Buffer, box: IsoBox, count: BoxCount): PlannedBox {
  const kept = KEPT_CHILDREN.get(box.type);
  const children: PlannedBox[] = [];
  for (const child of childBoxes(b, box)) {
    countBox(count);
    if (FRAGMENT_BOXES.has(child.type)) throw fragmented(child.type);
    if (kept ? !kept.has(child.type) : METADATA_BOXES.has(child.type)) continue;
    if (child.type === 'trak') requireMediaTrack(b, child);
    if (child.type === 'dref') requireSelfContained(b, child);
    if (child.type === 'saio')
      throw notCleanable('has sample auxiliary offsets (saio, encryption)', REMUX_HINT);
    children.push(kept && CONTAINERS.has(child.type) ? planContainer(b, child, count) : copyOf(child));
  }
  const size = children.reduce((sum, planned) => sum + planned.size, 8);
  return { kind: 'container', type: box.type, size, children };
}

function requireMediaTrack(b: Buffer, trak: IsoBox): void {
  const mdia = findChildBox(b, trak, 'mdia');
  const hdlr = mdia && findChildBox(b, mdia, 'hdlr');
  // hdlr: version and flags, pre_defined, then the handler type.
  const handler =
    hdlr && hdlr.end - hdlr.payloadStart >= 12
      ? b.toString('latin1', hdlr.payloadStart + 8, hdlr.payloadStart + 12)
      : 'none';
  if (!MEDIA_HANDLERS.has(handler)) {
    throw notCleanable(
      `has a track that is neither video nor audio (handler "${handler.trim()}")`,
      REMUX_HINT,
    );
  }
}

/** Media kept in another file (a `url ` without its self-contained flag) cannot be moved with this one. */
function requireSelfContained(b: Buffer, dref: IsoBox): void {
  if (dref.end - dref.payloadStart < 8) throw invalid('MP4 data reference box is cut short');
  for (const entry of iterateBoxes(b, dref.payloadStart + 8, dref.end)) {
    const flags = entry.end - entry.payloadStart >= 4 ? b.readUIntBE(entry.payloadStart + 1, 3) : 0;
    if (entry.type !== 'url ' || (flags & 1) === 0) {
      throw notCleanable('refers to media in another file', 'upload a self-contained MP4');
    }
  }
}

/** Maps a file offset inside a kept `mdat` of the upload to the same byte in the cleaned clip. */
function relocator(moved: readonly MovedMediaData[]): (offset: number) => number {
  return (offset) => {
    // `moved` is in file order: the last mdat starting at or before the offset is its only home.
    let low = 0;
    let high = moved.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (moved[mid]!.box.payloadStart <= offset) low = mid;
      else high = mid - 1;
    }
    const home = moved[low];
    if (!home || offset < home.box.payloadStart || offset >= home.box.end)
      throw notCleanable('has a chunk of media outside its media data (mdat)', REMUX_HINT);
    return offset - home.box.start + home.newStart;
  };
}

function writeBox(
  b: Buffer,
  planned: PlannedBox,
  out: Buffer,
  at: number,
  relocate: (o: number) => number,
): number {
  if (planned.kind === 'container') {
    out.writeUInt32BE(planned.size, at);
    out.write(planned.type, at + 4, 'latin1');
    let next = at + 8;
    for (const child of planned.children) next = writeBox(b, child, out, next, relocate);
    return next;
  }
  const { box } = planned;
  b.copy(out, at, box.start, box.end);
  const payload = at + (box.payloadStart - box.start);
  const end = at + planned.size;
  if (box.type === 'stco') moveChunkOffsets(out, payload, end, 4, relocate);
  else if (box.type === 'co64') moveChunkOffsets(out, payload, end, 8, relocate);
  else if (TIMED_BOXES.has(box.type)) clearTimes(out, payload, end);
  else if (box.type === 'hdlr') clearHandlerName(out, payload, end);
  else if (box.type === 'stsd') clearEncoderNames(out, payload, end);
  return end;
}

function moveChunkOffsets(
  out: Buffer,
  payload: number,
  end: number,
  width: 4 | 8,
  relocate: (o: number) => number,
) {
  const count = end - payload >= 8 ? out.readUInt32BE(payload + 4) : -1;
  if (count < 0 || payload + 8 + count * width > end)
    throw invalid('MP4 chunk offset table runs past its box');
  for (let entry = payload + 8; entry < payload + 8 + count * width; entry += width) {
    if (width === 4) out.writeUInt32BE(relocate(out.readUInt32BE(entry)), entry);
    else out.writeBigUInt64BE(BigInt(relocate(Number(out.readBigUInt64BE(entry)))), entry);
  }
}

/** Zeroes creation and modification time: 32-bit each in version 0, 64-bit in version 1. */
function clearTimes(out: Buffer, payload: number, end: number): void {
  const width = out[payload] === 1 ? 8 : 4;
  if (payload + 4 + 2 * width > end) throw invalid('MP4 header box is cut short');
  out.fill(0, payload + 4, payload + 4 + 2 * width);
}

/** hdlr: version and flags, pre_defined, handler type, 12 reserved bytes, then a free-text name. */
function clearHandlerName(out: Buffer, payload: number, end: number): void {
  if (payload + 24 < end) out.fill(0, payload + 24, end);
}

/** A visual sample entry's compressorname: 32 bytes, 42 bytes into its payload of at least 78. */
function clearEncoderNames(out: Buffer, payload: number, end: number): void {
  if (end - payload < 8) throw invalid('MP4 sample description box is cut short');
  for (const entry of iterateBoxes(out, payload + 8, end)) {
    if (VISUAL_SAMPLE_ENTRIES.has(entry.type) && entry.end - entry.payloadStart >= 78)
      out.fill(0, entry.payloadStart + 42, entry.payloadStart + 74);
  }
}
