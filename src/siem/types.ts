import type { Finding, Severity, Status } from "../core/types.js";

/** The SIEM formats Cipherproof can emit. */
export const SIEM_FORMATS = ["ocsf", "ecs", "cef", "rfc5424", "hec"] as const;
/** One SIEM format name. */
export type SiemFormat = (typeof SIEM_FORMATS)[number];

/** What an event is about. */
export type SiemEventKind = "finding" | "scan_started" | "scan_completed";

/** Policy facts a format may quote (from the compiled policy definition). */
export interface PolicyFacts {
  title: string;
  description: string;
  remediation: string;
  references: string[];
  version?: string;
}

/** Everything about the scan that formats need besides the finding itself; a plain value so formats stay pure. */
export interface ScanContext {
  scanId: string;
  product: { name: string; vendor: string; version: string };
  startedAt: string;
  finishedAt: string;
  /** Host the scan ran on (syslog HOSTNAME, ECS observer, HEC host). */
  host: string;
  /** Process id of the scanner (syslog PROCID). */
  pid: number;
  accounts: string[];
  regions: string[];
  /** Framework id → title. */
  frameworks: Record<string, string>;
  /** Policy id → facts. */
  policies: Record<string, PolicyFacts>;
  /** Resource id → provider (e.g. "aws"), when the scan knows it. */
  providers: Record<string, string>;
  /** Counts by status over every finding of the scan. */
  counts: Record<Status, number> & { total: number };
  /** Findings selected for delivery ("failures" or "all"). */
  selected: number;
  /** Which findings are delivered. */
  events: "failures" | "all";
  /** Syslog header settings of the target (rfc5424 format): facility and enterprise number of the SD-ID. */
  syslog?: { facility?: number; enterpriseId?: number };
}

/** One event ready for delivery: its id (stable finding id + scan id), its time and its formatted body. */
export interface SiemEvent {
  id: string;
  kind: SiemEventKind;
  format: SiemFormat;
  /** Event time in milliseconds since the epoch. */
  time: number;
  severity: Severity;
  /** JSON formats give an object, line formats (cef, rfc5424) a string. */
  body: Record<string, unknown> | string;
}

/** A format: pure functions from a finding or the scan to an event body. */
export interface SiemFormatter {
  finding(finding: Finding, ctx: ScanContext): Record<string, unknown> | string;
  scanStarted(ctx: ScanContext): Record<string, unknown> | string;
  scanCompleted(ctx: ScanContext): Record<string, unknown> | string;
}
