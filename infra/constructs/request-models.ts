import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { MAX_PRESIGN_BATCH_ITEMS } from '../../lambdas/core/presign-request';

/**
 * The JSON upload body as API Gateway can check it before Lambda runs (and bills): an object
 * with a string `image` (base64 or a data: URI), or a string `sourceUrl` (with an optional
 * object of string `sourceHeaders`) for the service to fetch, as `decodeUploadPayload` requires.
 * Deeper checks (base64 alphabet, data: URI, type, the URL and its guard, header names) stay in
 * the handler. Raw image bodies have no model and pass through.
 */
export const UPLOAD_REQUEST_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'UploadRequest',
  type: apigw.JsonSchemaType.OBJECT,
  properties: {
    // null is absent to the handler: {"image": null, "sourceUrl": "…"} is an upload from a URL.
    image: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
    sourceUrl: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
    sourceHeaders: {
      type: [apigw.JsonSchemaType.OBJECT, apigw.JsonSchemaType.NULL],
      additionalProperties: { type: apigw.JsonSchemaType.STRING },
    },
    imageType: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
    filename: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
    fit: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
    inline: { type: [apigw.JsonSchemaType.BOOLEAN, apigw.JsonSchemaType.NULL] },
  },
  anyOf: [{ required: ['image'] }, { required: ['sourceUrl'] }],
};

/** `POST /renditions`: an object naming a stored image by `key` or `url`, and a `fit`. */
export const RENDITION_REQUEST_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'RenditionRequest',
  type: apigw.JsonSchemaType.OBJECT,
  properties: {
    key: { type: apigw.JsonSchemaType.STRING },
    url: { type: apigw.JsonSchemaType.STRING },
    fit: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
    inline: { type: [apigw.JsonSchemaType.BOOLEAN, apigw.JsonSchemaType.NULL] },
  },
  anyOf: [{ required: ['key'] }, { required: ['url'] }],
};

/**
 * The `POST /presign` body as API Gateway can check it cheaply, refusing nothing
 * `parsePresignRequest` would accept: a JSON object that is either a batch (`items`: 1 to 100
 * objects) or one request whose `method` is PUT or GET in any letter case. The Lambda stays the
 * authority on the rest (fields per method, accepted types, size and expiry limits from config,
 * the caller's namespace).
 */
export const PRESIGN_REQUEST_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'PresignRequest',
  type: apigw.JsonSchemaType.OBJECT,
  properties: {
    items: {
      type: apigw.JsonSchemaType.ARRAY,
      minItems: 1,
      maxItems: MAX_PRESIGN_BATCH_ITEMS,
      items: { type: apigw.JsonSchemaType.OBJECT },
    },
  },
  anyOf: [
    { required: ['items'] },
    {
      required: ['method'],
      properties: { method: { type: apigw.JsonSchemaType.STRING, pattern: '^([Pp][Uu][Tt]|[Gg][Ee][Tt])$' } },
    },
  ],
};
