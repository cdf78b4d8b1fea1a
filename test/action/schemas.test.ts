// action.yml and the example workflows validated against SchemaStore's schemas (see schemas/README.md).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../support/cli.js";

const schema = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, "schemas", name), "utf8"));
// SchemaStore schemas use keywords and formats ajv's strict mode rejects; they are data here, not our schemas.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validateAction = ajv.compile(schema("github-action.json"));
const validateWorkflow = ajv.compile(schema("github-workflow.json"));
const WORKFLOWS = join(ROOT, "examples", "workflows");

describe("action.yml", () => {
  const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));

  it("is valid action metadata", () => {
    expect(validateAction(action), JSON.stringify(validateAction.errors, null, 2)).toBe(true);
    expect(action.runs.using).toBe("node24");
  });

  it("a broken action.yml is rejected (the schema really checks)", () => {
    expect(validateAction({ ...action, runs: { using: "node8", main: "x.js" } })).toBe(false);
    expect(validateAction({ ...action, inputs: { x: { required: false } } })).toBe(false);
  });

  it("declares exactly the inputs the entry point reads", () => {
    const src = readFileSync(join(ROOT, "src", "action", "main.ts"), "utf8");
    const read = new Set([...src.matchAll(/get(?:Boolean|List)?Input\(env, "([^"]+)"\)/g)].map((m) => m[1]));
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const name of [
      "aws",
      "snapshot",
      "endpoints",
      "policies",
      "config",
      "frameworks",
      "fail-on",
      "allow-errors",
      "baseline",
      "output-dir",
      "formats",
    ])
      expect(action.inputs).toHaveProperty([name]);
    for (const name of ["pass", "fail", "error", "waived", "not-applicable", "report", "sarif"])
      expect(action.outputs).toHaveProperty([name]);
  });
});

describe("examples/workflows", () => {
  const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));

  it("has the recipes: pull-request gate, nightly OIDC audit, sharded audit, audit period", () => {
    expect(files.sort()).toEqual([
      "audit-period.yml",
      "nightly-audit.yml",
      "pull-request-gate.yml",
      "sharded-audit.yml",
    ]);
  });

  for (const f of files) {
    it(`${f} is a valid workflow`, () => {
      const wf = parse(readFileSync(join(WORKFLOWS, f), "utf8"));
      expect(validateWorkflow(wf), JSON.stringify(validateWorkflow.errors, null, 2)).toBe(true);
    });
  }

  it("the nightly audit assumes a role through OIDC, uploads SARIF and keeps the bundle", () => {
    const wf = parse(readFileSync(join(WORKFLOWS, "nightly-audit.yml"), "utf8"));
    expect(wf.permissions).toMatchObject({ "id-token": "write", "security-events": "write" });
    const uses = wf.jobs.audit.steps.map((s: { uses?: string }) => s.uses ?? "");
    for (const u of [
      "aws-actions/configure-aws-credentials@",
      "github/codeql-action/upload-sarif@",
      "actions/upload-artifact@",
    ])
      expect(uses.some((x: string) => x.startsWith(u))).toBe(true);
  });

  it("the sharded audit runs a matrix with shard I/N and merges the bundles", () => {
    const wf = parse(readFileSync(join(WORKFLOWS, "sharded-audit.yml"), "utf8"));
    const n = wf.jobs.scan.strategy.matrix.shard.length;
    const step = wf.jobs.scan.steps.find((s: { with?: { shard?: string } }) => s.with?.shard);
    expect(step.with.shard).toBe(`\${{ matrix.shard }}/${n}`);
    expect(JSON.stringify(wf.jobs.merge.steps)).toContain("merge shards/* --out");
  });
});
