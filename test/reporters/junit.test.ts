import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { renderJunit, xmlEscape } from "../../src/reporters/junit.js";
import type { ScanResult } from "../../src/scan.js";
import { NASTY_NAME, sampleScan } from "./fixtures.js";

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe("JUnit reporter", () => {
  let result: ScanResult;
  let xml: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON/XML of known shape
  let suites: any[];
  beforeAll(async () => {
    result = await sampleScan();
    xml = renderJunit(result);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    suites = asArray(doc.testsuites.testsuite);
  });

  it("is well-formed XML", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(XMLValidator.validate(`${xml}<oops>`)).not.toBe(true);
  });

  it("has a testsuite per category with a testcase per finding", () => {
    const cats = suites.filter((s) => s.name.startsWith("category "));
    expect(cats.map((s) => s.name).sort()).toEqual([
      "category at-rest",
      "category in-transit",
      "category key-management",
    ]);
    const cases = cats.flatMap((s) => asArray(s.testcase));
    expect(cases).toHaveLength(result.findings.length);
  });

  it("maps fail → failure, error → error, waived and not applicable → skipped, with matching counts", () => {
    const cases = suites.filter((s) => s.name.startsWith("category ")).flatMap((s) => asArray(s.testcase));
    const count = (k: string) => cases.filter((c) => c[k] !== undefined).length;
    const s = result.summary.byStatus;
    expect(count("failure")).toBe(s.fail);
    expect(count("error")).toBe(s.error);
    expect(count("skipped")).toBe(s.waived + s.not_applicable);
    for (const suite of suites) {
      const cs = asArray(suite.testcase);
      expect(Number(suite.tests)).toBe(cs.length);
      expect(Number(suite.failures)).toBe(cs.filter((c) => c.failure !== undefined).length);
      expect(Number(suite.errors)).toBe(cs.filter((c) => c.error !== undefined).length);
      expect(Number(suite.skipped)).toBe(cs.filter((c) => c.skipped !== undefined).length);
    }
  });

  it("has a testsuite per framework with a testcase per control; no automated evidence is skipped, never passed", () => {
    for (const fw of result.frameworks) {
      const suite = suites.find((s) => s.name.startsWith(`framework ${fw.title}`));
      expect(suite, fw.id).toBeDefined();
      const cases = asArray(suite.testcase);
      const controls = result.controls.filter((c) => c.framework === fw.id);
      expect(cases).toHaveLength(controls.length);
      for (const c of controls) {
        const tc = cases.find((x) => x.name.startsWith(`${c.control.id} `));
        if (c.status === "fail") expect(tc.failure).toBeDefined();
        if (c.status === "error") expect(tc.error).toBeDefined();
        if (c.status === "no_automated_evidence") expect(tc.skipped).toBeDefined();
      }
    }
  });

  it("escapes names and strips characters XML cannot carry", () => {
    expect(xml).not.toContain("<script>");
    expect(xml).not.toContain("\u0001");
    const cases = suites.flatMap((s) => asArray(s.testcase));
    expect(cases.some((c) => String(c.name).includes("<script>alert(1)</script>"))).toBe(true);
    expect(xmlEscape("a<b>&\"'")).toBe("a&lt;b&gt;&amp;&quot;&apos;");
    expect(NASTY_NAME).toContain("\u0001");
  });
});
