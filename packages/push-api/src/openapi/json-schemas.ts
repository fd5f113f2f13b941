import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

type Json = Record<string, unknown>;

const COMPONENT_REF = '#/components/schemas/';

/**
 * Turns zod schemas into JSON Schema 2020-12 (OpenAPI 3.1's dialect). Schemas named with `.meta({id})` become
 * shared components; a name used for two different shapes is a bug and throws.
 */
export class JsonSchemas {
  readonly components: Record<string, Json> = {};

  of(schema: z.ZodType, io: 'input' | 'output'): Json {
    const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw' }) as Json;
    const { $defs, $schema: _dialect, ...rest } = converted as Json & { $defs?: Record<string, Json>; $schema?: string };
    for (const [id, def] of Object.entries($defs ?? {})) this.addComponent(id, rewriteRefs(def) as Json);
    const top = rewriteRefs(rest) as Json;
    const id = top['id'];
    if (typeof id === 'string') {
      // the schema itself is a named component: refer to it
      const { id: _id, ...body } = top;
      this.addComponent(id, body);
      return { $ref: `${COMPONENT_REF}${id}` };
    }
    return top;
  }

  addComponent(id: string, schema: Json): void {
    const existing = this.components[id];
    if (existing !== undefined && !isDeepStrictEqual(existing, schema)) {
      throw new Error(`OpenAPI component ${id} has two different shapes: ${JSON.stringify(existing)} vs ${JSON.stringify(schema)}`);
    }
    this.components[id] = schema;
  }
}

/** Points refs at components and drops the safe-integer bounds zod puts on every integer (noise to readers). */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'minimum' || key === 'maximum') && Math.abs(inner as number) === Number.MAX_SAFE_INTEGER) continue;
    out[key] = key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/') ? `${COMPONENT_REF}${inner.slice(8)}` : rewriteRefs(inner);
  }
  return out;
}
