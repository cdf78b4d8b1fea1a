import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mergeScans } from "../../src/cli/commands/merge.js";
import type { Finding } from "../../src/core/types.js";
import { loadScanRecord } from "../../src/evidence/load.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { loadFrameworks } from "../../src/loaders/frameworks.js";
import { inShard } from "../../src/scan.js";
import { ROOT, runCliInProcess, tempDir } from "../support/cli.js";

const cli = runCliInProcess;

const example = join(ROOT, "examples", "healthcare-saas");
const config = join(example, "cipherproof.config.yaml");
const scanArgs = [
  "scan",
  "--snapshot",
  example,
  "--config",
  config,
  "--as-of",
  "2026-11-22",
  "--format",
  "json,md,sarif,evidence",
];
const read = (dir: string) => JSON.parse(readFileSync(join(dir, "findings.json"), "utf8"));
// Everything about a finding except when it was evaluated.
const key = (f: Finding) => JSON.stringify({ ...f, evaluatedAt: undefined });

describe("scan --shard I/N + cipherproof merge", () => {
  const root = tempDir("cipherproof-shards-");
  const whole = join(root, "whole");
  const shards = [1, 2, 3].map((i) => join(root, `shard-${i}`));
  const merged = join(root, "merged");
  beforeAll(async () => {
    expect((await cli([...scanArgs, "--out", whole], root)).code).toBe(1);
    for (const [i, dir] of shards.entries())
      expect((await cli([...scanArgs, "--shard", `${i + 1}/3`, "--out", dir], root)).code).toBeLessThan(2);
  });

  it("shards partition the resources: each resource in exactly one shard, none empty", () => {
    const all = read(whole).findings as Finding[];
    const parts = shards.map((d) => read(d).findings as Finding[]);
    for (const p of parts) expect(p.length).toBeGreaterThan(0);
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(all.length);
    const owners = new Map<string, number>();
    parts.forEach((p, i) => {
      for (const f of p) {
        expect(inShard(f.resourceId, { index: i + 1, count: 3 })).toBe(true);
        const prior = owners.get(f.resourceId);
        expect(prior === undefined || prior === i).toBe(true);
        owners.set(f.resourceId, i);
      }
    });
  });

  it("merging the shards gives the same findings, controls and summary as one unsharded run, in a signed bundle", async () => {
    const r = await cli(["merge", ...shards, "--out", merged], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/merged 3 bundles/);
    const v = await verifyBundle(merged);
    expect(v.ok, JSON.stringify(v.problems)).toBe(true);
    const files = v.manifest!.files.map((f) => f.path);
    for (const f of [
      "report.html",
      "report.md",
      "findings.json",
      "findings.csv",
      "results.sarif",
      "junit.xml",
    ])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith("evidence/"))).toBe(true);
    expect(v.manifest!.notes?.[0]).toMatch(/merged by cipherproof merge from 3 bundles/);

    const a = read(whole);
    const b = read(merged);
    expect(b.findings.map(key).sort()).toEqual(a.findings.map(key).sort());
    expect(b.summary).toEqual(a.summary);
    expect(b.frameworks).toEqual(a.frameworks);
    expect(b.scan.resources).toBe(a.scan.resources);
    expect(b.waivers.map((w: { matched: number }) => w.matched)).toEqual(
      a.waivers.map((w: { matched: number }) => w.matched),
    );
    // The merged evidence/ holds the same resource documents as the unsharded bundle's.
    const ev = (dir: string) =>
      (v.manifest!.files.filter((f) => f.path.startsWith("evidence/")).map((f) => f.path) as string[])
        .flatMap((p) => JSON.parse(readFileSync(join(dir, p), "utf8")).resources)
        .map((d: { id: string; type: string }) => `${d.type} ${d.id}`)
        .sort();
    expect(ev(merged)).toEqual(ev(whole));
  });

  it("each shard records which shard it is (scan.shard); a whole scan and the merged bundle do not", () => {
    for (const [i, d] of shards.entries()) expect(read(d).scan.shard).toEqual({ index: i + 1, count: 3 });
    expect(read(whole).scan.shard).toBeUndefined();
    expect(read(merged).scan.shard).toBeUndefined();
    expect(read(merged).scan.partial).toBeUndefined();
  });

  it("without --public-key, warns once that each bundle was checked only with its own key", async () => {
    const r = await cli(["merge", ...shards, "--out", join(root, "warned"), "--format", "json"], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/checked with the bundle's own manifest\.pub\.pem/g)?.length).toBe(1);
    const manifest = JSON.parse(readFileSync(join(root, "warned", "manifest.json"), "utf8"));
    expect(manifest.notes[0]).toMatch(
      /shard 1\/3\) \(manifest signed by key sha256:[0-9a-f]{16}…, checked with the bundle's own key only\)/,
    );
  });

  it("refuses the same scan twice (the same folder, or a copy), naming both (exit 2)", async () => {
    const same = await cli(
      ["merge", shards[0], shards[0], shards[1], shards[2], "--out", join(root, "dup")],
      root,
    );
    expect(same.code).toBe(2);
    expect(same.stderr).toContain(`${shards[0]} and ${shards[0]} are the same scan`);
    const copy = join(tempDir(), "copy-of-shard-1");
    cpSync(shards[0], copy, { recursive: true });
    for (const extra of [[], ["--allow-partial"]]) {
      const r = await cli(["merge", ...shards, copy, ...extra, "--out", join(root, "dup")], root);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `${shards[0]} and ${copy} are the same scan (scan id ${read(shards[0]).scan.id})`,
      );
    }
    expect(existsSync(join(root, "dup"))).toBe(false);
  });

  it("refuses an incomplete set of shards (exit 2) unless --allow-partial, which marks the result partial", async () => {
    const out = join(root, "partial");
    const r = await cli(["merge", shards[0], shards[2], "--out", out], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not one complete set of shards — incomplete: shard 2/3 missing");
    expect(existsSync(out)).toBe(false);
    const p = await cli(
      ["merge", shards[0], shards[2], "--allow-partial", "--out", out, "--format", "json"],
      root,
    );
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toContain(
      "warning: --allow-partial: merging an incomplete or inconsistent set of shards",
    );
    expect(p.stdout).toMatch(/merged 2 bundles \(partial\)/);
    const doc = read(out);
    expect(doc.scan.partial).toBe(true);
    expect(doc.findings.length).toBe(read(shards[0]).findings.length + read(shards[2]).findings.length);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.notes).toContain("partial merge (--allow-partial): incomplete: shard 2/3 missing");
  });

  it("refuses a mixed set (different shard counts, or shards with a whole scan) and a shard given twice", async () => {
    const half = join(root, "half-1");
    const again = join(root, "shard-1-again");
    expect((await cli([...scanArgs, "--shard", "1/2", "--out", half], root)).code).toBeLessThan(2);
    expect((await cli([...scanArgs, "--shard", "1/3", "--out", again], root)).code).toBeLessThan(2);
    const mixedCounts = await cli(["merge", ...shards, half, "--out", join(root, "never")], root);
    expect(mixedCounts.code).toBe(2);
    expect(mixedCounts.stderr).toContain(`mixed shard counts: ${shards[0]} is shard 1/3`);
    expect(mixedCounts.stderr).toContain(`${half} is shard 1/2`);
    const withWhole = await cli(["merge", ...shards, whole, "--out", join(root, "never")], root);
    expect(withWhole.code).toBe(2);
    expect(withWhole.stderr).toContain(`mixed: ${whole} is not a shard, the other bundles are`);
    const twice = await cli(["merge", ...shards, again, "--out", join(root, "never")], root);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`shard 1/3 is given 2 times: ${shards[0]}, ${again}`);
    expect(existsSync(join(root, "never"))).toBe(false);
    // With --allow-partial the repeated shard's findings are deduplicated by finding id.
    const out = join(root, "dedup");
    const r = await cli(
      ["merge", ...shards, again, "--allow-partial", "--out", out, "--format", "json"],
      root,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/duplicates dropped/);
    expect(read(out).findings.length).toBe(read(whole).findings.length);
    expect(read(out).scan.partial).toBe(true);
  });

  it("rolls controls up with the built-in catalog's mapping when a bundle's copy of the framework differs", async () => {
    const records = await Promise.all(shards.map((d) => loadScanRecord(d, { requireBundle: true })));
    const catalogs = loadFrameworks([]).frameworks;
    const failing = records[0].data.controls.find((c) => c.status === "fail")!;
    // Shard 1's copy of the framework maps the failing control to no policy.
    records[0].data.frameworks = records[0].data.frameworks.map((fw) =>
      fw.id !== failing.framework
        ? fw
        : {
            ...fw,
            controls: fw.controls.map((c) => (c.id === failing.control.id ? { ...c, policies: [] } : c)),
          },
    );
    const warnings: string[] = [];
    const { data } = mergeScans(records, { catalogs, warn: (m) => warnings.push(m) });
    expect(warnings.join("\n")).toContain(
      `framework ${failing.framework}: an input bundle's control→policy mapping differs from the built-in catalog (control ${failing.control.id} maps [] instead of`,
    );
    const merged = data.controls.find(
      (c) => c.framework === failing.framework && c.control.id === failing.control.id,
    )!;
    expect(merged.status).toBe("fail");
    expect(merged.control.policies).toEqual(failing.control.policies);
  });

  it("refuses an input bundle that does not verify (exit 2, naming it)", async () => {
    const copy = join(tempDir(), "bad-shard");
    cpSync(shards[1], copy, { recursive: true });
    const f = join(copy, "findings.json");
    writeFileSync(f, readFileSync(f, "utf8").replace('"status": "pass"', '"status": "fail"'));
    const r = await cli(["merge", shards[0], copy, "--out", join(root, "never")], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(copy);
  });

  it("--shard needs I/N with 1 ≤ I ≤ N", async () => {
    for (const bad of ["0/3", "4/3", "x", "1/0"]) {
      const r = await cli([...scanArgs, "--shard", bad, "--out", join(root, "bad")], root);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--shard must be I/N");
    }
  });
});
