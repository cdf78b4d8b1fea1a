import type { ReportData } from "./model.js";
import { jsonInPieces } from "./pieces.js";

// Evidence references and missing-evidence reasons for every resource with a finding that is not a pass, so a
// report rebuilt from this document (`cipherproof report`) can still cite its evidence. Property values stay out.
function evidenceIndex(result: ReportData): Array<Record<string, unknown>> {
  const wanted = new Set<string>();
  for (const f of result.findings)
    if (f.status !== "pass" && f.status !== "not_applicable") wanted.add(f.resourceId);
  const out: Array<Record<string, unknown>> = [];
  for (const r of result.resources) {
    if (!wanted.has(r.id)) continue;
    wanted.delete(r.id);
    out.push({
      id: r.id,
      type: r.type,
      collectedAt: r.collectedAt,
      evidence: r.evidence ?? [],
      missing: r.missing ?? {},
    });
  }
  return out;
}

/** Version of the findings document format (docs/findings.schema.json). */
export const FINDINGS_SCHEMA_VERSION = "1.0";

/** The findings document: the versioned, machine-readable record of one scan. */
export function findingsDocument(result: ReportData): Record<string, unknown> {
  return {
    $schema: "https://cipherproof.dev/schemas/findings-1.0.json",
    schemaVersion: FINDINGS_SCHEMA_VERSION,
    tool: result.tool,
    scan: {
      id: result.scanId,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      sources: result.sources,
      accounts: result.accounts,
      regions: result.regions,
      resources: result.stats.resources,
      evaluations: result.stats.evaluations,
      typesWithoutPolicies: result.stats.typesWithoutPolicies,
      configFile: result.configFile ?? null,
      ...(result.shard ? { shard: { index: result.shard.index, count: result.shard.count } } : {}),
      ...(result.rebuiltFrom ? { rebuiltFrom: result.rebuiltFrom } : {}),
      ...(result.partial ? { partial: true } : {}),
    },
    policies: result.policies.map((p) => ({
      id: p.id,
      version: p.def.version ?? "1.0",
      title: p.def.title,
      category: p.def.category,
      severity: p.severity,
      resourceType: p.def.resourceType,
      parameters: p.params,
      description: p.def.description,
      rationale: p.def.rationale,
      remediation: p.def.remediation,
      references: p.def.references ?? [],
    })),
    summary: result.summary,
    frameworks: result.frameworks.map((fw) => ({
      id: fw.id,
      title: fw.title,
      version: fw.version,
      url: fw.url,
      controls: result.controls
        .filter((c) => c.framework === fw.id)
        .map((c) => ({
          id: c.control.id,
          title: c.control.title,
          summary: c.control.summary,
          status: c.status,
          counts: c.counts,
          manual: c.manual,
          manualEvidence: c.control.manualEvidence,
          policies: c.control.policies,
        })),
    })),
    waivers: result.waivers,
    findings: result.findings,
    resources: evidenceIndex(result),
  };
}

/** Render the findings document as pretty JSON text. */
export function renderJson(result: ReportData): string {
  return renderJsonChunks(result).join("");
}

/**
 * The findings document as pretty JSON in pieces of about a megabyte (see pieces.ts): together the same text as
 * `JSON.stringify(doc, null, 2)` and a newline.
 */
export function renderJsonChunks(result: ReportData): string[] {
  const out = jsonInPieces(findingsDocument(result), ["findings", "resources"]);
  out.push("\n");
  return out;
}
