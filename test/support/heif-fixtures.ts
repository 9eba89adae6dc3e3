import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { type Box, box, child, fullBox, fullBoxChildren, readBoxes, uints } from './heif-boxes';

/** One coded HEVC image as heif-enc wrote it: its item properties and its coded data. */
export interface CodedImage {
  /** Whole property boxes (hvcC, ispe, colr, pixi …) with their `essential` marks. */
  readonly properties: ReadonlyArray<{ readonly box: Buffer; readonly essential: boolean }>;
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

const runFile = promisify(execFile);

/** Whether Debian's heif-enc (libheif-examples) is on PATH. */
export function hasHeifEnc(): boolean {
  return spawnSync('heif-enc', ['--help'], { encoding: 'utf8' }).error === undefined;
}

/**
 * Encodes raw RGB pixels as one HEVC image with heif-enc (x265, fastest preset) and takes its
 * coded image out of the file heif-enc wrote.
 */
export async function encodeHevcImage(
  rgb: Buffer,
  width: number,
  height: number,
  quality = 50,
): Promise<CodedImage> {
  const dir = mkdtempSync(join(tmpdir(), 'heif-fixture-'));
  try {
    const png = join(dir, 'in.png');
    const out = join(dir, 'out.heic');
    await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toFile(png);
    await runFile('heif-enc', ['-q', String(quality), '-p', 'preset=ultrafast', '-o', out, png]);
    return { ...singleCodedImage(readFileSync(out)), width, height };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The primary item of a one-image HEIF: its property boxes (from ipco/ipma) and its data (from iloc). */
function singleCodedImage(file: Buffer): Omit<CodedImage, 'width' | 'height'> {
  const meta = fullBoxChildren(child(readBoxes(file), 'meta'));
  const itemId = child(meta, 'pitm').payload.readUInt16BE(4);
  const iprp = readBoxes(child(meta, 'iprp').payload);
  const ipco = readBoxes(child(iprp, 'ipco').payload);
  const properties = propertyAssociations(child(iprp, 'ipma'), itemId).map(({ index, essential }) => {
    const property = ipco[index - 1] as Box;
    return { box: box(property.type, property.payload), essential };
  });
  if (!properties.some(({ box: b }) => b.toString('latin1', 4, 8) === 'hvcC'))
    throw new Error('heif-enc wrote a derived image (sizes not a multiple of 8 become a cropped 1×1 grid)');
  const { offset, length } = itemExtent(child(meta, 'iloc'), itemId);
  return { properties, data: file.subarray(offset, offset + length) };
}

function propertyAssociations(ipma: Box, itemId: number): Array<{ index: number; essential: boolean }> {
  const p = ipma.payload;
  const version = p[0] as number;
  const wideIndex = ((p[3] as number) & 1) === 1;
  let at = 4;
  const entries = p.readUInt32BE(at);
  at += 4;
  for (let e = 0; e < entries; e++) {
    const id = version < 1 ? p.readUInt16BE(at) : p.readUInt32BE(at);
    at += version < 1 ? 2 : 4;
    const count = p[at++] as number;
    const found: Array<{ index: number; essential: boolean }> = [];
    for (let a = 0; a < count; a++) {
      const raw = wideIndex ? p.readUInt16BE(at) : (p[at] as number);
      at += wideIndex ? 2 : 1;
      const topBit = wideIndex ? 0x8000 : 0x80;
      found.push({ index: raw & (topBit - 1), essential: (raw & topBit) !== 0 });
    }
    if (id === itemId) return found;
  }
  throw new Error(`no ipma entry for item ${itemId}`);
}

function itemExtent(iloc: Box, itemId: number): { offset: number; length: number } {
  const p = iloc.payload;
  const version = p[0] as number;
  const offsetSize = (p[4] as number) >> 4;
  const lengthSize = (p[4] as number) & 15;
  const baseSize = (p[5] as number) >> 4;
  const indexSize = version > 0 ? (p[5] as number) & 15 : 0;
  let at = 6;
  const read = (size: number): number => {
    const value = size === 0 ? 0 : p.readUIntBE(at, size);
    at += size;
    return value;
  };
  const count = version < 2 ? read(2) : read(4);
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? read(2) : read(4);
    if (version > 0) read(2); // construction method: heif-enc stores in mdat (0)
    read(2); // data reference index
    const base = read(baseSize);
    const extents = read(2);
    if (id === itemId && extents !== 1) throw new Error(`item ${itemId} has ${extents} extents`);
    for (let x = 0; x < extents; x++) {
      read(indexSize);
      const offset = read(offsetSize);
      const length = read(lengthSize);
      if (id === itemId) return { offset: base + offset, length };
    }
  }
  throw new Error(`no iloc entry for item ${itemId}`);
}

interface Item {
  readonly id: number;
  readonly type: 'hvc1' | 'grid';
  readonly hidden: boolean;
  readonly properties: ReadonlyArray<{ readonly box: Buffer; readonly essential: boolean }>;
  readonly data: Buffer;
}

/** A HEIF file of `items` (ids 1..n, in order) whose primary is `primary`; `grid` derives from `tiles`. */
function writeHeif(
  items: readonly Item[],
  primary: number,
  gridRefs?: { grid: number; tiles: number[] },
): Buffer {
  const ftyp = box('ftyp', Buffer.from('heic'), uints(4, 0), Buffer.from('mif1heicmiaf'));
  const distinct: Buffer[] = [];
  const indexOf = (property: Buffer): number => {
    let index = distinct.findIndex((seen) => seen.equals(property));
    if (index < 0) index = distinct.push(property) - 1;
    return index + 1;
  };
  const associations = items.map((item) =>
    item.properties.map(({ box: property, essential }) => (essential ? 0x80 : 0) | indexOf(property)),
  );
  const ipma = fullBox(
    'ipma',
    0,
    0,
    uints(4, items.length),
    ...items.map((item, i) =>
      Buffer.concat([uints(2, item.id), uints(1, associations[i]!.length), uints(1, ...associations[i]!)]),
    ),
  );
  const infes = items.map((item) =>
    fullBox('infe', 2, item.hidden ? 1 : 0, uints(2, item.id, 0), Buffer.from(item.type), Buffer.from([0])),
  );
  const iref = gridRefs
    ? [
        fullBox(
          'iref',
          0,
          0,
          box('dimg', uints(2, gridRefs.grid, gridRefs.tiles.length), uints(2, ...gridRefs.tiles)),
        ),
      ]
    : [];
  const metaWith = (dataStart: number): Buffer => {
    let offset = dataStart;
    const entries = items.map((item) => {
      const entry = Buffer.concat([uints(2, item.id, 0, 1), uints(4, offset, item.data.length)]);
      offset += item.data.length;
      return entry;
    });
    return fullBox(
      'meta',
      0,
      0,
      fullBox('hdlr', 0, 0, uints(4, 0), Buffer.from('pict'), uints(4, 0, 0, 0), Buffer.from([0])),
      fullBox('pitm', 0, 0, uints(2, primary)),
      fullBox('iinf', 0, 0, uints(2, items.length), ...infes),
      ...iref,
      box('iprp', box('ipco', ...distinct), ipma),
      fullBox('iloc', 0, 0, Buffer.from([0x44, 0x00]), uints(2, items.length), ...entries),
    );
  };
  // The sizes do not depend on the offsets (all 32-bit), so one dry run places mdat.
  const dataStart = ftyp.length + metaWith(0).length + 8;
  return Buffer.concat([ftyp, metaWith(dataStart), box('mdat', ...items.map((item) => item.data))]);
}

/**
 * A HEIF holding two images of which the *second* is the primary (its `pitm` names item 2):
 * what burst, edited and multi-image files do. Both are top-level images; a reader that takes
 * the first top-level image gets `first`.
 */
export function primarySecondHeif(first: CodedImage, second: CodedImage): Buffer {
  return writeHeif(
    [
      { id: 1, type: 'hvc1', hidden: false, properties: first.properties, data: first.data },
      { id: 2, type: 'hvc1', hidden: false, properties: second.properties, data: second.data },
    ],
    2,
  );
}

/** Grid layout, as an iPhone writes it: tiles in rows, the last row and column cropped to the image. */
export interface GridLayout {
  readonly columns: number;
  readonly rows: number;
  readonly width: number;
  readonly height: number;
  /** Counter-clockwise quarter turns (`irot`) applied to the whole grid; 0 by default. */
  readonly quarterTurns?: number;
}

/**
 * A grid HEIF like an iPhone's: `tiles` (row by row, each `columns`×`rows` of them one hidden
 * HEVC image) put together by a `grid` item that is the primary image.
 */
export function gridHeif(tiles: readonly CodedImage[], layout: GridLayout): Buffer {
  if (tiles.length !== layout.columns * layout.rows) throw new Error('tile count does not match the grid');
  const gridId = tiles.length + 1;
  const descriptor = Buffer.concat([
    uints(1, 0, 0, layout.rows - 1, layout.columns - 1),
    uints(2, layout.width, layout.height),
  ]);
  const shared = (tiles[0] as CodedImage).properties.filter(
    ({ box: b }) => b.toString('latin1', 4, 8) === 'colr',
  );
  const gridProperties = [
    { box: fullBox('ispe', 0, 0, uints(4, layout.width, layout.height)), essential: false },
    ...shared,
    ...(layout.quarterTurns
      ? [{ box: box('irot', uints(1, layout.quarterTurns & 3)), essential: true }]
      : []),
  ];
  const items: Item[] = [
    ...tiles.map((tile, i) => ({ id: i + 1, type: 'hvc1' as const, hidden: true, ...tile })),
    { id: gridId, type: 'grid', hidden: false, properties: gridProperties, data: descriptor },
  ];
  return writeHeif(items, gridId, { grid: gridId, tiles: tiles.map((_, i) => i + 1) });
}

/**
 * Cuts `rgb` (width×height, 3 channels) into `tileSize`² tiles, padding the last row and column
 * by repeating the edge, and encodes each with heif-enc: the tiles of `gridHeif`.
 */
export async function gridTilesOf(
  rgb: Buffer,
  width: number,
  height: number,
  tileSize: number,
  quality?: number,
): Promise<{ tiles: CodedImage[]; layout: GridLayout }> {
  const columns = Math.ceil(width / tileSize);
  const rows = Math.ceil(height / tileSize);
  const paddedWidth = columns * tileSize;
  const padded = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .extend({ right: paddedWidth - width, bottom: rows * tileSize - height, extendWith: 'copy' })
    .raw()
    .toBuffer();
  const encodeTile = (index: number): Promise<CodedImage> => {
    const [column, row] = [index % columns, Math.floor(index / columns)];
    const tile = Buffer.alloc(tileSize * tileSize * 3);
    for (let y = 0; y < tileSize; y++) {
      const from = ((row * tileSize + y) * paddedWidth + column * tileSize) * 3;
      padded.copy(tile, y * tileSize * 3, from, from + tileSize * 3);
    }
    return encodeHevcImage(tile, tileSize, tileSize, quality);
  };
  // Two encoders at a time: x265 at its fastest preset keeps about one core busy.
  const tiles: CodedImage[] = new Array(columns * rows);
  let next = 0;
  const encoder = async () => {
    for (let index = next++; index < tiles.length; index = next++) tiles[index] = await encodeTile(index);
  };
  await Promise.all([encoder(), encoder()]);
  return { tiles, layout: { columns, rows, width, height } };
}
