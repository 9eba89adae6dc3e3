import type { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';

/** A resource as `Template.findResources` returns it. */
export type Resources = Record<
  string,
  { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: string[] }
>;

/** One statement of an IAM policy document. */
export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly [key: string]: unknown;
}

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0]!;
}

/** Every statement of every `AWS::IAM::Policy` attached to the role whose logical id starts with `rolePrefix`. */
export function roleStatements(template: Template, rolePrefix: string): Statement[] {
  const role = logicalIdOf(template, 'AWS::IAM::Role', rolePrefix);
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** `arn:…:s3:::<bucket>/<pattern>` as CloudFormation renders `bucket.arnForObjects(pattern)`. */
export function objectArn(bucketLogicalId: string, pattern: string): unknown {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketLogicalId, 'Arn'] }, `/${pattern}`]] };
}

/** A distribution's ARN as the template renders it (the SourceArn of its permissions and grants). */
export function distributionArnOf(distributionLogicalId: string): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':cloudfront::',
        { Ref: 'AWS::AccountId' },
        ':distribution/',
        { Ref: distributionLogicalId },
      ],
    ],
  };
}
