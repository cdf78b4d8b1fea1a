import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPeriod, type PeriodReport } from "../../src/core/period.js";
import { runCliInProcess, tempDir } from "../support/cli.js";
import { makeSeries, SCAN_TIMES, type Series } from "./series.js";

const [D1, D2, D3, D4, D5] = SCAN_TIMES;
const WEEK = 7 * 86_400_000;

/** Run the CLI in-process, capturing output. */
const cli = runCliInProcess;

describe("cipherproof period over five signed bundles", () => {
  let series: Series;
  let report: PeriodReport;
  let stderr: string;
  beforeAll(async () => {
    series = await makeSeries();
    const out = join(series.root, "period");
    const r = await cli(["period", ...series.bundles, "--out", out], series.root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/5 verified scans/);
    stderr = r.stderr;
    report = JSON.parse(readFileSync(join(out, "period.json"), "utf8"));
  });

  const control = (id: string) => report.controls.find((c) => c.framework === "series" && c.control === id)!;
  const finding = (policy: string, name: string) =>
    report.findings.find((f) => f.policyId === policy && f.resourceName === name)!;

  it("places the scans in time by their evaluation clock", () => {
    expect(report.scans.map((s) => s.at)).toEqual(SCAN_TIMES);
    expect(report.window).toEqual({ from: D1, to: D5 });
  });

  it("S-1 (RDS storage): held in 2 of 5 scans; not held D1→D2, D3→D4 and from D5 on (open)", () => {
    const c = control("S-1");
    expect(c.timeline).toEqual(["fail", "pass", "fail", "pass", "fail"]);
    expect([c.held, c.notHeld, c.noEvidence, c.heldShare]).toEqual([2, 3, 0, 0.4]);
    expect(c.intervals).toEqual([
      {
        firstSeen: D1,
        lastSeen: D1,
        lastHeldBefore: null,
        resolved: D2,
        resolvedBy: "held",
        remediationMs: WEEK,
        remediationDays: 7,
        scans: 1,
        statuses: { fail: 1 },
      },
      {
        firstSeen: D3,
        lastSeen: D3,
        lastHeldBefore: D2,
        resolved: D4,
        resolvedBy: "held",
        remediationMs: WEEK,
        remediationDays: 7,
        scans: 1,
        statuses: { fail: 1 },
      },
      {
        firstSeen: D5,
        lastSeen: D5,
        lastHeldBefore: D4,
        resolved: null,
        resolvedBy: null,
        remediationMs: null,
        remediationDays: null,
        scans: 1,
        statuses: { fail: 1 },
      },
    ]);
  });

  it("S-2 (RDS snapshots): failing, then evidence missing (error), then fixed — one interval D1→D4 of 21 days", () => {
    const c = control("S-2");
    expect(c.timeline).toEqual(["fail", "fail", "error", "pass", "pass"]);
    expect(c.heldShare).toBe(0.4);
    expect(c.intervals).toEqual([
      {
        firstSeen: D1,
        lastSeen: D3,
        lastHeldBefore: null,
        resolved: D4,
        resolvedBy: "held",
        remediationMs: 3 * WEEK,
        remediationDays: 21,
        scans: 3,
        statuses: { fail: 2, error: 1 },
      },
    ]);
  });

  it("S-3 (EBS volumes): held once the unencrypted volume was deleted", () => {
    const c = control("S-3");
    expect(c.timeline).toEqual(["fail", "fail", "fail", "pass", "pass"]);
    expect(c.intervals.map((i) => [i.firstSeen, i.lastSeen, i.resolved, i.remediationDays])).toEqual([
      [D1, D3, D4, 21],
    ]);
  });

  it("per finding: the exact intervals for each failing resource", () => {
    const legacy = finding("rds-instance-storage-encrypted", "medledger-legacy-reports");
    expect(legacy.timeline).toEqual(["fail", "pass", "pass", "pass", "fail"]);
    expect([legacy.present, legacy.held, legacy.heldShare]).toEqual([5, 3, 0.6]);
    expect(
      legacy.intervals.map((i) => [
        i.firstSeen,
        i.lastHeldBefore,
        i.resolved,
        i.resolvedBy,
        i.remediationDays,
      ]),
    ).toEqual([
      [D1, null, D2, "held", 7],
      [D5, D4, null, null, null],
    ]);
    const patients = finding("rds-instance-storage-encrypted", "medledger-patients-db");
    expect(patients.timeline).toEqual(["pass", "pass", "fail", "pass", "pass"]);
    expect(
      patients.intervals.map((i) => [i.firstSeen, i.lastHeldBefore, i.resolved, i.remediationDays]),
    ).toEqual([[D3, D2, D4, 7]]);
    const snap = finding("rds-snapshot-encrypted", "medledger-legacy-reports-pre-migration");
    expect(snap.timeline).toEqual(["fail", "fail", "error", "pass", "pass"]);
    expect(snap.intervals.map((i) => [i.firstSeen, i.lastSeen, i.resolved, i.statuses])).toEqual([
      [D1, D3, D4, { fail: 2, error: 1 }],
    ]);
    const vol = finding("ec2-volume-encrypted", "vol-0c3d4e5f607182930");
    expect(vol.timeline).toEqual(["fail", "fail", "fail", "absent", "absent"]);
    expect([vol.present, vol.heldShare]).toEqual([3, 0]);
    expect(vol.intervals.map((i) => [i.firstSeen, i.resolved, i.resolvedBy, i.remediationDays])).toEqual([
      [D1, D4, "gone", 21],
    ]);
  });

  it("every finding that failed in the window is listed, and none that never failed", () => {
    for (const f of report.findings)
      expect(f.timeline.some((s) => s === "fail" || s === "waived")).toBe(true);
    const patientsSnapshot = report.findings.filter(
      (f) => f.resourceName === "medledger-patients-db" && f.policyId === "rds-instance-storage-encrypted",
    );
    expect(patientsSnapshot).toHaveLength(1);
  });

  it("--from/--to keep only the scans inside the window (dates are whole days, UTC)", async () => {
    const out = join(tempDir(), "p");
    const r = await cli(
      ["period", ...series.bundles, "--from", "2026-01-12", "--to", "2026-01-26", "--out", out],
      series.root,
    );
    expect(r.code, r.stderr).toBe(0);
    const p: PeriodReport = JSON.parse(readFileSync(join(out, "period.json"), "utf8"));
    expect(p.scans.map((s) => s.at)).toEqual([D2, D3, D4]);
    expect(p.window).toEqual({ from: "2026-01-12T00:00:00.000Z", to: "2026-01-26T23:59:59.999Z" });
    const s1 = p.controls.find((c) => c.framework === "series" && c.control === "S-1")!;
    expect(s1.timeline).toEqual(["pass", "fail", "pass"]);
    expect(s1.intervals.map((i) => [i.firstSeen, i.lastHeldBefore, i.resolved])).toEqual([[D3, D2, D4]]);
    expect(s1.heldShare).toBeCloseTo(2 / 3);
  });

  it("writes HTML and Markdown naming the intervals, with everything escaped", () => {
    const out = join(series.root, "period");
    const md = readFileSync(join(out, "period.md"), "utf8");
    expect(md).toContain("| series | S-1 RDS storage encrypted | 2 | 3 | 0 | 40.0% |");
    expect(md).toContain(`${D5} → open`);
    const html = readFileSync(join(out, "period.html"), "utf8");
    expect(html).toContain("Content-Security-Policy");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("still open");
  });

  it("refuses a bundle whose files no longer verify (exit 2, naming the bundle) and writes nothing", async () => {
    const copy = join(tempDir(), "tampered");
    const { cpSync, existsSync } = await import("node:fs");
    cpSync(series.bundles[2], copy, { recursive: true });
    const f = join(copy, "findings.json");
    writeFileSync(f, readFileSync(f, "utf8").replace('"status": "fail"', '"status": "pass"'));
    const out = join(tempDir(), "never");
    const r = await cli(["period", series.bundles[0], copy, "--out", out], series.root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bundle does not verify");
    expect(r.stderr).toContain(copy);
    expect(existsSync(out)).toBe(false);
    // A bare findings file is not signed evidence either.
    const r2 = await cli(["period", join(series.bundles[0], "findings.json"), "--out", out], series.root);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("signed evidence bundle folder is required");
  });

  it("records per scan the bundle, scan id, signing key, how it was checked and that it was not rebuilt", () => {
    report.scans.forEach((s, i) => {
      const manifest = JSON.parse(readFileSync(join(series.bundles[i], "manifest.json"), "utf8"));
      expect(s).toEqual({
        source: series.bundles[i],
        scanId: manifest.scan.id,
        at: SCAN_TIMES[i],
        signingKeySha256: manifest.signature.key.publicKeySha256,
        checkedWith: "bundle-key",
        rebuilt: false,
      });
    });
    const md = readFileSync(join(series.root, "period", "period.md"), "utf8");
    expect(md).toContain("| Signing key | Checked with |");
    expect(md).toContain("the bundle's own key only");
  });

  it("without --public-key, warns once that each bundle was checked only with its own key", () => {
    expect(stderr.match(/warning: checked with the bundle's own manifest\.pub\.pem/g)?.length).toBe(1);
    expect(stderr).toContain("Pass --public-key with a copy stored elsewhere");
  });

  it("refuses two bundles with the same scan id (a copy), naming both (exit 2)", async () => {
    const { cpSync, existsSync } = await import("node:fs");
    const copy = join(tempDir(), "copy-of-bundle-2");
    cpSync(series.bundles[1], copy, { recursive: true });
    const out = join(tempDir(), "never");
    const r = await cli(["period", series.bundles[0], series.bundles[1], copy, "--out", out], series.root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`period: ${series.bundles[1]} and ${copy} are the same scan (scan id `);
    expect(existsSync(out)).toBe(false);
  });

  it("a bundle rebuilt by `report` is marked rebuilt; checked with --public-key there is no warning", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const dir = tempDir();
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    writeFileSync(join(dir, "sign.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(dir, "sign.pub"), publicKey.export({ type: "spki", format: "pem" }));
    const findings = join(series.bundles[1], "findings.json");
    const rb = await cli(["report", findings, "--out", "rebuilt", "--signing-key", "sign.pem"], dir);
    expect(rb.code, rb.stderr).toBe(0);
    // The rebuilt bundle is the same scan as bundle-2: both together count it twice.
    const both = await cli(["period", series.bundles[1], "rebuilt", "--out", "never"], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`${series.bundles[1]} and rebuilt are the same scan`);
    const r = await cli(["period", "rebuilt", "--public-key", "sign.pub", "--out", "p"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const p: PeriodReport = JSON.parse(readFileSync(join(dir, "p", "period.json"), "utf8"));
    const { createHash } = await import("node:crypto");
    expect(p.scans).toHaveLength(1);
    expect(p.scans[0]).toMatchObject({
      source: "rebuilt",
      checkedWith: "public-key",
      rebuilt: true,
      rebuiltFrom: {
        file: "findings.json",
        sha256: createHash("sha256").update(readFileSync(findings)).digest("hex"),
      },
    });
    expect(readFileSync(join(dir, "p", "period.md"), "utf8")).toContain(
      "| rebuilt (rebuilt from a findings file) |",
    );
  });

  it("buildPeriod is pure: scans out of order give the same report", () => {
    const scans = [3, 1, 4, 0, 2].map((i) => ({
      source: `b${i}`,
      scanId: `s${i}`,
      at: SCAN_TIMES[i],
      controls: [
        {
          framework: "f",
          id: "c",
          title: "C",
          status: (["fail", "pass", "fail", "pass", "fail"] as const)[i],
        },
      ],
      findings: [],
    }));
    const p = buildPeriod(scans);
    expect(p.controls[0].timeline).toEqual(["fail", "pass", "fail", "pass", "fail"]);
    expect(p.controls[0].intervals).toHaveLength(3);
  });
});
