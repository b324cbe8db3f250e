/**
 * A test's HTTP server on 127.0.0.1 at a free port (loopback only, port 0: helpers share the
 * machine). close() also drops open connections, so a keep-alive or a request the server never
 * answers cannot hold the test run open.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoopbackServer {
  server: Server;
  port: number;
  /** http://127.0.0.1:<port>, no trailing slash */
  url: string;
  close(): Promise<void>;
}

export async function listenLoopback(handler?: RequestListener | Server): Promise<LoopbackServer> {
  const server = handler && "listen" in handler ? handler : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
