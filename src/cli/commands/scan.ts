import { statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { AWS_SCAN_HELP, AWS_SCAN_OPTIONS, awsOptionsFromFlags } from "../../collectors/aws/flags.js";
import { CipherproofError } from "../../core/errors.js";
import { exitCodeFor } from "../../core/summary.js";
import { expandSnapshots } from "../../loaders/snapshot-files.js";
import { renderConsole } from "../../reporters/console.js";
import { renderJsonChunks } from "../../reporters/json.js";
import { gate, parseShard, scan } from "../../scan.js";
import { SIEM_SCAN_HELP, SIEM_SCAN_OPTIONS } from "../../siem/flags.js";
import { list, parse, severityFlag } from "../args.js";
import type { CliIO } from "../io.js";
import {
  ALL_FORMATS,
  BUNDLE_OPTIONS,
  bundleFormats,
  bundleLines,
  checkFormats,
  FORMATS_HELP,
  keyOptions,
} from "./bundle-options.js";

/** Help text for `cipherproof scan`. */
export const SCAN_HELP = `Usage: cipherproof scan [sources] [options]

Sources (at least one):
${AWS_SCAN_HELP}  --snapshot FILE|DIR    AWS Config snapshot (.json or .json.gz; delivered-to-S3 format, or the output of
                         aws configservice batch-get-resource-config / select-resource-config). Repeatable;
                         a folder means every .json / .json.gz file in it.
  --endpoints TARGET|FILE  live endpoints (repeatable): https://host[:port], host:port (TLS), postgres://host[:port]
                         [/db][?user=NAME], smtp://host:port (STARTTLS), http://host[:port] (must redirect or refuse),
                         or a JSON/YAML file listing targets as strings or {target, sni, hostname, name}

Endpoint options:
  --ca-file FILE         trust this PEM CA bundle in addition to the system store
  --connect-timeout MS   TCP connect timeout (default 5000)
  --read-timeout MS      longest wait for any one answer (default 5000)
  --max-per-host N       simultaneous connections per host (default 4)
  --delay MS             pause between connection starts to the same host (default 0)
  --concurrency N        endpoints scanned at once (default 8)
  --tls-profile NAME     add a versioned TLS policy profile: mozilla-intermediate, mozilla-modern (repeatable)

Options:
  --policies DIR         add a policy folder to the built-in pack (repeatable)
  --no-builtin           leave the built-in pack out
  --config FILE          cipherproof.config.json / .yaml
  --fail-on SEVERITY     exit 1 on failures at or above: info, low, medium, high, critical (default info)
  --allow-errors         findings that could not be evaluated do not change the exit code
  --out DIR              evidence bundle folder (default reports): a new, empty, or previous-bundle folder, replaced
                         atomically; --out - streams findings JSON to stdout instead (console output goes to stderr)
${FORMATS_HELP}
  --as-of TIME           evaluate as of this ISO date/time instead of now (ages, expiries, waivers)
  --baseline FILE|DIR    fail only on new violations: a failure whose finding id already failed in this earlier
                         findings.json or bundle folder (verified) is still reported but does not change the exit code
  --shard I/N            evaluate only shard I of N (resources partitioned by a hash of their id, after collection);
                         merge the N bundles with \`cipherproof merge\`
  --limit N              print at most N failures in the console (default all)
  --no-color             never colour the console output

${SIEM_SCAN_HELP}
Exit codes: 0 nothing at or above --fail-on; 1 violations (or errors unless --allow-errors); 2 usage or input error.
`;

const FORMATS: string[] = [...ALL_FORMATS];

/** A path relative to the working directory when it lies inside it, else absolute. */
function shortPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}

/** An --endpoints argument that names an existing file is resolved against the working directory; host:port stays as is. */
function resolveIfFile(cwd: string, arg: string): string {
  const p = resolve(cwd, arg);
  try {
    return statSync(p).isFile() ? p : arg;
  } catch {
    return arg;
  }
}

/** `cipherproof scan`: collect, evaluate, report; returns the exit code. */
export async function scanCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      snapshot: { type: "string", multiple: true },
      endpoints: { type: "string", multiple: true },
      "ca-file": { type: "string" },
      "connect-timeout": { type: "string" },
      "read-timeout": { type: "string" },
      "max-per-host": { type: "string" },
      delay: { type: "string" },
      concurrency: { type: "string" },
      "tls-profile": { type: "string", multiple: true },
      policies: { type: "string", multiple: true },
      "no-builtin": { type: "boolean" },
      config: { type: "string" },
      "fail-on": { type: "string" },
      "allow-errors": { type: "boolean" },
      ...BUNDLE_OPTIONS,
      limit: { type: "string" },
      "as-of": { type: "string" },
      baseline: { type: "string" },
      shard: { type: "string" },
      "no-color": { type: "boolean" },
      ...SIEM_SCAN_OPTIONS,
      ...AWS_SCAN_OPTIONS,
      help: { type: "boolean", short: "h" },
    },
    "scan",
    true,
  );
  if (values.help) {
    io.stdout(SCAN_HELP);
    return 0;
  }
  const failOnFlag = severityFlag(values["fail-on"], "--fail-on");
  const siemWanted =
    values.siem?.length ||
    values["siem-events"] ||
    values["siem-ca-file"] ||
    values["siem-client-cert"] ||
    values["siem-client-key"] ||
    values["siem-spool"];
  const siem = siemWanted ? await import("../../siem/cli.js") : undefined;
  siem?.checkSiemFlags(values, io.cwd, values.out);
  const formatsFlag = list(values.format);
  checkFormats(formatsFlag);
  const keys = keyOptions(values, io.cwd);
  if (values.out === "-" && bundleFormats(formatsFlag).some((f) => f !== "json")) {
    throw new CipherproofError(
      "USAGE",
      "--out - streams findings JSON only",
      {},
      "write the other formats to a folder: --out DIR",
    );
  }
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 0)
      throw new CipherproofError("USAGE", `--limit must be a whole number, not "${values.limit}"`);
  }
  let now: Date | undefined;
  if (values["as-of"] !== undefined) {
    now = new Date(values["as-of"]);
    if (!/^\d{4}-\d{2}-\d{2}/.test(values["as-of"]) || Number.isNaN(now.getTime())) {
      throw new CipherproofError(
        "USAGE",
        `--as-of must be an ISO 8601 date or time, not "${values["as-of"]}"`,
      );
    }
  }
  // Paths stay as the user gave them (relative to the working directory) so messages and evidence name them the same way.
  const snapshots = expandSnapshots((values.snapshot ?? []).map((f) => resolve(io.cwd, f))).map((f) =>
    shortPath(io.cwd, f),
  );
  // `--endpoints a b c`: further bare arguments are more targets; without --endpoints they are a usage error.
  if (positionals.length && !values.endpoints?.length) {
    throw new CipherproofError(
      "USAGE",
      `scan: unexpected argument "${positionals[0]}"`,
      {},
      "run `cipherproof scan --help` for the options",
    );
  }
  const endpoints = [...(values.endpoints ?? []), ...positionals]
    .flatMap((e) => e.split(/\s+/))
    .filter(Boolean);
  const { aws, aggregator } = awsOptionsFromFlags(values, io);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const baseline = values.baseline
    ? (await (await import("../../evidence/load.js")).loadScanRecord(resolve(io.cwd, values.baseline))).data
        .findings
    : undefined;
  if (snapshots.length === 0 && endpoints.length === 0 && !aws && !aggregator) {
    throw new CipherproofError(
      "USAGE",
      "scan: no source given",
      {},
      "give --aws, --config-aggregator NAME, --snapshot FILE or --endpoints TARGET|FILE (see `cipherproof scan --help`)",
    );
  }
  const whole = (flag: string, min: number): number | undefined => {
    const v = values[flag as "delay"];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min) {
      throw new CipherproofError("USAGE", `--${flag} must be a whole number of at least ${min}, not "${v}"`);
    }
    return n;
  };
  const endpointOptions = {
    caFile: values["ca-file"] ? resolve(io.cwd, values["ca-file"]) : undefined,
    connectTimeoutMs: whole("connect-timeout", 1),
    readTimeoutMs: whole("read-timeout", 1),
    maxConnectionsPerHost: whole("max-per-host", 1),
    delayMs: whole("delay", 0),
    concurrency: whole("concurrency", 1),
  };

  const result = await scan({
    aws,
    awsConfigAggregator: aggregator,
    snapshots,
    endpoints: endpoints.map((e) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(e) ? e : resolveIfFile(io.cwd, e))),
    endpointOptions,
    profiles: values["tls-profile"],
    policyDirs: (values.policies ?? []).map((d) => resolve(io.cwd, d)),
    builtin: values["no-builtin"] ? false : undefined,
    configFile: values.config ? resolve(io.cwd, values.config) : undefined,
    now,
    shard,
  });
  const { failOn, allowErrors } = gate(result.config, {
    failOn: failOnFlag,
    allowErrors: values["allow-errors"] || undefined,
  });
  const formats = formatsFlag.length ? formatsFlag : (result.config.output?.formats ?? FORMATS);
  const outDir = values.out ?? result.config.output?.dir ?? "reports";
  if (outDir === "-" && result.config.siem?.targets?.length)
    (siem ?? (await import("../../siem/cli.js"))).checkSiemConfig(result, outDir, io.cwd);
  // An encrypted bundle must not sit beside a plaintext copy of its findings: the spool of events a SIEM did not
  // take (OUT/.spool unless told otherwise) holds resource names, ARNs and messages.
  if (
    keys.encryption &&
    (values.siem?.length || result.config.siem?.targets?.length) &&
    !values["siem-spool"] &&
    !result.config.siem?.spoolDir
  ) {
    throw new CipherproofError(
      "USAGE",
      `--encrypt-with encrypts the bundle in ${outDir}, but SIEM events that cannot be delivered would be spooled unencrypted in ${outDir}/.spool`,
      {},
      "give --siem-spool DIR (or siem.spoolDir in the config): a folder outside the bundle that you protect",
    );
  }

  const color = io.isTTY && !values["no-color"] && !io.env.NO_COLOR && io.env.TERM !== "dumb";
  // With a baseline the exit code is the baseline gate's, so the console verdict is too.
  const baselineGate = baseline
    ? (await import("../../core/diff.js")).gateAgainstBaseline(result.findings, baseline, failOn, allowErrors)
    : undefined;
  const knownViolations = baselineGate ? new Set(baselineGate.knownViolations.map((f) => f.id)) : undefined;
  const consoleText = formats.includes("console")
    ? renderConsole(result, { color, failOn, allowErrors, limit, knownViolations })
    : undefined;
  if (outDir === "-") {
    // stdout carries the findings JSON, so people read the console output on stderr.
    if (formats.includes("json")) for (const piece of renderJsonChunks(result)) io.stdout(piece);
    if (consoleText !== undefined) (formats.includes("json") ? io.stderr : io.stdout)(consoleText);
  } else {
    const files = bundleFormats(formats);
    const { writeBundle } = await import("../../evidence/bundle.js");
    const written = files.length
      ? await writeBundle(resolve(io.cwd, outDir), result, { formats: files, ...keys })
      : undefined;
    if (consoleText !== undefined) io.stdout(consoleText);
    if (written) io.stdout(bundleLines(written, outDir));
  }
  // SIEM delivery comes after the scan's own outputs; a failure is reported on stderr and the events are spooled,
  // so it does not change the exit code.
  if (siem || result.config.siem?.targets?.length)
    await (siem ?? (await import("../../siem/cli.js"))).scanSiem(result, values, outDir, io);
  if (baselineGate) {
    const g = baselineGate;
    io.stdout(
      `baseline ${values.baseline}: ${g.newViolations.length} new violation${g.newViolations.length === 1 ? "" : "s"}, ${g.knownViolations.length} already in the baseline (reported, not counted)\n`,
    );
    return g.exitCode;
  }
  return exitCodeFor(result.findings, failOn, allowErrors);
}
