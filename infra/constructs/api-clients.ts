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
   * Generation of the client's current key, part of its name and construct id: changing it alone
   * makes CloudFormation create a new key (a new value) and delete the old one.
   * @default 1
   */
  readonly keyGeneration?: number;
  /**
   * Generation of the outgoing key, kept valid next to the current one during a rotation: the
   * client may use either, both map to it, and neither is replaced while both are listed.
   * @default - one key
   */
  readonly previousKeyGeneration?: number;
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
  /** Client name → its current API key. */
  readonly keys: ReadonlyMap<string, apigw.IApiKey>;
  /** Client name → its outgoing API key, for clients in a rotation. */
  readonly previousKeys: ReadonlyMap<string, apigw.IApiKey>;
  /** `name=apiKeyId,…` for the handlers' `CLIENT_KEY_IDS` (a client in a rotation is named twice). */
  readonly clientKeyIds: string;

  constructor(scope: Construct, id: string, props: ApiClientsProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 's3-image-proxy';
    const keys = new Map<string, apigw.IApiKey>();
    const previousKeys = new Map<string, apigw.IApiKey>();
    const pairs: string[] = [];
    for (const client of props.clients) {
      const clientScope = new Construct(this, client.name);
      const plan = new apigw.UsagePlan(clientScope, 'Plan', {
        name: `${prefix}-${client.name}`,
        description: `Throttle and quota of client "${client.name}"`,
        apiStages: [{ api: props.api, stage: props.api.deploymentStage }],
        throttle: { rateLimit: client.rateLimit, burstLimit: client.burstLimit },
        quota: client.quota,
      });
      const addKey = (generation: number) => {
        // The construct id names the generation, so a key keeps its logical id (and its value) for
        // as long as its generation is listed: adding a generation never replaces another key.
        // Generation 1 keeps the id "Key" that every key had before rotations could overlap.
        const key = new apigw.ApiKey(clientScope, generation === 1 ? 'Key' : `KeyG${generation}`, {
          apiKeyName: `${prefix}-${client.name}-g${generation}`,
          description: `s3-image-proxy client "${client.name}", key generation ${generation}`,
          enabled: true,
        });
        plan.addApiKey(key);
        pairs.push(Fn.join('=', [client.name, key.keyId]));
        return key;
      };
      keys.set(client.name, addKey(client.keyGeneration ?? 1));
      if (client.previousKeyGeneration !== undefined) {
        if (client.previousKeyGeneration >= (client.keyGeneration ?? 1)) {
          throw new Error(
            `ApiClients: previousKeyGeneration of "${client.name}" must be older than its keyGeneration, got ${client.previousKeyGeneration}`,
          );
        }
        previousKeys.set(client.name, addKey(client.previousKeyGeneration));
      }
    }
    this.keys = keys;
    this.previousKeys = previousKeys;
    this.clientKeyIds = Fn.join(',', pairs);
  }
}
