// libheif's C API over libheif-js's WebAssembly module: the primary-image handle, the grid's
// tiling and the decoding of one tile, which libheif-js's JavaScript wrapper does not expose.
// Used by the main thread and by the tile workers alike, so it imports only types and a file of
// its own kind (the workers run it without a bundler, through Node's type stripping).
import type { LibheifModule } from 'libheif-js/wasm-bundle.js';
import { halveRowPair } from './rgba-halve.ts';

/** libheif reported an error, or the file holds nothing it can decode. */
export class LibheifError extends Error {
  override readonly name = 'LibheifError';
}

/** 8-bit RGBA pixels, row after row. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/**
 * The stored image's RGBA rows (`width`×`height`, before transformations) that tiles are decoded
 * into, in a SharedArrayBuffer when tile workers share it: tile (c, r) goes at (c·tileWidth, r·tileHeight).
 */
export interface TileCanvas {
  readonly data: Uint8ClampedArray;
  /** The canvas's size: the stored image's, halved when `halved` (then tile (c, r) goes at half those offsets). */
  readonly width: number;
  readonly height: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** Each tile halved by a 2×2 box as it is written (tile and image sizes even). */
  readonly halved?: boolean;
}

/** A transformation libheif applies after decoding (irot, imir), in the file's order. */
export type HeifTransform =
  | { readonly kind: 'rotate'; readonly degreesCcw: 90 | 180 | 270 }
  | { readonly kind: 'mirror'; readonly flip: 'rows' | 'columns' };

/** The primary image's size and, for a grid, its tiles, as stored (before transformations). */
export interface HeifLayout {
  /** The size a viewer shows, after rotation. */
  readonly width: number;
  readonly height: number;
  readonly storedWidth: number;
  readonly storedHeight: number;
  readonly columns: number;
  readonly rows: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** null when a transformation cannot be applied tile by tile (a clean-aperture crop): decode whole. */
  readonly transforms: readonly HeifTransform[] | null;
}

const COLORSPACE_RGB = 1;
const CHROMA_INTERLEAVED_RGBA = 11;
const CHANNEL_INTERLEAVED = 10;
// heif_decoding_options: uint8 version, then uint8 ignore_transformations.
const OPTION_IGNORE_TRANSFORMATIONS = 1;
const fourcc = (code: string): number =>
  ((code.charCodeAt(0) << 24) |
    (code.charCodeAt(1) << 16) |
    (code.charCodeAt(2) << 8) |
    code.charCodeAt(3)) >>>
  0;
const PROPERTY_ROTATION = fourcc('irot');
const PROPERTY_MIRROR = fourcc('imir');
// libheif's heif_transform_mirror_direction: vertical (0) flips the rows, horizontal (1) the columns.
const MIRROR_DIRECTION_HORIZONTAL = 1;

/**
 * One HEIF file open in libheif: its primary image (the one the file's `pitm` names, which every
 * viewer shows: not necessarily the first image), its layout, and decoding whole or tile by tile.
 * `close()` frees the WebAssembly memory it holds.
 */
export class HeifFile {
  private readonly lib: LibheifModule;
  private readonly scratch: number;
  private readonly data: number;
  private readonly context: number;
  private handle = 0;
  private closed = false;

  constructor(lib: LibheifModule, bytes: Uint8Array) {
    this.lib = lib;
    this.scratch = lib._malloc(128);
    this.data = lib._malloc(bytes.length);
    this.context = lib._heif_context_alloc();
    try {
      lib.HEAPU8.set(bytes, this.data);
      lib._heif_context_read_from_memory_without_copy(this.scratch, this.context, this.data, bytes.length, 0);
      this.check('cannot read the file');
      lib._heif_context_get_primary_image_handle(this.scratch, this.context, this.scratch + 16);
      this.check('has no primary image');
      this.handle = lib.HEAPU32[(this.scratch + 16) >> 2] as number;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** The primary image's size and grid (a single image is a 1×1 grid). */
  layout(): HeifLayout {
    const lib = this.lib;
    const tiling = this.scratch + 16;
    lib._heif_image_handle_get_image_tiling(this.scratch, this.handle, 0, tiling);
    this.check('cannot read the tiling');
    // heif_image_tiling: int version; uint32 num_columns, num_rows, tile_width, tile_height, image_width, image_height.
    const [columns, rows, tileWidth, tileHeight, storedWidth, storedHeight] = Array.from(
      lib.HEAPU32.subarray((tiling >> 2) + 1, (tiling >> 2) + 7),
    ) as [number, number, number, number, number, number];
    return {
      width: lib._heif_image_handle_get_width(this.handle),
      height: lib._heif_image_handle_get_height(this.handle),
      storedWidth,
      storedHeight,
      columns,
      rows,
      tileWidth,
      tileHeight,
      transforms: this.transforms(),
    };
  }

  /** The primary image decoded whole by libheif (transformations applied). */
  decodeWhole(): RgbaImage {
    this.lib._heif_decode_image(
      this.scratch,
      this.handle,
      this.scratch + 16,
      COLORSPACE_RGB,
      CHROMA_INTERLEAVED_RGBA,
      0,
    );
    this.check('cannot decode the image');
    return this.takeImage();
  }

  /**
   * Decodes tile (`column`, `row`) of the stored grid, without transformations, straight into
   * `canvas` at (column·tileWidth, row·tileHeight), cropped to the canvas as libheif crops the
   * last column and row: one copy out of WebAssembly memory, none to assemble the tiles after.
   */
  decodeTileInto(column: number, row: number, canvas: TileCanvas): void {
    const lib = this.lib;
    const options = lib._heif_decoding_options_alloc();
    try {
      lib.HEAPU8[options + OPTION_IGNORE_TRANSFORMATIONS] = 1;
      lib._heif_image_handle_decode_image_tile(
        this.scratch,
        this.handle,
        this.scratch + 16,
        COLORSPACE_RGB,
        CHROMA_INTERLEAVED_RGBA,
        options,
        column,
        row,
      );
    } finally {
      lib._heif_decoding_options_free(options);
    }
    this.check(`cannot decode tile ${column},${row}`);
    this.takePlane((heap, plane, stride, width, height) => {
      const scale = canvas.halved ? 2 : 1;
      const left = (column * canvas.tileWidth) / scale;
      const top = (row * canvas.tileHeight) / scale;
      const outWidth = Math.min(width / scale, canvas.width - left);
      const outHeight = Math.min(height / scale, canvas.height - top);
      for (let y = 0; y < outHeight; y++) {
        const from = plane + y * scale * stride;
        const to = ((top + y) * canvas.width + left) * 4;
        if (canvas.halved) halveRowPair(heap, from, stride, canvas.data, to, outWidth);
        else canvas.data.set(heap.subarray(from, from + outWidth * 4), to);
      }
    });
  }

  /** Frees the file's WebAssembly memory; again is a no-op. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const lib = this.lib;
    if (this.handle) lib._heif_image_handle_release(this.handle);
    this.handle = 0;
    lib._heif_context_free(this.context);
    lib._free(this.data);
    lib._free(this.scratch);
  }

  /** Copies the heif_image whose pointer a decode left in scratch+16 out of WebAssembly memory, and frees it. */
  private takeImage(): RgbaImage {
    return this.takePlane((heap, plane, stride, width, height) => {
      const data = new Uint8ClampedArray(width * height * 4);
      for (let y = 0; y < height; y++)
        data.set(heap.subarray(plane + y * stride, plane + y * stride + width * 4), y * width * 4);
      return { width, height, data };
    });
  }

  /** Hands `read` the RGBA plane of the heif_image a decode left in scratch+16, then frees the image. */
  private takePlane<T>(
    read: (heap: Uint8Array, plane: number, stride: number, width: number, height: number) => T,
  ): T {
    const lib = this.lib;
    const image = lib.HEAPU32[(this.scratch + 16) >> 2] as number;
    try {
      const width = lib._heif_image_get_width(image, CHANNEL_INTERLEAVED);
      const height = lib._heif_image_get_height(image, CHANNEL_INTERLEAVED);
      const plane = lib._heif_image_get_plane_readonly2(image, CHANNEL_INTERLEAVED, this.scratch + 24);
      const stride = lib.HEAPU32[(this.scratch + 24) >> 2] as number;
      return read(lib.HEAPU8, plane, stride, width, height);
    } finally {
      lib._heif_image_release(image);
    }
  }

  /** The primary item's irot/imir in order; null if it has any other transformation (clap). */
  private transforms(): HeifTransform[] | null {
    const lib = this.lib;
    const item = lib._heif_image_handle_get_item_id(this.handle);
    const ids = this.scratch + 64;
    const count = lib._heif_item_get_transformation_properties(this.context, item, ids, 12);
    const found: HeifTransform[] = [];
    for (let i = 0; i < count; i++) {
      const id = lib.HEAPU32[(ids >> 2) + i] as number;
      const type = lib._heif_item_get_property_type(this.context, item, id) >>> 0;
      if (type === PROPERTY_ROTATION) {
        const degrees = lib._heif_item_get_property_transform_rotation_ccw(this.context, item, id);
        if (degrees === 90 || degrees === 180 || degrees === 270)
          found.push({ kind: 'rotate', degreesCcw: degrees });
        else if (degrees !== 0) return null;
      } else if (type === PROPERTY_MIRROR) {
        const direction = lib._heif_item_get_property_transform_mirror(this.context, item, id);
        found.push({ kind: 'mirror', flip: direction === MIRROR_DIRECTION_HORIZONTAL ? 'columns' : 'rows' });
      } else return null;
    }
    return found;
  }

  private check(what: string): void {
    const lib = this.lib;
    const code = lib.HEAP32[this.scratch >> 2] as number;
    if (code === 0) return;
    const subcode = lib.HEAP32[(this.scratch + 4) >> 2] as number;
    const messageAt = lib.HEAPU32[(this.scratch + 8) >> 2] as number;
    let end = messageAt;
    while (messageAt && end < messageAt + 300 && lib.HEAPU8[end] !== 0) end++;
    const message = new TextDecoder().decode(lib.HEAPU8.subarray(messageAt, end));
    throw new LibheifError(`HEIF ${what}: ${message} (libheif error ${code}.${subcode})`);
  }
}
