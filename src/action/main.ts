import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { type BaselineGate, gateAgainstBaseline, isViolation } from "../core/diff.js";
import { CipherproofError, formatErrors, isCipherproofError } from "../core/errors.js";
import { withoutWorkflowCommands } from "../core/printable.js";
import { summarize } from "../core/summary.js";
import { type Finding, SEVERITIES, type Severity } from "../core/types.js";
import { BUNDLE_FORMATS, type BundleFormat, FORMAT_FILES } from "../evidence/bundle.js";
import { JOB_SUMMARY_LIMIT, mdEscape, renderMarkdown } from "../reporters/markdown.js";
import { byImportance } from "../reporters/model.js";
import { gate, parseShard, type ScanOptions, type ScanResult, scan } from "../scan.js";
import { parseArgsInput } from "./args.js";

/** Where the action writes its log: injectable so tests can run it in-process. */
export interface ActionIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/**
 * The action's text output (reports, messages, the CLI command's own output), in which no line can be read as a
 * workflow command: resource names and messages come from the scanned account. Annotations go to `io` itself.
 */
function textOutput(io: ActionIO): ActionIO {
  return {
    stdout: (s) => io.stdout(withoutWorkflowCommands(s)),
    stderr: (s) => io.stderr(withoutWorkflowCommands(s)),
  };
}

/** The runner environment: INPUT_*, GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, AWS_* … */
export type ActionEnv = Record<string, string | undefined>;

/** GitHub shows at most 10 error/warning annotations per step. */
export const MAX_ANNOTATIONS = 10;
/** Bytes the job summary may take: below GitHub's 1 MiB per step, with room for what other tools append. */
export const SUMMARY_BUDGET = 1_000_000;

/** The environment variable the runner sets for an input: INPUT_ + the name upper-cased, spaces to underscores. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** An input's value, trimmed; empty when the workflow did not set it and action.yml gives no default. */
export function getInput(env: ActionEnv, name: string): string {
  return (env[inputVariable(name)] ?? "").trim();
}

/** A boolean input as GitHub's toolkit reads it (true/True/TRUE, false/False/FALSE); undefined when empty. */
export function getBooleanInput(env: ActionEnv, name: string): boolean | undefined {
  const v = getInput(env, name);
  if (v === "") return undefined;
  if (["true", "True", "TRUE"].includes(v)) return true;
  if (["false", "False", "FALSE"].includes(v)) return false;
  throw new CipherproofError("USAGE", `input ${name} must be true or false, not "${v}"`);
}

/** A list input: one item per line or comma-separated. */
export function getListInput(env: ActionEnv, name: string): string[] {
  return getInput(env, name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Escape the message of a workflow command: %, CR and LF. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a workflow command property value: as data, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One workflow command line: `::name key=value,…::message`. */
export function workflowCommand(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}\n`;
}

/** Append `name` = `value` to the GITHUB_OUTPUT file in the multi-line (heredoc) format. */
export function outputRecord(name: string, value: string): string {
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter) || name.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** The action's outputs. */
export interface ActionOutputs {
  pass: number;
  fail: number;
  error: number;
  waived: number;
  "not-applicable": number;
  total: number;
  violations: number;
  "new-violations": number;
  "output-dir": string;
  report: string;
  "report-md": string;
  sarif: string;
  findings: string;
  "exit-code": number;
}

/** What one run did; tests read it besides the files and the exit code. */
export interface ActionResult {
  exitCode: number;
  /** Every output for a scan; for other commands, exit-code and what the command wrote. */
  outputs?: Partial<ActionOutputs>;
  annotations: string[];
  summary?: string;
}

/** Paths in inputs are relative to the workspace. */
function inWorkspace(workspace: string, p: string): string {
  return resolve(workspace, p);
}

/** A path for people and annotations: relative to the workspace when inside it. */
function shown(workspace: string, p: string): string {
  const rel = relative(workspace, p);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : p;
}

/** Read the inputs into scan options (paths resolved against the workspace). */
function scanOptions(env: ActionEnv, workspace: string, io: ActionIO): Promise<ScanOptions> {
  return (async () => {
    const aws = getBooleanInput(env, "aws") ?? false;
    const snapshots = getListInput(env, "snapshot").map((p) => inWorkspace(workspace, p));
    const endpoints = getListInput(env, "endpoints").map((e) =>
      /^[a-z][a-z0-9+.-]*:\/\//i.test(e) || !/[/\\]|\.(json|ya?ml)$/i.test(e) ? e : inWorkspace(workspace, e),
    );
    const regions = getInput(env, "aws-regions");
    const roleArns = getListInput(env, "aws-role-arn");
    if (!aws && (regions || roleArns.length))
      throw new CipherproofError("USAGE", "inputs aws-regions and aws-role-arn need aws: true");
    let awsOptions: ScanOptions["aws"];
    if (aws) {
      const { awsOptionsFromFlags } = await import("../collectors/aws/flags.js");
      awsOptions = awsOptionsFromFlags(
        { aws: true, regions: regions || undefined, "role-arn": roleArns.length ? roleArns : undefined },
        { stderr: textOutput(io).stderr, isTTY: false, env },
      ).aws;
    }
    // A folder given as a snapshot stands for the .json / .json.gz files in it, as on the command line.
    const { expandSnapshots } = await import("../loaders/snapshot-files.js");
    const expanded = expandSnapshots(snapshots);
    if (!aws && !expanded.length && !endpoints.length)
      throw new CipherproofError(
        "USAGE",
        "nothing to scan",
        {},
        "set at least one of the inputs aws: true, snapshot: PATH, endpoints: TARGETS",
      );
    let now: Date | undefined;
    const asOf = getInput(env, "as-of");
    if (asOf) {
      now = new Date(asOf);
      if (!/^\d{4}-\d{2}-\d{2}/.test(asOf) || Number.isNaN(now.getTime()))
        throw new CipherproofError("USAGE", `input as-of must be an ISO 8601 date or time, not "${asOf}"`);
    }
    const shardInput = getInput(env, "shard");
    let shard: ScanOptions["shard"];
    if (shardInput) {
      shard = parseShard(shardInput);
    }
    const config = getInput(env, "config");
    return {
      aws: awsOptions,
      snapshots: expanded,
      endpoints,
      policyDirs: getListInput(env, "policies").map((p) => inWorkspace(workspace, p)),
      configFile: config ? inWorkspace(workspace, config) : undefined,
      now,
      shard,
    };
  })();
}

/** Keep only the frameworks the `frameworks` input names (all loaded ones when empty). */
function selectFrameworks(result: ScanResult, ids: string[]): void {
  if (!ids.length) return;
  const known = new Set(result.frameworks.map((f) => f.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length)
    throw new CipherproofError(
      "USAGE",
      `input frameworks: unknown framework "${unknown[0]}"`,
      {},
      `loaded frameworks: ${[...known].join(", ") || "none"}`,
    );
  const keep = new Set(ids);
  result.frameworks = result.frameworks.filter((f) => keep.has(f.id));
  result.controls = result.controls.filter((c) => keep.has(c.framework));
  for (const f of result.findings)
    f.controls = Object.fromEntries(Object.entries(f.controls ?? {}).filter(([fw]) => keep.has(fw)));
}

/** The worst findings as annotations: counted violations first (new ones when a baseline is used), then other failures, then errors. */
export function annotationsFor(
  findings: Finding[],
  g: BaselineGate,
  failOn: Severity,
  allowErrors: boolean,
  fileOf: (f: Finding) => string | undefined,
): string[] {
  const counted = new Set(g.newViolations.map((f) => f.id));
  const rank = (f: Finding) => (counted.has(f.id) ? 0 : 2) + (f.status === "fail" ? 0 : 1);
  const picked = findings
    .filter((f) => f.status === "fail" || f.status === "error")
    .sort((a, b) => rank(a) - rank(b) || byImportance(a, b))
    .slice(0, MAX_ANNOTATIONS);
  return picked.map((f) => {
    const level = counted.has(f.id) ? "error" : "warning";
    const known = g.knownViolations.some((k) => k.id === f.id) ? " (already in the baseline)" : "";
    const what =
      f.status === "error"
        ? `Could not evaluate${allowErrors ? "" : " (errors fail this check unless allow-errors)"}`
        : isViolation(f, failOn, allowErrors)
          ? `Violation at or above ${failOn}${known}`
          : `Failure below fail-on ${failOn}`;
    const details = f.details
      .map((d) => `${d.property}: expected ${d.expected}, found ${d.found}`)
      .join("\n");
    const message = `${what}: ${f.message}${details ? `\n${details}` : ""}\nResource: ${f.resourceId} (${f.resourceType}${f.resource.account ? `, ${f.resource.account}` : ""}${f.resource.region ? `/${f.resource.region}` : ""})\nFinding id: ${f.id}`;
    const file = fileOf(f);
    return workflowCommand(
      level,
      {
        file,
        line: file ? 1 : undefined,
        title: `Cipherproof ${f.severity}: ${f.policyId} — ${f.resource.name}`,
      },
      message,
    );
  });
}

function headerMarkdown(
  result: ScanResult,
  g: BaselineGate,
  failOn: Severity,
  allowErrors: boolean,
  baseline: string | undefined,
  outputDir: string,
): string {
  const s = result.summary.byStatus;
  const lines: string[] = [];
  const ok = g.exitCode === 0;
  lines.push(`# ${ok ? "✅" : "❌"} Cipherproof: ${ok ? "passed" : "failed"}`);
  lines.push("");
  const rule = `fail-on **${failOn}**, errors ${allowErrors ? "allowed" : "fail the check"}`;
  if (baseline) {
    lines.push(
      `**${g.newViolations.length} new violation${g.newViolations.length === 1 ? "" : "s"}** against the baseline \`${mdEscape(baseline)}\`; ${g.knownViolations.length} already in the baseline (reported, not counted) — ${rule}.`,
    );
  } else {
    lines.push(
      `**${g.newViolations.length} violation${g.newViolations.length === 1 ? "" : "s"}** — ${rule}.`,
    );
  }
  lines.push("");
  lines.push(
    `${s.fail} failed · ${s.error} could not be evaluated · ${s.pass} passed · ${s.waived} waived · ${s.not_applicable} not applicable. Evidence bundle: \`${mdEscape(outputDir)}\`.`,
  );
  lines.push("");
  return `${lines.join("\n")}\n`;
}

/** The CLI commands the `command` input may name besides scan (which the other inputs drive). */
export const ACTION_COMMANDS = ["scan", "merge", "period", "diff", "verify", "report"] as const;

/** The value of an option in a command line (`--out DIR` or `--out=DIR`); the last one wins, as in the CLI. */
function optionValue(argv: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") break;
    if (argv[i] === name && i + 1 < argv.length) value = argv[++i];
    else if (argv[i].startsWith(`${name}=`)) value = argv[i].slice(name.length + 1);
  }
  return value;
}

/** The job summary a command's output folder provides (its Markdown report), when it fits GitHub's limit. */
function summaryFrom(file: string): string | undefined {
  try {
    const text = readFileSync(file, "utf8");
    const room = Math.min(SUMMARY_BUDGET, JOB_SUMMARY_LIMIT);
    return Buffer.byteLength(text) <= room
      ? text
      : `The report (${basename(file)}) is larger than a job summary may be; it is in the output folder.\n`;
  } catch {
    return undefined;
  }
}

/**
 * Run a CLI command other than scan (`command: merge`, …) with the `args` input as its arguments, in the workspace:
 * its output goes to the action's log; sets the exit-code output and, for merge, report and period, the paths of
 * what it wrote.
 */
async function runCommand(
  command: string,
  env: ActionEnv,
  io: ActionIO,
  workspace: string,
): Promise<ActionResult> {
  const text = textOutput(io);
  const scanOnly = ["snapshot", "endpoints", "aws-regions", "aws-role-arn", "shard", "baseline"].filter(
    (name) => getInput(env, name) !== "",
  );
  if (getBooleanInput(env, "aws")) scanOnly.unshift("aws");
  if (scanOnly.length)
    throw new CipherproofError(
      "USAGE",
      `input ${scanOnly[0]} is for command: scan, not command: ${command}`,
      {},
      `give ${command}'s own options in the args input (see \`cipherproof ${command} --help\`)`,
    );
  const argv = parseArgsInput(getInput(env, "args"), workspace);
  let errors = "";
  const { main } = await import("../cli/main.js");
  const exitCode = await main([command, ...argv], {
    stdout: text.stdout,
    stderr: (s) => {
      errors += s;
      text.stderr(s);
    },
    isTTY: false,
    env: env as NodeJS.ProcessEnv,
    cwd: workspace,
  });
  const annotations: string[] = [];
  if (exitCode === 2) {
    const a = workflowCommand("error", { title: `Cipherproof ${command}: input error` }, errors.trim());
    annotations.push(a);
    io.stdout(a);
  }
  const outputs: Partial<ActionOutputs> = { "exit-code": exitCode };
  let summary: string | undefined;
  const out = optionValue(argv, "--out") ?? (command === "report" ? "reports" : undefined);
  if (exitCode !== 2 && out && out !== "-" && ["merge", "report", "period"].includes(command)) {
    const dir = inWorkspace(workspace, out);
    const file = (name: string) => (existsSync(join(dir, name)) ? join(dir, name) : "");
    outputs["output-dir"] = dir;
    if (command === "period") {
      outputs.report = file("period.html");
      outputs["report-md"] = file("period.md");
      summary = outputs["report-md"] ? summaryFrom(outputs["report-md"]) : undefined;
    } else {
      outputs.report = file(FORMAT_FILES.html);
      outputs["report-md"] = file(FORMAT_FILES.md);
      outputs.sarif = file(FORMAT_FILES.sarif);
      outputs.findings = file(FORMAT_FILES.json);
      summary = outputs["report-md"] ? summaryFrom(outputs["report-md"]) : undefined;
      if (outputs.findings) {
        // The counts of the bundle written, as a scan would report them.
        const doc = JSON.parse(readFileSync(outputs.findings, "utf8")) as {
          summary?: { total: number; byStatus: Record<string, number> };
        };
        const by = doc.summary?.byStatus;
        if (by && doc.summary) {
          outputs.pass = by.pass;
          outputs.fail = by.fail;
          outputs.error = by.error;
          outputs.waived = by.waived;
          outputs["not-applicable"] = by.not_applicable;
          outputs.total = doc.summary.total;
        }
      }
    }
  }
  if (env.GITHUB_OUTPUT)
    appendFileSync(
      env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([k, v]) => outputRecord(k, String(v)))
        .join(""),
    );
  if (summary && env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary);
  return { exitCode, outputs, annotations, summary };
}

/**
 * Run the action: with `command: scan` (the default), scan per the inputs and write the bundle, summary, outputs and
 * annotations; with another command, run that CLI command on the `args` input. Returns the exit code.
 */
export async function run(env: ActionEnv, io: ActionIO): Promise<ActionResult> {
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const text = textOutput(io);
  try {
    const command = getInput(env, "command") || "scan";
    if (!(ACTION_COMMANDS as readonly string[]).includes(command))
      throw new CipherproofError(
        "USAGE",
        `input command must be one of ${ACTION_COMMANDS.join(", ")}, not "${command}"`,
      );
    if (command !== "scan") return await runCommand(command, env, io, workspace);
    if (getInput(env, "args"))
      throw new CipherproofError(
        "USAGE",
        "input args is for the commands merge, period, diff, verify and report",
        {},
        "command: scan takes the other inputs (snapshot, aws, endpoints, …)",
      );
    const failOnInput = getInput(env, "fail-on");
    if (failOnInput && !(SEVERITIES as readonly string[]).includes(failOnInput))
      throw new CipherproofError(
        "USAGE",
        `input fail-on must be one of ${SEVERITIES.join(", ")}, not "${failOnInput}"`,
      );
    const allowErrorsInput = getBooleanInput(env, "allow-errors");
    const formatsInput = getListInput(env, "formats");
    for (const f of formatsInput)
      if (f !== "console" && !(BUNDLE_FORMATS as readonly string[]).includes(f))
        throw new CipherproofError(
          "USAGE",
          `input formats: unknown format "${f}"`,
          {},
          `formats: console, ${BUNDLE_FORMATS.join(", ")}`,
        );
    const options = await scanOptions(env, workspace, io);
    const baselineInput = getInput(env, "baseline");
    let baselineFindings: Finding[] | undefined;
    if (baselineInput) {
      const { loadScanRecord } = await import("../evidence/load.js");
      baselineFindings = (await loadScanRecord(inWorkspace(workspace, baselineInput))).data.findings;
    }
    const signingInput = getInput(env, "signing-key");
    const { parseSigningKey } = await import("../evidence/signing.js");
    const signing = parseSigningKey(signingInput || undefined);
    if (signing.kind === "file") signing.path = inWorkspace(workspace, signing.path);

    const result = await scan(options);
    selectFrameworks(result, getListInput(env, "frameworks"));
    if (getListInput(env, "frameworks").length) result.summary = summarize(result.findings);
    const { failOn, allowErrors } = gate(result.config, {
      failOn: (failOnInput || undefined) as Severity | undefined,
      allowErrors: allowErrorsInput,
    });
    const g = gateAgainstBaseline(result.findings, baselineFindings, failOn, allowErrors);

    const formats = formatsInput.length ? formatsInput : ["console", ...BUNDLE_FORMATS];
    const files = formats.filter((f): f is BundleFormat => (BUNDLE_FORMATS as readonly string[]).includes(f));
    const outputDir = inWorkspace(workspace, getInput(env, "output-dir") || "cipherproof-reports");
    if (formats.includes("console")) {
      const { renderConsole } = await import("../reporters/console.js");
      const knownViolations = baselineFindings ? new Set(g.knownViolations.map((f) => f.id)) : undefined;
      text.stdout(renderConsole(result, { color: false, failOn, allowErrors, limit: 50, knownViolations }));
    }
    if (files.length) {
      const { writeBundle } = await import("../evidence/bundle.js");
      const { bundleLines } = await import("../cli/commands/bundle-options.js");
      const w = await writeBundle(outputDir, result, { formats: files, signing });
      text.stdout(bundleLines(w, shown(workspace, outputDir)));
    }
    if (baselineInput)
      text.stdout(
        `baseline ${baselineInput}: ${g.newViolations.length} new violations, ${g.knownViolations.length} already in the baseline (reported, not counted)\n`,
      );

    // Annotations point at the snapshot file a finding came from (evidence names it by path or file name) when that
    // file lies in the workspace.
    const inputs = new Map<string, string>();
    for (const p of options.snapshots ?? []) {
      const rel = shown(workspace, p);
      if (rel === p) continue;
      inputs.set(p, rel);
      inputs.set(rel, rel);
      if (!inputs.has(basename(p))) inputs.set(basename(p), rel);
    }
    const evidenceFile = new Map<string, string>();
    for (const r of result.resources) {
      const f = r.evidence?.find((e) => e.file)?.file;
      const rel = f ? (inputs.get(f) ?? inputs.get(resolve(workspace, f))) : undefined;
      if (rel) evidenceFile.set(r.id, rel);
    }
    const annotations = annotationsFor(result.findings, g, failOn, allowErrors, (f) =>
      evidenceFile.get(f.resourceId),
    );
    for (const a of annotations) io.stdout(a);

    const s = result.summary.byStatus;
    const has = (f: BundleFormat) => files.includes(f);
    const outputs: ActionOutputs = {
      pass: s.pass,
      fail: s.fail,
      error: s.error,
      waived: s.waived,
      "not-applicable": s.not_applicable,
      total: result.summary.total,
      violations: g.newViolations.length + g.knownViolations.length,
      "new-violations": g.newViolations.length,
      "output-dir": files.length ? outputDir : "",
      report: has("html") ? join(outputDir, FORMAT_FILES.html) : "",
      "report-md": has("md") ? join(outputDir, FORMAT_FILES.md) : "",
      sarif: has("sarif") ? join(outputDir, FORMAT_FILES.sarif) : "",
      findings: has("json") ? join(outputDir, FORMAT_FILES.json) : "",
      "exit-code": g.exitCode,
    };
    if (env.GITHUB_OUTPUT)
      appendFileSync(
        env.GITHUB_OUTPUT,
        Object.entries(outputs)
          .map(([k, v]) => outputRecord(k, String(v)))
          .join(""),
      );

    const header = headerMarkdown(
      result,
      g,
      failOn,
      allowErrors,
      baselineInput || undefined,
      shown(workspace, outputDir),
    );
    const room = Math.min(SUMMARY_BUDGET, JOB_SUMMARY_LIMIT) - Buffer.byteLength(header) - 1;
    const summary = `${header}${renderMarkdown(result, { maxBytes: room, bundlePath: shown(workspace, outputDir) })}`;
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary);

    if (g.exitCode)
      text.stdout(
        `Cipherproof failed: ${g.newViolations.length} ${baselineInput ? "new " : ""}violation${g.newViolations.length === 1 ? "" : "s"} (fail-on ${failOn}${allowErrors ? "" : ", error findings count"})\n`,
      );
    return { exitCode: g.exitCode, outputs, annotations, summary };
  } catch (err) {
    if (!isCipherproofError(err)) throw err;
    const message = formatErrors(err);
    io.stdout(workflowCommand("error", { title: "Cipherproof input error" }, message));
    text.stderr(`${message}\n`);
    return { exitCode: 2, annotations: [] };
  }
}
