// The committed bundle (dist-action/) is what GitHub runs: it must match the sources and run with no install step.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadFixture } from "../support/aws-standin/fixture.js";
import { startStandIn } from "../support/aws-standin/server.js";
import { ROOT, tempDir } from "../support/cli.js";
import { parseOutputFile, simulatedRunner } from "./runner.js";

const DIST = join(ROOT, "dist-action");

describe("dist-action/ (the committed bundle)", () => {
  it("is up to date with the sources: a fresh build is byte-identical (run `npm run build:action` if not)", () => {
    const out = tempDir("cipherproof-action-build-");
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build-action.mjs"), out], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const built = readdirSync(out).sort();
    expect(readdirSync(DIST).sort()).toEqual(built);
    for (const f of built) {
      const same = readFileSync(join(out, f)).equals(readFileSync(join(DIST, f)));
      expect(same, `dist-action/${f} is stale: run npm run build:action and commit dist-action/`).toBe(true);
    }
  });
});

describe("the action from a clean checkout with no install step", () => {
  // A copy of the repository without node_modules (nor dist/): only what `git clone` gives the runner.
  const checkout = tempDir("cipherproof-checkout-");
  cpSync(ROOT, checkout, {
    recursive: true,
    filter: (src) => {
      const rel = relative(ROOT, src).split("\\").join("/");
      return !/^(node_modules|dist|\.git|test-artifacts|reports)(\/|$)/.test(rel);
    },
  });
  const action = parse(readFileSync(join(checkout, "action.yml"), "utf8"));

  /** Run the action as the runner does: `node <action>/<runs.main>`, with the inputs' defaults from action.yml. */
  function runBundle(inputs: Record<string, string>) {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs as Record<string, { default?: string }>)
        .filter(([, v]) => v.default !== undefined)
        .map(([k, v]) => [k, String(v.default)]),
    );
    const r = simulatedRunner({ ...defaults, ...inputs });
    const p = spawnSync(process.execPath, [join(checkout, action.runs.main)], {
      cwd: r.workspace,
      env: r.env, // PATH and the runner's variables only: no NODE_PATH, nothing from this test process
      encoding: "utf8",
      timeout: 120_000,
    });
    return {
      ...r,
      code: p.status,
      stdout: p.stdout,
      stderr: p.stderr,
      outputs: parseOutputFile(r.outputFile),
    };
  }

  it("the checkout has no node_modules anywhere above the bundle", () => {
    expect(existsSync(join(checkout, "node_modules"))).toBe(false);
    expect(existsSync(join(checkout, "dist-action", "index.js"))).toBe(true);
    expect(action.runs).toEqual({ using: "node24", main: "dist-action/index.js" });
  });

  it("fails (exit 1) on the example's violations, finding the built-in policies beside the bundle", () => {
    const r = runBundle({ snapshot: "examples/healthcare-saas", "as-of": "2026-11-22" });
    expect(r.code, r.stderr).toBe(1);
    expect(r.outputs).toMatchObject({ fail: "30", error: "27", pass: "50", "exit-code": "1" });
    expect(Object.keys(r.outputs).sort()).toEqual(Object.keys(action.outputs).sort());
    expect(readFileSync(r.summaryFile, "utf8")).toMatch(/^# ❌ Cipherproof: failed/);
    expect(r.stdout).toMatch(/^::error file=examples\/healthcare-saas\//m);
    const files = readdirSync(join(r.workspace, "cipherproof-reports"));
    for (const f of [
      "report.html",
      "report.md",
      "findings.json",
      "results.sarif",
      "manifest.json",
      "manifest.sig",
    ])
      expect(files).toContain(f);
  });

  it("passes with fail-on: critical when nothing is critical (failures and errors are all below critical)", () => {
    const r = runBundle({
      snapshot: "examples/healthcare-saas",
      "as-of": "2026-11-22",
      "fail-on": "critical",
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ violations: "0", "exit-code": "0" });
    expect(readFileSync(r.summaryFile, "utf8")).toMatch(/^# ✅ Cipherproof: passed/);
  });

  it("scans live AWS with the bundled SDK (aws: true against the wire-level AWS stand-in)", async () => {
    const standIn = await startStandIn({
      fixture: loadFixture(join(ROOT, "test/support/aws-standin/fixtures/org.json")),
    });
    try {
      const r = simulatedRunner({ aws: "true", "aws-regions": "us-east-1", formats: "json" });
      Object.assign(r.env, {
        AWS_ENDPOINT_URL: standIn.url,
        AWS_ACCESS_KEY_ID: "AKIASTANDINMGMT00001",
        AWS_SECRET_ACCESS_KEY: "standin-secret-mgmt",
        AWS_REGION: "us-east-1",
      });
      // The stand-in runs in this process, so the child must not block the event loop.
      const code = await new Promise<number | null>((done) => {
        const child = spawn(process.execPath, [join(checkout, "dist-action", "index.js")], {
          cwd: r.workspace,
          env: r.env,
          stdio: "ignore",
        });
        child.on("close", done);
      });
      expect([0, 1]).toContain(code);
      const doc = JSON.parse(readFileSync(join(r.workspace, "cipherproof-reports", "findings.json"), "utf8"));
      expect(doc.scan.sources.map((s: { kind: string }) => s.kind)).toEqual(["aws-api"]);
      expect(doc.scan.accounts).toEqual(["111111111111"]);
      expect(doc.findings.length).toBeGreaterThan(0);
      expect(standIn.totalCalls()).toBeGreaterThan(5);
    } finally {
      await standIn.close();
    }
  });

  it("runs command: merge from the bundle too (the CLI's commands are bundled; no npm package)", () => {
    const r = runBundle({
      snapshot: "examples/healthcare-saas",
      "as-of": "2026-11-22",
      formats: "json,evidence",
      "output-dir": "shards/one",
    });
    expect(r.code, r.stderr).toBe(1);
    const env = Object.fromEntries(Object.entries(r.env).filter(([k]) => !k.startsWith("INPUT_")));
    Object.assign(env, { INPUT_COMMAND: "merge", INPUT_ARGS: "shards/* --out merged" });
    const p = spawnSync(process.execPath, [join(checkout, action.runs.main)], {
      cwd: r.workspace,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(p.status, p.stderr).toBe(0);
    expect(parseOutputFile(r.outputFile)).toMatchObject({
      "exit-code": "0",
      "output-dir": join(r.workspace, "merged"),
      fail: "30",
    });
    expect(readdirSync(join(r.workspace, "merged"))).toContain("manifest.sig");
  });

  it("exits 2 with an error annotation on a bad input", () => {
    const r = runBundle({ snapshot: "examples/healthcare-saas", "fail-on": "severe" });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=Cipherproof input error::/m);
  });
});
