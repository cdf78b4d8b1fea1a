import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  escapeData,
  escapeProperty,
  getInput,
  inputVariable,
  MAX_ANNOTATIONS,
  outputRecord,
  run,
  workflowCommand,
} from "../../src/action/main.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { ROOT } from "../support/cli.js";
import { parseOutputFile, runnerInputName, simulatedRunner } from "./runner.js";

const EXAMPLE = { snapshot: "examples/healthcare-saas", "as-of": "2026-11-22" };

async function runAction(inputs: Record<string, string>) {
  const r = simulatedRunner(inputs);
  let stdout = "";
  let stderr = "";
  const result = await run(r.env, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  const outputs = parseOutputFile(r.outputFile);
  const summary = readFileSync(r.summaryFile, "utf8");
  return { ...r, result, stdout, stderr, outputs, summary };
}

/** Workflow-command lines in a log. */
const commands = (log: string) => log.split("\n").filter((l) => /^::(error|warning|notice)/.test(l));

describe("workflow command escaping and runner conventions", () => {
  it("escapes %, CR and LF in data, and also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
    expect(workflowCommand("error", { file: "x,y.json", line: 1, title: "t: 1" }, "line1\nline2")).toBe(
      "::error file=x%2Cy.json,line=1,title=t%3A 1::line1%0Aline2\n",
    );
  });

  it("reads inputs the way the runner names them: upper case, spaces to underscores, hyphens kept", () => {
    expect(inputVariable("fail-on")).toBe("INPUT_FAIL-ON");
    expect(inputVariable("output dir")).toBe("INPUT_OUTPUT_DIR");
    expect(runnerInputName("allow-errors")).toBe(inputVariable("allow-errors"));
    expect(getInput({ "INPUT_FAIL-ON": "  high \n" }, "fail-on")).toBe("high");
  });

  it("writes outputs in the heredoc format with a delimiter that is not in the value", () => {
    const rec = outputRecord("summary", "a\nb");
    const m = /^summary<<(ghadelimiter_[0-9a-f-]+)\na\nb\n\1\n$/.exec(rec);
    expect(m).not.toBeNull();
  });
});

describe("the action's entry point in a simulated runner", () => {
  it("fails (exit 1) on the example's violations: outputs, summary, at most 10 escaped annotations, a verified bundle", async () => {
    const a = await runAction({ ...EXAMPLE, "output-dir": "cipherproof-reports" });
    expect(a.result.exitCode).toBe(1);
    expect(a.outputs).toMatchObject({
      pass: "50",
      fail: "30",
      error: "27",
      waived: "0",
      "not-applicable": "23",
      total: "130",
      violations: "57",
      "new-violations": "57",
      "exit-code": "1",
      report: join(a.workspace, "cipherproof-reports", "report.html"),
      sarif: join(a.workspace, "cipherproof-reports", "results.sarif"),
      findings: join(a.workspace, "cipherproof-reports", "findings.json"),
    });
    expect((await verifyBundle(a.outputs["output-dir"])).ok).toBe(true);
    expect(JSON.parse(readFileSync(a.outputs.sarif, "utf8")).version).toBe("2.1.0");

    expect(a.summary).toMatch(/^# ❌ Cipherproof: failed\n/);
    expect(a.summary).toContain("**57 violations** — fail-on **info**, errors fail the check.");
    expect(a.summary).toContain("## Cipherproof encryption compliance report");
    expect(Buffer.byteLength(a.summary)).toBeLessThan(1024 * 1024);

    const ann = commands(a.stdout);
    expect(ann).toHaveLength(MAX_ANNOTATIONS);
    expect(ann).toEqual(a.result.annotations.map((s) => s.trimEnd()));
    // Worst first: counted failures of high severity before errors; every one points at the snapshot file it came from.
    expect(ann[0]).toMatch(
      /^::error file=examples\/healthcare-saas\/config-snapshot-us-(east-1|west-2)\.json\.gz,line=1,title=Cipherproof high%3A /,
    );
    expect(ann.filter((l) => l.includes("Could not evaluate"))).toHaveLength(0);
    for (const l of ann) {
      const [, props] = /^::\w+ ([^:]*)::/.exec(l)!;
      expect(props.split(",").every((p) => /^(file|line|title)=[^,]*$/.test(p))).toBe(true);
      expect(l).not.toMatch(/[\r]/);
    }
    // ELB listener names hold colons; in the title property they must be escaped.
    expect(a.stdout).toContain("medledger-legacy-api%3AHTTP%3A80");
  });

  it("passes with fail-on: critical when nothing is critical (its failures and errors are all below critical)", async () => {
    const a = await runAction({
      ...EXAMPLE,
      "fail-on": "critical",
      formats: "json,sarif,md",
    });
    expect(a.result.exitCode).toBe(0);
    expect(a.outputs).toMatchObject({
      "exit-code": "0",
      violations: "0",
      fail: "30",
      error: "27",
      report: "",
    });
    expect(a.summary).toMatch(/^# ✅ Cipherproof: passed/);
    // Failures below the threshold are still annotated, as warnings.
    expect(commands(a.stdout).every((l) => l.startsWith("::warning "))).toBe(true);
  });

  it("with fail-on: high, error findings at high count unless errors are allowed (the CLI's rule)", async () => {
    const a = await runAction({
      ...EXAMPLE,
      "fail-on": "high",
      config: join(ROOT, "test/action/errors-only.config.json"),
    });
    expect(a.result.exitCode).toBe(1);
    expect(Number(a.outputs.violations)).toBeGreaterThan(0);
    expect(commands(a.stdout)[0]).toMatch(/^::error .*Could not evaluate/);
    const allowed = await runAction({
      ...EXAMPLE,
      "fail-on": "high",
      "allow-errors": "true",
      config: join(ROOT, "test/action/errors-only.config.json"),
    });
    expect(allowed.result.exitCode).toBe(0);
  });

  it("the config's failOn and severity overrides apply; frameworks narrows the report", async () => {
    const a = await runAction({
      ...EXAMPLE,
      config: "examples/healthcare-saas/cipherproof.config.yaml",
      "fail-on": "critical",
      "allow-errors": "true",
      frameworks: "soc2",
      formats: "json",
    });
    // The example config raises kms-key-rotation-enabled to critical, and one key has rotation off.
    expect(a.result.exitCode).toBe(1);
    expect(a.outputs.violations).toBe("1");
    const doc = JSON.parse(readFileSync(a.outputs.findings, "utf8"));
    expect(doc.frameworks.map((f: { id: string }) => f.id)).toEqual(["soc2"]);
  });

  it("baseline: violations already in the baseline are reported but only new ones fail", async () => {
    const first = await runAction({ ...EXAMPLE, formats: "json" });
    const doc = JSON.parse(readFileSync(first.outputs.findings, "utf8"));
    const base = join(first.workspace, "baseline.json");
    writeFileSync(base, JSON.stringify(doc));
    const same = await runAction({ ...EXAMPLE, formats: "json", baseline: base });
    expect(same.result.exitCode).toBe(0);
    expect(same.outputs).toMatchObject({ violations: "57", "new-violations": "0" });
    expect(same.summary).toContain("**0 new violations** against the baseline");
    doc.findings.find((f: { status: string }) => f.status === "fail").status = "pass";
    writeFileSync(base, JSON.stringify(doc));
    const one = await runAction({ ...EXAMPLE, formats: "json", baseline: base });
    expect(one.result.exitCode).toBe(1);
    expect(one.outputs["new-violations"]).toBe("1");
    const ann = commands(one.stdout);
    expect(ann.filter((l) => l.startsWith("::error "))).toHaveLength(1);
  });

  it("input errors exit 2 with an error annotation and no stack", async () => {
    for (const inputs of [
      { "fail-on": "severe", ...EXAMPLE },
      { "allow-errors": "yes", ...EXAMPLE },
      {},
      { ...EXAMPLE, frameworks: "iso-27001" },
    ]) {
      const a = await runAction(inputs);
      expect(a.result.exitCode).toBe(2);
      expect(a.stdout).toMatch(/^::error title=Cipherproof input error::/m);
      expect(a.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("a job summary for a large estate", () => {
  it("stays under 1 MiB, truncated with a note, while the bundle keeps every finding", async () => {
    const { gunzipSync } = await import("node:zlib");
    const r = simulatedRunner({});
    const src = JSON.parse(
      gunzipSync(
        readFileSync(join(r.workspace, "examples/healthcare-saas/config-snapshot-us-east-1.json.gz")),
      ).toString(),
    );
    const bucket = src.configurationItems.find(
      (i: { resourceType: string; resourceName: string }) =>
        i.resourceType === "AWS::S3::Bucket" && i.resourceName.startsWith("medledger-web-assets"),
    );
    const items = Array.from({ length: 4000 }, (_, n) => {
      const name = `bulk-${String(n).padStart(5, "0")}-${"x".repeat(40)}`;
      const text = JSON.stringify(bucket).split(bucket.resourceName).join(name);
      return JSON.parse(text);
    });
    writeFileSync(join(r.workspace, "bulk.json"), JSON.stringify({ ...src, configurationItems: items }));
    Object.assign(r.env, {
      [runnerInputName("snapshot")]: "bulk.json",
      [runnerInputName("as-of")]: "2026-11-22",
      [runnerInputName("formats")]: "json,md",
    });
    let stdout = "";
    const result = await run(r.env, { stdout: (s) => (stdout += s), stderr: () => {} });
    expect(result.exitCode).toBe(1);
    const summary = readFileSync(r.summaryFile, "utf8");
    const fails = Number(parseOutputFile(r.outputFile).fail);
    expect(fails).toBeGreaterThan(10_000);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1_000_000);
    expect(summary).toMatch(/Truncated/);
    expect(commands(stdout)).toHaveLength(MAX_ANNOTATIONS);
    const doc = JSON.parse(readFileSync(join(r.workspace, "cipherproof-reports", "findings.json"), "utf8"));
    expect(doc.findings.filter((f: { status: string }) => f.status === "fail")).toHaveLength(fails);
  });
});
