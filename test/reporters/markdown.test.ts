import { beforeAll, describe, expect, it } from "vitest";
import { JOB_SUMMARY_LIMIT, mdEscape, renderMarkdown } from "../../src/reporters/markdown.js";
import type { ScanResult } from "../../src/scan.js";
import { sampleScan, scaled } from "./fixtures.js";

describe("Markdown reporter (GitHub job summary)", () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await sampleScan();
  });

  it("summarises counts, framework controls, failures, errors, waivers and scope", () => {
    const md = renderMarkdown(result);
    const s = result.summary.byStatus;
    expect(md).toContain(`**${s.fail} failed**`);
    for (const fw of result.frameworks) expect(md).toContain(`### ${mdEscape(fw.title)}`);
    expect(md).toContain("No automated evidence");
    expect(md).toContain(`### Failures (${s.fail})`);
    expect(md).toContain(`(${s.error})`);
    expect(md).toContain("SEC-7");
    expect(md).toContain("**expired**");
    expect(md).not.toContain("Truncated");
  });

  it("escapes HTML and table syntax in resource names", () => {
    const md = renderMarkdown(result);
    expect(md).not.toContain("<script>");
    expect(md).toContain("&lt;script&gt;");
    // every table row keeps its column count: escaped pipes do not split cells
    for (const line of md
      .split("\n")
      .filter((l) => l.startsWith("| ") && l.includes("rds-instance-storage-encrypted"))) {
      expect(line.replace(/\\\|/g, "").split("|").length).toBe(9);
    }
  });

  it("stays under the 1 MiB job-summary limit for 50,000 findings and says what it left out", () => {
    const big = scaled(result, 50_000);
    const md = renderMarkdown(big);
    expect(Buffer.byteLength(md)).toBeLessThan(JOB_SUMMARY_LIMIT);
    const shown = md.split("\n").filter((l) => /^\| (critical|high|medium|low|info) \| [a-z]/.test(l)).length;
    const omitted = Number(/\*\*Truncated:\*\* (\d+) more finding/.exec(md)?.[1]);
    expect(omitted).toBeGreaterThan(0);
    expect(shown + omitted).toBe(big.summary.byStatus.fail + big.summary.byStatus.error);
  });

  it("honours a smaller budget", () => {
    const md = renderMarkdown(scaled(result, 2_000), { maxBytes: 20_000, bundlePath: "reports" });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/Truncated.*in reports/);
  });
});
