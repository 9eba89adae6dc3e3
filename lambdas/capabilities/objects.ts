import type { ObjectsAction } from '../routes/objects';
import type { ApiRoute, CapabilityManifest } from './manifest';

/** Its routes, in the order the stack adds them (the API deployment's id hashes that order). */
const OBJECTS_ROUTES: readonly ApiRoute<ObjectsAction>[] = [
  { method: 'GET', resource: '/objects', metricRoute: 'list', action: 'objects' },
  { method: 'DELETE', resource: '/objects', metricRoute: 'delete', action: 'objects' },
  { method: 'GET', resource: '/objects/{key+}', metricRoute: 'info', action: 'objects' },
  { method: 'DELETE', resource: '/objects/{key+}', metricRoute: 'delete', action: 'objects' },
  { method: 'PATCH', resource: '/objects/{key+}', metricRoute: 'patch', action: 'objects' },
  { method: 'GET', resource: '/stats', metricRoute: 'stats', action: 'stats' },
  { method: 'GET', resource: '/erasures/{id}', metricRoute: 'erasure-status', action: 'erasure-status' },
  // The outcome of a presigned upload: a read of _uploads/, which this function can make.
  { method: 'GET', resource: '/uploads/{id}', metricRoute: 'upload-status', action: 'upload-status' },
  // The API's description (openapi/openapi.json, bundled): public, like GET /health. A mock
  // integration would need the document as a VTL template, where `$ref` and `#` are syntax.
  {
    method: 'GET',
    resource: '/openapi.json',
    metricRoute: 'openapi',
    action: 'openapi',
    apiKeyRequired: false,
  },
];

/** The function that reads, changes and deletes a client's images, erasing large folders in the background. */
export const objectsCapability: CapabilityManifest<ObjectsAction, 'objects'> = {
  name: 'objects',
  description:
    'GET/DELETE /objects: lists, describes and deletes a client’s objects, invalidating the CDN on delete',
  routes: OBJECTS_ROUTES,
  // Deleting an object deletes its renditions (_renditions/<key>/…) too: listed and deleted here.
  // A large folder is erased in the background: the function invokes itself with the erasure.
  grants: [
    { to: 'listObjects' },
    { to: 'objects', actions: ['s3:GetObject', 's3:DeleteObject'] },
    { to: 'cdnInvalidation' },
    { to: 'catalogue', use: 'manage', derivesKeys: false },
    { to: 'invokeItself' },
  ],
  settings: ['common', 'cors', 'cdnInvalidation', 'backgroundErasure'],
};
