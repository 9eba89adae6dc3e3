import type { CdnRenditionBounds } from '../../lambdas/core/cdn-rendition';

/**
 * Placeholder until the edge function lands: the source of the viewer-request CloudFront Function
 * (cloudfront-js-2.0) with `bounds` written into it (docs/cdn-renditions.md).
 */
export function renditionEdgeCode(bounds: CdnRenditionBounds): string {
  return `function handler(event) { return event.request; } // ${JSON.stringify(bounds)}`;
}
