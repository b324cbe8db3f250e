/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { uploadSpec } from "./gateway-helpers";

// The public OpenAPI examples of the corpus ("@corpus": see vitest.projects.ts), bundled as text
// at build time: workerd has no file system.
const EXAMPLES = import.meta.glob("@corpus/oai-examples/*", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const STRIPE = import.meta.glob("@corpus/real/stripe-2023-05-24.yaml", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

describe("spec upload of the corpus", () => {
  it("uploads every public OpenAPI example", async () => {
    const names = Object.keys(EXAMPLES);
    expect(names.length, "the corpus (shared/specs beside the clone) is missing").toBeGreaterThanOrEqual(10);
    for (const [path, text] of Object.entries(EXAMPLES)) {
      const type = path.endsWith(".json") ? "application/json" : "application/yaml";
      const res = await uploadSpec(path.split("/").pop() as string, text, type);
      expect(res.status, `${path}: ${res.status === 201 ? "" : await res.clone().text()}`).toBe(201);
      const spec = (await res.json()) as { title: string };
      expect(spec.title.length, path).toBeGreaterThan(0);
    }
  });

  it("uploads Stripe's 4 MB YAML spec (201)", async () => {
    const [text] = Object.values(STRIPE);
    expect(text, "the corpus (shared/specs beside the clone) is missing").toBeDefined();
    expect(text.length).toBeGreaterThan(3.5 * 1024 * 1024);
    const res = await uploadSpec("stripe", text, "application/yaml");
    expect(res.status, res.status === 201 ? "" : await res.clone().text()).toBe(201);
    expect(((await res.json()) as { operations: number }).operations).toBe(452);
  });
});
