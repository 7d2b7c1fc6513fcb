// The OpenAPI 3.1 description of /api/v1, generated from the zod schemas
// the routes parse with (lib/api/endpoints.ts, lib/filters.ts) and answer
// by (lib/api/answers.ts). OpenAPI 3.1 schemas are JSON Schema 2020-12,
// which is what zod writes.
import { z } from 'zod';
import { DIMENSIONS, DIMENSION_VALUE_SCHEMAS, FILTER_SCHEMAS, MAX_VALUES_PER_DIMENSION } from '@/lib/filters';
import { ROUTE_RULES } from '@/lib/auth/rules';
import { SESSION_COOKIE } from '@/lib/auth/authenticate';
import { CAPABILITIES } from '@/lib/auth/roles';
import { ERROR_ANSWER } from './answers';
import { FILTER_DOCS, type ParamDoc } from './filter-docs';
import { ENDPOINTS, type Endpoint } from './endpoints';

type JsonSchema = Record<string, unknown>;

/** A schema as JSON Schema, without the $schema line (the document says which dialect). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

interface Parameter {
  name: string;
  in: 'query';
  required: boolean;
  description: string;
  schema: JsonSchema;
  example: string;
  style?: 'form';
  explode?: boolean;
}

/**
 * A query parameter from the schema that parses it (required unless it takes
 * `undefined`), in the words of `doc` or of the schema's own description.
 */
function parameter(name: string, schema: z.ZodType, doc?: ParamDoc): Parameter {
  const { description, example, ...rest } = jsonSchema(schema, 'input');
  return {
    name,
    in: 'query',
    required: !schema.safeParse(undefined).success,
    description: doc?.description ?? String(description),
    schema: doc?.format ? { ...rest, format: doc.format } : rest,
    example: doc?.example ?? String(example),
  };
}

function filterParameters(period: Endpoint['period'] = 'optional'): Parameter[] {
  const dates = (Object.keys(FILTER_SCHEMAS) as (keyof typeof FILTER_SCHEMAS)[])
    .filter((name) => name === 'as_of' || period !== 'refused')
    .map((name) => ({ ...parameter(name, FILTER_SCHEMAS[name], FILTER_DOCS[name]), required: name !== 'as_of' && period === 'required' }));
  const dimensions = DIMENSIONS.map((d): Parameter => {
    const one = parameter(d, DIMENSION_VALUE_SCHEMAS[d], FILTER_DOCS[d]);
    return {
      ...one,
      required: false,
      description: `${one.description} Only referrals with one of these values: comma-separated or the parameter repeated, at most ${MAX_VALUES_PER_DIMENSION}.`,
      schema: { type: 'array', items: one.schema, maxItems: MAX_VALUES_PER_DIMENSION },
      style: 'form',
      explode: true,
    };
  });
  return [...dates, ...dimensions];
}

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const refusal = (description: string) => ({ description, content: errorContent });

function operation(name: string, e: Endpoint) {
  const params = Object.entries(e.params).map(([key, schema]) => parameter(key, schema));
  const rule = ROUTE_RULES[e.route];
  const ok =
    e.answer === 'csv'
      ? { description: 'The file (UTF-8 with a byte-order mark), as an attachment.', content: { 'text/csv': { schema: { type: 'string' } } } }
      : { description: 'The answer.', content: { 'application/json': { schema: jsonSchema(e.answer, 'output') } } };
  const responses: Record<string, unknown> =
    e.method === 'POST'
      ? {
          '201': { ...ok, description: 'The batch was committed.' },
          '303': { description: 'Asked from the import page (Accept: text/html): to the batch, or back to the form with the reason.' },
          '400': refusal('No file, an empty file, or an unknown format.'),
          '403': refusal('The role may not import, or a browser session from another site.'),
          '409': refusal('Another import is running.'),
          '411': refusal('No Content-Length.'),
          '413': refusal('The file is larger than IMPORT_MAX_MB.'),
          '422': { description: 'The batch was rejected; nothing was written.', content: ok.content },
        }
      : {
          '200': ok,
          ...(e.answer === 'csv' ? {} : { '304': { description: 'Not modified: the If-None-Match given is the ETag of this answer.' } }),
          '400': refusal('A parameter was refused: each is named in issues, with the reason.'),
          '403': refusal('The role may not see this.'),
        };
  return {
    operationId: name,
    summary: e.summary,
    description: `${e.description}${rule === 'public' ? '' : ` Needs the ${CAPABILITIES[rule]} role or above.`}`,
    parameters: [...(e.filters ? filterParameters(e.period) : []), ...params],
    ...(e.method === 'POST'
      ? {
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The batch: CSV, JSON or NDJSON (DATA-MODEL.md).' },
                    format: { type: 'string', enum: ['csv', 'json', 'ndjson'], description: 'Told by the file name when left out.' },
                  },
                },
              },
            },
          },
        }
      : {}),
    responses: {
      ...responses,
      '401': refusal('Neither a session nor an API token.'),
      '503': refusal('The database is busy or cannot be opened.'),
    },
  };
}

/** The document served at /api/v1/openapi.json. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, e] of Object.entries(ENDPOINTS) as [string, Endpoint][]) {
    (paths[e.route] ??= {})[e.method.toLowerCase()] = operation(name, e);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Takedown Monitor API',
      version: '1',
      description:
        'Figures on referrals and removal orders of terrorist content online (METRICS.md defines each), the records behind them, and imports. Every figure describes the state known at as_of. A parameter that is not described here is refused (400).',
    },
    servers: [{ url: '/' }],
    security: [{ bearerToken: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (npm run user -- token <email>): Authorization: Bearer <token>.' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie of a signed-in browser.' },
      },
      schemas: { Error: jsonSchema(ERROR_ANSWER, 'output') },
    },
    paths,
  };
}
