import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MAX_PRESIGN_BATCH_ITEMS } from '../../lambdas/core/presign-request';
import { onDefaultCapabilityStack, FUNCTIONS, type FunctionName } from './support/default-capability-stack';
import { logicalIdOf, type Resources } from './support/template-queries';

describe('capability functions (default config)', () => {
  let template: Template, functionIds: Record<FunctionName, string>;
  // Prepare (synthesized once for the run: support/synth.ts)
  onDefaultCapabilityStack((stack) => ({ template, functionIds } = stack));

  describe('API routes', () => {
    /** `METHOD /path` of every Lambda-backed method, with the function it invokes and whether it needs a key. */
    function lambdaRoutes(): Record<string, { fn: string; apiKeyRequired: boolean; model: boolean }> {
      const resources = template.findResources('AWS::ApiGateway::Resource') as Resources;
      const api = logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'Api');
      const pathOf = (ref: any): string => {
        if (ref['Fn::GetAtt']?.[0] === api) return '';
        const resource = resources[ref.Ref]!;
        return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
      };
      const routes: Record<string, { fn: string; apiKeyRequired: boolean; model: boolean }> = {};
      for (const method of Object.values(template.findResources('AWS::ApiGateway::Method') as Resources)) {
        const { HttpMethod, ResourceId, ApiKeyRequired, Integration, RequestModels } = method.Properties;
        if (Integration.Type !== 'AWS_PROXY') continue;
        const target = JSON.stringify(Integration.Uri).match(/"Fn::GetAtt":\["(\w+)","Arn"\]/)![1]!;
        const fnName = FUNCTIONS.find((name) => functionIds[name] === target) ?? target;
        routes[`${HttpMethod} ${pathOf(ResourceId) || '/'}`] = {
          fn: fnName,
          apiKeyRequired: ApiKeyRequired,
          model: RequestModels !== undefined,
        };
      }
      return routes;
    }

    it('routes every method to its function, each requiring an API key but the API description', () => {
      // Act
      const routes = lambdaRoutes();

      // Assess
      expect(routes).toEqual({
        'POST /uploads': { fn: 'Upload', apiKeyRequired: true, model: true },
        'POST /': { fn: 'Upload', apiKeyRequired: true, model: true },
        'POST /renditions': { fn: 'Upload', apiKeyRequired: true, model: true },
        'POST /presign': { fn: 'Presign', apiKeyRequired: true, model: true },
        'GET /uploads/{id}': { fn: 'Objects', apiKeyRequired: true, model: false },
        'GET /openapi.json': { fn: 'Objects', apiKeyRequired: false, model: false },
        'GET /objects': { fn: 'Objects', apiKeyRequired: true, model: false },
        'DELETE /objects': { fn: 'Objects', apiKeyRequired: true, model: false },
        'GET /objects/{key+}': { fn: 'Objects', apiKeyRequired: true, model: false },
        'DELETE /objects/{key+}': { fn: 'Objects', apiKeyRequired: true, model: false },
        'PATCH /objects/{key+}': { fn: 'Objects', apiKeyRequired: true, model: false },
        'GET /stats': { fn: 'Objects', apiKeyRequired: true, model: false },
        'GET /erasures/{id}': { fn: 'Objects', apiKeyRequired: true, model: false },
      });
    });

    it('checks the POST /presign body cheaply (an object: a batch of 1 to 100, or a PUT/GET in any case), leaving the rest to the Lambda', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGateway::Model', {
        ContentType: 'application/json',
        Schema: Match.objectLike({
          title: 'PresignRequest',
          type: 'object',
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: MAX_PRESIGN_BATCH_ITEMS,
              items: { type: 'object' },
            },
          },
          anyOf: [
            { required: ['items'] },
            {
              required: ['method'],
              properties: { method: { type: 'string', pattern: '^([Pp][Uu][Tt]|[Gg][Ee][Tt])$' } },
            },
          ],
        }),
      });
    });
  });
});
