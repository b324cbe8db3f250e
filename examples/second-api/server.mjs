// The Library API: a plain node:http server, in-memory state, driven by its own OpenAPI 3.1
// document (spec.mjs): routes, parameters, bodies and security come from it, so the clean variant
// enforces exactly what it documents. Seeded faults: faults.mjs / FAULTS.md.
//   node examples/second-api/server.mjs --port 4020 --variant buggy [--faults id,id]
import http from "node:http";
import { pathToFileURL } from "node:url";
import { enforcedSpec, FAULT_IDS } from "./faults.mjs";
import { beforeValidation, handlers, problem } from "./handlers.mjs";
import { callerForKey, hasRole } from "./keys.mjs";
import { spec as documentedSpec } from "./spec.mjs";
import { createStore } from "./store.mjs";
import { coerceText, isArraySchema, validate } from "./validate.mjs";

const MAX_BODY_BYTES = 1024 * 1024;
const METHODS = ["get", "put", "post", "delete", "patch"];

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? { tooLarge: true } : { text: Buffer.concat(chunks).toString("utf8") }));
    req.on("error", reject);
  });
}

/** Route table from the spec: one route per operation, with its path matcher. */
function routesOf(spec) {
  const routes = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    const names = [];
    const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, name) => (names.push(name), "([^/]+)"));
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      routes.push({ method: method.toUpperCase(), path, matcher: new RegExp(`^${source}$`), pathNames: names, operationId: op.operationId, params, requestBody: op.requestBody, security: op.security ?? spec.security ?? [] });
    }
  }
  return routes;
}

function matchRoute(routes, method, pathname, fault) {
  const allow = [];
  for (const route of routes) {
    const m = route.matcher.exec(pathname);
    if (!m) continue;
    const wanted = method === "HEAD" ? "GET" : method;
    // the buggy router sends every non-POST method on /authors to the listing
    const anyMethod = fault("authors-collection-any-method") && route.operationId === "listAuthors" && wanted !== "POST";
    if (route.method === wanted || anyMethod) return { route, rawParams: Object.fromEntries(route.pathNames.map((name, i) => [name, m[i + 1]])) };
    allow.push(route.method);
  }
  if (allow.includes("GET")) allow.push("HEAD");
  return allow.length ? { allow } : undefined;
}

const withHeaders = (result, headers) => ({ ...result, headers: { ...result.headers, ...headers } });

function createApp(enabled) {
  const spec = enforcedSpec(documentedSpec, enabled);
  const schemas = spec.components.schemas;
  const routes = routesOf(spec);
  const store = createStore();
  const fault = (id) => enabled.has(id);
  let requestCount = 0;

  /** The caller of a secured route, or a 401/403 problem. Each alternative of `security` names one scheme here. */
  function authenticate(req, url, route) {
    const unauthorized = (detail) => withHeaders(problem(401, detail), { "WWW-Authenticate": 'ApiKey realm="library"' });
    let refusal;
    for (const alternative of route.security) {
      for (const [schemeName, roles] of Object.entries(alternative)) {
        const scheme = spec.components.securitySchemes[schemeName];
        const raw = scheme.in === "header" ? req.headers[scheme.name.toLowerCase()] : url.searchParams.get(scheme.name);
        if (raw === undefined || raw === null || raw === "") {
          refusal ??= unauthorized(`an API key is required in the ${scheme.in === "header" ? `${scheme.name} header` : `${scheme.name} query parameter`}`);
          continue;
        }
        let caller = callerForKey(raw);
        if (!caller && route.operationId === "downloadExport" && fault("export-any-key")) caller = { name: "unknown", role: "reader", key: raw };
        if (!caller) {
          refusal = unauthorized("unknown API key");
          continue;
        }
        if (roles.length > 0 && !roles.some((role) => hasRole(caller.role, role))) {
          refusal = problem(403, `this operation needs the ${roles.join(" or ")} role`);
          continue;
        }
        return { caller };
      }
    }
    return { error: refusal ?? unauthorized("an API key is required") };
  }

  function readParameters(req, route, url, rawParams, ctx) {
    const errors = [];
    for (const param of route.params) {
      const label = `${param.in} parameter ${param.name}`;
      let raw;
      if (param.in === "path") {
        try {
          raw = decodeURIComponent(rawParams[param.name]);
        } catch {
          errors.push(`${label} is not valid percent-encoding`);
          continue;
        }
      } else if (param.in === "query") {
        const all = url.searchParams.getAll(param.name);
        if (all.length > 1) errors.push(`${label} must be given at most once`);
        raw = all[0];
      } else {
        raw = req.headers[param.name.toLowerCase()];
      }
      if (raw === undefined) {
        if (param.required) errors.push(`${label} is required`);
        continue;
      }
      const value = coerceText(raw, param.schema, schemas);
      if (value === undefined) {
        errors.push(`${label} has the wrong type`);
        continue;
      }
      const problems = validate(value, param.schema, { schemas, mode: "request" }, label);
      if (problems.length) errors.push(...problems);
      else ctx.params[param.name] = value;
    }
    return errors;
  }

  function parseForm(text, schema) {
    const resolved = schemas[schema.$ref.split("/").pop()];
    const out = {};
    const errors = [];
    const params = new URLSearchParams(text);
    for (const name of new Set(params.keys())) {
      const values = params.getAll(name);
      const property = resolved.properties?.[name];
      if (!property) {
        out[name] = values[0];
        continue;
      }
      if (isArraySchema(property, schemas)) {
        out[name] = values;
        continue;
      }
      if (values.length > 1) errors.push(`form field ${name} must be given at most once`);
      const value = coerceText(values[0], property, schemas);
      if (value === undefined) errors.push(`form field ${name} has the wrong type`);
      else out[name] = value;
    }
    return { value: out, errors };
  }

  async function readRequestBody(req, route, ctx) {
    const { text, tooLarge } = await readBody(req);
    if (tooLarge) return problem(413, `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    const contentType = req.headers["content-type"];
    if (!contentType && !text) return route.requestBody.required ? problem(400, "a request body is required") : undefined;
    const essence = contentType?.split(";")[0].trim().toLowerCase();
    const media = route.requestBody.content[essence];
    if (!media) return problem(415, `request bodies must be ${Object.keys(route.requestBody.content).join(" or ")}`);
    let raw;
    if (essence === "application/x-www-form-urlencoded") {
      const form = parseForm(text, media.schema);
      if (form.errors.length) return problem(400, "invalid form", form.errors);
      raw = form.value;
    } else {
      try {
        raw = JSON.parse(text);
      } catch {
        return problem(400, "the request body is not valid JSON");
      }
    }
    const visible = beforeValidation[route.operationId]?.(ctx, raw) ?? raw;
    const errors = validate(visible, media.schema, { schemas, mode: "request" }, "body");
    if (errors.length) return problem(400, "the request body does not match the schema", errors);
    ctx.body = raw;
    return undefined;
  }

  async function dispatch(req) {
    const target = req.url ?? "/";
    const url = new URL(`http://library${target.startsWith("/") ? target : `/${target}`}`);
    const match = matchRoute(routes, req.method, url.pathname, fault);
    if (!match || match.allow) req.resume();
    if (!match) return problem(404, `no resource at ${url.pathname}`);
    if (match.allow) return withHeaders(problem(405, `${req.method} is not supported here`), { Allow: match.allow.join(", ") });
    const { route, rawParams } = match;
    const ctx = { store, fault, params: {}, body: undefined, caller: undefined, operationId: route.operationId };
    if (route.security.length > 0) {
      const { caller, error } = authenticate(req, url, route);
      if (error) return req.resume(), error;
      ctx.caller = caller;
    }
    const errors = readParameters(req, route, url, rawParams, ctx);
    if (errors.length) return req.resume(), problem(400, "invalid parameters", errors);
    if (route.requestBody) {
      const error = await readRequestBody(req, route, ctx);
      if (error) return error;
    } else {
      req.resume();
    }
    return handlers[route.operationId](ctx);
  }

  return async function handle(req, res) {
    const requestId = `req-${String(++requestCount).padStart(6, "0")}`;
    let result;
    try {
      result = await dispatch(req);
    } catch (error) {
      result = error?.mongo ? { status: 500, body: { error: `MongoServerError: ${error.message}` } } : problem(500, "unexpected error");
    }
    const headers = { "X-Request-Id": requestId, ...result.headers };
    let payload = "";
    if (result.body !== undefined) payload = JSON.stringify(result.body);
    else if (result.text !== undefined) payload = result.text;
    if (result.status !== 204) {
      headers["Content-Type"] = result.contentType ?? "application/json";
      headers["Content-Length"] = Buffer.byteLength(payload);
    }
    res.writeHead(result.status, headers);
    res.end(result.status === 204 || req.method === "HEAD" ? undefined : payload);
  };
}

/**
 * Starts the Library API. `variant: "buggy"` enables every seeded fault unless `faults` names
 * some; `faults` always wins when given.
 * @returns {Promise<{ url: string, close: () => Promise<void>, faults: string[] }>}
 */
export async function startSecondApi({ port = 0, host = "127.0.0.1", variant = "clean", faults } = {}) {
  if (variant !== "clean" && variant !== "buggy") throw new Error(`unknown variant ${variant}: use clean or buggy`);
  const list = faults ?? (variant === "buggy" ? FAULT_IDS : []);
  const unknown = list.filter((id) => !FAULT_IDS.includes(id));
  if (unknown.length) throw new Error(`unknown fault(s): ${unknown.join(", ")}`);
  const enabled = new Set(list);
  const server = http.createServer({ maxHeaderSize: 1024 * 1024 }, createApp(enabled));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    faults: [...enabled],
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--port") options.port = Number(value);
    else if (flag === "--host") options.host = value;
    else if (flag === "--variant") options.variant = value;
    else if (flag === "--faults") options.faults = value.split(",").filter(Boolean);
    else throw new Error(`unknown option ${flag} (use --port, --host, --variant clean|buggy, --faults id,id)`);
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const api = await startSecondApi({ port: 4020, ...parseArgs(process.argv.slice(2)) });
    console.log(`second-api (library) listening on ${api.url} (faults: ${api.faults.length ? api.faults.join(", ") : "none"})`);
    console.log("keys: node examples/second-api/keys.mjs");
  } catch (err) {
    console.error(String(err?.message ?? err));
    process.exit(2);
  }
}
