import { CipherproofError } from "./errors.js";
import type { ControlStatus } from "./frameworks/index.js";
import type { Severity, Status } from "./types.js";

/** One scan as audit-period evidence reads it: when it ran, its controls' roll-up and its findings. */
export interface PeriodScan {
  /** Where the scan came from (a bundle folder), for the report. */
  source: string;
  scanId: string;
  /** When the scan evaluated the resources (ISO 8601). */
  at: string;
  /** How the bundle was verified, recorded with the scan in the report. */
  provenance?: PeriodProvenance;
  controls: Array<{ framework: string; id: string; title: string; status: ControlStatus }>;
  findings: Array<{
    id: string;
    policyId: string;
    resourceId: string;
    resourceName: string;
    severity: Severity;
    title: string;
    status: Status;
  }>;
}

/** Where a scan's evidence came from and how it was checked. */
export interface PeriodProvenance {
  /** SHA-256 fingerprint of the public key that signed the bundle's manifest. */
  signingKeySha256: string;
  /** "bundle-key": only with the public key inside the bundle; "public-key": --public-key FILE; "kms": KMS Verify. */
  checkedWith: "bundle-key" | "public-key" | "kms";
  /** True when the bundle was rebuilt by `cipherproof report` from a findings file rather than written by a scan. */
  rebuilt: boolean;
  /** The findings file it was rebuilt from, when rebuilt. */
  rebuiltFrom?: { file: string; sha256: string };
}

/** A control's or a finding's state in one scan, as the period report counts it. */
export type PeriodState = "held" | "not_held" | "no_evidence" | "absent";

/** A maximal stretch of scans in which something did not hold, from the first scan that showed it to the next that held. */
export interface PeriodInterval {
  /** The first scan in which it did not hold. */
  firstSeen: string;
  /** The last scan in which it did not hold. */
  lastSeen: string;
  /** The last scan before firstSeen in which it held (null when none in the window): the problem began after it. */
  lastHeldBefore: string | null;
  /** The first later scan in which it held again (or, for a finding, its resource was gone); null while still open. */
  resolved: string | null;
  /** How it ended: held again, or (findings only) the finding disappeared (resource or policy gone). */
  resolvedBy: "held" | "gone" | null;
  /** resolved − firstSeen, in milliseconds and days; null while open. */
  remediationMs: number | null;
  remediationDays: number | null;
  /** Scans in the interval, and the statuses seen in them. */
  scans: number;
  statuses: Partial<Record<string, number>>;
}

/** How one control fared over the window. */
export interface ControlPeriod {
  framework: string;
  control: string;
  title: string;
  scans: number;
  held: number;
  notHeld: number;
  noEvidence: number;
  /** held / scans, or null when no scan had automated evidence for it. */
  heldShare: number | null;
  /** The control's status in each scan, in scan order. */
  timeline: Array<ControlStatus | "absent">;
  intervals: PeriodInterval[];
}

/** How one finding (policy × resource) that failed at least once fared over the window. */
export interface FindingPeriod {
  id: string;
  policyId: string;
  resourceId: string;
  resourceName: string;
  severity: Severity;
  title: string;
  /** Scans in which the finding existed. */
  present: number;
  held: number;
  notHeld: number;
  /** held / present. */
  heldShare: number;
  timeline: Array<Status | "absent">;
  intervals: PeriodInterval[];
}

/** Audit-period evidence: per control and per failing finding, how often it held and every interval it did not. */
export interface PeriodReport {
  window: { from: string; to: string };
  scans: Array<{ source: string; scanId: string; at: string } & Partial<PeriodProvenance>>;
  controls: ControlPeriod[];
  findings: FindingPeriod[];
}

const DAY_MS = 86_400_000;

function controlState(s: ControlStatus | "absent"): PeriodState {
  if (s === "pass") return "held";
  if (s === "fail" || s === "error") return "not_held";
  return s === "absent" ? "absent" : "no_evidence";
}

function findingState(s: Status | "absent"): PeriodState {
  if (s === "pass" || s === "not_applicable") return "held";
  if (s === "absent") return "absent";
  // A waived finding still failed its policy; an error finding was not shown to hold.
  return "not_held";
}

/**
 * Walk a timeline and return every interval of not-holding: it opens at the first scan that does not hold and closes
 * at the next scan that holds. Scans without evidence do not close it; for findings, absence (the resource or policy
 * is gone) closes it as "gone", for controls it does not.
 */
export function intervalsOf(
  times: string[],
  timeline: string[],
  state: (s: string) => PeriodState,
  absentResolves: boolean,
): PeriodInterval[] {
  const out: PeriodInterval[] = [];
  let open: PeriodInterval | undefined;
  let lastHeld: string | null = null;
  const close = (at: string, by: "held" | "gone") => {
    if (!open) return;
    const ms = Date.parse(at) - Date.parse(open.firstSeen);
    open.resolved = at;
    open.resolvedBy = by;
    open.remediationMs = ms;
    open.remediationDays = Math.round((ms / DAY_MS) * 100) / 100;
    out.push(open);
    open = undefined;
  };
  timeline.forEach((s, i) => {
    const st = state(s);
    const at = times[i];
    if (st === "held") {
      close(at, "held");
      lastHeld = at;
    } else if (st === "not_held") {
      if (!open)
        open = {
          firstSeen: at,
          lastSeen: at,
          lastHeldBefore: lastHeld,
          resolved: null,
          resolvedBy: null,
          remediationMs: null,
          remediationDays: null,
          scans: 0,
          statuses: {},
        };
      open.lastSeen = at;
      open.scans++;
      open.statuses[s] = (open.statuses[s] ?? 0) + 1;
    } else if (st === "absent" && absentResolves) {
      close(at, "gone");
    } else if (open) {
      // Counted as part of the stretch: nothing showed that it held.
      open.scans++;
      open.statuses[s] = (open.statuses[s] ?? 0) + 1;
    }
  });
  if (open) out.push(open);
  return out;
}

/**
 * Build audit-period evidence from scans: only scans evaluated inside [from, to] (inclusive, ISO times; either may be
 * omitted) count, in time order. Controls are keyed by framework + control id; findings by stable finding id, for every
 * finding that did not hold in at least one scan.
 */
export function buildPeriod(all: PeriodScan[], window: { from?: string; to?: string } = {}): PeriodReport {
  const from = window.from ? Date.parse(window.from) : Number.NEGATIVE_INFINITY;
  const to = window.to ? Date.parse(window.to) : Number.POSITIVE_INFINITY;
  if (Number.isNaN(from) || Number.isNaN(to))
    throw new CipherproofError("USAGE", "period: the window's --from or --to is not a date");
  // A scan whose time does not parse would fail every comparison and vanish from the report without a word.
  for (const s of all)
    if (Number.isNaN(Date.parse(s.at)))
      throw new CipherproofError(
        "BUNDLE_INVALID",
        `the scan's evaluation time ${JSON.stringify(s.at).slice(0, 60)} is not a date, so it cannot be placed in the audit period; refusing to use it`,
        { file: s.source },
        "every finding's evaluatedAt must be an RFC 3339 date-time; rescan, or leave the bundle out",
      );
  const scans = all
    .filter((s) => Date.parse(s.at) >= from && Date.parse(s.at) <= to)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.scanId.localeCompare(b.scanId));
  const times = scans.map((s) => s.at);

  const controlKeys = new Map<string, { framework: string; id: string; title: string }>();
  for (const s of scans)
    for (const c of s.controls) {
      const k = `${c.framework}\u0000${c.id}`;
      if (!controlKeys.has(k)) controlKeys.set(k, { framework: c.framework, id: c.id, title: c.title });
    }
  const controls: ControlPeriod[] = [];
  for (const [k, c] of controlKeys) {
    const timeline = scans.map(
      (s) => s.controls.find((x) => `${x.framework}\u0000${x.id}` === k)?.status ?? ("absent" as const),
    );
    const states = timeline.map(controlState);
    const held = states.filter((x) => x === "held").length;
    const notHeld = states.filter((x) => x === "not_held").length;
    controls.push({
      framework: c.framework,
      control: c.id,
      title: c.title,
      scans: scans.length,
      held,
      notHeld,
      noEvidence: scans.length - held - notHeld,
      heldShare: held + notHeld === 0 ? null : held / scans.length,
      timeline,
      intervals: intervalsOf(times, timeline, (s) => controlState(s as ControlStatus), false),
    });
  }
  controls.sort(
    (a, b) =>
      a.framework.localeCompare(b.framework) ||
      a.control.localeCompare(b.control, undefined, { numeric: true }),
  );

  const failing = new Map<string, PeriodScan["findings"][number]>();
  for (const s of scans)
    for (const f of s.findings)
      if (findingState(f.status) === "not_held" && f.status !== "error") failing.set(f.id, f);
  const byScan = scans.map((s) => new Map(s.findings.map((f) => [f.id, f])));
  const findings: FindingPeriod[] = [];
  for (const [id, f] of failing) {
    const timeline = byScan.map((m) => m.get(id)?.status ?? ("absent" as const));
    const states = timeline.map(findingState);
    const held = states.filter((x) => x === "held").length;
    const notHeld = states.filter((x) => x === "not_held").length;
    const present = timeline.filter((x) => x !== "absent").length;
    findings.push({
      id,
      policyId: f.policyId,
      resourceId: f.resourceId,
      resourceName: f.resourceName,
      severity: f.severity,
      title: f.title,
      present,
      held,
      notHeld,
      heldShare: present ? held / present : 0,
      timeline,
      intervals: intervalsOf(times, timeline, (s) => findingState(s as Status), true),
    });
  }
  findings.sort((a, b) => a.policyId.localeCompare(b.policyId) || a.resourceId.localeCompare(b.resourceId));
  return {
    window: {
      from: window.from ?? times[0] ?? "",
      to: window.to ?? times.at(-1) ?? "",
    },
    scans: scans.map((s) => ({ source: s.source, scanId: s.scanId, at: s.at, ...(s.provenance ?? {}) })),
    controls,
    findings,
  };
}
