import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basePathMismatch, targetWithSpecBasePath } from "./base-path";

describe("the spec's base path", () => {
  it("is appended to a bare origin", () => {
    expect(targetWithSpecBasePath("http://localhost:8080", ["/api/v3"])).toEqual({ url: "http://localhost:8080/api/v3", basePath: "/api/v3" });
    expect(targetWithSpecBasePath("http://localhost:8080/", ["https://api.example.com/v1/"])).toEqual({ url: "http://localhost:8080/v1", basePath: "/v1" });
  });
  it("leaves a target with a path, a root server or no server alone", () => {
    expect(targetWithSpecBasePath("http://localhost:8080/v2", ["/api/v3"])).toEqual({ url: "http://localhost:8080/v2" });
    expect(targetWithSpecBasePath("http://localhost:8080", ["https://api.example.com"])).toEqual({ url: "http://localhost:8080" });
    expect(targetWithSpecBasePath("http://localhost:8080", [])).toEqual({ url: "http://localhost:8080" });
    expect(targetWithSpecBasePath("http://localhost:8080", ["/{basePath}"])).toEqual({ url: "http://localhost:8080" });
  });
});

describe("a wrong base path", () => {
  const model = {
    servers: ["https://api.example.com/api"],
    operations: [
      { method: "get", path: "/articles", responses: [{ status: "200" }] },
      { method: "get", path: "/tags", responses: [{ status: "200" }] },
      { method: "get", path: "/articles/{slug}", responses: [{ status: "200" }, { status: "404" }] },
    ],
  } as unknown as Parameters<typeof basePathMismatch>[0];
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    // serves the spec's paths under /api only, as the spec's server URL says
    server = createServer((req, res) => {
      const served = req.url === "/api/articles" || req.url === "/api/tags";
      res.writeHead(served ? 200 : 404, { "content-type": "application/json" });
      res.end(served ? "[]" : '{"message":"not found"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("is named when every collection GET answers 404, with the spec's server path", async () => {
    const message = await basePathMismatch(model, `${origin}/v2`, fetch, 2000);
    expect(message).toBe(`every operation answered 404 at ${origin}/v2 (GET /articles, /tags) — is the base path right? the spec's server path is /api; pass it in --target`);
  });
  it("says nothing at the right base path, with one collection only, or when the target does not answer", async () => {
    expect(await basePathMismatch(model, `${origin}/api`, fetch, 2000)).toBeUndefined();
    expect(await basePathMismatch({ ...model, operations: model.operations.slice(0, 1) }, `${origin}/v2`, fetch, 2000)).toBeUndefined();
    expect(await basePathMismatch(model, "http://127.0.0.1:1", fetch, 2000)).toBeUndefined();
  });
});
