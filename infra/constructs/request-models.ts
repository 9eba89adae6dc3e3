import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * The JSON upload body as API Gateway can check it before Lambda runs (and bills): an object
 * with a string `image`, as `decodeImagePayload` requires. Deeper checks (base64 alphabet, data: URI, type) stay in the handler.
 * Raw image bodies have no model and pass through.
 */
export const UPLOAD_REQUEST_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'UploadRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['image'],
  properties: {
    image: { type: apigw.JsonSchemaType.STRING },
    imageType: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
    filename: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
  },
};
