import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import type { Finding } from "../../src/core/types.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { inShard } from "../../src/scan.js";
import { ROOT, tempDir } from "../support/cli.js";

async function cli(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    env: {},
    cwd,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

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

  it("a duplicate input is deduplicated by finding id", async () => {
    const out = join(root, "dup");
    const r = await cli(
      ["merge", shards[0], shards[0], shards[1], shards[2], "--out", out, "--format", "json"],
      root,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/duplicates dropped/);
    expect(read(out).findings.length).toBe(read(whole).findings.length);
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
