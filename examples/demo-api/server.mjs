// The demo shop API: a plain node:http server with in-memory state and optional seeded faults.
//   node examples/demo-api/server.mjs --port 4010 --variant buggy [--faults id,id]
import http from "node:http";
import { pathToFileURL } from "node:url";
import { applyFaults, FAULT_IDS, PROSE_FAULT_IDS, REGRESSION_FAULT_IDS } from "./faults.mjs";
import { problem, routes as cleanRoutes } from "./handlers.mjs";
import { verifyJwt } from "./jwt.mjs";
import { compileRoutes, matchRoute } from "./router.mjs";
import { schemas as cleanSchemas } from "./schemas.mjs";
import { createStore } from "./store.mjs";
import { coerceParameter, validate } from "./validate.mjs";

const MAX_BODY_BYTES = 1024 * 1024;

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

const withHeaders = (result, headers) => ({ ...result, headers: { ...result.headers, ...headers } });

/** Builds the request handler for one server: its own store, routes and enabled faults. */
function createApp(enabled) {
  const { routes, schemas } = applyFaults(cleanRoutes, cleanSchemas, enabled);
  const compiled = compileRoutes(routes);
  const store = createStore();
  const fault = (id) => enabled.has(id);
  let requestCount = 0;

  function authenticate(req, route) {
    const unauthorized = (detail) => withHeaders(problem(401, detail), { "WWW-Authenticate": 'Bearer realm="demo-api", error="invalid_token"' });
    const m = /^Bearer +([^\s]+)$/i.exec(req.headers.authorization ?? "");
    if (!m) return { error: unauthorized("a bearer token is required") };
    const verdict = verifyJwt(m[1], { allowNone: fault("jwt-alg-none") });
    if (!verdict.ok) return { error: unauthorized(verdict.reason) };
    const user = store.users.get(verdict.claims.sub);
    if (!user) return { error: unauthorized("unknown subject") };
    if (route.auth === "admin" && user.role !== "admin") return { error: problem(403, "administrators only") };
    return { user };
  }

  function readParameters(req, route, url, rawPath, ctx) {
    const errors = [];
    for (const param of route.params) {
      const label = `${param.in} parameter ${param.name}`;
      let raw;
      if (param.in === "path") {
        try {
          raw = decodeURIComponent(rawPath[param.name]);
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
      const value = coerceParameter(raw, param.schema);
      if (value === undefined) errors.push(`${label} must be of type ${param.schema.type}`);
      else if (validate(value, param.schema, schemas, label, errors).length === 0) ctx.params[param.name] = value;
    }
    return errors;
  }

  async function readJsonBody(req, route, ctx) {
    const { text, tooLarge } = await readBody(req);
    if (tooLarge) return problem(413, `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    const contentType = req.headers["content-type"];
    if (!contentType && !text) return problem(400, "a JSON request body is required");
    if (contentType?.split(";")[0].trim().toLowerCase() !== "application/json") return problem(415, "request bodies must be application/json");
    let raw;
    try {
      raw = JSON.parse(text);
    } catch {
      return problem(400, "the request body is not valid JSON");
    }
    route.beforeValidation?.(ctx, raw);
    const errors = validate(raw, schemas[route.body], schemas, "body");
    if (errors.length) return problem(400, "the request body does not match the schema", errors);
    ctx.body = raw;
    return undefined;
  }

  async function dispatch(req) {
    const target = req.url ?? "/";
    const url = new URL(`http://demo-api${target.startsWith("/") ? target : `/${target}`}`);
    const match = matchRoute(compiled, req.method, url.pathname);
    if (!match || match.allow) req.resume();
    if (!match) return problem(404, `no resource at ${url.pathname}`);
    if (match.allow) return withHeaders(problem(405, `${req.method} is not supported here`), { Allow: match.allow.join(", ") });
    const { route, rawParams } = match;
    const ctx = { store, fault, params: {}, user: undefined, body: undefined };
    if (route.auth !== "public") {
      const { user, error } = authenticate(req, route);
      if (error) return req.resume(), error;
      ctx.user = user;
    }
    const errors = readParameters(req, route, url, rawParams, ctx);
    if (errors.length) return req.resume(), problem(400, "invalid parameters", errors);
    if (route.body) {
      const error = await readJsonBody(req, route, ctx);
      if (error) return error;
    } else {
      req.resume();
    }
    return route.handle(ctx);
  }

  return async function handle(req, res) {
    const requestId = `req-${String(++requestCount).padStart(6, "0")}`;
    let result;
    try {
      result = await dispatch(req);
    } catch {
      result = problem(500, "unexpected error");
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
 * Starts the demo API. `variant: "buggy"` enables every seeded fault (but the regression faults) unless `faults` names some;
 * `faults` always wins when given.
 * @returns {Promise<{ url: string, close: () => Promise<void>, faults: string[] }>}
 */
export async function startDemoApi({ port = 0, host = "127.0.0.1", variant = "clean", faults } = {}) {
  if (variant !== "clean" && variant !== "buggy") throw new Error(`unknown variant ${variant}: use clean or buggy`);
  const all = [...FAULT_IDS, ...PROSE_FAULT_IDS];
  const list = faults ?? (variant === "buggy" ? all : []);
  const unknown = list.filter((id) => !all.includes(id) && !REGRESSION_FAULT_IDS.includes(id));
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
    const api = await startDemoApi({ port: 4010, ...parseArgs(process.argv.slice(2)) });
    console.log(`demo-api listening on ${api.url} (faults: ${api.faults.length ? api.faults.join(", ") : "none"})`);
    console.log("tokens: node examples/demo-api/tokens.mjs");
  } catch (err) {
    console.error(String(err?.message ?? err));
    process.exit(2);
  }
}
