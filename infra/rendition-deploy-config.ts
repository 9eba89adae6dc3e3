import { type CdnRenditionBounds, DEFAULT_RENDITION_MAX_EDGE_PX } from '../lambdas/core/cdn-rendition';
import {
  RENDITION_MAX_SIZE_COUNT,
  RENDITION_MIN_EDGE_PX,
  renditionBoundSettings,
  renditionFieldFix,
} from '../lambdas/settings/renditions';
import { readContext } from '../lambdas/settings/setting';
import { booleanSetting, patternSetting, wholeNumberSetting } from '../lambdas/settings/setting-kinds';
import { fail, jsonObject } from './config-readers';

export { RENDITION_MAX_SIZE_COUNT, RENDITION_MIN_EDGE_PX };

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

/** The deploy-only fields of the `renditions` context key (the bounds are `renditionBoundSettings`). */
const renditionDeploySettings = {
  enabled: booleanSetting({
    contextKey: 'renditions.enabled',
    fallback: true,
    fix: renditionFieldFix('enabled', 'false'),
  }),
  expirationDays: wholeNumberSetting({
    contextKey: 'renditions.expirationDays',
    fallback: 30,
    min: 1,
    max: 36_500,
    fix: renditionFieldFix('expirationDays', '30'),
  }),
  originShieldRegion: patternSetting({
    contextKey: 'renditions.originShieldRegion',
    fallback: undefined,
    pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
    expected: 'an AWS region name such as eu-central-1',
    fix: `${renditionFieldFix('originShieldRegion', '"us-east-1"')} (the Origin Shield region nearest the stack's region), or leave it unset`,
  }),
};

/** Defaults of the fields of the `renditions` context key, as cdk.json documents them. */
export const RENDITION_CONFIG_DEFAULTS = {
  enabled: true,
  maxEdgePx: DEFAULT_RENDITION_MAX_EDGE_PX,
  sizes: 'snap',
  expirationDays: 30,
} as const;

const FIELDS = ['enabled', 'maxEdgePx', 'sizes', 'expirationDays', 'originShieldRegion'] as const;

const FIX =
  'set it in cdk.json "context", e.g. "renditions": {"enabled": true, "maxEdgePx": 4096, "sizes": "snap", ' +
  '"expirationDays": 30}, or pass -c renditions=\'{"maxEdgePx":2048}\' (-c renditions=off turns them off)';

/**
 * Reads the `renditions` context key: a JSON object (in cdk.json, or as a JSON string with `-c`)
 * with `enabled`, `maxEdgePx`, `sizes` (`"snap"`, `"any"` or a list), `expirationDays` and
 * `originShieldRegion`; `off` or `false` is short for `{"enabled": false}`. Throws
 * `DeployConfigError` naming the field, the value and the fix.
 */
export function readRenditionConfig(value: unknown): RenditionDeployConfig {
  const fields: Record<string, unknown> =
    value === 'off' || value === false || value === 'false'
      ? { enabled: false }
      : jsonObject(value ?? {}, 'renditions', FIX);
  for (const field of Object.keys(fields)) {
    if (!(FIELDS as readonly string[]).includes(field))
      fail('renditions', `an object with only ${FIELDS.join(', ')}`, field, FIX);
  }
  const lookup = (key: string) => fields[key.slice('renditions.'.length)];
  const bounds = readContext(renditionBoundSettings, lookup);
  return { ...readContext(renditionDeploySettings, lookup), bounds };
}
