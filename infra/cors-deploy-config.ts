import { parseCorsOrigin } from '../lambdas/core/cors';
import { listSetting } from './config-readers';

/**
 * `corsOrigins`: the browser origins that may call the API (docs/cors.md), as a JSON list in
 * cdk.json or `-c corsOrigins=https://a.example.com,https://b.example.com`. None by default;
 * `*` is refused, since every route but /health and /openapi.json takes an API key.
 */
export function readCorsOrigins(value: unknown): string[] {
  return (
    listSetting(value, 'corsOrigins', 'https://console.example.com', (items) => [
      ...new Set(items.map(parseCorsOrigin)),
    ]) ?? []
  );
}
