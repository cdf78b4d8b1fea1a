// The action's `command` and `args` inputs: merge, period and the other CLI commands run by the action itself (no npm
// package), in a simulated runner; and the `args` splitter, which splits like a shell but evaluates nothing.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandWord, parseArgsInput, splitArgs } from "../../src/action/args.js";
import { run } from "../../src/action/main.js";
import { CipherproofError } from "../../src/core/errors.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { tempDir } from "../support/cli.js";
import { parseOutputFile, runnerInputName, simulatedRunner } from "./runner.js";

type Runner = ReturnType<typeof simulatedRunner>;

/** Run the action again in the same workspace with other inputs (the runner's INPUT_* variables replaced). */
async function step(r: Runner, inputs: Record<string, string>) {
  const env: Record<string, string> = Object.fromEntries(
    Object.entries(r.env).filter(([k]) => !k.startsWith("INPUT_")),
  );
  for (const [k, v] of Object.entries(inputs)) env[runnerInputName(k)] = v;
  writeFileSync(r.outputFile, "");
  writeFileSync(r.summaryFile, "");
  let stdout = "";
  let stderr = "";
  const result = await run(env, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return {
    result,
    stdout,
    stderr,
    outputs: parseOutputFile(r.outputFile),
    summary: readFileSync(r.summaryFile, "utf8"),
  };
}

const SCAN = { snapshot: "examples/healthcare-saas", "as-of": "2026-11-22", formats: "json,evidence" };

describe("command: merge / period / verify / diff in a simulated runner", () => {
  it("command: merge on two shard bundles writes one verified bundle with the unsharded run's findings", async () => {
    const r = simulatedRunner({});
    const whole = await step(r, { ...SCAN, "output-dir": "whole" });
    expect(whole.result.exitCode).toBe(1);
    for (const i of [1, 2]) {
      const s = await step(r, { ...SCAN, shard: `${i}/2`, "output-dir": `shards/cipherproof-shard-${i}` });
      expect([0, 1]).toContain(s.result.exitCode);
    }
    const m = await step(r, { command: "merge", args: "shards/* --out merged" });
    expect(m.result.exitCode, m.stderr).toBe(0);
    const dir = join(r.workspace, "merged");
    expect(m.outputs).toMatchObject({
      "exit-code": "0",
      "output-dir": dir,
      findings: join(dir, "findings.json"),
      sarif: join(dir, "results.sarif"),
      report: join(dir, "report.html"),
      "report-md": join(dir, "report.md"),
      fail: "30",
      error: "27",
      pass: "50",
      total: "130",
    });
    expect((await verifyBundle(dir)).ok).toBe(true);
    const ids = (p: string) =>
      JSON.parse(readFileSync(p, "utf8"))
        .findings.map((f: { id: string; status: string }) => `${f.id}:${f.status}`)
        .sort();
    expect(ids(join(dir, "findings.json"))).toEqual(ids(join(r.workspace, "whole", "findings.json")));
    // The job summary is the merged bundle's Markdown report.
    expect(m.summary).toBe(readFileSync(join(dir, "report.md"), "utf8"));
  });

  it("command: period over bundles of two dates writes the period report; verify and diff run too", async () => {
    const r = simulatedRunner({});
    for (const d of ["2026-11-01", "2026-11-22"]) {
      const s = await step(r, { ...SCAN, "as-of": d, "output-dir": `bundles/nightly ${d}` });
      expect(s.result.exitCode).toBe(1);
    }
    const p = await step(r, {
      command: "period",
      args: 'bundles/* --from "2026-11-01" --to 2026-11-30 --out period',
    });
    expect(p.result.exitCode, p.stderr).toBe(0);
    const dir = join(r.workspace, "period");
    expect(p.outputs).toMatchObject({
      "exit-code": "0",
      "output-dir": dir,
      report: join(dir, "period.html"),
      "report-md": join(dir, "period.md"),
    });
    const period = JSON.parse(readFileSync(join(dir, "period.json"), "utf8"));
    expect(JSON.stringify(period)).toContain("2026-11-01");
    expect(p.summary).toBe(readFileSync(join(dir, "period.md"), "utf8"));

    const v = await step(r, { command: "verify", args: "'bundles/nightly 2026-11-22'" });
    expect(v.result.exitCode, v.stderr).toBe(0);
    expect(v.outputs).toEqual({ "exit-code": "0" });
    const d = await step(r, {
      command: "diff",
      args: 'bundles/nightly\\ 2026-11-01 "bundles/nightly 2026-11-22"',
    });
    expect([0, 1]).toContain(d.result.exitCode);
    expect(d.outputs["exit-code"]).toBe(String(d.result.exitCode));
  });

  it("a command's input error exits 2 with an error annotation; a bundle that was tampered with is refused", async () => {
    const r = simulatedRunner({});
    const s = await step(r, { ...SCAN, "output-dir": "b1" });
    expect(s.result.exitCode).toBe(1);
    const f = join(r.workspace, "b1", "findings.json");
    writeFileSync(f, readFileSync(f, "utf8").replace('"fail"', '"pass"'));
    const m = await step(r, { command: "merge", args: "b1 --out merged" });
    expect(m.result.exitCode).toBe(2);
    expect(m.outputs["exit-code"]).toBe("2");
    expect(m.stdout).toMatch(/^::error title=Cipherproof merge%3A input error::/m);
    const none = await step(r, { command: "period", args: "nothing/* --out p" });
    expect(none.result.exitCode).toBe(2);
    expect(none.stderr).toContain('"nothing/*" matches no file');
  });

  it("rejects an unknown command, args with scan, and scan inputs with another command", async () => {
    const r = simulatedRunner({});
    const bad = await step(r, { command: "rm" });
    expect(bad.result.exitCode).toBe(2);
    expect(bad.stderr).toContain("input command must be one of scan, merge, period, diff, verify, report");
    const argsWithScan = await step(r, { ...SCAN, args: "--out x" });
    expect(argsWithScan.result.exitCode).toBe(2);
    const mixed = await step(r, {
      command: "merge",
      snapshot: "examples/healthcare-saas",
      args: "a --out b",
    });
    expect(mixed.result.exitCode).toBe(2);
    expect(mixed.stderr).toContain("input snapshot is for command: scan");
  });
});

describe("the args splitter", () => {
  const words = (s: string) => splitArgs(s).map((w) => w.value);

  it.each([
    ["a b  c", ["a", "b", "c"]],
    ["  lead\n\tand trail  ", ["lead", "and", "trail"]],
    ["'single quoted' x", ["single quoted", "x"]],
    ['"double quoted" "with \\"escape\\" and \\\\"', ["double quoted", 'with "escape" and \\']],
    ["a\\ b c", ["a b", "c"]],
    ["--from=\"2026-01-01\" --to '2026-06-30'", ["--from=2026-01-01", "--to", "2026-06-30"]],
    ["'' \"\"", ["", ""]],
    ["mi'x'\"ed\"", ["mixed"]],
    ["'$HOME' \"a;b|c\"", ["$HOME", "a;b|c"]],
    ["line \\\ncontinued", ["line", "continued"]],
    ["", []],
  ])("%j → %j", (input, expected) => {
    expect(words(input)).toEqual(expected);
  });

  it.each([
    ["'open", /unterminated ' quote/],
    ['"open', /unterminated " quote/],
    ["a\\", /trailing/],
    ["$HOME/x", /unquoted "\$"/],
    ["a; rm -rf /", /unquoted ";"/],
    ["a | b", /unquoted "\|"/],
    ["a && b", /unquoted "&"/],
    ["> out", /unquoted ">"/],
    ["`id`", /unquoted "`"/],
    ["$(id)", /unquoted "\$"/],
    ['"$HOME"', /would be expanded/],
  ])("%j is refused: nothing is evaluated", (input, message) => {
    expect(() => splitArgs(input)).toThrow(CipherproofError);
    expect(() => splitArgs(input)).toThrow(message);
  });

  it("expands unquoted * and ? against the workspace, sorted, hidden files only when asked; quoted ones are literal", () => {
    const ws = tempDir("cipherproof-args-");
    for (const d of ["shards/s2", "shards/s1", "shards/.hidden", "shards/s10", "other"])
      mkdirSync(join(ws, d), { recursive: true });
    writeFileSync(join(ws, "shards", "notes.txt"), "");
    writeFileSync(join(ws, "shards", "s1", "findings.json"), "{}");
    expect(parseArgsInput("shards/* --out m", ws)).toEqual([
      "shards/notes.txt",
      "shards/s1",
      "shards/s10",
      "shards/s2",
      "--out",
      "m",
    ]);
    expect(parseArgsInput("shards/s? shards/.h*", ws)).toEqual(["shards/s1", "shards/s2", "shards/.hidden"]);
    expect(parseArgsInput("shards/*/findings.json", ws)).toEqual(["shards/s1/findings.json"]);
    expect(parseArgsInput("shards/s*/", ws)).toEqual(["shards/s1/", "shards/s10/", "shards/s2/"]);
    expect(parseArgsInput(`${ws}/sh*ds/s1`, ws)).toEqual([`${ws}/shards/s1`]);
    expect(parseArgsInput("'shards/*' \"s?\" a\\*", ws)).toEqual(["shards/*", "s?", "a*"]);
    expect(() => expandWord(splitArgs("nope/*")[0], ws)).toThrow(/matches no file/);
  });
});
