import { describe, expect, it } from 'vitest';
import { gatewayErrorResponses, gatewayResponseTemplate } from '../../infra/constructs/gateway-responses';

/** What API Gateway does to a template: substitute the $context variables it uses. */
function render(template: string): unknown {
  return JSON.parse(
    template
      .replace('$context.error.messageString', '"Missing Authentication Token"')
      .replace('$context.requestId', 'req-1'),
  );
}

describe('gateway responses', () => {
  it.each(gatewayErrorResponses().map((response) => [response.type.responseType, response] as const))(
    '%s renders to the JSON error shape of design.md',
    (_type, response) => {
      // Act
      const body = render(gatewayResponseTemplate(response));

      // Assess
      expect(body).toEqual({
        error: response.error,
        message: response.message ?? 'Missing Authentication Token',
        requestId: 'req-1',
      });
    },
  );

  it('passes API Gateway’s own message through for the 4XX family', () => {
    // Prepare
    const default4xx = gatewayErrorResponses().find(
      (response) => response.type.responseType === 'DEFAULT_4XX',
    )!;

    // Act
    const template = gatewayResponseTemplate(default4xx);

    // Assess
    expect(template).toBe(
      '{"error":"REQUEST_REJECTED","message":$context.error.messageString,"requestId":"$context.requestId"}',
    );
  });

  it('tells a raw upload sent without Content-Type (checked as JSON by the gateway) which Content-Type to send', () => {
    // Act
    const badBody = gatewayErrorResponses().find(
      (response) => response.type.responseType === 'BAD_REQUEST_BODY',
    )!;

    // Assess
    expect(badBody.message).toContain('raw image bytes need their Content-Type (image/png');
  });

  it('never lets a 5xx carry internal details', () => {
    // Act
    const default5xx = gatewayErrorResponses().find(
      (response) => response.type.responseType === 'DEFAULT_5XX',
    )!;

    // Assess
    expect(default5xx.message).toBeDefined();
    expect(gatewayResponseTemplate(default5xx)).not.toContain('$context.error');
  });
});
