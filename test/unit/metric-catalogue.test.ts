import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/lambda-bundling';
import { FUNCTION_OF_ROUTE, METRIC_ROUTES, METRICS } from '../../lambdas/core/metric-catalogue';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const operations = readme.slice(readme.indexOf('## Operations'), readme.indexOf('## Local mode'));
// The catalogue's routes (`patch`, `stats`) are documented with the catalogue (README moves to docs/).
const catalogueDoc = readFileSync(join(REPO_ROOT, 'docs', 'catalogue.md'), 'utf8');

describe('the metric catalogue', () => {
  it.each(Object.entries(METRICS))(
    'documents %s in the README’s metrics table with its unit',
    (name, definition) => {
      expect(operations).toMatch(new RegExp(`\\| \`${name}\` \\| ${definition.unit} \\|`));
    },
  );

  it('names every route in the README (or the catalogue’s page) and maps each to a function', () => {
    for (const route of Object.values(METRIC_ROUTES)) {
      expect(`${operations}${catalogueDoc}`).toContain(`\`${route}\``);
      expect(FUNCTION_OF_ROUTE[route]).toBeDefined();
    }
  });
});
