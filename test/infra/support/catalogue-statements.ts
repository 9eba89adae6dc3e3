import type { Template } from 'aws-cdk-lib/assertions';
import type { Statement } from './template-queries';
import { logicalIdOf } from './template-queries';

/**
 * The IAM statements a function holds on the image catalogue: its record actions on the table
 * (and for `manage`, Query on the folder index too), and for a function that derives keys,
 * read access to the key secret.
 */
export function catalogueStatements(
  template: Template,
  use: 'record' | 'manage',
  derivesKeys: boolean,
): Statement[] {
  const table = logicalIdOf(template, 'AWS::DynamoDB::Table', 'CatalogueTable');
  const tableArn = { 'Fn::GetAtt': [table, 'Arn'] };
  const actions = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'];
  const statements: Statement[] = [
    {
      // Actions in a statement are sorted (@aws-cdk/aws-iam:minimizePolicies).
      Action: [...actions, ...(use === 'manage' ? ['dynamodb:Query'] : []), 'dynamodb:UpdateItem'],
      Effect: 'Allow',
      Resource: use === 'manage' ? [tableArn, { 'Fn::Join': ['', [tableArn, '/index/byFolder']] }] : tableArn,
    },
  ];
  if (derivesKeys) {
    const secret = logicalIdOf(template, 'AWS::SecretsManager::Secret', 'CatalogueKeySecret');
    statements.push({
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Effect: 'Allow',
      Resource: { Ref: secret },
    });
  }
  return statements;
}
