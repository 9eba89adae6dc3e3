import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OutgoingHttpHeaders } from 'node:http';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The committed description of the API. */
export const OPENAPI_PATH = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));

type Json = any;

/** An answer to check: the request's method and path (no query), what came back. */
export interface ExchangeToCheck {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Readonly<OutgoingHttpHeaders> | Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer | string;
}

/** Which documented answer an exchange matched: `GET /objects 200`, or `gateway 404`. */
export type ResponseId = string;

export interface ContractVerdict {
  /** The documented response it was checked against, when there is one. */
  readonly response?: ResponseId;
  /** Empty when the answer is what the document says. */
  readonly problems: readonly string[];
}

const SCHEMAS_ID = 'urn:s3-image-proxy:openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface CompiledPath {
  readonly template: string;
  readonly pattern: RegExp;
  readonly item: Json;
}

/**
 * Checks answers against an OpenAPI 3.1 document with Ajv's JSON Schema 2020-12 validator:
 * the operation the method and path reach, a response documented for that status, a JSON body
 * that validates against its schema (unknown fields fail: every schema closes its objects),
 * required headers, and no body where none is documented. Requests that reach no operation are
 * checked against the document's `x-unrouted-responses`.
 */
export class OpenApiContract {
  readonly document: Json;
  private readonly ajv: Ajv2020;
  private readonly paths: readonly CompiledPath[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    this.document = document;
    // Strict: an unknown keyword (a typo) in the document fails; `required` inside `anyOf` is idiomatic.
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SCHEMAS_ID, $defs: retarget(document.components?.schemas ?? {}) });
    this.paths = Object.entries(document.paths as Record<string, Json>)
      .map(([template, item]) => ({ template, item, pattern: pathPattern(template, item) }))
      // Literal paths before templated ones, as API Gateway matches.
      .sort((a, b) => braces(a.template) - braces(b.template));
  }

  /** Reads the committed document. */
  static load(path = OPENAPI_PATH): OpenApiContract {
    return new OpenApiContract(JSON.parse(readFileSync(path, 'utf8')));
  }

  /** Every documented response, as `METHOD /path STATUS`, plus `gateway STATUS`. */
  responseIds(): ResponseId[] {
    const ids: ResponseId[] = [];
    for (const { template, item } of this.paths) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        for (const status of Object.keys(operation.responses))
          ids.push(`${method.toUpperCase()} ${template} ${status}`);
      }
    }
    for (const status of Object.keys(this.gatewayResponses())) ids.push(`gateway ${status}`);
    return ids;
  }

  /** Validates `value` against a schema of the document (`{$ref: '#/components/schemas/X'}` or inline). */
  validateSchema(schema: Json, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(retarget(schema));
      this.validators.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
  }

  /** Resolves a local `$ref` (`#/components/responses/X`) of the document. */
  resolve(node: Json): Json {
    let current = node;
    for (let hops = 0; current?.$ref && hops < 10; hops++) {
      current = (current.$ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce(
          (at: Json, part: string) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
          this.document,
        );
    }
    return current;
  }

  /** The gateway's own answers, which any request may get (`x-gateway-responses`). */
  gatewayResponses(): Record<string, Json> {
    return this.document['x-gateway-responses']?.responses ?? {};
  }

  /**
   * Checks one exchange; `problems` is empty when it is what the document promises: the
   * response documented for its operation and status, or else one of the gateway's own.
   */
  check(exchange: ExchangeToCheck): ContractVerdict {
    const method = exchange.method.toLowerCase();
    const path = this.paths.find((p) => p.pattern.test(exchange.path));
    // HEAD is answered like GET, without a body.
    const verb = path?.item[method] ? method : method === 'head' ? 'get' : method;
    const operation = path?.item[verb];
    const status = String(exchange.status);
    const candidates: [ResponseId, Json][] = [];
    if (operation?.responses[status])
      candidates.push([`${verb.toUpperCase()} ${path!.template} ${status}`, operation.responses[status]]);
    if (this.gatewayResponses()[status])
      candidates.push([`gateway ${status}`, this.gatewayResponses()[status]]);
    const request = `${exchange.method} ${exchange.path}`;
    if (candidates.length === 0) {
      return {
        problems: [
          operation
            ? `${request}: status ${status} is documented neither for ${verb.toUpperCase()} ${path!.template} nor for the gateway`
            : `${request} reaches no operation, and ${status} is not one of the gateway's answers`,
        ],
      };
    }
    const failures: string[] = [];
    for (const [id, response] of candidates) {
      const problems = this.checkResponse(exchange, method === 'head', this.resolve(response));
      if (problems.length === 0) return { response: id, problems: [] };
      failures.push(...problems.map((p) => `${request} as ${id}: ${p}`));
    }
    return { problems: failures };
  }

  private checkResponse(exchange: ExchangeToCheck, head: boolean, response: Json): string[] {
    const problems: string[] = [];
    const header = (name: string) => {
      const value = exchange.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value === undefined ? undefined : String(value);
    };
    for (const [name, spec] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      const declared = this.resolve(spec);
      const value = header(name);
      if (value === undefined) {
        if (declared.required) problems.push(`header ${name} is required`);
      } else if (declared.schema) {
        problems.push(...this.validateSchema(declared.schema, value).map((p) => `header ${name}: ${p}`));
      }
    }
    if (head) return problems;
    const body = typeof exchange.body === 'string' ? Buffer.from(exchange.body) : exchange.body;
    const json = response.content?.['application/json'];
    if (!json) {
      if (body.length > 0) problems.push(`no body is documented, got ${body.length} bytes`);
      return problems;
    }
    const type = header('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) problems.push(`content-type is "${type}", not application/json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return [...problems, `body is not JSON: ${body.subarray(0, 80).toString('utf8')}`];
    }
    if (json.schema) problems.push(...this.validateSchema(json.schema, parsed));
    return problems;
  }
}

function braces(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}

/** `/objects/{key}` → a RegExp; a parameter marked `x-greedy` takes the rest of the path, `/` included. */
function pathPattern(template: string, item: Json): RegExp {
  const parameters: Json[] = [
    ...(item.parameters ?? []),
    ...METHODS.flatMap((m) => item[m]?.parameters ?? []),
  ];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      const greedy = parameters.some((p) => p.name === name && p.in === 'path' && p['x-greedy']);
      return greedy ? '(.+)' : '([^/]+)';
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** Points `#/components/schemas/X` references at the registered copy of the document's schemas. */
function retarget(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${SCHEMAS_ID}#/$defs/`));
}
