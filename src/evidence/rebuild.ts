import { dedupeFindings, describeConflicts } from "../core/diff.js";
import { CipherproofError, CipherproofErrors } from "../core/errors.js";
import {
  type ControlResult,
  type ControlStatus,
  controlIndex,
  type Framework,
  rollUpControls,
} from "../core/frameworks/index.js";
import { parseJson, tooDeep } from "../core/json.js";
import { summarize } from "../core/summary.js";
import { CATEGORIES, type Finding, type ResourceDocument, SEVERITIES, STATUSES } from "../core/types.js";
import { validateInput } from "../core/validate-input.js";
import { readText } from "../loaders/read.js";
import { FINDINGS_SCHEMA_VERSION } from "../reporters/json.js";
import type { RebuiltFrom, ReportData, ReportPolicy, ShardInfo } from "../reporters/model.js";
import type { ScanSource, WaiverReport } from "../scan.js";

const str = { type: "string" } as const;
const strings = { type: "array", items: str } as const;
const int = { type: "integer", minimum: 0 } as const;
/** The fields a waiver has in the config, in the scan's waiver list and on a waived finding. */
const WAIVER_FIELDS = {
  policy: str,
  resource: str,
  reason: str,
  owner: str,
  ticket: str,
  expires: str,
} as const;
const counts = { type: "object", additionalProperties: int } as const;
const dateTime = { type: "string", format: "date-time" } as const;

/**
 * The parts of a findings document (reporters/json.ts) that a report is rebuilt from, with every field the rebuild,
 * the reporters, diff, merge and period read typed (strings, integers, lists, objects, the status / severity / category
 * enums, RFC 3339 date-times where a time is compared or parsed), so a mistyped document is FINDINGS_INVALID with a
 * JSON pointer instead of a crash. Field types follow the published contract, docs/findings.schema.json; this schema
 * requires less than it (fields added in later 1.x versions, or optional in older writers, may be absent) and allows
 * unknown fields. test/evidence/tamper-hardening.test.ts checks that every field typed here has the same type (and
 * enum) there, so the two cannot drift apart silently.
 */
export const FINDINGS_DOCUMENT_SCHEMA = {
  $id: "urn:cipherproof:findings-document-rebuild",
  type: "object",
  required: ["schemaVersion", "tool", "scan", "policies", "frameworks", "waivers", "findings"],
  properties: {
    schemaVersion: { type: "string", pattern: "^1\\.[0-9]+$" },
    tool: { type: "object", required: ["name", "version"], properties: { name: str, version: str } },
    scan: {
      type: "object",
      required: ["id", "startedAt", "finishedAt", "sources", "accounts", "regions"],
      properties: {
        id: str,
        startedAt: dateTime,
        finishedAt: dateTime,
        sources: {
          type: "array",
          items: {
            type: "object",
            required: ["kind", "resources"],
            properties: {
              kind: str,
              resources: int,
              files: {
                type: "array",
                items: {
                  type: "object",
                  required: ["file", "sha256"],
                  properties: { file: str, sha256: str, items: int },
                },
              },
              unsupportedTypes: counts,
              skipped: int,
              aws: {
                type: "object",
                properties: {
                  accounts: strings,
                  regions: strings,
                  apiCalls: int,
                  failedCalls: int,
                  collectionErrors: int,
                  unreachable: {
                    type: "array",
                    items: { type: "object", properties: { account: str, reason: str } },
                  },
                },
              },
              targets: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    target: str,
                    durationMs: { type: "number" },
                    handshakes: int,
                    connections: int,
                    error: str,
                  },
                },
              },
            },
          },
        },
        accounts: strings,
        regions: strings,
        resources: int,
        evaluations: int,
        typesWithoutPolicies: counts,
        configFile: { type: ["string", "null"] },
        shard: {
          type: "object",
          required: ["index", "count"],
          properties: { index: { type: "integer", minimum: 1 }, count: { type: "integer", minimum: 1 } },
        },
        rebuiltFrom: {
          type: "object",
          required: ["file", "sha256"],
          properties: { file: str, sha256: str },
        },
        partial: { type: "boolean" },
      },
    },
    policies: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "title", "category", "severity", "resourceType"],
        properties: {
          id: str,
          version: str,
          title: str,
          category: { enum: [...CATEGORIES] },
          severity: { enum: [...SEVERITIES] },
          resourceType: str,
          parameters: { type: "object" },
          description: str,
          rationale: str,
          remediation: str,
          references: strings,
        },
      },
    },
    frameworks: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "title", "version", "controls"],
        properties: {
          id: str,
          title: str,
          version: str,
          url: str,
          controls: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "title", "status", "counts", "policies"],
              properties: {
                id: str,
                title: str,
                summary: str,
                status: { enum: ["pass", "fail", "error", "no_automated_evidence"] },
                counts,
                manual: { type: "boolean" },
                manualEvidence: str,
                policies: strings,
              },
            },
          },
        },
      },
    },
    waivers: {
      type: "array",
      items: {
        type: "object",
        required: ["policy", "resource", "reason", "owner", "ticket", "expires", "state"],
        properties: {
          ...WAIVER_FIELDS,
          state: { enum: ["active", "expired"] },
          matched: int,
        },
      },
    },
    findings: {
      type: "array",
      items: {
        type: "object",
        required: [
          "id",
          "policyId",
          "resourceId",
          "resourceType",
          "status",
          "severity",
          "category",
          "title",
          "message",
          "details",
          "resource",
          "evaluatedAt",
        ],
        properties: {
          id: str,
          policyId: str,
          resourceId: str,
          resourceType: str,
          status: { enum: [...STATUSES] },
          severity: { enum: [...SEVERITIES] },
          category: { enum: [...CATEGORIES] },
          title: str,
          message: str,
          details: {
            type: "array",
            items: {
              type: "object",
              required: ["property", "expected", "found"],
              properties: { property: str, expected: str, found: str },
            },
          },
          controls: { type: "object", additionalProperties: strings },
          waiver: {
            type: "object",
            required: ["policy", "resource", "reason", "owner", "ticket", "expires", "expired"],
            properties: {
              ...WAIVER_FIELDS,
              expired: { type: "boolean" },
            },
          },
          resource: {
            type: "object",
            required: ["name", "source"],
            properties: { name: str, account: str, region: str, source: str },
          },
          evaluatedAt: dateTime,
        },
      },
    },
    resources: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "type"],
        properties: {
          id: str,
          type: str,
          collectedAt: str,
          evidence: {
            type: "array",
            items: {
              type: "object",
              properties: { call: str, region: str, at: str, sha256: str, file: str },
            },
          },
          missing: { type: "object", additionalProperties: str },
        },
      },
    },
  },
} as const;

interface Doc {
  schemaVersion: string;
  tool: { name: string; version: string };
  scan: {
    id: string;
    startedAt: string;
    finishedAt: string;
    sources: ScanSource[];
    accounts: string[];
    regions: string[];
    resources?: number;
    evaluations?: number;
    typesWithoutPolicies?: Record<string, number>;
    configFile?: string | null;
    shard?: ShardInfo;
    rebuiltFrom?: RebuiltFrom;
    partial?: boolean;
  };
  policies: Array<{
    id: string;
    version?: string;
    title: string;
    category: ReportPolicy["def"]["category"];
    severity: ReportPolicy["severity"];
    resourceType: string;
    parameters?: Record<string, unknown>;
    description?: string;
    rationale?: string;
    remediation?: string;
    references?: string[];
  }>;
  frameworks: Array<{
    id: string;
    title: string;
    version: string;
    url?: string;
    controls: Array<{
      id: string;
      title: string;
      summary?: string;
      status: ControlStatus;
      counts: Partial<ControlResult["counts"]>;
      manual?: boolean;
      manualEvidence?: string;
      policies: string[];
    }>;
  }>;
  waivers: WaiverReport[];
  findings: Finding[];
  resources?: Array<{
    id: string;
    type: string;
    collectedAt?: string;
    evidence?: ResourceDocument["evidence"];
    missing?: Record<string, string>;
  }>;
}

/** How to rebuild report data from a findings document. */
export interface RebuildOptions {
  /**
   * Trusted framework catalogs (the built-in ones): a framework the document names that is in a catalog is rolled up
   * with the catalog's controls and control→policy mapping, not the document's.
   */
  catalogs?: Framework[];
  /** Told (in words) where the document disagreed with a catalog or with its own findings. */
  warn?: (message: string) => void;
}

/**
 * Read and validate a findings document and rebuild what the reporters need from it; control statuses are rolled
 * up again from the findings, never taken from the document.
 */
export function loadFindingsDocument(file: string, options: RebuildOptions = {}): ReportData {
  return parseFindingsDocument(readFindingsText(file), file, options);
}

/** The text of a findings document; one too large to read points to --shard. */
export function readFindingsText(file: string): string {
  return readText(
    file,
    "findings file",
    "scan in parts with --shard I/N (each writes its own, smaller findings.json) and keep each part's bundle",
  );
}

/** How deeply a findings document may nest (policy parameters included); deeper is refused before any rendering. */
const MAX_FINDINGS_DEPTH = 64;

/** Parse and validate the text of a findings document (read from `file`) and rebuild report data from it. */
export function parseFindingsDocument(text: string, file: string, options: RebuildOptions = {}): ReportData {
  const raw = parseJson(text, file);
  const major = (raw as { schemaVersion?: unknown })?.schemaVersion;
  if (typeof major === "string" && !/^1\./.test(major)) {
    throw new CipherproofError(
      "FINDINGS_INVALID",
      `findings schemaVersion ${major} is not supported`,
      { file, pointer: "/schemaVersion" },
      `this version reads ${FINDINGS_SCHEMA_VERSION.split(".")[0]}.x`,
    );
  }
  const deep = tooDeep(raw, MAX_FINDINGS_DEPTH);
  if (deep !== undefined)
    throw new CipherproofError(
      "FINDINGS_INVALID",
      `nested more than ${MAX_FINDINGS_DEPTH} levels deep; a findings document is never that deep`,
      { file, pointer: deep },
      "give the findings.json a scan wrote",
    );
  const errors = validateInput(FINDINGS_DOCUMENT_SCHEMA, raw, file, "FINDINGS_INVALID");
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors.slice(0, 20));
  const doc = raw as Doc;
  // RFC 3339 allows times JavaScript cannot place (a leap second, 23:59:60); diff, merge and period compare them.
  const times: Array<[string, string]> = [
    ["/scan/startedAt", doc.scan.startedAt],
    ["/scan/finishedAt", doc.scan.finishedAt],
  ];
  for (const [i, f] of doc.findings.entries()) times.push([`/findings/${i}/evaluatedAt`, f.evaluatedAt]);
  const unplaceable = times
    .filter(([, t]) => Number.isNaN(Date.parse(t)))
    .map(
      ([pointer, t]) =>
        new CipherproofError(
          "FINDINGS_INVALID",
          `is ${JSON.stringify(t)}, a time that cannot be compared (e.g. a leap second)`,
          { file, pointer },
          "give an RFC 3339 date-time such as 2026-11-23T00:00:00Z",
        ),
    );
  if (unplaceable.length)
    throw unplaceable.length === 1 ? unplaceable[0] : new CipherproofErrors(unplaceable.slice(0, 20));
  return reportDataFromDocument(doc, options);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** How a document's framework differs from the trusted catalog's, in words (empty when the mapping is the same). */
export function mappingDifferences(doc: Framework, catalog: Framework): string[] {
  const out: string[] = [];
  for (const c of catalog.controls) {
    const d = doc.controls.find((x) => x.id === c.id);
    if (!d) out.push(`control ${c.id} is missing`);
    else if (!sameSet(d.policies, c.policies))
      out.push(`control ${c.id} maps [${d.policies.join(", ")}] instead of [${c.policies.join(", ")}]`);
  }
  for (const d of doc.controls)
    if (!catalog.controls.some((c) => c.id === d.id)) out.push(`control ${d.id} is not in the catalog`);
  return out;
}

/**
 * Rebuild report data from a validated findings document (pure). Control statuses and counts are rolled up again
 * from the findings (a document that claims otherwise is overruled, and `warn` says so); with `catalogs`, a
 * framework found there is rolled up with the catalog's control→policy mapping.
 */
export function reportDataFromDocument(doc: Doc, options: RebuildOptions = {}): ReportData {
  const warn = options.warn ?? (() => {});
  const repeated = dedupeFindings(doc.findings);
  if (repeated.duplicates) {
    const said = describeConflicts(repeated.conflicts, "within the findings document");
    warn(
      `${repeated.duplicates} finding${repeated.duplicates === 1 ? "" : "s"} repeat${repeated.duplicates === 1 ? "s" : ""} an id already in the findings document; the bundle keeps every copy as written (a control fails if any copy fails), and diff, merge and period count each id once${said ? ` — ${said}` : ""}`,
    );
  }
  const catalogs = new Map((options.catalogs ?? []).map((f) => [f.id, f]));
  const policies: ReportPolicy[] = doc.policies.map((p) => ({
    id: p.id,
    severity: p.severity,
    params: p.parameters ?? {},
    def: {
      title: p.title,
      category: p.category,
      resourceType: p.resourceType,
      description: p.description ?? p.title,
      rationale: p.rationale ?? "",
      remediation: p.remediation ?? `See \`cipherproof policies explain ${p.id}\`.`,
      references: p.references ?? [],
      version: p.version,
    },
  }));
  const frameworks: Framework[] = [];
  const controls: ControlResult[] = [];
  const overruled: string[] = [];
  for (const fw of doc.frameworks) {
    const carried: Framework = {
      id: fw.id,
      title: fw.title,
      version: fw.version,
      url: fw.url,
      controls: fw.controls.map((c) => ({
        id: c.id,
        title: c.title,
        summary: c.summary ?? c.title,
        policies: c.policies,
        manualEvidence: c.manualEvidence,
      })),
    };
    const catalog = catalogs.get(fw.id);
    if (catalog) {
      const diff = mappingDifferences(carried, catalog);
      if (diff.length)
        warn(
          `framework ${fw.id}: the findings document's control→policy mapping differs from the built-in catalog (${diff.slice(0, 5).join("; ")}${diff.length > 5 ? "; …" : ""}); controls were rolled up with the built-in catalog`,
        );
    } else if (options.catalogs)
      warn(
        `framework ${fw.id} is not built in: its control→policy mapping is taken from the findings document, which is not signed`,
      );
    const used = catalog ?? carried;
    frameworks.push(used);
    for (const r of rollUpControls(used, doc.findings)) {
      const claimed = fw.controls.find((c) => c.id === r.control.id);
      if (claimed && claimed.status !== r.status)
        overruled.push(
          `${fw.id} ${r.control.id}: document says ${claimed.status}, findings give ${r.status}`,
        );
      controls.push(r);
    }
  }
  if (overruled.length)
    warn(
      `${overruled.length} control status${overruled.length === 1 ? "" : "es"} in the findings document did not follow from its findings and ${overruled.length === 1 ? "was" : "were"} rolled up again (${overruled.slice(0, 5).join("; ")}${overruled.length > 5 ? "; …" : ""})`,
    );
  // Each finding's control references follow the frameworks actually used.
  const refs = controlIndex(frameworks);
  const names = new Map(doc.findings.map((f) => [f.resourceId, f.resource]));
  const resources: ResourceDocument[] = (doc.resources ?? []).map((r) => {
    const res = names.get(r.id);
    return {
      type: r.type,
      id: r.id,
      name: res?.name ?? r.id,
      provider: r.type.split(".")[0],
      account: res?.account,
      region: res?.region,
      source: res?.source ?? "unknown",
      collectedAt: r.collectedAt ?? "",
      properties: {},
      missing: r.missing ?? {},
      evidence: r.evidence ?? [],
    };
  });
  const summary = summarize(doc.findings);
  return {
    scanId: doc.scan.id,
    tool: doc.tool,
    startedAt: doc.scan.startedAt,
    finishedAt: doc.scan.finishedAt,
    sources: doc.scan.sources,
    accounts: doc.scan.accounts,
    regions: doc.scan.regions,
    policies,
    frameworks,
    controls,
    findings: doc.findings.map((f) => ({ ...f, controls: refs.get(f.policyId) ?? {} })),
    stats: {
      resources: doc.scan.resources ?? new Set(doc.findings.map((f) => f.resourceId)).size,
      evaluations: doc.scan.evaluations ?? doc.findings.length,
      byStatus: summary.byStatus,
      typesWithoutPolicies: doc.scan.typesWithoutPolicies ?? {},
    },
    summary,
    waivers: doc.waivers.map((w) => ({ ...w, matched: w.matched ?? 0 })),
    configFile: doc.scan.configFile ?? undefined,
    resources,
    ...(doc.scan.shard ? { shard: { index: doc.scan.shard.index, count: doc.scan.shard.count } } : {}),
    ...(doc.scan.rebuiltFrom
      ? { rebuiltFrom: { file: doc.scan.rebuiltFrom.file, sha256: doc.scan.rebuiltFrom.sha256 } }
      : {}),
    ...(doc.scan.partial ? { partial: true } : {}),
  };
}
