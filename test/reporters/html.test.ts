import { beforeAll, describe, expect, it } from "vitest";
import { htmlEscape, renderHtml } from "../../src/reporters/html.js";
import type { ScanResult } from "../../src/scan.js";
import { sampleScan } from "./fixtures.js";

describe("HTML reporter", () => {
  let result: ScanResult;
  let html: string;
  beforeAll(async () => {
    result = await sampleScan();
    html = renderHtml(result);
  });

  it("is self-contained: no scripts, no external URLs in src/href, a CSP that forbids network", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it("escapes every resource-controlled string", () => {
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("legacy &lt;b&gt;app&lt;/b&gt;");
    expect(html).not.toContain("<b>app</b>");
    expect(htmlEscape(`<a href="x">'&`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
  });

  it("has an executive summary, charts, a control matrix per framework, manual controls, failures, errors, waivers, scope", () => {
    for (const id of ["summary", "charts", "frameworks", "manual", "failures", "errors", "waivers", "scope"])
      expect(html).toContain(`<section id="${id}">`);
    for (const chart of ["by-category", "by-severity", "by-scope"])
      expect(html).toContain(`data-chart="${chart}"`);
    for (const fw of result.frameworks) expect(html).toContain(`data-framework="${fw.id}"`);
    const rows = html.match(/<tr data-control="[^"]*" data-status="/g) ?? [];
    expect(rows).toHaveLength(result.controls.length);
    expect(html).toContain("No automated evidence");
    expect(html).toContain("@media print");
  });

  it("lists every failing finding with details, evidence references and remediation", () => {
    for (const f of result.findings.filter((x) => x.status === "fail"))
      expect(html).toContain(`data-finding="${f.id}" data-status="fail"`);
    expect(html).toContain("rds:DescribeDBInstances");
    expect(html).toContain("Remediation:");
    const error = result.findings.find((f) => f.status === "error")!;
    expect(html).toContain(`data-finding="${error.id}" data-status="error"`);
    expect(html).toContain("AccessDenied on rds:DescribeDBParameters");
  });

  it("shows waivers with owner, ticket, expiry and the expired state", () => {
    expect(html).toContain('data-waiver-state="expired"');
    expect(html).toContain('data-waiver-state="active"');
    for (const s of ["SEC-101", "SEC-7", "sec@medledger.example", "2027-01-31", "2026-01-31"])
      expect(html).toContain(s);
  });

  it("states scope: accounts, regions, policy ids with versions, and times", () => {
    for (const a of result.accounts) expect(html).toContain(a);
    for (const r of result.regions) expect(html).toContain(r);
    for (const p of result.policies) expect(html).toContain(`<code>${p.id}</code>`);
    expect(html).toContain(result.startedAt);
    expect(html).toContain(result.scanId);
  });
});
