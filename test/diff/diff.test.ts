import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffFindings, gateAgainstBaseline } from "../../src/core/diff.js";
import type { Finding } from "../../src/core/types.js";
import { makeSeries, type Series } from "../period/series.js";
import { ROOT, runCliInProcess, tempDir } from "../support/cli.js";

const cli = runCliInProcess;

const f = (id: string, status: Finding["status"], severity: Finding["severity"] = "high"): Finding => ({
  id,
  policyId: `p-${id}`,
  resourceId: `r-${id}`,
  resourceType: "aws.s3.bucket",
  status,
  severity,
  category: "at-rest",
  title: "t",
  message: `m ${id}`,
  details: [],
  controls: {},
  resource: { name: `n-${id}`, source: "fixture" },
  evaluatedAt: "2026-01-01T00:00:00.000Z",
});

describe("diffFindings / gateAgainstBaseline (pure)", () => {
  it("puts every id in exactly one group", () => {
    const d = diffFindings(
      [f("a", "pass"), f("b", "fail"), f("c", "fail"), f("d", "pass"), f("e", "fail"), f("g", "error")],
      [
        f("a", "fail"),
        f("b", "pass"),
        f("c", "fail"),
        f("d", "error"),
        f("e", "error"),
        f("h", "pass"),
        f("g", "fail"),
      ],
    );
    const ids = (k: keyof typeof d) => (d[k] as Array<{ id: string }>).map((e) => e.id).sort();
    expect(ids("new")).toEqual(["a", "g"]);
    expect(ids("resolved")).toEqual(["b"]);
    expect(ids("unchanged")).toEqual(["c"]);
    expect(ids("changed")).toEqual(["d", "e", "h"]);
    expect(d.counts).toEqual({ new: 2, resolved: 1, changed: 3, unchanged: 1 });
    expect(d.changed.find((e) => e.id === "h")).toMatchObject({ after: "pass" });
    expect(d.changed.find((e) => e.id === "h")!.before).toBeUndefined();
    // A failing finding that disappears is resolved.
    expect(diffFindings([f("x", "fail")], []).resolved.map((e) => e.id)).toEqual(["x"]);
  });

  it("a baseline excuses only violations it already had", () => {
    const now = [f("a", "fail"), f("b", "fail"), f("c", "error"), f("d", "error"), f("e", "fail", "low")];
    const base = [f("a", "fail"), f("b", "pass"), f("c", "fail"), f("d", "pass")];
    const g = gateAgainstBaseline(now, base, "medium", false);
    expect(g.newViolations.map((x) => x.id)).toEqual(["b", "d"]);
    expect(g.knownViolations.map((x) => x.id)).toEqual(["a", "c"]);
    expect(g.exitCode).toBe(1);
    expect(
      gateAgainstBaseline(now, [...base, f("b", "fail"), f("d", "error")], "medium", false).exitCode,
    ).toBe(0);
    // No baseline: the plain rule.
    expect(gateAgainstBaseline(now, undefined, "medium", false).newViolations).toHaveLength(4);
    expect(gateAgainstBaseline(now, undefined, "critical", true).exitCode).toBe(0);
  });
});

describe("cipherproof diff over the fixture series", () => {
  let series: Series;
  beforeAll(async () => {
    series = await makeSeries();
  });

  it("scan 2 → scan 3: the patients DB is a new failure (exit 1); the snapshot going fail → error is a change", async () => {
    const r = await cli(["diff", series.bundles[1], series.bundles[2], "--json"], series.root);
    expect(r.code, r.stderr).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d.before.verified).toBe(true);
    expect(
      d.new.map((e: { policyId: string; resourceName: string }) => `${e.policyId}/${e.resourceName}`),
    ).toEqual(["rds-instance-storage-encrypted/medledger-patients-db"]);
    expect(d.resolved).toEqual([]);
    expect(d.changed).toContainEqual(
      expect.objectContaining({ policyId: "rds-snapshot-encrypted", before: "fail", after: "error" }),
    );
    expect(d.newViolations).toBe(1);
  });

  it("scan 3 → scan 4: fixes and a deleted volume are resolved; no new failures (exit 0); text output", async () => {
    const r = await cli(["diff", series.bundles[2], series.bundles[3]], series.root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 new, 2 resolved, \d+ changed, \d+ unchanged/);
    expect(r.stdout).toContain("rds-instance-storage-encrypted  medledger-patients-db  [fail → pass]");
    expect(r.stdout).toContain("ec2-volume-encrypted  vol-0c3d4e5f607182930  [fail → absent]");
    expect(r.stdout).toContain("OK: no new failures at or above info");
  });

  it("findings.json files work as well as bundle folders; --fail-on filters what counts", async () => {
    const a = join(series.bundles[1], "findings.json");
    const b = join(series.bundles[2], "findings.json");
    expect((await cli(["diff", a, b], series.root)).code).toBe(1);
    expect((await cli(["diff", a, b, "--fail-on", "critical"], series.root)).code).toBe(0);
  });

  it("a bundle that does not verify is refused (exit 2, naming it); usage errors exit 2", async () => {
    const copy = join(tempDir(), "tampered");
    cpSync(series.bundles[0], copy, { recursive: true });
    writeFileSync(join(copy, "report.md"), `${readFileSync(join(copy, "report.md"), "utf8")}x`);
    const r = await cli(["diff", copy, series.bundles[1]], series.root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(copy);
    expect(r.stderr).toContain("bundle does not verify");
    expect((await cli(["diff", series.bundles[0]], series.root)).code).toBe(2);
  });

  it("scan --baseline: known violations are reported but only new ones fail", async () => {
    const example = join(ROOT, "examples", "healthcare-saas");
    const out1 = join(tempDir(), "r1");
    const first = await cli(
      ["scan", "--snapshot", example, "--as-of", "2026-11-22", "--format", "json", "--out", out1],
      ROOT,
    );
    expect(first.code).toBe(1);
    // Against itself: every violation is already in the baseline.
    const out2 = join(tempDir(), "r2");
    const again = await cli(
      [
        "scan",
        "--snapshot",
        example,
        "--as-of",
        "2026-11-22",
        "--format",
        "json",
        "--out",
        out2,
        "--baseline",
        out1,
      ],
      ROOT,
    );
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/baseline .*: 0 new violations, 57 already in the baseline/);
    // A baseline in which one failure had passed: that failure is new again.
    const doc = JSON.parse(readFileSync(join(out1, "findings.json"), "utf8"));
    const victim = doc.findings.find((x: Finding) => x.status === "fail");
    victim.status = "pass";
    const edited = join(tempDir(), "baseline.json");
    writeFileSync(edited, JSON.stringify(doc));
    const out3 = join(tempDir(), "r3");
    const third = await cli(
      [
        "scan",
        "--snapshot",
        example,
        "--as-of",
        "2026-11-22",
        "--format",
        "json",
        "--out",
        out3,
        "--baseline",
        edited,
      ],
      ROOT,
    );
    expect(third.code).toBe(1);
    expect(third.stdout).toMatch(/1 new violation, 56 already in the baseline/);
  });
});
