import type { CapabilityManifest } from './manifest';

/**
 * The scheduled reconciler: finishes folder erasures whose runs died, then makes the bucket and
 * the catalogue agree, from a cursor kept in the table. No routes: an EventBridge rule and the
 * function itself invoke it. The CatalogueReconciler construct creates it with its schedule (one
 * concern), so the stack's loop skips it, as it does the render function.
 */
export const reconcileCapability: CapabilityManifest = {
  name: 'reconcile',
  description:
    'Scheduled: continues folder erasures whose runs died, then makes the bucket and the image catalogue agree',
  routes: [],
  // Heads, lists and deletes objects, never writes: a backfill records what is there.
  grants: [
    { to: 'objects', actions: ['s3:GetObject', 's3:DeleteObject'] },
    { to: 'listObjects' },
    { to: 'catalogue', use: 'reconcile', derivesKeys: false },
    { to: 'cdnInvalidation' },
    { to: 'invokeItself' },
  ],
  // It erases and repairs what the CDN serves, under its public URLs.
  settings: [
    'storage',
    'publicBaseUrl',
    'observability',
    'cdnInvalidation',
    'backgroundErasure',
    'reconcile',
  ],
};
