import { resolve } from "node:path";
import { type DriftEntry, dedupeFindings, describeConflicts, diffFindings } from "../../core/diff.js";
import { CipherproofError } from "../../core/errors.js";
import { compareSeverity } from "../../core/types.js";
import { loadScanRecord } from "../../evidence/load.js";
import { parse, severityFlag } from "../args.js";
import type { CliIO } from "../io.js";

/** Help text for `cipherproof diff`. */
export const DIFF_HELP = `Usage: cipherproof diff OLD NEW [--json] [--fail-on SEVERITY] [--all]

Compares two scans by stable finding id (a hash of policy id + resource id). OLD and NEW are findings.json files
or evidence bundle folders; a bundle folder is verified first and refused when it does not verify.

  new         failing now, not failing before (absent, pass, error, waived or not applicable before)
  resolved    failing before; now pass, waived, not applicable, or the finding is gone
  changed     any other status change (e.g. fail → error, pass → error, a finding that appeared passing)
  unchanged   the same status in both

Options:
  --json                 print the drift as JSON instead of text
  --fail-on SEVERITY     count only new failures at or above this severity for the exit code (default info)
  --all                  also list unchanged findings in the text output

Exit codes: 0 no new failures (at or above --fail-on); 1 new failures; 2 usage or input error (including a bundle
that does not verify).
`;

const ARROW = (e: DriftEntry) => `${e.before ?? "absent"} → ${e.after ?? "absent"}`;

/** `cipherproof diff OLD NEW`: exit 1 when NEW has failures OLD did not have. */
export async function diffCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      json: { type: "boolean" },
      "fail-on": { type: "string" },
      all: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "diff",
    true,
  );
  if (values.help) {
    io.stdout(DIFF_HELP);
    return 0;
  }
  if (positionals.length !== 2)
    throw new CipherproofError(
      "USAGE",
      "diff: give exactly two scans, OLD and NEW",
      {},
      "cipherproof diff last-week/findings.json reports",
    );
  const failOn = severityFlag(values["fail-on"], "--fail-on") ?? "info";
  const [oldRec, newRec] = [
    await loadScanRecord(resolve(io.cwd, positionals[0])),
    await loadScanRecord(resolve(io.cwd, positionals[1])),
  ];
  // A finding id repeated within one scan is counted once (the later evaluation; on a tie the worse status).
  for (const [rec, shown] of [
    [oldRec, positionals[0]],
    [newRec, positionals[1]],
  ] as const) {
    const said = describeConflicts(dedupeFindings(rec.data.findings).conflicts, `within ${shown}`);
    if (said) io.stderr(`warning: ${said}\n`);
  }
  const drift = diffFindings(oldRec.data.findings, newRec.data.findings);
  const counting = drift.new.filter((e) => compareSeverity(e.severity, failOn) >= 0);
  const code = counting.length ? 1 : 0;
  if (values.json) {
    const side = (r: typeof oldRec, shown: string) => ({
      path: shown,
      scanId: r.data.scanId,
      startedAt: r.data.startedAt,
      verified: r.verified,
      findings: r.data.findings.length,
    });
    io.stdout(
      `${JSON.stringify(
        {
          before: side(oldRec, positionals[0]),
          after: side(newRec, positionals[1]),
          failOn,
          newViolations: counting.length,
          ...drift,
        },
        null,
        2,
      )}\n`,
    );
    return code;
  }
  const out: string[] = [];
  out.push(
    `drift ${positionals[0]} (scan ${oldRec.data.scanId}, ${oldRec.data.startedAt}) → ${positionals[1]} (scan ${newRec.data.scanId}, ${newRec.data.startedAt})`,
  );
  out.push(
    `${drift.counts.new} new, ${drift.counts.resolved} resolved, ${drift.counts.changed} changed, ${drift.counts.unchanged} unchanged`,
  );
  const section = (title: string, list: DriftEntry[]) => {
    if (!list.length) return;
    out.push("", `${title} (${list.length})`);
    for (const e of list)
      out.push(
        `  ${e.severity.toUpperCase().padEnd(8)} ${e.policyId}  ${e.resourceName}  [${ARROW(e)}]  ${e.id}`,
        `           ${e.message}`,
      );
  };
  section("New failures", drift.new);
  section("Resolved", drift.resolved);
  section("Changed status", drift.changed);
  if (values.all) section("Unchanged", drift.unchanged);
  out.push(
    "",
    code
      ? `FAIL: ${counting.length} new failure${counting.length === 1 ? "" : "s"} at or above ${failOn}`
      : `OK: no new failures at or above ${failOn}`,
  );
  io.stdout(`${out.join("\n")}\n`);
  return code;
}
