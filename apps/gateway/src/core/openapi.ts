import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/** Every route is under /v1 but the probes, which orchestrators call by fixed paths. */
export function useVersionPrefix(app: INestApplication): void {
  app.setGlobalPrefix('v1', { exclude: ['health', 'health/live'] });
}

/**
 * The gateway's OpenAPI document. Each request body and success answer carries an example, made
 * from the examples its schema's properties declare, so an example cannot drift from the views.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('O2O Home API')
      .setDescription('Online traffic to store deals: catalog, bookings, leads, privilege cards, attribution.')
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', name: 'X-Api-Key', in: 'header' }, 'partner-key')
      .build(),
  );
  addExamples(document);
  return document;
}

/** Sets an example on each JSON request body and success answer that has none and whose schema can make one. */
function addExamples(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    const media = [
      operation.requestBody?.content,
      ...Object.entries(operation.responses)
        .filter(([s]) => s.startsWith('2'))
        .map(([, r]) => r.content),
    ];
    for (const content of media) {
      const json = content?.['application/json'];
      if (!json?.schema || json.example !== undefined) continue;
      const made = exampleOf(document, json.schema as Schema);
      if (made.missing.length === 0) json.example = made.example;
    }
  }
}

interface MediaType {
  schema?: unknown;
  example?: unknown;
}
interface Operation {
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.values(document.paths).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).map((m) => item[m] as unknown as Operation | undefined).filter((o): o is Operation => !!o),
  );
}

/**
 * An example built from a schema: a property's own example, else one made from its schema
 * (a referenced view, an array of one, an enum's first value); optional properties only where
 * they declare an example. `missing` names each value for
 * which there is none, as `View.property`, so that the document's test can say what to add.
 */
export function exampleOf(document: OpenAPIObject, schema: Schema, where = 'body', seen: string[] = []): { example: unknown; missing: string[] } {
  if (schema.example !== undefined) return { example: schema.example, missing: [] };
  const ref = schema.$ref as string | undefined;
  if (ref) {
    const name = ref.split('/').pop()!;
    if (seen.includes(name)) return { example: {}, missing: [] }; // a view that contains itself: one level is enough
    return exampleOf(document, (document.components?.schemas?.[name] ?? {}) as Schema, name, [...seen, name]);
  }
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const parts = schema[key] as Schema[] | undefined;
    if (parts?.length) return key === 'allOf' ? merged(document, parts, where, seen) : exampleOf(document, parts[0], where, seen);
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { example: schema.enum[0], missing: [] };
  if (schema.type === 'array') {
    const item = exampleOf(document, (schema.items ?? {}) as Schema, `${where}[]`, seen);
    return { example: [item.example], missing: item.missing };
  }
  if (schema.type === 'object' || schema.properties) {
    const example: Record<string, unknown> = {};
    const missing: string[] = [];
    const required = (schema.required ?? []) as string[];
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      // An optional property shows in the example only when it declares one: some go only without others.
      if (!required.includes(name) && property.example === undefined) continue;
      const made = exampleOf(document, property, `${where}.${name}`, seen);
      example[name] = made.example;
      missing.push(...made.missing);
    }
    return { example, missing };
  }
  if (schema.type === 'boolean') return { example: true, missing: [] };
  return { example: undefined, missing: [where] };
}

function merged(document: OpenAPIObject, parts: Schema[], where: string, seen: string[]): { example: unknown; missing: string[] } {
  const made = parts.map((p) => exampleOf(document, p, where, seen));
  return { example: Object.assign({}, ...made.map((m) => m.example)), missing: made.flatMap((m) => m.missing) };
}
