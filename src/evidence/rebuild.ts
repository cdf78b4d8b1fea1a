import { CipherproofError, CipherproofErrors } from "../core/errors.js";
import {
  type ControlResult,
  type ControlStatus,
  controlIndex,
  type Framework,
  rollUpControls,
} from "../core/frameworks/index.js";
import { parseJson } from "../core/json.js";
import { summarize } from "../core/summary.js";
import { CATEGORIES, type Finding, type ResourceDocument, SEVERITIES, STATUSES } from "../core/types.js";
import { validateInput } from "../core/validate-input.js";
import { readText } from "../loaders/read.js";
import { FINDINGS_SCHEMA_VERSION } from "../reporters/json.js";
import type { RebuiltFrom, ReportData, ReportPolicy, ShardInfo } from "../reporters/model.js";
import type { ScanSource, WaiverReport } from "../scan.js";

const str = { type: "string" } as const;
const counts = { type: "object", additionalProperties: { type: "integer", minimum: 0 } } as const;

/** The parts of a findings document (reporters/json.ts) that a report is rebuilt from. */
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
        startedAt: str,
        finishedAt: str,
        sources: {
          type: "array",
          items: {
            type: "object",
            required: ["kind", "resources"],
            properties: { kind: str, resources: { type: "integer" } },
          },
        },
        accounts: { type: "array", items: str },
        regions: { type: "array", items: str },
        resources: { type: "integer", minimum: 0 },
        evaluations: { type: "integer", minimum: 0 },
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
          references: { type: "array", items: str },
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
                policies: { type: "array", items: str },
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
        properties: { state: { enum: ["active", "expired"] } },
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
          status: { enum: [...STATUSES] },
          severity: { enum: [...SEVERITIES] },
          category: { enum: [...CATEGORIES] },
          details: { type: "array", items: { type: "object", required: ["property", "expected", "found"] } },
          resource: { type: "object", required: ["name", "source"] },
          controls: { type: "object" },
        },
      },
    },
    resources: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "type"],
        properties: { id: str, type: str, evidence: { type: "array" }, missing: { type: "object" } },
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
  const errors = validateInput(FINDINGS_DOCUMENT_SCHEMA, raw, file, "FINDINGS_INVALID");
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors.slice(0, 20));
  return reportDataFromDocument(raw as Doc, options);
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
