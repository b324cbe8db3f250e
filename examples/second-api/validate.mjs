// A validator for the JSON Schema 2020-12 subset spec.mjs uses (type arrays, const, enum, allOf,
// oneOf, formats, array and object keywords). Request mode: readOnly properties are neither
// required nor validated (the handlers never read them). Stops after a few errors.

const FORMATS = {
  email: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  date: (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const d = new Date(Date.UTC(year, month - 1, day));
    return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  },
  "date-time": (s) => {
    const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
    return Boolean(m) && FORMATS.date(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 61;
  },
  uri: (s) => {
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s)) return false;
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  },
};

const MAX_ERRORS = 10;

export function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : Number.isFinite(value) ? "number" : "non-finite";
  return typeof value;
}

function typeMatches(expected, value) {
  const actual = typeOf(value);
  return expected === actual || (expected === "number" && actual === "integer");
}

/** Follows a `#/components/schemas/Name` reference. */
export function resolveRef(schema, schemas) {
  let current = schema;
  for (let i = 0; current && current.$ref && i < 20; i++) current = schemas[current.$ref.split("/").pop()];
  return current;
}

/**
 * Validates `value` against `schema`; returns messages (empty when valid).
 * @param {{ schemas: Record<string, object>, mode?: "request" | "response" }} options
 */
export function validate(value, schema, options, at = "", errors = []) {
  if (errors.length >= MAX_ERRORS || schema === undefined || schema === true) return errors;
  const { schemas } = options;
  const s = resolveRef(schema, schemas);
  const fail = (message) => errors.push(`${at || "value"} ${message}`);
  for (const sub of s.allOf ?? []) validate(value, sub, options, at, errors);
  if (s.oneOf) {
    const matching = s.oneOf.filter((sub) => validate(value, sub, options, at, []).length === 0).length;
    if (matching !== 1) fail(`must match exactly one of ${s.oneOf.length} alternatives (matches ${matching})`);
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeMatches(t, value))) {
      fail(`must be of type ${types.join(" or ")}`);
      return errors;
    }
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) fail(`must be ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) fail(`must be one of ${s.enum.join(", ")}`);
  if (typeof value === "string") {
    const length = [...value].length;
    if (s.minLength !== undefined && length < s.minLength) fail(`must have at least ${s.minLength} characters`);
    if (s.maxLength !== undefined && length > s.maxLength) fail(`must have at most ${s.maxLength} characters`);
    if (s.pattern && !new RegExp(s.pattern, "u").test(value)) fail(`must match ${s.pattern}`);
    if (s.format && FORMATS[s.format] && !FORMATS[s.format](value)) fail(`must be a valid ${s.format}`);
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) fail(`must be >= ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) fail(`must be <= ${s.maximum}`);
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) fail(`must be < ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) fail(`must have at least ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) fail(`must have at most ${s.maxItems} items`);
    if (s.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) fail("must not contain duplicates");
    if (s.items) value.slice(0, 100).forEach((v, i) => validate(v, s.items, options, `${at}[${i}]`, errors));
  }
  if (typeOf(value) === "object") {
    const keys = Object.keys(value);
    const properties = s.properties ?? {};
    const readOnly = (name) => options.mode === "request" && resolveRef(properties[name], schemas)?.readOnly === true;
    if (s.minProperties !== undefined && keys.length < s.minProperties) fail(`must have at least ${s.minProperties} properties`);
    for (const name of s.required ?? []) if (!(name in value) && !readOnly(name)) fail(`must have property '${name}'`);
    for (const key of keys) {
      const child = at ? `${at}.${key}` : key;
      if (Object.hasOwn(properties, key)) {
        if (!readOnly(key)) validate(value[key], properties[key], options, child, errors);
      } else if (s.additionalProperties === false) errors.push(`${child} is not allowed`);
      if (errors.length >= MAX_ERRORS) break;
    }
  }
  return errors;
}

/** The types a (resolved) schema admits, looking through allOf. */
function typesOf(schema, schemas) {
  const s = resolveRef(schema, schemas) ?? {};
  if (s.type !== undefined) return Array.isArray(s.type) ? s.type : [s.type];
  for (const sub of s.allOf ?? []) {
    const t = typesOf(sub, schemas);
    if (t.length) return t;
  }
  if (s.enum) return [...new Set(s.enum.map(typeOf))];
  return [];
}

/**
 * Reads wire text (path, query, header, form field) as the schema's type; undefined when it
 * cannot be one, so "abc" for an integer is a 400 rather than NaN.
 */
export function coerceText(raw, schema, schemas) {
  const types = typesOf(schema, schemas);
  if (types.length === 0 || types.includes("string")) return raw;
  if (types.includes("integer")) return /^-?\d{1,15}$/.test(raw) ? Number(raw) : undefined;
  if (types.includes("number")) return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
  if (types.includes("boolean")) return raw === "true" ? true : raw === "false" ? false : undefined;
  return raw;
}

/** Is `schema` (resolved) an array schema? Form fields repeat for arrays. */
export function isArraySchema(schema, schemas) {
  return typesOf(schema, schemas).includes("array");
}
