/**
 * Just enough ISO-BMFF to take HEIF files from `heif-enc` apart and write new ones: Debian's
 * heif-enc (libheif 1.15) can neither tile an image into a grid nor choose which image is the
 * primary, so the tests build those files from its single-image outputs.
 */

export interface Box {
  readonly type: string;
  /** The box's payload, after its 8-byte header. */
  readonly payload: Buffer;
}

/** The boxes laid end to end in `bytes` (32-bit sizes only: heif-enc writes no larger box). */
export function readBoxes(bytes: Buffer): Box[] {
  const boxes: Box[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(at);
    if (size < 8 || at + size > bytes.length) throw new Error(`bad box size ${size} at ${at}`);
    boxes.push({
      type: bytes.toString('latin1', at + 4, at + 8),
      payload: bytes.subarray(at + 8, at + size),
    });
    at += size;
  }
  return boxes;
}

/** The one child of `type` in `boxes`; throws when absent. */
export function child(boxes: readonly Box[], type: string): Box {
  const found = boxes.find((box) => box.type === type);
  if (!found) throw new Error(`no ${type} box`);
  return found;
}

/** The children of a full box (a 4-byte version and flags precede them), such as `meta`. */
export function fullBoxChildren(box: Box): Box[] {
  return readBoxes(box.payload.subarray(4));
}

/** A box of `type` around `parts`. */
export function box(type: string, ...parts: Buffer[]): Buffer {
  const payload = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

/** A full box: `version` and 24-bit `flags` before `parts`. */
export function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff));
  return box(type, head, ...parts);
}

/** Big-endian unsigned integers of `bytes` bytes each. */
export function uints(bytes: 1 | 2 | 4, ...values: number[]): Buffer {
  const out = Buffer.alloc(bytes * values.length);
  values.forEach((value, i) => {
    out.writeUIntBE(value, i * bytes, bytes);
  });
  return out;
}
