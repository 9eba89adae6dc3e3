import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_TABLE } from '../../lambdas/adapters/catalogue-table';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import type { Resources } from './support/template-queries';

describe('image catalogue (DynamoDB + key secret)', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare
    template = synthesize(TWO_CLIENTS_CONTEXT).template;
  });

  const catalogueTable = () => {
    const tables = Object.entries(template.findResources('AWS::DynamoDB::Table') as Resources).filter(
      ([id]) => id.startsWith('CatalogueTable'),
    );
    expect(tables).toHaveLength(1);
    return tables[0]![1];
  };

  it('is billed per request, with point-in-time recovery, encrypted, and retained with the stack', () => {
    // Act
    const table = catalogueTable();

    // Assess
    expect(table.DeletionPolicy).toBe('Retain');
    expect((table as { UpdateReplacePolicy?: string }).UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byFolder',
          KeySchema: [
            { AttributeName: 'gpk', KeyType: 'HASH' },
            { AttributeName: 'gsk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('expires finished erasure records by TTL on the attribute the erasure log sets', () => {
    // Act
    const table = catalogueTable();

    // Assess
    expect(table.Properties).toMatchObject({
      TimeToLiveSpecification: { AttributeName: CATALOGUE_TABLE.timeToLiveAttribute, Enabled: true },
    });
  });

  it('has Secrets Manager generate the key secret at deploy, so no value is in the template, and retains it', () => {
    // Act
    const secrets = Object.entries(template.findResources('AWS::SecretsManager::Secret') as Resources).filter(
      ([id]) => id.startsWith('CatalogueKeySecret'),
    );

    // Assess
    expect(secrets).toHaveLength(1);
    const [, secret] = secrets[0]!;
    expect(secret.DeletionPolicy).toBe('Retain');
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(secret.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });
});
