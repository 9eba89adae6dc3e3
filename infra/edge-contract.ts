/**
 * What the edge (API Gateway + CloudFront) promises clients, shared by the CDK constructs and
 * the local stand-ins so local mode behaves the way the deployed service does.
 */

/** Bodies API Gateway passes to Lambda base64-encoded (raw image uploads), not as text. */
export const BINARY_MEDIA_TYPES = ['image/*', 'video/mp4', 'application/octet-stream'] as const;

/** API Gateway REST's own cap on a request body, before Lambda's 6 MiB. */
export const API_GATEWAY_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * Headers the CDN adds to every object it serves: no MIME sniffing, no script or plugin
 * even if a polyglot slipped through, and embeddable by `<img>` from any origin.
 */
export const CDN_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * `Vary` of every answer of the CDN's image behaviour when renditions are on: `?format=auto`
 * picks AVIF, WebP or the stored format from `Accept`, so a cache between the CDN and the
 * viewer must key on it. CloudFront's own cache is keyed by the rewritten URI and ignores it.
 * S3 cannot store a `Vary` header with an object, so the response headers policy adds it to
 * stored renditions served later too; the rendering function sends it with the first answer.
 */
export const CDN_RENDITION_VARY = { vary: 'Accept' } as const;

/** The JSON error body the gateway answers with, in design.md's shape. */
export function gatewayErrorBody(error: string, message: string, requestId: string): string {
  return JSON.stringify({ error, message, requestId });
}
