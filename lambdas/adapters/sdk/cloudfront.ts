// What the CDN invalidator uses of the CloudFront SDK, loaded with `import()` on the first delete
// (on-first-use.ts): a module of its own, so esbuild bundles these exports, not the whole package.
export { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
