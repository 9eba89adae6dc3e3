import { Fn } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';

/** One named client of the API. */
export interface ApiClient {
  /** The client's name: its namespace, and the construct id of its key and plan. */
  readonly name: string;
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests allowed above `rateLimit` in a burst. */
  readonly burstLimit: number;
  /**
   * Requests per period.
   * @default - no quota
   */
  readonly quota?: apigw.QuotaSettings;
  /**
   * Part of the key's name; changing it makes CloudFormation replace the key, which gives
   * the client a new value (rotation) and deletes the old one.
   * @default 1
   */
  readonly keyGeneration?: number;
}

export interface ApiClientsProps {
  /** The API and stage the keys are valid on. */
  readonly api: apigw.RestApi;
  /** Every client; each gets its own key and usage plan. */
  readonly clients: readonly ApiClient[];
  /**
   * Prefix of key and plan names, so several deployments in one account stay apart.
   * @default 's3-image-proxy'
   */
  readonly namePrefix?: string;
}

/**
 * One API key and one usage plan per named client. Adding or removing a client adds or
 * removes exactly its key, plan and plan-key link (construct ids derive from the name).
 */
export class ApiClients extends Construct {
  /** Client name → its API key. */
  readonly keys: ReadonlyMap<string, apigw.IApiKey>;
  /** `name=apiKeyId,…` for the handlers' `CLIENT_KEY_IDS`. */
  readonly clientKeyIds: string;

  constructor(scope: Construct, id: string, props: ApiClientsProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 's3-image-proxy';
    const keys = new Map<string, apigw.IApiKey>();
    for (const client of props.clients) {
      const clientScope = new Construct(this, client.name);
      const key = new apigw.ApiKey(clientScope, 'Key', {
        apiKeyName: `${prefix}-${client.name}-g${client.keyGeneration ?? 1}`,
        description: `s3-image-proxy client "${client.name}"`,
        enabled: true,
      });
      const plan = new apigw.UsagePlan(clientScope, 'Plan', {
        name: `${prefix}-${client.name}`,
        description: `Throttle and quota of client "${client.name}"`,
        apiStages: [{ api: props.api, stage: props.api.deploymentStage }],
        throttle: { rateLimit: client.rateLimit, burstLimit: client.burstLimit },
        quota: client.quota,
      });
      plan.addApiKey(key);
      keys.set(client.name, key);
    }
    this.keys = keys;
    this.clientKeyIds = Fn.join(
      ',',
      [...keys].map(([name, key]) => Fn.join('=', [name, key.keyId])),
    );
  }
}
