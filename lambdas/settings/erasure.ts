import { DEFAULT_ERASE_IN_BACKGROUND_ABOVE, MAX_ERASE_IN_BACKGROUND_ABOVE } from '../core/limits';
import { ENV } from '../adapters/env-names';
import { type Env, loadSettings } from './setting';
import { wholeNumberSetting } from './setting-kinds';

export const erasureSettings = {
  /** `DELETE /objects?folder=`: folders holding more images than this are erased in the background (202). */
  eraseInBackgroundAbove: wholeNumberSetting({
    contextKey: 'eraseInBackgroundAbove',
    envName: ENV.eraseInBackgroundAbove,
    fallback: DEFAULT_ERASE_IN_BACKGROUND_ABOVE,
    min: 0,
    max: MAX_ERASE_IN_BACKGROUND_ABOVE,
    example: String(DEFAULT_ERASE_IN_BACKGROUND_ABOVE),
  }),
};

/** Reads `ERASE_IN_BACKGROUND_ABOVE` (0–100000). */
export function loadEraseInBackgroundAbove(env: Env): number {
  return loadSettings(erasureSettings, env).eraseInBackgroundAbove;
}
