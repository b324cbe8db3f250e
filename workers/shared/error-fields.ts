/**
 * The fields an error body names, in the shapes APIs use: problem+json `errors[].name|field|pointer`,
 * JSON:API `errors[].source.pointer`, RFC 7807's `invalid-params[].name`, `details[].field`,
 * FastAPI's `loc`, a `{field: [messages]}` map. Read by the executor (which field of a create
 * collided) and by the coverage report (which field a refused create was refused for).
 */

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const NAME_KEYS = ["pointer", "name", "field", "param", "parameter", "property", "path", "attribute", "key", "loc", "location"];
const LIST_KEYS = ["errors", "invalid-params", "invalid_params", "invalidParams", "violations", "fieldErrors", "field_errors", "details", "detail", "fields"];
/** where an error entry says a name is not in the body */
const NOT_BODY = /^(query|path|header|cookie)$/i;

/** The field names or pointers an error body names, as written. */
export function namedInError(body: unknown): string[] {
  const names: string[] = [];
  const entry = (e: unknown) => {
    if (typeof e === "string") return;
    if (!isObject(e)) return;
    if (typeof e.in === "string" && NOT_BODY.test(e.in)) return;
    const source = e.source;
    if (isObject(source) && typeof source.pointer === "string") names.push(source.pointer);
    for (const key of NAME_KEYS) {
      const v = e[key];
      if (typeof v === "string" && v !== "") names.push(v);
      // FastAPI/pydantic: loc ["body", "vin"]
      else if (Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === "string" || typeof t === "number")) {
        const tokens = v.map(String);
        if (NOT_BODY.test(tokens[0])) continue;
        names.push("/" + (tokens[0] === "body" ? tokens.slice(1) : tokens).join("/"));
      }
    }
  };
  const visit = (node: unknown, depth: number) => {
    if (depth > 2 || !isObject(node)) return;
    for (const key of LIST_KEYS) {
      const list = node[key];
      if (Array.isArray(list)) list.slice(0, 50).forEach(entry);
      // Rails / Laravel: { errors: { email: ["has already been taken"] } }
      else if (isObject(list) && key !== "detail") for (const [name, v] of Object.entries(list)) if (Array.isArray(v) || typeof v === "string") names.push(name);
    }
    if (isObject(node.error)) visit(node.error, depth + 1);
  };
  visit(body, 0);
  return [...new Set(names)];
}
