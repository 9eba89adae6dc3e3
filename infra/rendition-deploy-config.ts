import { ENV } from '../lambdas/adapters/env-names';
import {
  type CdnRenditionBounds,
  DEFAULT_RENDITION_MAX_EDGE_PX,
  DEFAULT_RENDITION_SIZES,
  RENDITION_MAX_EDGE_LIMIT_PX,
} from '../lambdas/core/cdn-rendition';
import { wholeNumberWithin } from '../lambdas/core/whole-number';
import { listItems } from '../lambdas/core/source-policy';
import { booleanSetting, fail, jsonObject, optionalString, wholeNumber } from './config-readers';

/**
 * Renditions made at the CDN (`https://<cdn>/<key>?w=800&format=webp`, docs/cdn-renditions.md):
 * whether they exist, their bounds, how long a stored one is kept and where Origin Shield sits.
 */
export interface RenditionDeployConfig {
  /** Whether the CDN makes renditions (the rendering function, its URL and the edge function exist). */
  readonly enabled: boolean;
  /**
   * What a URL may ask for: the longest edge and the sizes it snaps to. The same object is written
   * into the edge function and the rendering function's environment, so the two cannot disagree.
   */
  readonly bounds: CdnRenditionBounds;
  /** Days after which a stored rendition (`_renditions/`) expires; the next miss makes it again. */
  readonly expirationDays: number;
  /** Region of the Origin Shield in front of both origins; undefined: no Origin Shield. */
  readonly originShieldRegion?: string;
}

/** Defaults of the fields of the `renditions` context key. */
export const RENDITION_CONFIG_DEFAULTS = {
  enabled: true,
  maxEdgePx: DEFAULT_RENDITION_MAX_EDGE_PX,
  sizes: 'snap',
  expirationDays: 30,
} as const;

/** Fewest pixels `maxEdgePx` may be (the smallest snapped size). */
export const RENDITION_MIN_EDGE_PX = 16;

/**
 * Most sizes a list may name: each is another rendition of every image (and its own cache entry),
 * and the list is written into the edge function (10 KB of code at most) and a Lambda environment
 * (4 KB in all).
 */
export const RENDITION_MAX_SIZE_COUNT = 64;

const FIELDS = ['enabled', 'maxEdgePx', 'sizes', 'expirationDays', 'originShieldRegion'] as const;

const FIX =
  'set it in cdk.json "context", e.g. "renditions": {"enabled": true, "maxEdgePx": 4096, "sizes": "snap", ' +
  '"expirationDays": 30}, or pass -c renditions=\'{"maxEdgePx":2048}\' (-c renditions=off turns them off)';

const fieldFix = (field: string, example: string) =>
  `set "${field}": ${example} under "renditions" in cdk.json "context"`;

function readSizes(value: unknown, maxEdgePx: number): readonly number[] | undefined {
  if (value === 'snap') return DEFAULT_RENDITION_SIZES.filter((size) => size <= maxEdgePx);
  if (value === 'any') return undefined;
  const expected = `"snap", "any" or a list of whole numbers from 1 to maxEdgePx (${maxEdgePx})`;
  const fix = `${fieldFix('sizes', '[256, 512, 1024]')}, or "snap" for the built-in sizes`;
  if (typeof value !== 'string' && !Array.isArray(value))
    return fail('renditions.sizes', expected, value, fix);
  const items = listItems(value);
  const sizes = items.map((item) => wholeNumberWithin(item, 1, maxEdgePx));
  if (items.length === 0 || sizes.some((size) => size === undefined))
    return fail('renditions.sizes', expected, value, fix);
  const unique = [...new Set(sizes as number[])].sort((a, b) => a - b);
  if (unique.length > RENDITION_MAX_SIZE_COUNT)
    fail('renditions.sizes', `at most ${RENDITION_MAX_SIZE_COUNT} sizes`, `${unique.length} sizes`, fix);
  return unique;
}

function readOriginShieldRegion(value: unknown): string | undefined {
  const fix = `${fieldFix('originShieldRegion', '"us-east-1"')} (the Origin Shield region nearest the stack's region), or leave it unset`;
  const region = optionalString(value, 'renditions.originShieldRegion', fix);
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region))
    fail('renditions.originShieldRegion', 'an AWS region name such as eu-central-1', region, fix);
  return region;
}

/**
 * Reads the `renditions` context key: a JSON object (in cdk.json, or as a JSON string with `-c`)
 * with `enabled`, `maxEdgePx`, `sizes` (`"snap"`, `"any"` or a list), `expirationDays` and
 * `originShieldRegion`; `off` or `false` is short for `{"enabled": false}`. Throws
 * `DeployConfigError` naming the field, the value and the fix.
 */
export function readRenditionConfig(value: unknown): RenditionDeployConfig {
  const fields =
    value === 'off' || value === false || value === 'false'
      ? { enabled: false }
      : jsonObject(value ?? {}, 'renditions', FIX);
  for (const field of Object.keys(fields)) {
    if (!(FIELDS as readonly string[]).includes(field))
      fail('renditions', `an object with only ${FIELDS.join(', ')}`, field, FIX);
  }
  const maxEdgePx = wholeNumber(
    fields.maxEdgePx ?? RENDITION_CONFIG_DEFAULTS.maxEdgePx,
    'renditions.maxEdgePx',
    RENDITION_MIN_EDGE_PX,
    RENDITION_MAX_EDGE_LIMIT_PX,
    `${fieldFix('maxEdgePx', String(DEFAULT_RENDITION_MAX_EDGE_PX))}; every pixel of the longest edge is rendering time and bytes the bill pays`,
  );
  const sizes = readSizes(fields.sizes ?? RENDITION_CONFIG_DEFAULTS.sizes, maxEdgePx);
  const originShieldRegion = readOriginShieldRegion(fields.originShieldRegion);
  return {
    enabled: booleanSetting(
      fields.enabled ?? RENDITION_CONFIG_DEFAULTS.enabled,
      'renditions.enabled',
      fieldFix('enabled', 'false'),
    ),
    bounds: { maxEdgePx, ...(sizes !== undefined && { sizes }) },
    expirationDays: wholeNumber(
      fields.expirationDays ?? RENDITION_CONFIG_DEFAULTS.expirationDays,
      'renditions.expirationDays',
      1,
      36_500,
      fieldFix('expirationDays', '30'),
    ),
    ...(originShieldRegion !== undefined && { originShieldRegion }),
  };
}

/**
 * The rendering function's view of `bounds` (`RENDITION_MAX_EDGE_PX`, `RENDITION_SIZES`: the
 * sizes comma-separated, or `any`), which `loadRenditionBounds` reads back into equal bounds.
 */
export function renditionBoundsEnvironment(bounds: CdnRenditionBounds): Record<string, string> {
  return {
    [ENV.renditionMaxEdgePx]: String(bounds.maxEdgePx),
    [ENV.renditionSizes]: bounds.sizes === undefined ? 'any' : bounds.sizes.join(','),
  };
}
