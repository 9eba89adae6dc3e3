import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The counters of presigned uploads per client and window (`lambdas/adapters/presign-quota.ts`):
 * one item per client and window, raised by a conditional update and expired by TTL. Billed per
 * request (one write per presign call that asks for uploads), nothing while idle. It holds only
 * counters that lose their meaning within hours, so it is deleted with the stack.
 */
export class PresignQuotaTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      // Encrypted at rest with DynamoDB's own key: no KMS requests, nothing to pay.
      encryption: dynamodb.TableEncryption.DEFAULT,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The table holds only counters of presigned uploads per client and window, which expire within hours ' +
        '(TTL); a point-in-time restore would bring back counts of windows already over. Losing the table resets ' +
        'the ceiling for one window at most.',
    });
  }

  /** Lets `grantee` raise counters: `dynamodb:UpdateItem` on this table only (no read, no scan, no delete). */
  grantCount(grantee: iam.IGrantable): iam.Grant {
    return this.table.grant(grantee, 'dynamodb:UpdateItem');
  }
}
