import { CDN_RENDITION_PREFIX } from '../core/cdn-rendition';
import type { CapabilityManifest } from './manifest';

/**
 * The rendering function: CloudFront's second origin after storage misses a rendition. No API
 * keys or public URL: it is reached only by CloudFront (function URL, AWS_IAM auth, OAC). The
 * CdnRenditions construct creates it with the CDN (one concern), so the stack's loop skips it.
 */
export const renderCapability: CapabilityManifest = {
  name: 'render',
  description:
    'CDN misses of /<key>?w=…: renders the rendition of a stored image, stores it under _renditions/ and streams it back',
  routes: [],
  // Reads the source of a rendition (every key, with the private prefixes denied by the
  // construct), writes under _renditions/ only; no delete.
  grants: [
    { to: 'objects', actions: ['s3:GetObject'] },
    { to: 'listObjects' },
    { to: 'objects', actions: ['s3:PutObject'], keyPrefix: CDN_RENDITION_PREFIX },
  ],
  // No public URL or client keys: it answers CloudFront only.
  settings: ['storage', 'renditions', 'maxImagePixels', 'maxSourceBytes', 'observability'],
};
