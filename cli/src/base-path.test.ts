import { describe, expect, it } from "vitest";
import { targetWithSpecBasePath } from "./base-path";

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
