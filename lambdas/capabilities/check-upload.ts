import { QUARANTINE_PREFIX } from '../core/object-namespace';
import type { CapabilityManifest } from './manifest';

/** The function S3 invokes for each presigned upload landing in quarantine: checks it and publishes it. */
export const checkUploadCapability: CapabilityManifest = {
  name: 'checkUpload',
  description: `S3 ${QUARANTINE_PREFIX} uploads: checks presigned uploads and publishes the accepted ones`,
  routes: [],
  // Reads the quarantined upload and its upload record (GetObject covers HeadObject;
  // ListBucket makes a missing key 404, not 403), writes the rendition, the kept original and
  // the upload record, and deletes only quarantined copies.
  grants: [
    { to: 'objects', actions: ['s3:GetObject', 's3:PutObject'] },
    { to: 'objects', actions: ['s3:DeleteObject'], keyPrefix: QUARANTINE_PREFIX },
    { to: 'listObjects' },
    { to: 'catalogue', use: 'record', derivesKeys: true },
  ],
  settings: ['common', 'fit', 'maxDirectUploadBytes', 'maxImagePixels'],
};
