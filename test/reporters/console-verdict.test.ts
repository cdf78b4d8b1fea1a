// The console verdict uses the exit code's rule (isViolation) and count, and with a baseline, the baseline gate.
import { describe, expect, it } from "vitest";
import { exitCodeFor } from "../../src/core/summary.js";
import type { Severity, Status } from "../../src/core/types.js";
import { renderConsole } from "../../src/reporters/console.js";
import { finding, scanResultOf } from "../siem/support/fixtures.js";

const f = (n: number, status: Status, severity: Severity) =>
  status === "fail" ? finding({ n, status, severity }) : finding({ n, status, severity, details: [] });
const verdict = (text: string) => text.trimEnd().split("\n").at(-1);

describe("console verdict", () => {
  const findings = [
    f(0, "fail", "high"),
    f(1, "fail", "low"),
    f(2, "error", "high"),
    f(3, "error", "critical"),
    f(4, "error", "low"),
    f(5, "pass", "high"),
  ];
  const result = scanResultOf(findings);

  it.each([
    ["info", false, "FAIL: 2 failures and 3 findings that could not be evaluated at or above info"],
    ["medium", false, "FAIL: 1 failure and 2 findings that could not be evaluated at or above medium"],
    ["critical", false, "FAIL: 1 finding that could not be evaluated at or above critical"],
    ["medium", true, "FAIL: 1 failure at or above medium"],
    ["critical", true, "PASS: no violations at or above critical (1 error allowed)"],
  ] as const)("fail-on %s, allow-errors %s: %s", (failOn, allowErrors, expected) => {
    const text = renderConsole(result, { color: false, failOn, allowErrors });
    expect(verdict(text)).toContain(expected);
    // FAIL exactly when the exit code is 1.
    expect(verdict(text)?.startsWith("FAIL")).toBe(exitCodeFor(findings, failOn, allowErrors) === 1);
  });

  it("with a baseline, known violations are reported but do not make the verdict FAIL", () => {
    const all = new Set(findings.map((x) => x.id));
    const known = renderConsole(result, {
      color: false,
      failOn: "info",
      allowErrors: false,
      knownViolations: all,
    });
    expect(verdict(known)).toBe(
      "PASS: no new violations at or above info; 5 already in the baseline (reported, not counted)",
    );
    const one = renderConsole(result, {
      color: false,
      failOn: "info",
      allowErrors: false,
      knownViolations: new Set(findings.filter((x) => x.status === "error").map((x) => x.id)),
    });
    expect(verdict(one)).toBe(
      "FAIL: 2 new failures at or above info; 3 already in the baseline (reported, not counted)",
    );
  });
});
