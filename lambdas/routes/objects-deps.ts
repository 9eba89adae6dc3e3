import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdnInvalidator } from '../adapters/cdn-invalidator';
import type { ImageStore } from '../adapters/image-store';
import type { FunctionMetrics } from '../adapters/metrics';
import type { CatalogueDeps } from '../catalogue/catalogue-deps';
import type { ErasureLog } from '../adapters/erasure-log';
import type { ErasureDispatcher } from '../catalogue/erase-in-background';

/** What the objects route needs; the Lambda entry and local mode each supply their own. */
export interface ObjectsDeps {
  readonly store: ImageStore;
  readonly invalidator: CdnInvalidator;
  readonly clientsByKeyId: ReadonlyMap<string, string>;
  readonly publicBaseUrl: string;
  readonly logger: Logger;
  readonly metrics: FunctionMetrics;
  /** The catalogue images are recorded in. @default none (single-handler unit tests) */
  readonly catalogue?: CatalogueDeps | undefined;
  /** How large folders are erased in the background. @default none: every folder is erased in the request */
  readonly background?: BackgroundErasure | undefined;
}

/** How the objects function erases large folders: its log, its way to the background, its threshold. */
export interface BackgroundErasure {
  readonly erasures: ErasureLog;
  readonly dispatch: ErasureDispatcher;
  /** Folders holding more images than this are erased in the background (202). */
  readonly backgroundAbove: number;
}
