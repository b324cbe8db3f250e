// A target in its own process that dies on one request, as a server that panics on an input does:
// GET /die/... makes the process exit 300 ms after it arrived (requests in flight meanwhile get their
// connections closed without an answer; then nothing listens on the port). Everything else: 200
// {"ok":true} (?delay=ms waits first). Prints its port on stdout. argv[2]: the port (0: any free one).
import { createServer } from "node:http";

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname.startsWith("/die/")) {
    setTimeout(() => process.exit(2), 300);
    return;
  }
  const delay = Number(url.searchParams.get("delay") ?? 0);
  setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, path: url.pathname })), delay);
});
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
