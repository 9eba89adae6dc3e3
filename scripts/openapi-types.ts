/**
 * `npm run openapi:types`: writes the TypeScript client's types (clients/typescript/src/api-types.ts)
 * from the schemas of openapi/openapi.json, so the client's types are the document's. A test
 * fails when the committed file differs from what this prints.
 *
 * Handles the subset of JSON Schema the document uses: $ref (with sibling keywords), const,
 * enum, type (and type arrays), object properties / required / additionalProperties, arrays,
 * oneOf / anyOf (unions) and allOf (intersections).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Schema = Record<string, any> | boolean;

const SPEC_PATH = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));
export const API_TYPES_PATH = fileURLToPath(
  new URL('../clients/typescript/src/api-types.ts', import.meta.url),
);

const refName = (ref: string) => {
  const match = /^#\/components\/schemas\/([A-Za-z0-9_]+)$/.exec(ref);
  if (!match) throw new Error(`unsupported $ref ${ref}`);
  return match[1]!;
};

const literal = (value: unknown) => JSON.stringify(value);

const propertyName = (name: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : literal(name));

function comment(text: string | undefined, indent: string): string {
  if (!text) return '';
  const lines = text.replace(/\*\//g, '*\\/').split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

function typeOf(schema: Schema, indent: string): string {
  if (schema === true) return 'unknown';
  if (schema === false) return 'never';
  const parts: string[] = [];
  if (schema.$ref) parts.push(refName(schema.$ref));
  if (schema.allOf) parts.push(...schema.allOf.map((s: Schema) => typeOf(s, indent)));
  const union = schema.oneOf ?? schema.anyOf;
  // `anyOf` of bare `required` lists only constrains which fields are present.
  if (union?.some((s: Schema) => typeof s === 'object' && Object.keys(s).some((k) => k !== 'required'))) {
    parts.push(`(${union.map((s: Schema) => typeOf(s, indent)).join(' | ')})`);
  }
  const own = ownType(schema, indent);
  if (own) parts.push(own);
  if (parts.length === 0) return 'unknown';
  return parts.length === 1 ? parts[0]! : parts.join(' & ');
}

function ownType(schema: Record<string, any>, indent: string): string | undefined {
  if ('const' in schema) return literal(schema.const);
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const hasObjectKeywords = schema.properties || schema.additionalProperties !== undefined;
  if (types.length === 0 && !hasObjectKeywords) return undefined;
  const mapped = (types.length === 0 ? ['object'] : types).map((type) => {
    switch (type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return `readonly ${wrap(typeOf(schema.items ?? true, indent))}[]`;
      case 'object':
        return objectType(schema, indent);
      default:
        throw new Error(`unsupported type ${type}`);
    }
  });
  return mapped.length === 1 ? mapped[0] : mapped.join(' | ');
}

const wrap = (type: string) => (/[|&]/.test(type) ? `(${type})` : type);

function objectType(schema: Record<string, any>, indent: string): string | undefined {
  const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
  const required = new Set<string>(schema.required ?? []);
  const extra = schema.additionalProperties;
  // A schema that only narrows fields of an allOf/$ref adds no type of its own.
  if ((schema.allOf || schema.$ref) && !schema.required && extra === undefined) {
    const narrowing = properties.every(([, s]) => typeof s === 'object' && !s.description);
    if (narrowing && properties.length > 0) {
      const inner = `${indent}  `;
      return `{\n${properties
        .map(([name, s]) => `${inner}readonly ${propertyName(name)}: ${typeOf(s, inner)};`)
        .join('\n')}\n${indent}}`;
    }
    if (properties.length === 0) return undefined;
  }
  const inner = `${indent}  `;
  const lines = properties.map(([name, s]) => {
    const optional = required.has(name) ? '' : '?';
    const doc = typeof s === 'object' ? comment(s.description, inner) : '';
    return `${doc}${inner}readonly ${propertyName(name)}${optional}: ${typeOf(s, inner)};`;
  });
  const open = extra === undefined && schema.unevaluatedProperties === undefined && properties.length === 0;
  if (extra && extra !== true) lines.push(`${inner}readonly [name: string]: ${typeOf(extra, inner)};`);
  else if (open || extra === true) lines.push(`${inner}readonly [name: string]: unknown;`);
  return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
}

/** The TypeScript module for `document`'s schemas. */
export function renderApiTypes(document: any): string {
  const schemas = Object.entries(document.components.schemas as Record<string, Record<string, any>>);
  const body = schemas
    .map(([name, schema]) => `${comment(schema.description, '')}export type ${name} = ${typeOf(schema, '')};`)
    .join('\n\n');
  return `// Generated from openapi/openapi.json by \`npm run openapi:types\` (scripts/openapi-types.ts): do not edit.
// The API's version this file describes: ${document.info.version}.

${body}
`;
}

export function readSpec(): unknown {
  return JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(API_TYPES_PATH, renderApiTypes(readSpec()));
  console.log(`wrote ${API_TYPES_PATH}`);
}
