/**
 * API resources routed by the resource they arrive on, shared by the CDK stack (which creates
 * them), local mode and the Lambda entries (which dispatch on them), so the three agree.
 */
export const API_RESOURCES = {
  /** `POST`: another profile of a stored image (the upload function: it renders). */
  renditions: '/renditions',
  /** `GET`: the outcome of a presigned upload (the objects function: it only reads). */
  uploadStatus: '/uploads/{id}',
  /** `GET`, no key: the OpenAPI description of the API (the objects function: it only reads). */
  openApi: '/openapi.json',
  /** `GET`: counts of a client's images, by folder (the objects function: it reads the catalogue). */
  stats: '/stats',
  /** `GET`: how far a folder's background erasure got (the objects function: it erases folders). */
  erasure: '/erasures/{id}',
} as const;
