import { dirname, resolve } from "node:path";
import { CipherproofError } from "../core/errors.js";
import type { ScanResult } from "../scan.js";
import { deliverTargets, flushSpools, reportDelivery, type SiemIO, type TargetReport } from "./deliver.js";
import type { EventSelection } from "./events.js";
import { parseTargets, type Target, type TargetConfig, type TargetOptions } from "./spec.js";

/** Parsed `--siem*` flag values. */
export interface SiemFlags {
  siem?: string[];
  "siem-events"?: string;
  "siem-ca-file"?: string;
  "siem-client-cert"?: string;
  "siem-client-key"?: string;
  "siem-spool"?: string;
}

function eventsFlag(value: string | undefined): EventSelection | undefined {
  if (value === undefined) return undefined;
  if (value !== "failures" && value !== "all")
    throw new CipherproofError("USAGE", `--siem-events must be failures or all, not "${value}"`);
  return value;
}

function sharedFromFlags(flags: SiemFlags, cwd: string): TargetOptions {
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));
  const o: TargetOptions = {};
  if (flags["siem-ca-file"]) o.caFile = abs(flags["siem-ca-file"]);
  if (flags["siem-client-cert"]) o.clientCert = abs(flags["siem-client-cert"]);
  if (flags["siem-client-key"]) o.clientKey = abs(flags["siem-client-key"]);
  return o;
}

/** Refuse a stdout target when stdout carries the findings JSON (`--out -`): the two streams would interleave. */
export function rejectStdoutClash(targets: Target[], outDir: string | undefined): void {
  if (outDir !== "-") return;
  const t = targets.find((x) => x.sink.kind === "stdout");
  if (t)
    throw new CipherproofError(
      "USAGE",
      `--siem ${t.spec} writes events to stdout, which --out - already uses for the findings JSON`,
      {},
      "send the events to a file (FORMAT@file:PATH) or write the reports to a folder (--out DIR)",
    );
}

/**
 * Check the `--siem*` flags before the scan runs, so a bad spec is a usage error (exit 2) with nothing done;
 * `outDir` is the `--out` flag (a stdout target clashes with `--out -`).
 */
export function checkSiemFlags(flags: SiemFlags, cwd: string, outDir?: string): void {
  eventsFlag(flags["siem-events"]);
  rejectStdoutClash(parseTargets(flags.siem ?? [], cwd), outDir);
  const shared = sharedFromFlags(flags, cwd);
  if (!!shared.clientCert !== !!shared.clientKey) {
    throw new CipherproofError("USAGE", "--siem-client-cert and --siem-client-key go together");
  }
}

/**
 * After a scan wrote its outputs: deliver its events to the `--siem` targets and the config's `siem.targets`, and
 * report on stderr. Delivery failures never change the scan's exit code: undelivered events are in the spool.
 */
export async function scanSiem(
  result: ScanResult,
  flags: SiemFlags,
  outDir: string,
  io: SiemIO,
): Promise<TargetReport[]> {
  const cfg = result.config.siem ?? {};
  const configDir = result.configFile ? dirname(resolve(io.cwd, result.configFile)) : io.cwd;
  const fromFlags = flags.siem ?? [];
  const fromConfig = (cfg.targets ?? []) as TargetConfig[];
  if (fromFlags.length === 0 && fromConfig.length === 0) return [];
  const shared: TargetOptions = {
    ...(cfg.caFile ? { caFile: cfg.caFile } : {}),
    ...(cfg.clientCert ? { clientCert: cfg.clientCert } : {}),
    ...(cfg.clientKey ? { clientKey: cfg.clientKey } : {}),
    ...sharedFromFlags(flags, io.cwd),
  };
  const spoolDir = flags["siem-spool"]
    ? resolve(io.cwd, flags["siem-spool"])
    : (cfg.spoolDir ?? resolve(io.cwd, outDir === "-" ? "reports" : outDir, ".spool"));
  const events = eventsFlag(flags["siem-events"]) ?? cfg.events ?? "failures";
  // Config targets resolve relative file sinks against the config file's folder, flag targets against the cwd.
  const targets = [
    ...parseTargets(fromConfig, configDir, shared),
    ...parseTargets(fromFlags, io.cwd, shared),
  ];
  rejectStdoutClash(targets, outDir);
  const reports = await deliverTargets(result, targets, { events, spoolDir }, io);
  reportDelivery(reports, io);
  return reports;
}

/** Check the config file's `siem.targets` once the scan loaded it, before anything is written (see rejectStdoutClash). */
export function checkSiemConfig(result: ScanResult, outDir: string, cwd: string): void {
  const targets = (result.config.siem?.targets ?? []) as TargetConfig[];
  if (!targets.length || outDir !== "-") return;
  const configDir = result.configFile ? dirname(resolve(cwd, result.configFile)) : cwd;
  rejectStdoutClash(parseTargets(targets, configDir), outDir);
}

/** Help text for `cipherproof siem`. */
export const SIEM_HELP = `Usage: cipherproof siem flush [options]

Deliver the events that earlier scans could not deliver (kept in the spool folder) to the targets they were meant for.

Options:
  --spool DIR            spool folder (default: the config's siem.spoolDir, else OUT/.spool)
  --out DIR              the scan's output folder whose .spool to flush (default reports)
  --config FILE          cipherproof.config.json / .yaml (for siem.spoolDir and TLS files)
  --siem-ca-file FILE    CA bundle that signs the SIEM's certificate
  --siem-client-cert FILE, --siem-client-key FILE   client certificate for mutual TLS

Exit codes: 0 everything delivered (or nothing to do); 1 some events are still in the spool; 2 usage error.
`;

/** `cipherproof siem flush`: deliver every spool; the exit code says whether anything is left. */
export async function siemFlush(
  flags: SiemFlags & { spool?: string; out?: string },
  config: { spoolDir?: string; caFile?: string; clientCert?: string; clientKey?: string; outDir?: string },
  io: SiemIO,
): Promise<number> {
  checkSiemFlags({ ...flags, siem: [] }, io.cwd);
  const spoolDir = flags.spool
    ? resolve(io.cwd, flags.spool)
    : flags.out
      ? resolve(io.cwd, flags.out, ".spool")
      : (config.spoolDir ?? resolve(io.cwd, config.outDir ?? "reports", ".spool"));
  const shared: TargetOptions = {
    ...(config.caFile ? { caFile: config.caFile } : {}),
    ...(config.clientCert ? { clientCert: config.clientCert } : {}),
    ...(config.clientKey ? { clientKey: config.clientKey } : {}),
    ...sharedFromFlags(flags, io.cwd),
  };
  const reports = await flushSpools({ spoolDir, shared }, io);
  if (reports.length === 0) {
    io.stderr(`siem flush: nothing spooled in ${spoolDir}\n`);
    return 0;
  }
  reportDelivery(reports, io);
  return reports.some((r) => r.spooled > 0) ? 1 : 0;
}
