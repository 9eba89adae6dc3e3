import type { ApiRoute, CapabilityManifest } from './manifest';

/** Which of the upload function's handlers answers a route. */
export type UploadAction = 'upload' | 'rendition';

const UPLOAD_ROUTES: readonly ApiRoute<UploadAction>[] = [
  {
    method: 'POST',
    resource: '/uploads',
    metricRoute: 'upload',
    action: 'upload',
    jsonBodyModel: 'UploadRequest',
  },
  // Clients of the older proxy API post to the root.
  { method: 'POST', resource: '/', metricRoute: 'upload', action: 'upload', jsonBodyModel: 'UploadRequest' },
  {
    method: 'POST',
    resource: '/renditions',
    metricRoute: 'rendition',
    action: 'rendition',
    jsonBodyModel: 'RenditionRequest',
  },
];

/** The function that renders: uploads (bytes, base64, from a URL) and renditions of stored images. */
export const uploadCapability: CapabilityManifest<UploadAction, 'upload'> = {
  name: 'upload',
  description:
    'POST /uploads and /renditions: makes model-ready renditions (of uploaded or fetched images) and stores them under their content address',
  routes: UPLOAD_ROUTES,
  // Writes renditions and kept originals (_originals/); reads a stored object or its original
  // back to make another profile of it (ListBucket: a missing key is 404, not 403).
  grants: [
    { to: 'objects', actions: ['s3:GetObject', 's3:PutObject'] },
    { to: 'listObjects' },
    { to: 'catalogue', use: 'record', derivesKeys: true },
  ],
  settings: [
    'common',
    'cors',
    'fit',
    'maxImageBytes',
    'maxImagePixels',
    'maxDirectUploadBytes',
    'sourceFetch',
  ],
};
