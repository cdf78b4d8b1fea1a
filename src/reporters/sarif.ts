import type { Finding, Severity } from "../core/types.js";
import {
  byImportance,
  controlRefsText,
  evidenceByResource,
  type ReportData,
  type ReportPolicy,
} from "./model.js";

/** Options for the SARIF reporter. */
export interface SarifOptions {
  /** Code-scanning category (the part of automationDetails.id before the run id); default "cipherproof". */
  category?: string;
  /** GitHub code scanning keeps at most 25,000 results per run; more are dropped with a notification. */
  maxResults?: number;
}

/** The OASIS SARIF 2.1.0 schema URI written into `$schema`. */
export const SARIF_SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** GitHub's `security-severity` score per severity (its bands: ≥9 critical, ≥7 high, ≥4 medium, >0 low). */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.0",
  high: "7.0",
  medium: "5.0",
  low: "3.0",
  info: "0.0",
};

/** SARIF `level` of a failed finding by severity. */
export const FAIL_LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/** GitHub code scanning's per-run result limit. */
export const GITHUB_MAX_RESULTS = 25_000;

// GitHub uses only the first 10 tags of a rule.
const MAX_TAGS = 10;

/** A path segment safe in a SARIF relative URI: no colon, space, slash or percent; never empty, "." or "..". */
export function uriSegment(s: string | undefined, fallback: string): string {
  const clean = (s ?? "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^\.+$/, "_")
    .slice(0, 120);
  return clean || fallback;
}

/**
 * The pseudo-path a finding is located at: `aws/<account>/<region>/<service>/<name>` for cloud resources and
 * `endpoints/<host>/<port>` for endpoint checks; relative, with no colon or space, so code scanning accepts it.
 */
export function findingLocation(f: Finding): string {
  const parts = f.resourceType.split(".");
  if (parts[0] === "endpoint") {
    // Endpoint resource ids are always scheme://host:port… (names may be custom labels such as "api-blue").
    const m = /^(?:[a-z+]+:\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/.exec(f.resourceId || f.resource.name);
    const host = m?.[1]?.replace(/^\[|\]$/g, "");
    return `endpoints/${uriSegment(host, "unknown-host")}/${uriSegment(m?.[2] ?? parts[1], "unknown-port")}`;
  }
  const provider = uriSegment(parts[0], "resource");
  const service = uriSegment(parts[1], "service");
  return `${provider}/${uriSegment(f.resource.account, "no-account")}/${uriSegment(f.resource.region, "global")}/${service}/${uriSegment(f.resource.name, "unnamed")}`;
}

function helpMarkdown(p: ReportPolicy): string {
  const refs = (p.def.references ?? []).map((r) => `- <${r}>`).join("\n");
  return [
    `**${p.def.title}** (${p.severity}, ${p.def.category})`,
    "",
    p.def.description,
    "",
    `**Why:** ${p.def.rationale}`,
    "",
    `**Remediation:** ${p.def.remediation}`,
    refs ? `\n**References:**\n${refs}` : "",
  ].join("\n");
}

function helpText(p: ReportPolicy): string {
  const refs = (p.def.references ?? []).join(" ");
  return `${p.def.description}\n\nWhy: ${p.def.rationale}\n\nRemediation: ${p.def.remediation}${refs ? `\n\nReferences: ${refs}` : ""}`;
}

function rule(p: ReportPolicy, controls: string[]): Record<string, unknown> {
  const tags = ["security", "encryption", p.def.category, p.def.resourceType, ...controls].slice(0, MAX_TAGS);
  const r: Record<string, unknown> = {
    id: p.id,
    name: p.id
      .split("-")
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(""),
    shortDescription: { text: p.def.title },
    fullDescription: { text: p.def.description },
    help: { text: helpText(p), markdown: helpMarkdown(p) },
    defaultConfiguration: { level: FAIL_LEVEL[p.severity] },
    properties: {
      tags,
      "security-severity": SECURITY_SEVERITY[p.severity],
      precision: "very-high",
      "problem.severity": FAIL_LEVEL[p.severity] === "note" ? "recommendation" : FAIL_LEVEL[p.severity],
      category: p.def.category,
      resourceType: p.def.resourceType,
      version: p.def.version ?? "1.0",
    },
  };
  const first = p.def.references?.find((u) => /^https?:\/\//.test(u));
  if (first) r.helpUri = first;
  return r;
}

/**
 * results.sarif: SARIF 2.1.0 for GitHub code scanning. One rule per loaded policy; one result per failed finding
 * (level by severity) and per error finding (level "warning": evidence is missing, so a failure may be hidden —
 * it is not a pass and must be looked at). Passes, waived and not-applicable findings are not results.
 */
export function renderSarif(data: ReportData, options: SarifOptions = {}): string {
  const max = options.maxResults ?? GITHUB_MAX_RESULTS;
  const policies = [...data.policies].sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(policies.map((p, i) => [p.id, i]));
  const controlsByPolicy = new Map<string, Set<string>>();
  for (const c of data.controls) {
    for (const p of c.control.policies) {
      let set = controlsByPolicy.get(p);
      if (!set) controlsByPolicy.set(p, (set = new Set()));
      set.add(`${c.framework}:${c.control.id}`.replace(/\s+/g, ""));
    }
  }
  const rules = policies.map((p) => rule(p, [...(controlsByPolicy.get(p.id) ?? [])]));
  const evidence = evidenceByResource(data);
  const selected = data.findings
    .filter((f) => f.status === "fail" || f.status === "error")
    .sort(byImportance);
  const kept = selected.slice(0, max);
  const results = kept.map((f) => {
    const uri = findingLocation(f);
    const ev = evidence.get(f.resourceId);
    const missing = Object.entries(ev?.missing ?? {}).map(([k, v]) => `${k} (${v})`);
    const text =
      f.status === "error"
        ? `Could not evaluate ${f.policyId} on ${f.resource.name}: ${f.message}. Evidence missing is not a pass.`
        : `${f.message}${f.details.length ? ` — ${f.details.map((d) => `${d.property}: expected ${d.expected}, found ${d.found}`).join("; ")}` : ""}`;
    const result: Record<string, unknown> = {
      ruleId: f.policyId,
      level: f.status === "error" ? "warning" : FAIL_LEVEL[f.severity],
      kind: "fail",
      message: { text },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri }, region: { startLine: 1, startColumn: 1 } },
          logicalLocations: [
            { fullyQualifiedName: f.resourceId, kind: "resource", decoratedName: f.resourceType },
          ],
        },
      ],
      partialFingerprints: { "cipherproofFindingId/v1": f.id },
      properties: {
        status: f.status,
        severity: f.severity,
        category: f.category,
        resourceId: f.resourceId,
        resourceType: f.resourceType,
        account: f.resource.account ?? null,
        region: f.resource.region ?? null,
        source: f.resource.source,
        controls: controlRefsText(f),
        details: f.details,
        evidence: ev?.evidence ?? [],
        missing,
        waiver: f.waiver ?? null,
      },
    };
    const ri = index.get(f.policyId);
    if (ri !== undefined) result.ruleIndex = ri;
    return result;
  });
  const notifications =
    selected.length > kept.length
      ? [
          {
            level: "warning",
            message: {
              text: `${selected.length - kept.length} of ${selected.length} results were left out (GitHub keeps at most ${max} per run); see findings.json for all`,
            },
          },
        ]
      : [];
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Cipherproof",
            semanticVersion: data.tool.version,
            version: data.tool.version,
            rules,
          },
        },
        automationDetails: {
          id: `${uriSegment(options.category ?? "cipherproof", "cipherproof")}/${data.scanId}`,
        },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: data.startedAt,
            endTimeUtc: data.finishedAt,
            toolExecutionNotifications: notifications,
          },
        ],
        columnKind: "unicodeCodePoints",
        results,
        properties: {
          scanId: data.scanId,
          accounts: data.accounts,
          regions: data.regions,
          summary: data.summary.byStatus,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
