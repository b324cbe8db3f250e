import { describe, expect, it } from "vitest";
import type { Extraction } from "../model";
import { extractValue } from "./run-case";

const response = (body: unknown) => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body), bodySize: 0, durationMs: 1 });
const foreign: Extraction = { from: "foreign", array: "/items", value: "/key", owner: "/ownerId", notOwners: ["own_0", "own_1"] };
const listing = response({ items: [{ key: "MINE", ownerId: 1 }, { key: "BOBS", ownerId: 2 }, { key: "NOBODY" }, { key: "OPS", ownerId: 3 }] });

describe("the foreign extraction: what another user owns in a listing", () => {
  it("takes the first item whose owner is set and is none of the run's identities", () => {
    expect(extractValue(foreign, { url: "http://x/projects" }, listing, { own_0: 1, own_1: "2" })).toBe("OPS");
  });
  it("finds nothing when ownership cannot be told or every item is the run's own", () => {
    expect(extractValue(foreign, { url: "http://x/projects" }, listing, {})).toBeUndefined();
    expect(extractValue(foreign, { url: "http://x/projects" }, response({ items: [{ key: "MINE", ownerId: 1 }] }), { own_0: 1 })).toBeUndefined();
    expect(extractValue({ ...foreign, array: "" }, { url: "http://x/projects" }, response([{ key: "A", ownerId: 9 }]), { own_0: 1 })).toBe("A");
  });
});

describe("the body extraction with pick: a representation to send back", () => {
  const doc = response({ data: { id: "7", type: "events", attributes: { title: "T", featured: true, tiers: [{ name: "a", sold: 3 }], note: null }, links: { self: "/events/7" } } });
  it("keeps only the members named, at every depth and in each object of an array", () => {
    const pick: Extraction = { from: "body", pointer: "", pick: [["data", ["type", ["attributes", ["title", "note", ["tiers", ["name"]]]]]]] };
    expect(extractValue(pick, { url: "http://x/events/7" }, doc)).toEqual({ data: { type: "events", attributes: { title: "T", tiers: [{ name: "a" }] } } });
    expect(extractValue({ from: "body", pointer: "", pick: ["data"] }, { url: "http://x/events/7" }, doc)).toEqual({ data: { id: "7", type: "events", attributes: { title: "T", featured: true, tiers: [{ name: "a", sold: 3 }], note: null }, links: { self: "/events/7" } } });
    expect(extractValue({ from: "body", pointer: "/data/id", pick: ["x"] }, { url: "http://x/events/7" }, doc)).toBeUndefined();
  });
});

describe("the cookie extraction: a session cookie the answer sets", () => {
  const setting = (setCookie: string) => ({ ...response({}), headers: { "set-cookie": setCookie } });
  it("takes the named cookie's value among several Set-Cookie headers (joined by commas), attributes and dates left out", () => {
    const headers = setting("theme=dark; Path=/, sid=abc123; HttpOnly; SameSite=Strict; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/, other=1");
    expect(extractValue({ from: "cookie", name: "sid" }, { url: "http://x/session" }, headers)).toBe("abc123");
    expect(extractValue({ from: "cookie", name: "other" }, { url: "http://x/session" }, headers)).toBe("1");
    expect(extractValue({ from: "cookie", name: "id" }, { url: "http://x/session" }, headers)).toBeUndefined();
    expect(extractValue({ from: "cookie", name: "sid" }, { url: "http://x/session" }, response({}))).toBeUndefined();
  });
});
