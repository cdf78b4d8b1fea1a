import { describe, expect, it } from "vitest";
import { isRealDate, parseConfig } from "../../src/core/config/parse.js";
import { CipherproofError, CipherproofErrors } from "../../src/core/errors.js";

function codes(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof CipherproofErrors) return err.errors.map((e) => `${e.code} ${e.location.pointer}`);
    if (err instanceof CipherproofError) return [`${err.code} ${err.location.pointer}`];
    throw err;
  }
  return [];
}

describe("config", () => {
  const waiver = {
    policy: "p",
    resource: "*",
    reason: "r",
    owner: "o",
    ticket: "T-1",
    expires: "2027-01-31",
  };

  it("accepts a full config", () => {
    const c = parseConfig(
      {
        policies: {
          paths: ["./more"],
          builtin: true,
          disable: ["s3-*"],
          severity: { "kms-key-rotation-enabled": "critical" },
          parameters: { x: { y: 1 } },
        },
        frameworks: ["hipaa"],
        waivers: [waiver],
        failOn: "high",
        allowErrors: false,
        output: { dir: "reports", formats: ["console", "json"] },
      },
      "c.json",
    );
    expect(c.failOn).toBe("high");
  });

  it("treats an empty document as an empty config", () => {
    expect(parseConfig(null, "c.yaml")).toEqual({});
  });

  it("requires an expiry on every waiver", () => {
    const { expires: _e, ...noExpiry } = waiver;
    expect(codes(() => parseConfig({ waivers: [noExpiry] }, "c.json"))).toEqual([
      "WAIVER_INVALID /waivers/0",
    ]);
  });

  it("rejects dates that do not exist", () => {
    expect(isRealDate("2027-02-30")).toBe(false);
    expect(isRealDate("2028-02-29")).toBe(true);
    expect(codes(() => parseConfig({ waivers: [{ ...waiver, expires: "2027-13-01" }] }, "c.json"))).toEqual([
      "WAIVER_INVALID /waivers/0/expires",
    ]);
  });

  it("reports every problem at once", () => {
    expect(codes(() => parseConfig({ failOn: "severe", extra: 1 }, "c.json")).sort()).toEqual([
      "CONFIG_INVALID /extra",
      "CONFIG_INVALID /failOn",
    ]);
  });
});
