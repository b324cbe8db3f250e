import { describe, expect, it } from "vitest";
import { reproductionScript, scriptVariable } from "./script";
import type { ReportStep } from "./types";

const res = (status: number, body = "", headers: Record<string, string> = {}) => ({ status, headers, body, durationMs: 1 });

describe("reproductionScript", () => {
  it("puts a variable only in the path segment the template gave it, and stops at the finding's step", () => {
    const steps: ReportStep[] = [
      { id: "create", request: { method: "POST", url: "http://h/users/1/orders", headers: {} }, response: res(201, '{"data":[{"id":1}]}'), extract: { orderId: { from: "body", pointer: "/data/0/id" } } },
      { id: "read", request: { method: "GET", url: "http://h/users/1/orders/1?expand=1", headers: {} }, response: res(200), uses: { orderId: "1" }, pathSegments: { orderId: 1 }, finding: true },
      { id: "verify", request: { method: "GET", url: "http://h/users/1/orders/1", headers: {} }, response: res(200), uses: { orderId: "1" } },
    ];
    const script = reproductionScript(steps);
    expect(script).toContain(`${scriptVariable("orderId")}=$(jq -r 'getpath(["data",0,"id"])' "$SENTINEL_DIR/1.body")`);
    expect(script).toContain(`'http://h/users/1/orders/'"$SENTINEL_VAR_ORDERID"'?expand=1'`);
    expect(script).not.toContain("step verify");
  });

  it("follows a relative Location, checks exported credentials, carries ids in JSON bodies", () => {
    const steps: ReportStep[] = [
      {
        id: "create",
        request: { method: "POST", url: "http://h:8/api/orders", headers: { Authorization: "Bearer $SENTINEL_ALICE_AUTHORIZATION" } },
        response: res(201, "{}", { location: "/api/orders/7" }),
        extract: { location: { from: "header", name: "location" }, id: { from: "location-id" } },
      },
      { id: "follow", request: { method: "GET", url: "http://h:8/api/orders/7", headers: {} }, response: res(200), uses: { location: "http://h:8/api/orders/7" } },
      { id: "link", request: { method: "POST", url: "http://h:8/api/links", headers: {}, body: '{"orderId":7,"ref":"7"}' }, response: res(200), uses: { id: "7" }, finding: true },
    ];
    const script = reproductionScript(steps);
    expect(script).toContain(': "${SENTINEL_ALICE_AUTHORIZATION:?export SENTINEL_ALICE_AUTHORIZATION=');
    expect(script).toContain(`case "$SENTINEL_VAR_LOCATION" in /*) SENTINEL_VAR_LOCATION='http://h:8'"$SENTINEL_VAR_LOCATION" ;; esac`);
    expect(script).toContain(`-X 'GET' "$SENTINEL_VAR_LOCATION"`);
    expect(script).toContain(`--data-raw '{"orderId":'"$SENTINEL_VAR_ID"',"ref":"'"$SENTINEL_VAR_ID"'"}'`);
  });
});
