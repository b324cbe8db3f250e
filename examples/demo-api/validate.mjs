// A small validator for the JSON Schema subset openapi.yaml uses. Stops after a few errors.
const FORMATS = {
  email: (s) => /^[^\s@]+@[^\s@]+$/.test(s),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  "date-time": (s) => {
    const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
    return Boolean(m) && FORMATS.date(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 61;
  },
  date: (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const d = new Date(Date.UTC(year, month - 1, day));
    return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
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

function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : Number.isFinite(value) ? "number" : "non-finite";
  return typeof value;
}

function typeMatches(expected, value) {
  const actual = typeOf(value);
  return expected === actual || (expected === "number" && actual === "integer");
}

/** Validates `value` against `schema`; `$ref`s resolve in `schemas`. Returns messages, empty when valid. */
export function validate(value, schema, schemas, at = "", errors = []) {
  if (errors.length >= MAX_ERRORS) return errors;
  const fail = (message) => errors.push(`${at || "value"} ${message}`);
  if (schema.$ref) return validate(value, schemas[schema.$ref.split("/").pop()], schemas, at, errors);
  if (schema.type && !typeMatches(schema.type, value)) {
    fail(`must be of type ${schema.type}`);
    return errors;
  }
  if (schema.enum && !schema.enum.includes(value)) fail(`must be one of ${schema.enum.join(", ")}`);
  if (typeof value === "string") {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) fail(`must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && length > schema.maxLength) fail(`must have at most ${schema.maxLength} characters`);
    if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) fail(`must match ${schema.pattern}`);
    if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format](value)) fail(`must be a valid ${schema.format}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail(`must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail(`must have at most ${schema.maxItems} items`);
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) fail("must not contain duplicates");
    if (schema.items) value.slice(0, 100).forEach((v, i) => validate(v, schema.items, schemas, `${at}[${i}]`, errors));
  }
  if (typeOf(value) === "object") {
    const keys = Object.keys(value);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) fail(`must have at least ${schema.minProperties} properties`);
    for (const name of schema.required ?? []) if (!(name in value)) fail(`must have property '${name}'`);
    const properties = schema.properties ?? {};
    for (const key of keys) {
      const child = at ? `${at}.${key}` : key;
      if (Object.hasOwn(properties, key)) validate(value[key], properties[key], schemas, child, errors);
      else if (schema.additionalProperties === false) errors.push(`${child} is not allowed`);
      if (errors.length >= MAX_ERRORS) break;
    }
  }
  return errors;
}

/**
 * Turns a raw path/query/header string into the schema's type, or undefined when it cannot be one
 * (so "abc" for an integer is a 400, not NaN).
 */
export function coerceParameter(raw, schema) {
  if (schema.type === "integer") return /^-?\d{1,16}$/.test(raw) ? Number(raw) : undefined;
  if (schema.type === "number") return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
  if (schema.type === "boolean") return raw === "true" ? true : raw === "false" ? false : undefined;
  return raw;
}
