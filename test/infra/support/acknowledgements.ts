import { type Stack, Validations } from 'aws-cdk-lib';

/** One cdk-nag acknowledgement: where it was made, the rule id and its reason. */
export interface Acknowledgement {
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

/** Every acknowledgement in `stack` (`Validations.of(x).acknowledge`). */
export function acknowledgements(stack: Stack): Acknowledgement[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          rule: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** Every rule id acknowledged anywhere in `stack`. */
export function acknowledgedRules(stack: Stack): string[] {
  return acknowledgements(stack).map((ack) => ack.rule);
}

/**
 * Whether an acknowledgement sits on CDK's own BucketDeployment function (the console's assets),
 * which is CDK's code, not one of the project's functions.
 */
export function isCdkBucketDeployment(ack: Acknowledgement): boolean {
  return ack.path.includes('Custom::CDKBucketDeployment');
}
