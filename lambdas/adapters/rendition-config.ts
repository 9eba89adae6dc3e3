import {
  type CdnRenditionBounds,
  DEFAULT_RENDITION_MAX_EDGE_PX,
  DEFAULT_RENDITION_SIZES,
  RENDITION_MAX_EDGE_LIMIT_PX,
} from '../core/cdn-rendition';
import { wholeNumberWithin } from '../core/whole-number';
import { ConfigError, integerSetting } from './config';
import { ENV } from './env-names';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The bounds of renditions made at the CDN, as the edge function and the rendering function both
 * apply them: `RENDITION_MAX_EDGE_PX` and `RENDITION_SIZES` (`any`, or sizes to snap to).
 */
export function loadRenditionBounds(env: Env): CdnRenditionBounds {
  const maxEdgePx = integerSetting(
    env,
    ENV.renditionMaxEdgePx,
    DEFAULT_RENDITION_MAX_EDGE_PX,
    16,
    RENDITION_MAX_EDGE_LIMIT_PX,
  );
  const raw = env[ENV.renditionSizes]?.trim();
  if (raw === 'any') return { maxEdgePx };
  if (!raw) return { maxEdgePx, sizes: DEFAULT_RENDITION_SIZES.filter((size) => size <= maxEdgePx) };
  const sizes = raw.split(',').map((item) => wholeNumberWithin(item.trim(), 1, maxEdgePx));
  if (sizes.some((size) => size === undefined)) {
    throw new ConfigError(
      `${ENV.renditionSizes} must be "any" or sizes from 1 to ${maxEdgePx} separated by commas, got "${raw}"`,
    );
  }
  return { maxEdgePx, sizes: [...new Set(sizes as number[])].sort((a, b) => a - b) };
}
