import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/lambda-bundling';
import { FUNCTION_OF_ROUTE, METRIC_ROUTES, METRICS } from '../../lambdas/core/metric-catalogue';

const operations = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');

describe('the metric catalogue', () => {
  it.each(Object.entries(METRICS))(
    'documents %s in the metrics table of docs/operations.md with its unit',
    (name, definition) => {
      expect(operations).toMatch(new RegExp(`\\| \`${name}\` \\| ${definition.unit} \\|`));
    },
  );

  it('names every route in docs/operations.md and maps each to a function', () => {
    for (const route of Object.values(METRIC_ROUTES)) {
      expect(operations).toContain(`\`${route}\``);
      expect(FUNCTION_OF_ROUTE[route]).toBeDefined();
    }
  });
});
