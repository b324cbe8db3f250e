import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { curlCommand, shellQuote } from "./curl";

/** What a POSIX shell makes of a quoted word: the ground truth for shellQuote. */
function shellEcho(word: string): string {
  return execFileSync("bash", ["-c", `printf %s ${word}`], { encoding: "utf8" });
}

describe("shellQuote", () => {
  it.each(["plain", "", "it's", "a b", "$HOME", "`id`", "line1\nline2", "tab\there", "\u0001ctrl", '"dq"\\'])("round-trips %j through bash", (value) => {
    expect(shellEcho(shellQuote(value))).toBe(value);
  });

  it("keeps the command on one line", () => {
    expect(curlCommand({ method: "post", url: "http://x/a?b=1", headers: { "Content-Type": "text/plain", "Content-Length": "3" }, body: "a\nb" })).toBe(
      "curl -sS -X POST 'http://x/a?b=1' -H 'Content-Type: text/plain' --data-raw $'a\\nb'",
    );
  });
});
