/**
 * vitest globalSetup (runs in Node, outside workerd): a target API on 127.0.0.1 for the executor,
 * with the misbehaviours the run pipeline must survive. Its URL reaches tests as inject("targetUrl").
 *
 *   /ok/...        200 {"ok":true,...}          (?delay=ms waits first)
 *   /list/<name>   200 {"items":[{"id":"<name>-1"},…,{"id":"<name>-3"}]} (so is /list/<name>/<id>)
 *   /error/...     500 text/plain
 *   /capacity/<rps>/<name>  200 while at most <rps> requests under <name> arrived in the last second, then 503
 *   /hang/...      never answers (/__hits counts `closed:<path>` when the client gives up)
 *   /slow/...      answers after ?ms= (default 12 s)
 *   /huge/...      streams ?mb= megabytes (default 50)
 *   /stream/...    200, one JSON line, then holds the response open (a watch)
 *   /reset/...     destroys the connection
 *   /reset-once/<name>  destroys the connection of the first request under <name>, then 200
 *   /record/<name> records the request (method, headers, body) and answers 200 {"recorded":true};
 *                  ?fail=n answers 500 to the first n requests recorded under that name
 *   /__records/<name>  JSON array of the requests recorded under <name>
 *   /__hits        JSON { [path]: count } of requests seen;  /__reset clears it (and the records)
 *   /__phoenix?downMs=n&resets=k  the "phoenix" server resets every connection for n ms from its next request, and k connections at least
 *   /s/<tenant>/…  the sessions target (sessions-target.ts: signup, login, notes; tokens that expire, users that vanish)
 *   /rb/<tenant>/… the rebuild target (rebuild-target.ts: a reset that makes every request 500 for a while)
 *   /__mortal      starts a target in a child process that exits on GET /die/… (mortal-target.ts)
 *
 * Beside it: inject("deadUrl") accepts connections and never answers, inject("closedUrl") is a
 * port nothing listens on, inject("phoenixUrl") serves like the target but can be taken down,
 * inject("freezeUrl") serves like the target until it gets a /hang/... request: that one's
 * handler awaits its data for a moment, then spins, as a single-threaded server stuck in
 * catastrophic regex backtracking does — from then on nothing is answered (requests in flight,
 * new ones, a GET of the base URL) until the main target's /__thaw. inject("lockUrl") is a
 * threaded server whose spin holds a global lock (Python's GIL): a /hang/... request takes the
 * lock 100 ms after it arrived, for ?spinMs= (default 4000), then answers; while it is held no
 * answer goes out — of requests in flight since before it (frozen half-way), new ones, or a GET
 * of the base URL. /__thaw releases it too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { startDemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { handleSessions } from "./sessions-target";
import { handleRebuild } from "./rebuild-target";
import { handleMortal, stopMortals } from "./mortal-target";

declare module "vitest" {
  export interface ProvidedContext {
    targetUrl: string;
    deadUrl: string;
    closedUrl: string;
    phoenixUrl: string;
    freezeUrl: string;
    lockUrl: string;
    /** the demo API (examples/demo-api): clean, and with only the regression fault items-page-offset-reset; its spec text */
    demoUrl: string;
    demoRegressionUrl: string;
    demoSpec: string;
    demoToken: string;
  }
}

export interface RecordedRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

const records = new Map<string, RecordedRequest[]>();

function record(req: IncomingMessage, res: ServerResponse, name: string, failFirst: number): void {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const list = records.get(name) ?? [];
    const status = list.length < failFirst ? 500 : 200;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    list.push({ method: req.method ?? "", headers, body: Buffer.concat(chunks).toString("utf8"), status });
    records.set(name, list);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ recorded: status === 200 }));
  });
}

/** arrival times (ms) per /capacity/<rps>/<name> */
const arrivals = new Map<string, number[]>();

/** Takes the phoenix server down for `ms`; set by setup(). */
let phoenixDown: (ms: number, resets: number) => void = () => undefined;
/** Makes the freeze server answer again and releases the lock server's lock; set by setup(). */
let thaw: () => void = () => undefined;

function handle(req: IncomingMessage, res: ServerResponse, hits: Map<string, number>): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  if (handleSessions(req, res, url)) return;
  if (handleRebuild(req, res, url)) return;
  if (handleMortal(req, res, url)) return;
  if (path === "/__phoenix") {
    phoenixDown(Number(url.searchParams.get("downMs") ?? 1000), Number(url.searchParams.get("resets") ?? 0));
    res.writeHead(204).end();
    return;
  }
  if (path === "/__thaw") {
    thaw();
    res.writeHead(204).end();
    return;
  }
  if (path.startsWith("/__records/")) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(records.get(path.slice("/__records/".length)) ?? []));
    return;
  }
  if (path.startsWith("/record/")) {
    record(req, res, path.slice("/record/".length), Number(url.searchParams.get("fail") ?? 0));
    return;
  }
  if (path === "/__hits") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Object.fromEntries(hits)));
    return;
  }
  if (path === "/__reset") {
    hits.clear();
    records.clear();
    res.writeHead(204).end();
    return;
  }
  hits.set(path, (hits.get(path) ?? 0) + 1);
  const [, kind] = path.split("/");
  switch (kind) {
    case "ok": {
      const delay = Number(url.searchParams.get("delay") ?? 0);
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, path, method: req.method }));
      }, delay);
      return;
    }
    case "list": {
      // /list/<name>: a collection of three items with ids <name>-1 … <name>-3 (and /list/<name>/<id> answers too)
      const name = path.split("/")[2] ?? "";
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items: [1, 2, 3].map((n) => ({ id: `${name}-${n}`, name: `item ${n}` })) }));
      return;
    }
    case "error":
      res.writeHead(500, { "content-type": "text/plain" }).end("internal failure");
      return;
    case "capacity": {
      // a target with a known capacity: what a stress test must find as its breaking point
      const [, , rps, name = ""] = path.split("/");
      const now = Date.now();
      const recent = (arrivals.get(name) ?? []).filter((t) => t > now - 1000);
      recent.push(now);
      arrivals.set(name, recent);
      const over = recent.length > Number(rps);
      res.writeHead(over ? 503 : 200, { "content-type": "application/json" }).end(JSON.stringify({ over }));
      return;
    }
    case "hang":
      // the socket stays open (teardown destroys it); `closed:<path>` counts the clients that gave up
      res.on("close", () => hits.set(`closed:${path}`, (hits.get(`closed:${path}`) ?? 0) + 1));
      return;
    case "slow": {
      const ms = Number(url.searchParams.get("ms") ?? 12_000);
      const timer = setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"slow":true}'), ms);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    case "stream": {
      // a watch: one JSON text per line, and it never ends on its own
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"n":1}\n');
      return;
    }
    case "huge": {
      const total = Number(url.searchParams.get("mb") ?? 50) * 1024 * 1024;
      res.writeHead(200, { "content-type": "application/json", "content-length": String(total) });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          const piece = sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
          sent += piece.length;
          if (!res.write(piece)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      res.on("close", () => (sent = total));
      pump();
      return;
    }
    case "reset":
      req.socket.destroy();
      return;
    case "reset-once": {
      if ((hits.get(`once:${path}`) ?? 0) === 0) {
        hits.set(`once:${path}`, 1);
        req.socket.destroy();
        return;
      }
      req.resume();
      res.writeHead(201, { "content-type": "application/json" }).end('{"created":true}');
      return;
    }
    default:
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
  }
}

async function listen(server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number } | null;
  if (!address || typeof address !== "object") throw new Error("server has no port");
  return address.port;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => handle(req, res, hits));
  server.keepAliveTimeout = 1000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server);
  project.provide("targetUrl", `http://127.0.0.1:${port}`);

  // accepts every connection and never answers
  const dead = createNetServer((socket) => sockets.add(socket.on("close", () => sockets.delete(socket))));
  project.provide("deadUrl", `http://127.0.0.1:${await listen(dead)}`);

  // a port nothing listens on (taken, then released)
  const closed = createNetServer();
  project.provide("closedUrl", `http://127.0.0.1:${await listen(closed)}`);
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  // an outage that starts with the first request after arming (so it is hit whatever the queue's
  // latency) and lasts its time and at least its count of resets (so it is hit however busy the machine)
  let outage: { ms: number; resets: number; until?: number } | undefined;
  const phoenix = createServer((req, res) => {
    if (outage) {
      outage.until ??= Date.now() + outage.ms;
      if (Date.now() < outage.until || outage.resets > 0) {
        outage.resets--;
        req.socket.destroy();
        return;
      }
      outage = undefined;
    }
    handle(req, res, hits);
  });
  phoenix.on("connection", (socket) => sockets.add(socket.on("close", () => sockets.delete(socket))));
  project.provide("phoenixUrl", `http://127.0.0.1:${await listen(phoenix)}`);
  phoenixDown = (ms, resets) => (outage = { ms, resets });

  // answers like the target until a /hang/ request spins it; answers held when it froze never go out
  let frozen = false;
  const freeze = createServer((req, res) => {
    if (frozen) return;
    if (new URL(req.url ?? "/", "http://localhost").pathname.startsWith("/hang/")) {
      setTimeout(() => (frozen = true), 200);
      return;
    }
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<typeof end>) => (frozen ? res : end(...args))) as typeof res.end;
    handle(req, res, hits);
  });
  freeze.on("connection", (socket) => sockets.add(socket.on("close", () => sockets.delete(socket))));
  project.provide("freezeUrl", `http://127.0.0.1:${await listen(freeze)}`);

  // a threaded server whose spinning request holds a global lock: no answer goes out while it is held
  let unlock = () => undefined as void;
  let released: Promise<void> | undefined;
  const lock = createServer((req, res) => {
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<typeof end>) => {
      if (released) void released.then(() => end(...args));
      else end(...args);
      return res;
    }) as typeof res.end;
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith("/hang/")) {
      handle(req, res, hits);
      return;
    }
    const spinMs = Number(url.searchParams.get("spinMs") ?? 4000);
    setTimeout(() => {
      if (!released) {
        released = new Promise<void>((resolve) => (unlock = resolve)).then(() => void (released = undefined));
        setTimeout(unlock, spinMs);
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"spun":true}');
    }, 100);
  });
  lock.on("connection", (socket) => sockets.add(socket.on("close", () => sockets.delete(socket))));
  project.provide("lockUrl", `http://127.0.0.1:${await listen(lock)}`);
  thaw = () => {
    frozen = false;
    unlock();
  };

  const demo = await startDemoApi({ port: 0, variant: "clean" });
  const demoRegression = await startDemoApi({ port: 0, variant: "buggy", faults: ["items-page-offset-reset"] });
  project.provide("demoUrl", demo.url);
  project.provide("demoRegressionUrl", demoRegression.url);
  project.provide("demoSpec", readFileSync(new URL("../../examples/demo-api/openapi.yaml", import.meta.url), "utf8"));
  project.provide("demoToken", demoTokens().alice);

  return async () => {
    stopMortals();
    await Promise.all([demo.close(), demoRegression.close()]);
    for (const socket of sockets) socket.destroy();
    await Promise.all([server, dead, phoenix, freeze, lock].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
}
