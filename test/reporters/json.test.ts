import { beforeAll, describe, expect, it } from "vitest";
import { findingsDocument, renderJson, renderJsonChunks } from "../../src/reporters/json.js";
import type { ScanResult } from "../../src/scan.js";
import { NASTY_NAME, sampleScan, scaled } from "./fixtures.js";

describe("json reporter", () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await sampleScan();
  });

  const whole = (r: ScanResult) => `${JSON.stringify(findingsDocument(r), null, 2)}\n`;

  it("writes in pieces exactly the text JSON.stringify writes at once", () => {
    expect(result.findings.some((f) => f.resource.name === NASTY_NAME)).toBe(true);
    expect(result.findings.some((f) => f.details.length > 0)).toBe(true);
    expect(renderJsonChunks(result).join("")).toBe(whole(result));
    expect(renderJson(result)).toBe(whole(result));
  });

  it("keeps each piece near a megabyte, so no single string approaches V8's limit", () => {
    const big = scaled(result, 5000);
    const pieces = renderJsonChunks(big);
    expect(pieces.join("")).toBe(whole(big));
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) expect(piece.length).toBeLessThan(2 * 1024 * 1024);
  });

  it("writes empty lists as JSON.stringify does", () => {
    const empty = { ...result, findings: [], resources: [] };
    expect(renderJsonChunks(empty).join("")).toBe(whole(empty));
  });

  it("is not misled by a top-level key's text inside a value", () => {
    const tricky = scaled(result, 3);
    tricky.findings[0] = { ...tricky.findings[0], message: '\n  "findings": []\n  "resources": []' };
    tricky.waivers = [
      {
        policy: "x",
        resource: '\n  "findings": []',
        reason: '"resources": []',
        owner: "o",
        ticket: "T-1",
        expires: "2027-01-01",
      },
    ] as unknown as ScanResult["waivers"];
    expect(renderJsonChunks(tricky).join("")).toBe(whole(tricky));
  });
});
