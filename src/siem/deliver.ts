import { rmSync } from "node:fs";
import { hostname } from "node:os";
import type { ScanResult } from "../scan.js";
import { buildEvents, type EventSelection, scanContext } from "./events.js";
import { redact } from "./retry.js";
import { elasticSink } from "./sinks/elastic.js";
import { fileSink, stdoutSink } from "./sinks/file.js";
import { hecSink } from "./sinks/hec.js";
import type { Sink, SinkEnv } from "./sinks/sink.js";
import { syslogTlsSink } from "./sinks/syslog-tls.js";
import {
  parseTarget,
  parseTargets,
  type Target,
  type TargetConfig,
  type TargetOptions,
  targetKey,
} from "./spec.js";
import {
  appendSpool,
  listSpools,
  parkEvents,
  parkedFiles,
  readSpool,
  removeAbandonedParkTemps,
  rewriteSpool,
  SpoolLockedError,
  type SpoolLockOptions,
  spoolPaths,
  withSpoolLock,
} from "./spool.js";
import { tlsMaterial } from "./tls.js";
import type { SiemEvent } from "./types.js";

/** Where delivery writes its messages and reads its secrets (the CLI's io fits). */
export interface SiemIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** How to deliver. */
export interface SiemOptions {
  /** Which findings become events (default "failures": status fail or error). */
  events?: EventSelection;
  /** Folder of the spools (absolute, or relative to io.cwd). */
  spoolDir: string;
  /** Options every target gets unless it sets its own (CA file, client certificate, retry…). */
  shared?: TargetOptions;
  /** Host name reported in events (default: this machine's). */
  host?: string;
  /** Process id reported in syslog events (default: this process's). */
  pid?: number;
  /** Waiting for a spool another delivery holds (default: up to 10 minutes). */
  lock?: SpoolLockOptions;
}

/** The outcome for one target. */
export interface TargetReport {
  target: string;
  delivered: number;
  /** Events from an earlier run's spool that were in this delivery. */
  replayed: number;
  /** Events now in the spool (undelivered). */
  spooled: number;
  spoolFile?: string;
  errors: string[];
}

/** Build the sink a target names. */
export function createSink(t: Target, env: SinkEnv): Sink {
  const s = t.sink;
  switch (s.kind) {
    case "file":
      return fileSink(s.path);
    case "stdout":
      return stdoutSink(env.stdout);
    case "hec":
      return hecSink(s.url, t.options, tlsMaterial(t.options), env);
    case "elastic":
      return elasticSink(s.url, s.index, t.options, tlsMaterial(t.options), env);
    case "syslog-tls":
      return syslogTlsSink(s.host, s.port, t.options, tlsMaterial(t.options), env);
  }
}

function secretsOf(t: Target, env: Record<string, string | undefined>): Array<string | undefined> {
  return [
    env[t.options.tokenEnv ?? "CIPHERPROOF_HEC_TOKEN"],
    env[t.options.apiKeyEnv ?? "CIPHERPROOF_ELASTIC_API_KEY"],
  ];
}

/**
 * Deliver a target's events through its spool: fresh events are appended to the spool (fsync'd) before any delivery
 * attempt, so even a killed process loses nothing; then everything spooled is sent, oldest first, and the spool is
 * rewritten with what did not arrive (removed when everything did).
 */
async function deliverTarget(
  t: Target,
  fresh: SiemEvent[],
  spoolDir: string,
  sinkEnv: SinkEnv,
  lock?: SpoolLockOptions,
): Promise<TargetReport> {
  // One delivery per spool at a time: a concurrent scan or flush would otherwise rewrite the spool without the
  // events the other appended meanwhile.
  try {
    return await withSpoolLock(spoolDir, t, () => deliverLocked(t, fresh, spoolDir, sinkEnv), lock);
  } catch (err) {
    if (!(err instanceof SpoolLockedError)) throw err;
    const none = { target: t.spec, delivered: 0, replayed: 0, spooled: 0 };
    if (fresh.length === 0) {
      // A flush that cannot take the lock leaves everything where it was: say how much, so it does not read as done.
      const waiting = [spoolPaths(spoolDir, t).events, ...parkedFiles(spoolDir, t)].reduce(
        (n, f) => n + readSpool(f).events.length,
        0,
      );
      return {
        ...none,
        spooled: waiting,
        ...(waiting ? { spoolFile: spoolPaths(spoolDir, t).events } : {}),
        errors: [`nothing was sent: ${err.message}`],
      };
    }
    // Another delivery holds the spool for longer than we wait: park the new events beside it instead of losing them.
    try {
      const file = parkEvents(spoolDir, t, fresh);
      return {
        ...none,
        spooled: fresh.length,
        spoolFile: file,
        errors: [
          `${err.message}; the new events were parked and go out with the next delivery to this target`,
        ],
      };
    } catch (parkErr) {
      const why = (parkErr as NodeJS.ErrnoException).code ?? (parkErr as Error).message;
      return {
        ...none,
        errors: [`${fresh.length} events could be neither delivered nor spooled (${why}): ${err.message}`],
      };
    }
  }
}

async function deliverLocked(
  t: Target,
  fresh: SiemEvent[],
  spoolDir: string,
  sinkEnv: SinkEnv,
): Promise<TargetReport> {
  const paths = spoolPaths(spoolDir, t);
  const errors: string[] = [];
  // Events parked while another delivery held the spool join it first, oldest first.
  removeAbandonedParkTemps(spoolDir, t);
  for (const file of parkedFiles(spoolDir, t)) {
    try {
      const { events, torn } = readSpool(file);
      if (torn) errors.push(`${torn} unreadable line(s) in ${file} were skipped`);
      appendSpool(spoolDir, t, events);
      rmSync(file, { force: true });
    } catch (err) {
      errors.push(
        `cannot merge ${file} into the spool: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  let spoolWritable = true;
  if (fresh.length) {
    try {
      appendSpool(spoolDir, t, fresh);
    } catch (err) {
      spoolWritable = false;
      errors.push(
        `cannot write the spool ${paths.events}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  const { events: spooled, torn } = readSpool(paths.events);
  if (torn) errors.push(`${torn} unreadable line(s) in ${paths.events} (an interrupted write) were skipped`);
  const freshIds = new Set(fresh.map((e) => e.id));
  const seen = new Set<string>();
  const all = [...spooled, ...(spoolWritable ? [] : fresh)].filter((e) => {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
  const replayed = all.filter((e) => !freshIds.has(e.id)).length;
  let result: { delivered: number; undelivered: SiemEvent[]; errors: string[] };
  let sink: Sink | undefined;
  try {
    sink = createSink(t, sinkEnv);
    result = await sink.deliver(all);
  } catch (err) {
    // A sink that cannot even start (unreadable CA file…) leaves every event in the spool.
    result = { delivered: 0, undelivered: all, errors: [(err as Error).message] };
  } finally {
    sink?.close();
  }
  errors.push(...result.errors.map((e) => redact(e, secretsOf(t, sinkEnv.env))));
  let spooledNow = result.undelivered.length;
  try {
    rewriteSpool(spoolDir, t, result.undelivered);
  } catch (err) {
    spooledNow = 0;
    errors.push(
      `${result.undelivered.length} events could be neither delivered nor spooled (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  return {
    target: t.spec,
    delivered: result.delivered,
    replayed,
    spooled: spooledNow,
    ...(spooledNow ? { spoolFile: paths.events } : {}),
    errors,
  };
}

function sinkEnv(options: SiemOptions, io: SiemIO): SinkEnv {
  return {
    env: io.env,
    stdout: io.stdout,
    host: options.host ?? hostname(),
    pid: options.pid ?? process.pid,
  };
}

/** Print one line per target to stderr; failures say where the events are kept and how to send them. */
export function reportDelivery(reports: TargetReport[], io: Pick<SiemIO, "stderr">): void {
  for (const r of reports) {
    const replay = r.replayed ? ` (${r.replayed} replayed from the spool)` : "";
    if (r.spooled === 0) io.stderr(`siem ${r.target}: ${r.delivered} events delivered${replay}\n`);
    else {
      io.stderr(
        `siem ${r.target}: delivery failed, ${r.delivered} delivered${replay}, ${r.spooled} kept in ${r.spoolFile}; run \`cipherproof siem flush\` to send them\n`,
      );
    }
    for (const e of r.errors) io.stderr(`  ${e}\n`);
  }
}

/**
 * Send a scan's events to every target (`FORMAT@SINK` strings or config objects): earlier spooled events first, then
 * scan started, the selected findings, scan completed. Never throws for delivery failures (events are spooled);
 * throws CipherproofError for a bad target spec.
 */
export async function deliverSiem(
  result: ScanResult,
  specs: TargetConfig[],
  options: SiemOptions,
  io: SiemIO,
): Promise<TargetReport[]> {
  return deliverTargets(result, parseTargets(specs, io.cwd, options.shared), options, io);
}

/** Deliver to already parsed targets; a target named twice (same format and sink) gets the events once. */
export async function deliverTargets(
  result: ScanResult,
  targets: Target[],
  options: SiemOptions,
  io: SiemIO,
): Promise<TargetReport[]> {
  const unique = new Map<string, Target>();
  for (const t of targets) if (!unique.has(targetKey(t))) unique.set(targetKey(t), t);
  const env = sinkEnv(options, io);
  const ctx = scanContext(result, { host: env.host, pid: env.pid, events: options.events ?? "failures" });
  return Promise.all(
    [...unique.values()].map((t) =>
      deliverTarget(
        t,
        buildEvents(
          result.findings,
          { ...ctx, syslog: { facility: t.options.facility, enterpriseId: t.options.enterpriseId } },
          t.format,
        ),
        options.spoolDir,
        env,
        options.lock,
      ),
    ),
  );
}

/** Deliver every spool in the folder to the target it was written for (`cipherproof siem flush`). */
export async function flushSpools(options: SiemOptions, io: SiemIO): Promise<TargetReport[]> {
  const env = sinkEnv(options, io);
  const reports: TargetReport[] = [];
  for (const { meta } of listSpools(options.spoolDir)) {
    // The key is a canonical spec with absolute paths, so flushing works from any folder.
    const t = parseTarget(meta.key, "/", { ...meta.options, ...definedOnly(options.shared ?? {}) });
    reports.push({
      ...(await deliverTarget({ ...t, spec: meta.spec }, [], options.spoolDir, env, options.lock)),
    });
  }
  return reports;
}

function definedOnly(o: TargetOptions): TargetOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as TargetOptions;
}
