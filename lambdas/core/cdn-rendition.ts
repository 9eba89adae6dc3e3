import { PROFILE_NAMES, type ProfileName } from './model-profiles';
import { CLIENT_NAME_PATTERN } from './object-keys';
import { OBJECT_NAME_PATTERN } from './object-namespace';

/**
 * Renditions made on demand at the CDN (`https://<cdn>/<key>?w=800&format=webp`): what one is,
 * its canonical text and where it is stored. The CloudFront Function (infra/edge) turns a
 * viewer's query into this canonical form, so that every spelling of one rendition is one
 * cache key and one stored object; the rendering function parses only the canonical form.
 */

/** Where renditions made at the CDN are stored: `_renditions/<source key>/<canonical spec>`. */
export const CDN_RENDITION_PREFIX = '_renditions/';

/** How a resize fits the box `w`×`h`: inside it (no crop), covering it (crop), or letterboxed into it. */
export const RESIZE_FITS = ['inside', 'cover', 'contain'] as const;
export type ResizeFit = (typeof RESIZE_FITS)[number];

/** Formats a viewer may ask for by name (`format=auto` is resolved at the edge to one of these). */
export const CDN_FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;
export type CdnFormat = (typeof CDN_FORMATS)[number];

/** Encoder quality when the URL names none, per format (sharp's own defaults for WebP/AVIF feel). */
export const DEFAULT_QUALITY: Readonly<Record<Exclude<CdnFormat, 'png'>, number>> = {
  jpeg: 80,
  webp: 80,
  avif: 50,
};

/** A rendition of a stored image: a model profile, or a resize and/or conversion. */
export type CdnRenditionSpec =
  | { readonly kind: 'profile'; readonly profile: ProfileName }
  | {
      readonly kind: 'resize';
      /** Box in pixels; at least one of them, or a `format`, is set. */
      readonly width?: number;
      readonly height?: number;
      /** `cover` and `contain` need both `width` and `height`. */
      readonly fit: ResizeFit;
      /** undefined: the stored image's own format where it is JPEG, PNG or WebP (GIF → PNG). */
      readonly format?: CdnFormat;
      /** 1–100, lossy formats only; undefined: `DEFAULT_QUALITY`. */
      readonly quality?: number;
    };

/** The bounds a deployment sets on renditions made at the CDN. */
export interface CdnRenditionBounds {
  /** Longest `w` or `h` accepted, in pixels. */
  readonly maxEdgePx: number;
  /**
   * Sizes `w` and `h` are snapped up to (the next one at least as large), bounding how many
   * renditions one image can have; undefined: any size up to `maxEdgePx`.
   */
  readonly sizes?: readonly number[];
}

/** Sizes requested sizes snap to by default: icons, thumbnails, common layout and screen widths. */
export const DEFAULT_RENDITION_SIZES: readonly number[] = Object.freeze([
  16, 32, 48, 64, 96, 128, 160, 192, 256, 320, 384, 480, 512, 640, 768, 800, 1024, 1080, 1200, 1280, 1536,
  1600, 1920, 2048, 2560, 3072, 3840, 4096,
]);

/** With snapped sizes, `q` is snapped up to a multiple of this too. */
export const QUALITY_STEP = 5;

/** Default longest edge of a rendition made at the CDN, in pixels. */
export const DEFAULT_RENDITION_MAX_EDGE_PX = 4096;

/** Largest `RENDITION_MAX_EDGE_PX`: libvips and the 6 MB-free streamed answer handle it; the bill is the bound. */
export const RENDITION_MAX_EDGE_LIMIT_PX = 8192;

/**
 * The canonical text of a spec, as it appears in the cache key and the stored key: the
 * parameters that differ from the defaults, in the fixed order w, h, fit, format, q
 * (`w=800,format=webp`; `fit=anthropic` for a profile).
 */
export function canonicalSpec(spec: CdnRenditionSpec): string {
  if (spec.kind === 'profile') return `fit=${spec.profile}`;
  const parts: string[] = [];
  if (spec.width !== undefined) parts.push(`w=${spec.width}`);
  if (spec.height !== undefined) parts.push(`h=${spec.height}`);
  if (spec.fit !== 'inside') parts.push(`fit=${spec.fit}`);
  if (spec.format !== undefined) parts.push(`format=${spec.format}`);
  if (spec.quality !== undefined) parts.push(`q=${spec.quality}`);
  return parts.join(',');
}

const CANONICAL_PART = /^(w|h|fit|format|q)=([a-z0-9-]{1,32})$/;
const WHOLE = /^[1-9][0-9]{0,4}$/;
const ORDER = ['w', 'h', 'fit', 'format', 'q'];

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/**
 * Parses the canonical text the edge wrote, or undefined when it is not exactly canonical for
 * these bounds (a size off the snap list or over the edge, a default written out, another
 * order): the rendering function renders nothing that did not come through the edge's rules.
 */
export function parseCanonicalSpec(text: string, bounds: CdnRenditionBounds): CdnRenditionSpec | undefined {
  if (text === '' || text.length > 128) return undefined;
  const values = new Map<string, string>();
  let lastIndex = -1;
  for (const part of text.split(',')) {
    const match = CANONICAL_PART.exec(part);
    if (!match) return undefined;
    const index = ORDER.indexOf(match[1]!);
    if (index <= lastIndex) return undefined;
    lastIndex = index;
    values.set(match[1]!, match[2]!);
  }
  const fit = values.get('fit');
  if (fit !== undefined && isOneOf(PROFILE_NAMES, fit)) {
    return values.size === 1 ? { kind: 'profile', profile: fit } : undefined;
  }
  const size = (name: 'w' | 'h') => {
    const raw = values.get(name);
    if (raw === undefined) return { ok: true as const, value: undefined };
    const n = WHOLE.test(raw) ? Number(raw) : Number.NaN;
    const ok = n <= bounds.maxEdgePx && (bounds.sizes === undefined || bounds.sizes.includes(n));
    return { ok, value: n };
  };
  const width = size('w');
  const height = size('h');
  if (!width.ok || !height.ok) return undefined;
  if (fit !== undefined && (fit === 'inside' || !isOneOf(RESIZE_FITS, fit))) return undefined;
  const resizeFit: ResizeFit = fit ?? 'inside';
  if (resizeFit !== 'inside' && (width.value === undefined || height.value === undefined)) return undefined;
  const format = values.get('format');
  if (format !== undefined && !isOneOf(CDN_FORMATS, format)) return undefined;
  const q = values.get('q');
  let quality: number | undefined;
  if (q !== undefined) {
    quality = WHOLE.test(q) ? Number(q) : Number.NaN;
    if (!(quality <= 100) || format === 'png') return undefined;
    if (bounds.sizes !== undefined && quality % QUALITY_STEP !== 0) return undefined;
    if (format !== undefined && quality === DEFAULT_QUALITY[format]) return undefined;
  }
  if (
    width.value === undefined &&
    height.value === undefined &&
    format === undefined &&
    quality === undefined
  ) {
    return undefined;
  }
  return {
    kind: 'resize',
    ...(width.value !== undefined && { width: width.value }),
    ...(height.value !== undefined && { height: height.value }),
    fit: resizeFit,
    ...(format !== undefined && { format }),
    ...(quality !== undefined && { quality }),
  };
}

/** The stored key of a rendition of `sourceKey` (`alice/<sha256>.jpg`). */
export function cdnRenditionKey(sourceKey: string, spec: CdnRenditionSpec): string {
  return `${CDN_RENDITION_PREFIX}${sourceKey}/${canonicalSpec(spec)}`;
}

/** The prefix under which every rendition of `sourceKey` is stored (deleted with it). */
export function cdnRenditionsPrefixOf(sourceKey: string): string {
  return `${CDN_RENDITION_PREFIX}${sourceKey}/`;
}

/**
 * Splits a rendition's stored key (`_renditions/alice/<sha>.jpg/w=800`) into the source key and
 * its spec, or undefined when it is not one the edge could have written.
 */
export function parseCdnRenditionKey(
  key: string,
  bounds: CdnRenditionBounds,
): { sourceKey: string; spec: CdnRenditionSpec } | undefined {
  if (!key.startsWith(CDN_RENDITION_PREFIX)) return undefined;
  const parts = key.slice(CDN_RENDITION_PREFIX.length).split('/');
  if (parts.length !== 3) return undefined;
  const [client, name, canonical] = parts as [string, string, string];
  if (!CLIENT_NAME_PATTERN.test(client) || !OBJECT_NAME_PATTERN.test(name)) return undefined;
  const spec = parseCanonicalSpec(canonical, bounds);
  return spec && { sourceKey: `${client}/${name}`, spec };
}
