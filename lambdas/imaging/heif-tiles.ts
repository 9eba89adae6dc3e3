import type { HeifTransform, RgbaImage } from './libheif-wasm';

/** Applies irot/imir in order, moving whole RGBA pixels (as libheif does after decoding). */
export function applyTransforms(image: RgbaImage, transforms: readonly HeifTransform[]): RgbaImage {
  return transforms.reduce(
    (current, transform) =>
      transform.kind === 'rotate'
        ? rotateCcw(current, transform.degreesCcw)
        : mirror(current, transform.flip),
    image,
  );
}

function rotateCcw(image: RgbaImage, degrees: 90 | 180 | 270): RgbaImage {
  const { width, height } = image;
  const from = new Uint32Array(image.data.buffer, image.data.byteOffset, width * height);
  const turned = degrees !== 180;
  const outWidth = turned ? height : width;
  const outHeight = turned ? width : height;
  const to = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pixel = from[y * width + x] as number;
      // Counter-clockwise by 90°: (x, y) goes to (y, width-1-x).
      if (degrees === 90) to[(width - 1 - x) * outWidth + y] = pixel;
      else if (degrees === 180) to[(height - 1 - y) * outWidth + (width - 1 - x)] = pixel;
      else to[x * outWidth + (height - 1 - y)] = pixel;
    }
  }
  return { width: outWidth, height: outHeight, data: new Uint8ClampedArray(to.buffer) };
}

function mirror(image: RgbaImage, flip: 'rows' | 'columns'): RgbaImage {
  const { width, height } = image;
  const from = new Uint32Array(image.data.buffer, image.data.byteOffset, width * height);
  const to = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const source = flip === 'rows' ? height - 1 - y : y;
    const row = from.subarray(source * width, source * width + width);
    if (flip === 'rows') to.set(row, y * width);
    else for (let x = 0; x < width; x++) to[y * width + x] = row[width - 1 - x] as number;
  }
  return { width, height, data: new Uint8ClampedArray(to.buffer) };
}
