/**
 * A target that follows its spec but behaves like real-world servers do where a spec leaves room:
 * every behaviour below is legitimate, so Sentinel must raise no finding against it.
 *
 *  - Express-style routing: an undeclared method answers 404 (no 405/Allow);
 *  - optional query values are clamped (limit=500 → 50) or ignored when invalid (tag=zzz);
 *  - unknown body properties are ignored although the schema is closed; JSON labelled
 *    text/plain is parsed; a missing body is read as {} (then refused for its required title);
 *  - errors are application/problem+json where the spec documents application/json;
 *  - business rules the schema cannot express: unknown coupon codes and order quantities over
 *    the stock answer 422, `to` before `from` answers 400;
 *  - prices are stored with 2 decimals (12.3456 reads back 12.35);
 *  - articles and jobs are shared: every signed-in user lists and reads everyone's (not BOLA),
 *    only the author changes an article (403); article listings are paginated oldest first;
 *  - soft delete: a deleted article reads back as a tombstone (`deleted: true`);
 *  - asynchronous work: exports are created with 202 and readable later, job cancellation is
 *    accepted with 202 and the job stays readable meanwhile;
 *  - an id the API never issued answers 404 even where the spec documents only 200;
 *  - maintenance: GET /reports/daily answers 503 with Retry-After;
 *  - unauthenticated GET /dashboard serves the HTML sign-in page with 200;
 *  - a JSON filter parameter reports JSON.parse errors verbatim (400);
 *  - overlapping oneOf branches (Cat/Dog both open objects with a name);
 *  - identities alice, bob (users) and admin (role admin); GET /geo/administrative-areas is
 *    for everyone despite its name.
 */
import http from "node:http";
import { listenLoopback } from "../loopback-server";

export const TOKENS = { alice: "tok-alice-0001", bob: "tok-bob-0002", admin: "tok-admin-0003" } as const;

const problemSchema = { $ref: "#/components/schemas/Problem" };
const json = (schema: unknown) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json(problemSchema) });
const idParam = (name: string, example?: unknown) => ({ name, in: "path", required: true, schema: { type: "integer", minimum: 1 }, ...(example !== undefined ? { example } : {}) });

export const lenientSpec = {
  openapi: "3.0.3",
  info: { title: "Lenient Articles", version: "1.0.0" },
  servers: [{ url: "http://127.0.0.1" }],
  security: [{ bearer: [] }],
  paths: {
    "/health": { get: { operationId: "health", security: [], responses: { "200": { description: "up", content: json({ type: "object", properties: { status: { type: "string" } } }) } } } },
    "/articles": {
      get: {
        operationId: "listArticles",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } },
          { name: "tag", in: "query", schema: { type: "string", enum: ["news", "tech"] } },
          { name: "from", in: "query", schema: { type: "string", format: "date" } },
          { name: "to", in: "query", schema: { type: "string", format: "date" } },
        ],
        responses: { "200": { description: "all articles", content: json({ $ref: "#/components/schemas/ArticleList" }) }, "400": error("bad range"), "401": error("no token") },
      },
      post: {
        operationId: "createArticle",
        requestBody: { required: true, content: json({ $ref: "#/components/schemas/ArticleInput" }) },
        responses: {
          "201": { description: "created", headers: { Location: { required: true, schema: { type: "string" } } }, content: json({ $ref: "#/components/schemas/Article" }) },
          "400": error("invalid"),
          "401": error("no token"),
          "422": error("unknown coupon"),
        },
      },
    },
    "/articles/{articleId}": {
      parameters: [idParam("articleId", 1)],
      get: { operationId: "getArticle", responses: { "200": { description: "the article", content: json({ $ref: "#/components/schemas/Article" }) }, "400": error("bad id"), "401": error("no token"), "404": error("none") } },
      put: {
        operationId: "replaceArticle",
        requestBody: { required: true, content: json({ $ref: "#/components/schemas/ArticleInput" }) },
        responses: { "200": { description: "stored", content: json({ $ref: "#/components/schemas/Article" }) }, "400": error("invalid"), "401": error("no token"), "403": error("not yours"), "404": error("none"), "422": error("unknown coupon") },
      },
      delete: { operationId: "deleteArticle", responses: { "204": { description: "soft-deleted" }, "400": error("bad id"), "401": error("no token"), "403": error("not yours"), "404": error("none") } },
    },
    "/authors/{authorId}": {
      get: { operationId: "getAuthor", parameters: [{ name: "authorId", in: "path", required: true, schema: { type: "string" }, example: "u-999" }], responses: { "200": { description: "an author", content: json({ type: "object", properties: { id: { type: "string" } } }) } } },
    },
    "/orders": {
      post: {
        operationId: "createOrder",
        parameters: [{ name: "Idempotency-Key", in: "header", required: true, schema: { type: "string", minLength: 8 } }],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/OrderInput" }, example: { articleId: 1, quantity: 1 } } } },
        responses: {
          "201": { description: "placed", content: json({ $ref: "#/components/schemas/Order" }) },
          "400": error("invalid"),
          "401": error("no token"),
          "422": error("unknown article or not enough stock"),
        },
      },
    },
    "/orders/{orderId}": {
      get: { operationId: "getOrder", parameters: [idParam("orderId")], responses: { "200": { description: "an order", content: json({ $ref: "#/components/schemas/Order" }) }, "400": error("bad id"), "401": error("no token"), "404": error("none") } },
    },
    "/exports": {
      post: { operationId: "createExport", requestBody: { required: true, content: json({ type: "object", required: ["format"], properties: { format: { type: "string", enum: ["csv", "json"] } } }) }, responses: { "202": { description: "queued", content: json({ $ref: "#/components/schemas/Export" }) }, "400": error("invalid"), "401": error("no token") } },
    },
    "/exports/{exportId}": {
      get: { operationId: "getExport", parameters: [idParam("exportId")], responses: { "200": { description: "ready", content: json({ $ref: "#/components/schemas/Export" }) }, "400": error("bad id"), "401": error("no token"), "404": error("not ready yet") } },
    },
    "/jobs": {
      get: { operationId: "listJobs", responses: { "200": { description: "everyone's jobs", content: json({ type: "array", items: { $ref: "#/components/schemas/Job" } }) }, "401": error("no token") } },
      post: { operationId: "createJob", requestBody: { required: true, content: json({ type: "object", required: ["kind"], properties: { kind: { type: "string", enum: ["reindex"] } } }) }, responses: { "201": { description: "started", content: json({ $ref: "#/components/schemas/Job" }) }, "400": error("invalid"), "401": error("no token") } },
    },
    "/jobs/{jobId}": {
      parameters: [idParam("jobId")],
      get: { operationId: "getJob", responses: { "200": { description: "the job", content: json({ $ref: "#/components/schemas/Job" }) }, "400": error("bad id"), "401": error("no token"), "404": error("none") } },
      delete: { operationId: "cancelJob", responses: { "202": { description: "cancellation queued" }, "400": error("bad id"), "401": error("no token"), "404": error("none") } },
    },
    "/users/me": {
      get: { operationId: "me", responses: { "200": { description: "me", content: json({ $ref: "#/components/schemas/User" }) }, "401": error("no token") } },
      patch: { operationId: "updateMe", requestBody: { required: true, content: json({ $ref: "#/components/schemas/UserUpdate" }) }, responses: { "200": { description: "me", content: json({ $ref: "#/components/schemas/User" }) }, "400": error("invalid"), "401": error("no token") } },
    },
    "/admin/stats": { get: { operationId: "adminStats", tags: ["admin"], responses: { "200": { description: "stats", content: json({ type: "object", properties: { users: { type: "integer" } } }) }, "401": error("no token"), "403": error("admins only") } } },
    "/geo/administrative-areas": { get: { operationId: "getAdministrativeAreas", responses: { "200": { description: "areas", content: json({ type: "array", items: { type: "string" } }) }, "401": error("no token") } } },
    "/search": {
      get: {
        operationId: "search",
        parameters: [{ name: "filter", in: "query", required: true, description: "a JSON object", schema: { type: "string", minLength: 2 }, example: '{"tag":"news"}' }],
        responses: { "200": { description: "hits", content: json({ type: "object", properties: { filter: {}, hits: { type: "array" } } }) }, "400": error("bad filter"), "401": error("no token") },
      },
    },
    "/reports/daily": { get: { operationId: "dailyReport", responses: { "200": { description: "report", content: json({ type: "object" }) }, "401": error("no token") } } },
    "/dashboard": { get: { operationId: "dashboard", responses: { "200": { description: "widgets", content: json({ type: "object", properties: { widgets: { type: "array" } } }) }, "401": error("no token") } } },
    "/pets/feed": {
      get: {
        operationId: "petFeed",
        security: [],
        responses: { "200": { description: "pets", content: json({ type: "array", items: { oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }] } }) } },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: {
      Problem: { type: "object", required: ["title", "status"], properties: { type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, detail: { type: "string" } } },
      ArticleInput: {
        type: "object",
        additionalProperties: false,
        required: ["title", "price"],
        properties: {
          title: { type: "string", minLength: 1, maxLength: 80 },
          body: { type: "string", maxLength: 2000 },
          price: { type: "number", minimum: 0, maximum: 1000 },
          coupon: { type: "string", maxLength: 20 },
        },
      },
      Article: {
        type: "object",
        required: ["id", "title", "price", "authorId"],
        properties: {
          id: { type: "integer", readOnly: true },
          title: { type: "string" },
          body: { type: "string" },
          price: { type: "number" },
          authorId: { type: "string", readOnly: true },
          status: { type: "string", enum: ["draft", "published"], readOnly: true },
          deleted: { type: "boolean", readOnly: true },
        },
      },
      ArticleList: { type: "object", required: ["articles"], properties: { articles: { type: "array", items: { $ref: "#/components/schemas/Article" } } } },
      OrderInput: { type: "object", required: ["articleId", "quantity"], properties: { articleId: { type: "integer", minimum: 1 }, quantity: { type: "integer", minimum: 1, maximum: 100 } } },
      Order: { type: "object", required: ["id", "articleId", "quantity"], properties: { id: { type: "integer", readOnly: true }, articleId: { type: "integer" }, quantity: { type: "integer" }, ownerId: { type: "string", readOnly: true } } },
      Export: { type: "object", required: ["id", "status"], properties: { id: { type: "integer", readOnly: true }, format: { type: "string" }, status: { type: "string", enum: ["queued", "ready"] } } },
      Job: { type: "object", required: ["id", "state"], properties: { id: { type: "integer", readOnly: true }, kind: { type: "string" }, state: { type: "string", enum: ["running", "cancelling", "done"] } } },
      User: { type: "object", required: ["id", "name", "role"], properties: { id: { type: "string", readOnly: true }, name: { type: "string" }, role: { type: "string", enum: ["user", "admin"], readOnly: true } } },
      UserUpdate: { type: "object", properties: { name: { type: "string", minLength: 1, maxLength: 40 }, role: { type: "string", enum: ["user", "admin"], readOnly: true } } },
      Cat: { type: "object", required: ["name"], properties: { name: { type: "string" }, meows: { type: "boolean" } } },
      Dog: { type: "object", required: ["name"], properties: { name: { type: "string" }, barks: { type: "boolean" } } },
    },
  },
};

type Reply = { status: number; body?: unknown; type?: string; headers?: Record<string, string>; text?: string };

const problem = (status: number, detail: string): Reply => ({ status, body: { type: "about:blank", title: http.STATUS_CODES[status] ?? "Error", status, detail }, type: "application/problem+json" });
const ok = (body: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({ status, body, headers });
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const COUPONS = new Set(["WELCOME10"]);
const STOCK = 5;

interface Article {
  id: number;
  title: string;
  body?: string;
  price: number;
  authorId: string;
  status: "draft" | "published";
  deleted?: boolean;
}

/** Validates an ArticleInput leniently: unknown properties are ignored, known ones checked. */
function articleInput(raw: unknown): { value?: Omit<Article, "id" | "authorId" | "status">; error?: Reply; coupon?: string } {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { error: problem(400, "body must be an object") };
  const b = raw as Record<string, unknown>;
  if (typeof b.title !== "string" || b.title.length < 1 || [...b.title].length > 80) return { error: problem(400, "title must have 1-80 characters") };
  if (typeof b.price !== "number" || !Number.isFinite(b.price) || b.price < 0 || b.price > 1000) return { error: problem(400, "price must be 0-1000") };
  if (b.body !== undefined && (typeof b.body !== "string" || [...b.body].length > 2000)) return { error: problem(400, "body must be text up to 2000 characters") };
  if (b.coupon !== undefined && (typeof b.coupon !== "string" || [...b.coupon].length > 20)) return { error: problem(400, "coupon must be text up to 20 characters") };
  if (typeof b.coupon === "string" && !COUPONS.has(b.coupon)) return { error: problem(422, `unknown coupon ${b.coupon}`) };
  return { value: { title: b.title, ...(typeof b.body === "string" ? { body: b.body } : {}), price: Math.round(b.price * 100) / 100 } };
}

export async function startLenientApi(): Promise<{ url: string; close: () => Promise<void> }> {
  const users = new Map<string, { id: string; name: string; role: "user" | "admin" }>([
    [TOKENS.alice, { id: "u-alice", name: "Alice", role: "user" }],
    [TOKENS.bob, { id: "u-bob", name: "Bob", role: "user" }],
    [TOKENS.admin, { id: "u-admin", name: "Admin", role: "admin" }],
  ]);
  const articles = new Map<number, Article>([[1, { id: 1, title: "Hello", price: 10, authorId: "u-alice", status: "published" }]]);
  const orders = new Map<number, { id: number; articleId: number; quantity: number; ownerId: string }>();
  const exports = new Map<number, { id: number; format: string; status: "queued" | "ready"; readyAt: number }>();
  const jobs = new Map<number, { id: number; kind: string; state: "running" | "cancelling" | "done" }>();
  let next = 100;

  const routes: Record<string, (ctx: { user?: { id: string; role: string }; id?: string; query: URLSearchParams; body: unknown; headers: http.IncomingHttpHeaders }) => Reply> = {
    "GET /health": () => ok({ status: "ok" }),
    "GET /articles": ({ query }) => {
      const limit = Math.min(50, Math.max(1, Number.parseInt(query.get("limit") ?? "20", 10) || 20));
      const from = query.get("from");
      const to = query.get("to");
      if (from && to && /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && to < from) return problem(400, "to must not be before from");
      return ok({ articles: [...articles.values()].filter((a) => !a.deleted).slice(0, limit) });
    },
    "POST /articles": ({ user, body }) => {
      const { value, error } = articleInput(body);
      if (error) return error;
      const article: Article = { id: next++, ...value!, authorId: user!.id, status: "draft" };
      articles.set(article.id, article);
      return ok(article, 201, { Location: `/articles/${article.id}` });
    },
    "GET /articles/{id}": ({ id }) => {
      const article = articles.get(Number(id));
      return article ? ok(article) : problem(404, "no such article");
    },
    "PUT /articles/{id}": ({ id, user, body }) => {
      const article = articles.get(Number(id));
      if (!article || article.deleted) return problem(404, "no such article");
      if (article.authorId !== user!.id) return problem(403, "only the author may change it");
      const { value, error } = articleInput(body);
      if (error) return error;
      const stored: Article = { id: article.id, ...value!, authorId: article.authorId, status: article.status };
      articles.set(article.id, stored);
      return ok(stored);
    },
    "DELETE /articles/{id}": ({ id, user }) => {
      const article = articles.get(Number(id));
      if (!article || article.deleted) return problem(404, "no such article");
      if (article.authorId !== user!.id) return problem(403, "only the author may delete it");
      article.deleted = true;
      return { status: 204 };
    },
    "GET /authors/{id}": ({ id }) => (id === "u-alice" || id === "u-bob" ? ok({ id }) : problem(404, "no such author")),
    "POST /orders": ({ user, body, headers }) => {
      const key = headers["idempotency-key"];
      if (typeof key !== "string" || key.length < 8) return problem(400, "Idempotency-Key (8+ characters) is required");
      const b = (body ?? {}) as Record<string, unknown>;
      if (typeof body !== "object" || Array.isArray(body) || !isInt(b.articleId) || b.articleId < 1 || !isInt(b.quantity) || b.quantity < 1 || b.quantity > 100) return problem(400, "articleId and quantity (1-100) are required");
      if (!articles.has(b.articleId)) return problem(422, "no such article");
      if (b.quantity > STOCK) return problem(422, `only ${STOCK} in stock`);
      const order = { id: next++, articleId: b.articleId, quantity: b.quantity, ownerId: user!.id };
      orders.set(order.id, order);
      return ok(order, 201);
    },
    "GET /orders/{id}": ({ id, user }) => {
      const order = orders.get(Number(id));
      return order && order.ownerId === user!.id ? ok(order) : problem(404, "no such order");
    },
    "POST /exports": ({ body }) => {
      const format = (body as Record<string, unknown> | null)?.format;
      if (format !== "csv" && format !== "json") return problem(400, "format must be csv or json");
      const job = { id: next++, format, status: "queued" as const, readyAt: Date.now() + 60_000 };
      exports.set(job.id, job);
      return ok({ id: job.id, format, status: job.status }, 202);
    },
    "GET /exports/{id}": ({ id }) => {
      const job = exports.get(Number(id));
      if (!job || Date.now() < job.readyAt) return problem(404, "not ready yet");
      return ok({ id: job.id, format: job.format, status: "ready" });
    },
    "POST /jobs": ({ body }) => {
      if ((body as Record<string, unknown> | null)?.kind !== "reindex") return problem(400, "kind must be reindex");
      const job = { id: next++, kind: "reindex", state: "running" as const };
      jobs.set(job.id, job);
      return ok(job, 201);
    },
    "GET /jobs": () => ok([...jobs.values()]),
    "GET /jobs/{id}": ({ id }) => {
      const job = jobs.get(Number(id));
      return job ? ok(job) : problem(404, "no such job");
    },
    "DELETE /jobs/{id}": ({ id }) => {
      const job = jobs.get(Number(id));
      if (!job) return problem(404, "no such job");
      job.state = "cancelling";
      return { status: 202 };
    },
    "GET /users/me": ({ user }) => ok(user),
    "PATCH /users/me": ({ user, body }) => {
      const b = body as Record<string, unknown> | null;
      if (!b || typeof b !== "object" || Array.isArray(b)) return problem(400, "body must be an object");
      if (b.name !== undefined && (typeof b.name !== "string" || b.name.length < 1 || [...b.name].length > 40)) return problem(400, "name must have 1-40 characters");
      const me = users.get([...users.entries()].find(([, u]) => u.id === user!.id)![0])!;
      if (typeof b.name === "string") me.name = b.name; // role is readOnly: ignored
      return ok(me);
    },
    "GET /admin/stats": ({ user }) => (user!.role === "admin" ? ok({ users: users.size }) : problem(403, "admins only")),
    "GET /geo/administrative-areas": () => ok(["Bavaria", "Tuscany"]),
    "GET /search": ({ query }) => {
      const raw = query.get("filter");
      if (raw === null || raw.length < 2) return problem(400, "filter is required");
      let filter: unknown;
      try {
        filter = JSON.parse(raw);
      } catch (err) {
        return problem(400, `${(err as Error).name}: ${(err as Error).message}`);
      }
      return ok({ filter, hits: [] });
    },
    "GET /reports/daily": () => ({ status: 503, body: { title: "maintenance", status: 503 }, type: "application/problem+json", headers: { "Retry-After": "30" } }),
    "GET /dashboard": () => ok({ widgets: [] }),
    "GET /pets/feed": () => ok([{ name: "Tom" }, { name: "Rex", barks: true }]),
  };
  const PUBLIC = new Set(["GET /health", "GET /pets/feed"]);

  async function handle(req: http.IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? "/", "http://lenient");
    const segments = url.pathname.split("/");
    // Express-style: method and path match together, anything else is 404
    let key = `${req.method} ${url.pathname}`;
    let id: string | undefined;
    if (!routes[key] && segments.length === 3 && segments[2] !== "") {
      const templated = `${req.method} /${segments[1]}/{id}`;
      if (routes[templated]) {
        key = templated;
        try {
          id = decodeURIComponent(segments[2]);
        } catch {
          return problem(400, "bad id encoding");
        }
      }
    }
    const route = routes[key];
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (!route) return problem(404, `Cannot ${req.method} ${url.pathname}`);
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const user = token ? users.get(token) : undefined;
    if (!PUBLIC.has(key) && !user) {
      if (key === "GET /dashboard") return { status: 200, text: "<!doctype html><html><body><form action=/login>Sign in</form></body></html>", type: "text/html; charset=utf-8" };
      return { ...problem(401, "sign in first"), headers: { "WWW-Authenticate": "Bearer" } };
    }
    if (id !== undefined && key !== "GET /authors/{id}" && !/^[1-9]\d{0,9}$/.test(id)) return problem(400, "ids are positive integers");
    let body: unknown;
    if (req.method === "POST" || req.method === "PUT" || req.method === "PATCH") {
      // any content type is parsed as JSON; no body reads as {}
      try {
        body = raw.trim() === "" ? {} : JSON.parse(raw);
      } catch {
        return problem(400, "malformed JSON");
      }
    }
    return route({ user, id, query: url.searchParams, body, headers: req.headers });
  }

  const server = http.createServer((req, res) => {
    handle(req)
      .catch((err) => problem(500, String(err)))
      .then((reply) => {
        const headers: Record<string, string> = { ...(reply.headers ?? {}) };
        let payload = "";
        if (reply.text !== undefined) payload = reply.text;
        else if (reply.body !== undefined) payload = JSON.stringify(reply.body);
        if (payload !== "") headers["Content-Type"] = reply.type ?? "application/json; charset=utf-8";
        res.writeHead(reply.status, headers);
        res.end(req.method === "HEAD" ? undefined : payload);
      });
  });
  const { url, close } = await listenLoopback(server);
  return { url, close };
}
