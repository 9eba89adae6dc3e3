import {
  type CdnRenditionBounds,
  DEFAULT_RENDITION_MAX_EDGE_PX,
  DEFAULT_RENDITION_SIZES,
  RENDITION_MAX_EDGE_LIMIT_PX,
} from '../core/cdn-rendition';
import { listItems } from '../core/list-items';
import { wholeNumberWithin } from '../core/whole-number';
import { ENV } from '../adapters/env-names';
import { type Env, loadSettings, type Setting, SettingRefusal } from './setting';
import { wholeNumberSetting } from './setting-kinds';

/** Fewest pixels `maxEdgePx` may be (the smallest snapped size). */
export const RENDITION_MIN_EDGE_PX = 16;

/**
 * Most sizes a list may name: each is another rendition of every image (and its own cache entry),
 * and the list is written into the edge function (10 KB of code at most) and a Lambda environment
 * (4 KB in all).
 */
export const RENDITION_MAX_SIZE_COUNT = 64;

/** The fix of a field of the `renditions` context key (a JSON object). */
export const renditionFieldFix = (field: string, example: string) =>
  `set "${field}": ${example} under "renditions" in cdk.json "context"`;

const maxEdgePx = wholeNumberSetting({
  contextKey: 'renditions.maxEdgePx',
  envName: ENV.renditionMaxEdgePx,
  fallback: DEFAULT_RENDITION_MAX_EDGE_PX,
  min: RENDITION_MIN_EDGE_PX,
  max: RENDITION_MAX_EDGE_LIMIT_PX,
  fix: `${renditionFieldFix('maxEdgePx', String(DEFAULT_RENDITION_MAX_EDGE_PX))}; every pixel of the longest edge is rendering time and bytes the bill pays`,
});

const snapped = (edge: number) => DEFAULT_RENDITION_SIZES.filter((size) => size <= edge);

/** `snap` (the built-in sizes up to the edge), `any` (undefined: any size) or a list of sizes. */
const sizes: Setting<readonly number[] | undefined> = {
  contextKey: 'renditions.sizes',
  envName: ENV.renditionSizes,
  fallback: (read) => snapped(read(maxEdgePx)),
  parse(raw, read) {
    const edge = read(maxEdgePx);
    if (raw === 'snap') return snapped(edge);
    if (raw === 'any') return undefined;
    const refusal = new SettingRefusal(
      `"snap", "any" or a list of whole numbers from 1 to maxEdgePx (${edge})`,
    );
    if (typeof raw !== 'string' && !Array.isArray(raw)) throw refusal;
    const items = listItems(raw);
    const parsed = items.map((item) => wholeNumberWithin(item, 1, edge));
    if (items.length === 0 || parsed.some((size) => size === undefined)) throw refusal;
    const unique = [...new Set(parsed as number[])].sort((a, b) => a - b);
    if (unique.length > RENDITION_MAX_SIZE_COUNT)
      throw new SettingRefusal(`at most ${RENDITION_MAX_SIZE_COUNT} sizes`);
    return unique;
  },
  format: (value) => (value === undefined ? 'any' : value.join(',')),
  fix: () => `${renditionFieldFix('sizes', '[256, 512, 1024]')}, or "snap" for the built-in sizes`,
};

/**
 * What a rendition URL may ask for (`CdnRenditionBounds`): the same values are written into the
 * edge function and the rendering function's environment, so the two cannot disagree.
 */
export const renditionBoundSettings = { maxEdgePx, sizes };

/**
 * The bounds of renditions made at the CDN, as the edge function and the rendering function both
 * apply them: `RENDITION_MAX_EDGE_PX` and `RENDITION_SIZES` (`any`, or sizes to snap to).
 */
export function loadRenditionBounds(env: Env): CdnRenditionBounds {
  return loadSettings(renditionBoundSettings, env);
}
