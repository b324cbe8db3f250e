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
