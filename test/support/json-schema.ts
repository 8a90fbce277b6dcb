/**
 * A small JSON-schema validator for the keywords SageMaker's published pipeline-definition schema
 * uses (type, properties, required, additionalProperties, patternProperties, enum, pattern, oneOf,
 * anyOf, items, $ref to #/definitions/..., minLength/maxLength, minItems/maxItems).
 * Why our own: no JSON-schema validator package is installed (none may be added here), and zod 4's
 * `z.fromJSONSchema` rejects this schema outright ("Reference not found: #/definitions/StringParameter":
 * it resolves only $defs, while the schema uses draft-04-style `definitions`).
 * Semantics follow the specification: unknown keywords are ignored, type-specific keywords apply only
 * to values of that type, `{}` accepts anything. Errors carry a JSON pointer to the value; a failed
 * oneOf/anyOf also reports the errors of its closest branch (the one with the fewest errors).
 */
export type Schema = Record<string, unknown>;

export interface SchemaError {
  path: string;
  message: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
  const t = typeOf(v);
  if (expected === 'number') return t === 'number' || t === 'integer';
  return t === expected;
}

export function validateJsonSchema(root: Schema, value: unknown, schema: Schema = root, path = ''): SchemaError[] {
  const errors: SchemaError[] = [];
  const err = (message: string, at = path) => errors.push({ path: at || '/', message });

  if (typeof schema.$ref === 'string') {
    const m = /^#\/definitions\/(.+)$/.exec(schema.$ref);
    const target = m ? ((root.definitions as Record<string, Schema> | undefined) ?? {})[m[1]!] : undefined;
    if (!target) {
      err(`unresolvable $ref ${schema.$ref}`);
      return errors;
    }
    errors.push(...validateJsonSchema(root, value, target, path));
  }

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, value))) {
      err(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return errors;
    }
  }

  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) err(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);

  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) err(`"${value}" does not match ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) err(`shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) err(`longer than ${schema.maxLength}`);
  }

  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) err(`fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) err(`more than ${schema.maxItems} items`);
    if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items))
      value.forEach((item, i) => errors.push(...validateJsonSchema(root, item, schema.items as Schema, `${path}/${i}`)));
  }

  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>).map(([p, s]) => [new RegExp(p, 'u'), s] as const);
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in obj)) err(`missing required property ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      const at = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      let known = false;
      if (Object.prototype.hasOwnProperty.call(props, k)) {
        known = true;
        errors.push(...validateJsonSchema(root, v, props[k]!, at));
      }
      for (const [re, s] of patterns)
        if (re.test(k)) {
          known = true;
          errors.push(...validateJsonSchema(root, v, s, at));
        }
      if (!known && schema.additionalProperties !== undefined) {
        if (schema.additionalProperties === false) err(`property ${k} is not allowed`, at);
        else if (typeof schema.additionalProperties === 'object') errors.push(...validateJsonSchema(root, v, schema.additionalProperties as Schema, at));
      }
    }
  }

  for (const kw of ['oneOf', 'anyOf'] as const) {
    const branches = schema[kw] as Schema[] | undefined;
    if (!Array.isArray(branches)) continue;
    const results = branches.map((b) => validateJsonSchema(root, value, b, path));
    const passing = results.filter((r) => r.length === 0).length;
    if (kw === 'oneOf' && passing > 1) err(`matches ${passing} oneOf branches, expected exactly one`);
    if (passing === 0) {
      const closest = results.reduce((a, b) => (b.length < a.length ? b : a));
      err(`matches none of the ${kw} branches`);
      errors.push(...closest);
    }
  }
  return errors;
}
