// A loopback target with a known latency distribution, run in its own process so that its timers
// do not share an event loop with the load generator measuring it. Prints its URL on stdout.
//   GET /items          by arrival order, about 87% after 10 ms, 10% after 50 ms, 3% after 200 ms, spread evenly
//                       (p50, p90 and p99 each fall well inside one group, not on a boundary where
//                       one late timer would move a percentile from one group to the next)
//   GET /fast           at once;   GET /status/<n>   status n at once
//   /__load/count       requests received (control routes are not counted)
//   /__load/times       service times in ms measured here, arrival order
//   /__load/stall?ms=n  holds every request arriving in the next n ms until then
//   /__load/reset       clears the counter and times
import { createServer } from "node:http";

const patternMs = (k) => (k % 33 === 31 && k % 100 < 99 ? 200 : k % 10 === 4 ? 50 : 10);
let received = 0;
let times = [];
let stallUntil = 0;

const server = createServer((req, res) => {
  const start = performance.now();
  const url = new URL(req.url ?? "/", "http://x");
  const path = url.pathname;
  req.resume();
  if (path.startsWith("/__load/")) {
    if (path === "/__load/stall") stallUntil = performance.now() + Number(url.searchParams.get("ms") ?? 1000);
    if (path === "/__load/reset") (received = 0), (times = []), (stallUntil = 0);
    const body = path === "/__load/times" ? JSON.stringify(times) : JSON.stringify({ count: received });
    res.writeHead(200, { "content-type": "application/json" }).end(body);
    return;
  }
  const k = received++;
  const finish = (status, body) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body, () => times.push(performance.now() - start));
  };
  const held = Math.max(0, stallUntil - performance.now());
  if (path.startsWith("/status/")) return void setTimeout(() => finish(Number(path.slice(8)) || 500, '{"error":true}'), held);
  if (path === "/fast") return void setTimeout(() => finish(200, '{"ok":true}'), held);
  setTimeout(() => finish(200, JSON.stringify({ items: [{ id: k, name: "item" }] })), held + patternMs(k));
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
