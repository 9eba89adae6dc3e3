import { parseCorsOrigin } from '../core/cors';
import { ENV } from '../adapters/env-names';
import { type Env, loadSettings } from './setting';
import { listSetting } from './setting-kinds';

export const corsSettings = {
  /**
   * Browser origins that may call the API (docs/cors.md), in the form browsers send them. None by
   * default; `*` is refused, since every route but /health and /openapi.json takes an API key.
   */
  corsOrigins: listSetting<string>({
    contextKey: 'corsOrigins',
    envName: ENV.corsOrigins,
    fallback: [],
    example: 'https://console.example.com',
    empty: 'unset',
    parseItems: (items) => [...new Set(items.map(parseCorsOrigin))],
  }),
};

/** `CORS_ORIGINS`, checked at cold start: a bad origin fails the start, naming the variable. */
export function loadCorsOrigins(env: Env): string[] {
  return [...loadSettings(corsSettings, env).corsOrigins];
}
