/**
 * URLs of renditions made at the CDN: `renditionUrl(answer.url, { w: 800, format: 'webp' })`
 * answers `<url>?w=800&format=webp`, checked here by the rules the CDN applies (README,
 * "Renditions at the CDN: resize and convert by URL"), so a bad option throws at the call
 * instead of a 400 from the CDN. Sizes are passed as given: the CDN snaps them to its list.
 */
import type { Profile } from './api-types.ts';

/** How the image fills the `w`×`h` box, or a model profile (which takes no other option). */
export type RenditionFit = 'inside' | 'cover' | 'contain' | Profile;
export type RenditionFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'auto';

export interface RenditionOptions {
  /** Width in whole pixels, ≥ 1 (the deployment's `renditions.maxEdgePx`, 4096 by default, at most). */
  readonly w?: number;
  /** Height in whole pixels, ≥ 1. */
  readonly h?: number;
  /** `inside` (the default), `cover` or `contain` (both need `w` and `h`), or a profile name, alone. */
  readonly fit?: RenditionFit;
  /** `auto`: AVIF or WebP by the viewer's `Accept`, else the image's own format. */
  readonly format?: RenditionFormat;
  /** Quality 1–100; not with `format: 'png'`. */
  readonly q?: number;
}

const BOX_FITS: readonly string[] = ['inside', 'cover', 'contain'];
/** The profiles of openapi/openapi.json (`Profile`); the compiler checks the list is whole (the MCP tools list them too). */
export const PROFILES_BY_NAME: Readonly<Record<Profile, true>> = {
  universal: true,
  anthropic: true,
  'anthropic-hires': true,
  openai: true,
  gemini: true,
  original: true,
};
const PROFILES: readonly string[] = Object.keys(PROFILES_BY_NAME);
const FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'avif', 'auto'];
/** The CDN's canonical order, which the URL follows too. */
const ORDER = ['w', 'h', 'fit', 'format', 'q'] as const;

/**
 * The URL of a rendition of the image at `url` (a public URL the service answered).
 * With no option, `url` itself. Throws TypeError for a wrong type, an unknown option, a URL
 * that already has a query string or fragment, or a combination the CDN refuses (a profile with
 * other options, `cover`/`contain` without both `w` and `h`, `q` with PNG); RangeError for a size
 * that is not a whole number ≥ 1, `q` outside 1–100, or an unknown `fit` or `format`.
 */
export function renditionUrl(url: string, options: RenditionOptions): string {
  if (typeof url !== 'string' || url === '')
    throw new TypeError(`url must be a non-empty string, got ${show(url)}`);
  if (/[?#]/.test(url)) {
    throw new TypeError(
      `url must have no query string or fragment, got ${show(url)}: pass the bare public URL`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${show(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!(ORDER as readonly string[]).includes(name)) {
      throw new TypeError(`unknown rendition option ${show(name)}: one of ${ORDER.join(', ')}`);
    }
  }
  const { w, h, fit, format, q } = options;
  checkWhole('w', w, 1);
  checkWhole('h', h, 1);
  checkWhole('q', q, 1, 100);
  checkOneOf('fit', fit, [...BOX_FITS, ...PROFILES]);
  checkOneOf('format', format, FORMATS);

  if (fit !== undefined && PROFILES.includes(fit)) {
    const others = ORDER.filter((name) => name !== 'fit' && options[name] !== undefined);
    if (others.length > 0) {
      throw new TypeError(
        `fit=${fit} is a model profile and takes no other option, got ${others.map((name) => `${name}=${options[name]}`).join(', ')}`,
      );
    }
  }
  if ((fit === 'cover' || fit === 'contain') && (w === undefined || h === undefined)) {
    throw new TypeError(`fit=${fit} needs both w and h, got w=${w ?? 'none'}, h=${h ?? 'none'}`);
  }
  if (q !== undefined && format === 'png') {
    throw new TypeError(`q=${q} cannot be combined with format=png (lossless)`);
  }

  const query = ORDER.filter((name) => options[name] !== undefined)
    .map((name) => `${name}=${encodeURIComponent(String(options[name]))}`)
    .join('&');
  return query === '' ? url : `${url}?${query}`;
}

function checkWhole(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${show(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `${min}–${max}`;
    throw new RangeError(`${name} must be a whole number ${range}, got ${show(value)}`);
  }
}

function checkOneOf(name: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${show(value)}`);
  if (!allowed.includes(value)) {
    throw new RangeError(`${name} must be one of ${allowed.join(', ')}, got ${show(value)}`);
  }
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));
