import './support/isolated-home';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_FILE,
  LAMBDA_ENTRIES,
  ON_FIRST_USE_SOURCES,
  REPO_ROOT,
  type LambdaName,
} from '../../infra/lambda-bundling';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '../../infra/local/embedded-dynamodb';
import { assetDirOf } from './support/lambda-assets';
import { type Synthesized, synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';

const FUNCTIONS = Object.keys(LAMBDA_ENTRIES) as LambdaName[];
const SOURCES = readdirSync(join(REPO_ROOT, ON_FIRST_USE_SOURCES))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, ''));

/** The on-first-use modules a bundle requires (`require("./sdk/<name>")`), sorted. */
function requiredOnFirstUse(code: string): string[] {
  return [...new Set([...code.matchAll(/require\("\.\/sdk\/([\w-]+)"\)/g)].map(([, name]) => name!))].sort();
}

describe('modules loaded on first use: how the code reaches them', () => {
  it("imports them only as import('./sdk/<name>') from lambdas/adapters, the one path the bundles leave out", () => {
    // Prepare: every TypeScript file under lambdas/
    const files = readdirSync(join(REPO_ROOT, 'lambdas'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name));

    // Act: a dynamic import naming an sdk/ module any other way would be inlined again
    const strays = files.flatMap((file) =>
      [...codeOf(readFileSync(file, 'utf8')).matchAll(/import\(\s*['"]([^'"]*\/sdk\/[^'"]*)['"]/g)]
        .filter(
          ([, path]) =>
            !(dirname(file) === join(REPO_ROOT, 'lambdas', 'adapters') && /^\.\/sdk\/[\w-]+$/.test(path!)),
        )
        .map(([, path]) => `${file}: ${path}`),
    );

    // Assess
    expect(strays).toEqual([]);
  });
});

describe('modules loaded on first use, in files of their own (bundled synthesis)', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    // Prepare (the run's one bundled synthesis, shared with the other infra files: read only)
    synthesized = synthesize(TWO_CLIENTS_CONTEXT, { bundle: true });
  });

  it.each(FUNCTIONS)('gives the %s function exactly the sdk/ files its bundle requires', (name) => {
    // Prepare
    const asset = assetDirOf(synthesized, name);

    // Act
    const required = requiredOnFirstUse(readFileSync(join(asset, BUNDLE_FILE), 'utf8'));
    const shipped = existsSync(join(asset, 'sdk'))
      ? readdirSync(join(asset, 'sdk'))
          .filter((file) => file.endsWith('.js'))
          .map((file) => file.replace(/\.js$/, ''))
          .sort()
      : [];

    // Assess
    expect(shipped).toEqual(required);
    expect(required.filter((module) => !SOURCES.includes(module))).toEqual([]);
  });

  it('inlines no on-first-use module into a bundle that requires it', () => {
    // Act: the service a module wraps is named in the bundle's shape ids only if inlined (presign
    // is the one function whose DynamoDB client is on-first-use; the catalogue's others hold theirs)
    const inlined = FUNCTIONS.flatMap((name) => {
      const code = readFileSync(join(assetDirOf(synthesized, name), BUNDLE_FILE), 'utf8');
      return requiredOnFirstUse(code)
        .filter((module) => !(module === 'dynamodb-presign' && name !== 'presign'))
        .filter((module) => code.includes(`com.amazonaws.${serviceOf(module)}#`))
        .map((module) => `${name}: ${module}`);
    });

    // Assess
    expect(inlined).toEqual([]);
    expect(
      requiredOnFirstUse(readFileSync(join(assetDirOf(synthesized, 'objects'), BUNDLE_FILE), 'utf8')),
    ).toEqual(['cloudfront', 'lambda', 'secrets-manager']);
  });

  it.each(SOURCES)('builds sdk/%s.js with the exports of its source module', async (module) => {
    // Prepare: the first function that ships it
    const asset = FUNCTIONS.map((name) => assetDirOf(synthesized, name)).find((dir) =>
      existsSync(join(dir, 'sdk', `${module}.js`)),
    );
    const source = (await import(join(REPO_ROOT, ON_FIRST_USE_SOURCES, `${module}.ts`))) as object;

    // Act: required the way the bundle requires it, from index.js
    const built = createRequire(join(asset!, BUNDLE_FILE))(`./sdk/${module}`) as object;

    // Assess
    expect(Object.keys(built).sort()).toEqual(Object.keys(source).sort());
  });

  describe("the presign quota's DynamoDB module, as the asset ships it", () => {
    let dynamo: EmbeddedDynamoDb;
    beforeAll(async () => {
      dynamo = await startEmbeddedDynamoDb();
    });
    afterAll(async () => {
      await dynamo.close();
    });

    it('counts with a conditional update and throws its own ConditionalCheckFailedException over the ceiling', async () => {
      // Prepare
      const built = createRequire(join(assetDirOf(synthesized, 'presign'), BUNDLE_FILE))(
        './sdk/dynamodb-presign',
      ) as typeof import('../../lambdas/adapters/sdk/dynamodb-presign');
      const client = built.createDynamoDbClient('us-east-1', dynamo.endpoint);
      await client.send(
        new CreateTableCommand({
          TableName: 'quota',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      const reserve = () =>
        client.send(
          new built.UpdateItemCommand({
            TableName: 'quota',
            Key: { pk: { S: 'presign#alice#0' } },
            UpdateExpression: 'ADD uploads :one',
            ConditionExpression: 'attribute_not_exists(uploads) OR uploads < :ceiling',
            ExpressionAttributeValues: { ':one': { N: '1' }, ':ceiling': { N: '1' } },
          }),
        );

      // Act
      await reserve();
      const refused = await reserve().catch((err: unknown) => err);

      // Assess
      expect(refused).toBeInstanceOf(built.ConditionalCheckFailedException);
      client.destroy();
    });
  });
});

/** The service id in the SDK's shape ids (`com.amazonaws.<id>#…`) of the client an on-first-use module wraps. */
function serviceOf(module: string): string {
  const source = readFileSync(join(REPO_ROOT, ON_FIRST_USE_SOURCES, `${module}.ts`), 'utf8');
  const client = /from '@aws-sdk\/client-([\w-]+)'/.exec(source)?.[1];
  if (!client) throw new Error(`${module}.ts re-exports no @aws-sdk/client-* package`);
  return client.replaceAll('-', '');
}

/** `source` without its comment lines (doc comments name `import('./sdk/<name>')` too). */
function codeOf(source: string): string {
  return source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/?\*)/.test(line))
    .join('\n');
}
