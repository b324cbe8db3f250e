import { describe, expect, it } from "vitest";
import { chosenSecrets, redactText } from "./redact";

describe("chosenSecrets", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ2In0.c2lnbmF0dXJlLW9mLXRoZS12aWN0aW0";
  const record = (secrets: string[] | undefined, body: unknown, response: unknown) => ({
    step: { request: { method: "post", path: "/login", pathParams: {}, query: {}, headers: {}, ...(secrets ? { secrets } : {}) } },
    request: { resolved: { body: { value: body } } },
    exchange: { response: { body: JSON.stringify(response) } },
  });

  it("redacts the passwords a step marks and the token its answer hands out (and that token's signature alone)", () => {
    const found = chosenSecrets([record(["/user/password"], { user: { name: "v", password: "Sn-chosen-pass-7!" } }, { data: { accessToken: jwt } })]);
    const text = redactText(`sent Sn-chosen-pass-7! got ${jwt} sig ${jwt.split(".")[2]}`, found);
    expect(text).toBe("sent [redacted] got [redacted] sig [redacted]");
  });

  it("leaves steps that mark nothing alone: a probe's values stay visible", () => {
    expect(chosenSecrets([record(undefined, { password: "probe-value" }, { token: "abcdefghijkl" })])).toEqual([]);
  });
});

describe("passwords Sentinel chose, in another case's answer", () => {
  it("are redacted by their shape wherever they show; other text stays", () => {
    const listing = JSON.stringify({ users: [{ username: "sentinel_ab12", password: "SnHMmCMKKVGUtyKP7!" }, { username: "u9", password: "SnZheghAHaw4pLCN7!Qx" }, { username: "name1", password: "pass1" }] });
    const text = redactText(listing, []);
    expect(text).not.toMatch(/SnHMm|SnZheg/);
    expect(text).toContain('"password":"pass1"');
    expect(text.match(/\[redacted\]/g)).toHaveLength(2);
    expect(redactText("Snapshot taken at 17!", [])).toBe("Snapshot taken at 17!");
  });
});
