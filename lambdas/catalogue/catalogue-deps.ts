import type { Catalogue } from '../adapters/catalogue-store';
import type { KeySecretSource } from '../adapters/key-secret';

/** What the routes that record images need: the catalogue, the key secret and a clock. */
export interface CatalogueDeps {
  readonly catalogue: Catalogue;
  readonly keySecret: KeySecretSource;
  /** ISO 8601 time of now; injectable for tests. @default the system clock */
  readonly now?: (() => string) | undefined;
}

/** The catalogue's clock. */
export function nowOf(deps: CatalogueDeps): string {
  return deps.now?.() ?? new Date().toISOString();
}
