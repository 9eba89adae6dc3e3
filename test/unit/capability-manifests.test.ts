import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_CAPABILITIES } from '../../lambdas/capabilities/api-capabilities';
import { checkUploadCapability } from '../../lambdas/capabilities/check-upload';
import { reconcileCapability } from '../../lambdas/capabilities/reconcile';
import { renderCapability } from '../../lambdas/capabilities/render';
import { FUNCTION_OF_ROUTE } from '../../lambdas/core/metric-catalogue';
import { LAMBDA_ENTRIES } from '../../infra/lambda-bundling';

type OpenApi = {
  security?: unknown[];
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};
const doc = JSON.parse(
  readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'),
) as OpenApi;
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Answered by API Gateway itself (a mock integration in ImageApi), not by a function. */
const GATEWAY_ANSWERED = new Set(['GET /health']);

// OpenAPI names a greedy path parameter `{key}`; API Gateway's resource says `{key+}`.
const specPathOf = (resource: string) => resource.replace(/\{(\w+)\+\}/g, '{$1}');

/** Every operation of the spec: `METHOD /path` → whether it needs the API key. */
const specOperations = new Map<string, boolean>(
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, operation]) => {
        const security = operation.security ?? doc.security ?? [];
        return [`${method.toUpperCase()} ${path}`, security.length > 0] as const;
      }),
  ),
);

const declared = API_CAPABILITIES.flatMap((capability) =>
  capability.routes.map((route) => ({
    capability: capability.name,
    operation: `${route.method} ${specPathOf(route.resource)}`,
    keyRequired: route.apiKeyRequired !== false,
    metricRoute: route.metricRoute,
  })),
);

describe('the capability manifests', () => {
  it('serve every operation of openapi.json but the gateway’s own, each from exactly one manifest', () => {
    // Prepare
    const served = [...specOperations.keys()].filter((operation) => !GATEWAY_ANSWERED.has(operation));

    // Act
    const servers = served.map((operation) => [
      operation,
      declared.filter((route) => route.operation === operation).map((route) => route.capability),
    ]);

    // Assess
    for (const [operation, capabilities] of servers) expect(capabilities, String(operation)).toHaveLength(1);
  });

  it.each(declared)(
    'declare $operation ($capability) as the spec does, with its key requirement',
    (route) => {
      // Act
      const specKeyRequired = specOperations.get(route.operation);

      // Assess
      expect(specKeyRequired, `${route.operation} is not in openapi.json`).toBeDefined();
      expect(route.keyRequired).toBe(specKeyRequired);
    },
  );

  it.each(declared)('count $operation under a route of its own function ($metricRoute)', (route) => {
    // Assess
    expect(FUNCTION_OF_ROUTE[route.metricRoute]).toBe(route.capability);
  });

  it('declare one manifest per Lambda entry, with no route twice', () => {
    // Prepare
    const names = [...API_CAPABILITIES, checkUploadCapability, renderCapability, reconcileCapability].map(
      ({ name }) => name,
    );

    // Assess
    expect(names.sort()).toEqual(Object.keys(LAMBDA_ENTRIES).sort());
    expect(new Set(declared.map((route) => route.operation)).size).toBe(declared.length);
  });
});
