import { box, ftyp } from './image-fixtures';

/** How to build a small MP4 box tree around real-looking chunk offsets (no codec data). */
export interface CraftedClipOptions {
  /** `moov` before `mdat` (fast start), so removing boxes from it moves the media. */
  readonly fastStart?: boolean;
  /** 64-bit chunk offsets (`co64`) instead of `stco`. */
  readonly co64?: boolean;
  /** UserData with ©xyz/©mak, an Apple Keys `meta`, a track `udta`, an XMP `uuid`, `free` space. */
  readonly metadata?: boolean;
  /** The track's handler type; `vide` unless said. */
  readonly handler?: string;
  /** Flags of the data reference entry: 1 is self-contained. */
  readonly drefFlags?: number;
  /** More boxes inside `moov` (an `mvex`) and inside `stbl` (a `saio`). */
  readonly moovExtra?: readonly Buffer[];
  readonly stblExtra?: readonly Buffer[];
  /** More top-level boxes after `mdat` (a `moof`). */
  readonly trailing?: readonly Buffer[];
  /** Chunk offsets in the media data; a negative one points before `mdat`. */
  readonly chunks?: readonly number[];
}

const CREATED = 0xe1a2b3c4; // a 1904-epoch time, in 2024
export const CRAFTED_MEDIA = Buffer.from(Array.from({ length: 96 }, (_, i) => (i * 37 + 11) & 0xff));

const fullBox = (type: string, version: number, flags: number, ...payload: Buffer[]) => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff));
  return box(type, head, ...payload);
};
const u32 = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length);
  for (const [i, v] of values.entries()) b.writeUInt32BE(v >>> 0, 4 * i);
  return b;
};

/** A movie/track/media header with creation and modification times set, as a camera writes it. */
function timed(type: 'mvhd' | 'tkhd' | 'mdhd', size: number): Buffer {
  const payload = Buffer.alloc(size);
  payload.writeUInt32BE(CREATED, 0);
  payload.writeUInt32BE(CREATED + 60, 4);
  return fullBox(type, 0, 0, payload);
}

export const HANDLER_NAME = 'Core Media Video';
export const ENCODER_NAME = 'GoPro AVC encoder';

/** An `avc1` sample entry (no codec configuration) naming its encoder, as cameras do. */
function visualSampleEntry(encoder: string): Buffer {
  const payload = Buffer.alloc(78);
  payload.writeUInt16BE(1, 6); // data reference index
  payload[42] = encoder.length;
  payload.write(encoder, 43, 'latin1');
  return box('avc1', payload);
}

function chunkTable(co64: boolean, offsets: readonly number[]): Buffer {
  if (!co64) return fullBox('stco', 0, 0, u32(offsets.length, ...offsets));
  const entries = Buffer.alloc(8 * offsets.length);
  for (const [i, o] of offsets.entries()) entries.writeBigUInt64BE(BigInt(o), 8 * i);
  return fullBox('co64', 0, 0, u32(offsets.length), entries);
}

function movie(options: CraftedClipOptions, offsets: readonly number[]): Buffer {
  const metadata = options.metadata ?? false;
  const stsd = fullBox('stsd', 0, 0, u32(1), visualSampleEntry(ENCODER_NAME));
  const stbl = box('stbl', stsd, chunkTable(options.co64 ?? false, offsets), ...(options.stblExtra ?? []));
  const dref = fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, options.drefFlags ?? 1));
  const hdlr = fullBox(
    'hdlr',
    0,
    0,
    u32(0),
    Buffer.from(options.handler ?? 'vide', 'latin1'),
    Buffer.alloc(12),
    Buffer.from(`${HANDLER_NAME}\0`, 'latin1'),
  );
  const mdia = box('mdia', timed('mdhd', 20), hdlr, box('minf', box('dinf', dref), stbl));
  const trackUdta = metadata ? [box('udta', box('©xyz', Buffer.from('+48.8583+002.2945/')))] : [];
  const trak = box('trak', timed('tkhd', 80), mdia, ...trackUdta);
  const movieMetadata = metadata
    ? [
        box('udta', box('©mak', Buffer.from('Apple')), box('©xyz', Buffer.from('+48.8583+002.2945/'))),
        fullBox(
          'meta',
          0,
          0,
          fullBox('hdlr', 0, 0, u32(0), Buffer.from('mdta'), Buffer.alloc(13)),
          box('keys', u32(0, 1), box('mdta', Buffer.from('com.apple.quicktime.location.ISO6709'))),
          box(
            'ilst',
            box('\u0000\u0000\u0000\u0001', box('data', u32(1, 0), Buffer.from('+48.8583+002.2945/'))),
          ),
        ),
        box('free', Buffer.alloc(16)),
      ]
    : [];
  return box('moov', timed('mvhd', 96), trak, ...movieMetadata, ...(options.moovExtra ?? []));
}

/**
 * A crafted MP4: `ftyp`, `moov` and one `mdat` holding `CRAFTED_MEDIA`, whose chunk offsets
 * point at `options.chunks` (default 0, 32, 64) inside it, wherever `mdat` lands.
 */
export function craftClip(options: CraftedClipOptions = {}): Buffer {
  const chunks = options.chunks ?? [0, 32, 64];
  const head = ftyp('isom', ['isom', 'mp41']);
  const xmp = options.metadata
    ? [box('uuid', Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex'), Buffer.from('<x:xmpmeta/>'))]
    : [];
  const mdat = box('mdat', CRAFTED_MEDIA);
  const moovSize = movie(options, chunks).length;
  const mediaStart = options.fastStart
    ? head.length + moovSize + xmp.reduce((n, b) => n + b.length, 0) + 8
    : head.length + xmp.reduce((n, b) => n + b.length, 0) + 8;
  const moov = movie(
    options,
    chunks.map((c) => mediaStart + c),
  );
  const parts = options.fastStart ? [head, moov, ...xmp, mdat] : [head, ...xmp, mdat, moov];
  return Buffer.concat([...parts, ...(options.trailing ?? [])]);
}
