import type { FitDefaults } from '../../lambdas/core/fit-defaults';

/** The deployment default of every test that does not set one: `universal` for all clients. */
export const DEFAULT_FITS: FitDefaults = { default: 'universal', byClient: new Map() };
