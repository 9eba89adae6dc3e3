// Halving RGBA pixels with a 2×2 box, for the HEIC decoder: as libjpeg's scaled decode does for a
// JPEG (sharp's shrink-on-load), so sharp resizes a quarter of the pixels. No imports: the tile
// workers run it from source through Node's type stripping.

/**
 * Writes `outWidth` pixels of one halved row into `to` at `toOffset`: each the rounded mean of
 * a 2×2 block of the two source rows at `fromOffset` and `fromOffset + fromStride` (bytes).
 * The same arithmetic for a tile and for the whole image, so both give the same pixels.
 */
export function halveRowPair(
  from: Uint8Array | Uint8ClampedArray,
  fromOffset: number,
  fromStride: number,
  to: Uint8Array | Uint8ClampedArray,
  toOffset: number,
  outWidth: number,
): void {
  // Channels unrolled: this runs for every output byte of a 12 MP photo, on the critical path.
  for (let x = 0, a = fromOffset, o = toOffset; x < outWidth; x++, a += 8, o += 4) {
    const b = a + fromStride;
    to[o] =
      ((from[a] as number) + (from[a + 4] as number) + (from[b] as number) + (from[b + 4] as number) + 2) >>
      2;
    to[o + 1] =
      ((from[a + 1] as number) +
        (from[a + 5] as number) +
        (from[b + 1] as number) +
        (from[b + 5] as number) +
        2) >>
      2;
    to[o + 2] =
      ((from[a + 2] as number) +
        (from[a + 6] as number) +
        (from[b + 2] as number) +
        (from[b + 6] as number) +
        2) >>
      2;
    to[o + 3] =
      ((from[a + 3] as number) +
        (from[a + 7] as number) +
        (from[b + 3] as number) +
        (from[b + 7] as number) +
        2) >>
      2;
  }
}

/** `image` halved in both directions (its width and height even: no edge pixel left alone). */
export function halveImage(image: {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}): { width: number; height: number; data: Uint8ClampedArray } {
  const width = image.width / 2;
  const height = image.height / 2;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    halveRowPair(image.data, y * 2 * image.width * 4, image.width * 4, data, y * width * 4, width);
  return { width, height, data };
}
