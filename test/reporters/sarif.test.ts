import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { createAjv } from "../../src/core/ajv.js";
import type { Finding } from "../../src/core/types.js";
import { findingLocation, renderSarif, SECURITY_SEVERITY } from "../../src/reporters/sarif.js";
import { type ScanResult, scan } from "../../src/scan.js";
import { ROOT } from "../support/cli.js";
import { sampleScan } from "./fixtures.js";

// Our own SARIF 2.1.0 schema, written for this project from the OASIS standard (see schemas/README.md).
const SUBSET = JSON.parse(
  readFileSync(join(import.meta.dirname, "schemas", "sarif-2.1.0-subset.schema.json"), "utf8"),
);
// The official SARIF 2.1.0 JSON schema (2.1.0-rtm.5, the final release), as shipped by the devDependency
// @microsoft/jest-sarif (Microsoft's SARIF SDK). Resolved from node_modules, never copied into this repository.
const OFFICIAL_PATH = createRequire(import.meta.url).resolve(
  "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
);
const EXAMPLE = join(ROOT, "examples", "healthcare-saas");

let subsetValidator: ValidateFunction | undefined;
function validator(): ValidateFunction {
  // Strict ajv with formats, as for the project's own schemas: a mistake in the schema is a load error.
  subsetValidator ??= createAjv({ allErrors: true }).compile(SUBSET);
  return subsetValidator;
}

let officialCompiled: ValidateFunction | undefined;
/**
 * The official schema is draft-04. ajv 8 has no draft-04 meta-schema, so `$schema` and the draft-04 `id` are
 * dropped (every `$ref` in it is a local `#/definitions/…`) and the rest is meta-validated as ajv's default draft:
 * the schema uses no keyword whose meaning changed after draft-04 (no boolean `exclusiveMinimum`/`exclusiveMaximum`),
 * which the load checks. Non-strict, since it is data here, not our schema; formats are checked with ajv-formats.
 */
function officialValidator(): ValidateFunction {
  if (officialCompiled) return officialCompiled;
  const text = readFileSync(OFFICIAL_PATH, "utf8");
  const { $schema: meta, id, ...schema } = JSON.parse(text);
  if (meta !== "http://json-schema.org/draft-04/schema#" || typeof id !== "string" || !schema.definitions)
    throw new Error(`${OFFICIAL_PATH} is not the draft-04 SARIF schema this test expects`);
  if (/"exclusive(Minimum|Maximum)"\s*:\s*(true|false)/.test(text))
    throw new Error(`${OFFICIAL_PATH} uses draft-04 boolean exclusive bounds, which ajv 8 reads differently`);
  if (/"\$ref"\s*:\s*"[^#]/.test(text)) throw new Error(`${OFFICIAL_PATH} has non-local $refs`);
  // Its patterns are ECMA-262 regular expressions without the `u` flag (its `language` pattern has a lone `]`, an
  // error in unicode mode), so ajv compiles them as draft-04 validators do.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    validateSchema: true,
    unicodeRegExp: false,
    logger: false,
  });
  // ajv-formats is CommonJS; under NodeNext its default export may arrive wrapped.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
    a: Ajv,
  ) => void;
  addFormats(ajv);
  officialCompiled = ajv.compile(schema);
  return officialCompiled;
}

/** Validate against both the official schema and our stricter subset, reporting the first errors of each. */
function expectValid(doc: unknown, what: string): void {
  for (const [name, validate] of [
    ["official", officialValidator()],
    ["subset", validator()],
  ] as const) {
    const ok = validate(doc);
    expect(
      validate.errors ?? [],
      `${what} (${name}): ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`,
    ).toEqual([]);
    expect(ok).toBe(true);
  }
}

type Sarif = {
  $schema: string;
  version: string;
  runs: Array<{
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON/XML of known shape
    tool: { driver: { name: string; rules: Array<Record<string, any>> } };
    automationDetails: { id: string };
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON/XML of known shape
    results: Array<Record<string, any>>;
    invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }>;
  }>;
};

/**
 * The rules GitHub code scanning adds on top of the schema (docs: "SARIF support for code scanning"): every result
 * needs a ruleId, message.text and at least one location with a relative artifact URI and a region with startLine ≥ 1;
 * rules carry help text and a numeric security-severity between 0 and 10; at most 25,000 results and 10 used tags;
 * partialFingerprints are strings; automationDetails.id names a category.
 */
function githubProblems(log: Sarif): string[] {
  const problems: string[] = [];
  if (log.version !== "2.1.0") problems.push("version");
  if (log.runs.length < 1 || log.runs.length > 20) problems.push("runs");
  for (const run of log.runs) {
    const ids = new Set<string>();
    if (!run.tool.driver.name) problems.push("driver.name");
    if (!/^[^/]+(\/.+)?$/.test(run.automationDetails?.id ?? "")) problems.push("automationDetails.id");
    if (run.results.length > 25_000) problems.push("too many results");
    for (const r of run.tool.driver.rules) {
      ids.add(r.id);
      if (!r.shortDescription?.text || !r.fullDescription?.text) problems.push(`rule ${r.id}: descriptions`);
      if (!r.help?.text || !r.help?.markdown) problems.push(`rule ${r.id}: help`);
      const sev = r.properties?.["security-severity"];
      if (typeof sev !== "string" || !/^\d+(\.\d+)?$/.test(sev) || Number(sev) < 0 || Number(sev) > 10)
        problems.push(`rule ${r.id}: security-severity ${sev}`);
      if (!Array.isArray(r.properties?.tags) || r.properties.tags.length > 10)
        problems.push(`rule ${r.id}: tags`);
    }
    for (const res of run.results) {
      if (!ids.has(res.ruleId)) problems.push(`result rule ${res.ruleId} not declared`);
      if (!res.message?.text) problems.push("result message");
      const loc = res.locations?.[0]?.physicalLocation;
      const uri: string | undefined = loc?.artifactLocation?.uri;
      if (!uri) problems.push("result without location");
      else {
        if (/[: \\]/.test(uri) || uri.startsWith("/") || uri.includes("..") || /%/.test(uri))
          problems.push(`bad uri ${uri}`);
        if (!(loc.region?.startLine >= 1)) problems.push(`startLine for ${uri}`);
      }
      for (const v of Object.values(res.partialFingerprints ?? {}))
        if (typeof v !== "string" || !v) problems.push("fingerprint");
      if (!Object.keys(res.partialFingerprints ?? {}).length) problems.push("no partialFingerprints");
      if (!["error", "warning", "note", "none"].includes(res.level)) problems.push(`level ${res.level}`);
    }
  }
  return problems;
}

describe("SARIF reporter", () => {
  let result: ScanResult;
  let log: Sarif;
  let text: string;
  beforeAll(async () => {
    result = await sampleScan();
    text = renderSarif(result);
    log = JSON.parse(text);
  });

  it("is valid against the project's SARIF 2.1.0 schema", () => {
    const validate = validator();
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it("is valid against the official SARIF 2.1.0 schema (from @microsoft/jest-sarif)", () => {
    const validate = officialValidator();
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([]);
    expect(ok).toBe(true);
    // It is the real schema, not an empty object: it knows SARIF's top-level shape and result levels.
    const official = JSON.parse(readFileSync(OFFICIAL_PATH, "utf8"));
    expect(official.title).toMatch(/SARIF\) Version 2\.1\.0/);
    expect(official.properties.version.enum).toEqual(["2.1.0"]);
    expect(official.definitions.result.properties.level.enum).toEqual(["none", "note", "warning", "error"]);
  });

  it("every fixture case and the healthcare-saas example scan are valid against both schemas", async () => {
    const snapshots = readdirSync(EXAMPLE)
      .filter((f) => f.endsWith(".json.gz"))
      .map((f) => join(EXAMPLE, f));
    expect(snapshots.length).toBeGreaterThan(0);
    const example = await scan({
      snapshots,
      configFile: join(EXAMPLE, "cipherproof.config.yaml"),
      now: new Date("2026-11-22T12:00:00Z"),
    });
    const exampleLog = JSON.parse(renderSarif(example)) as Sarif;
    expect(exampleLog.runs[0].results.length).toBeGreaterThan(0);
    // Only the passing findings: a run with rules and an empty results array.
    const clean = { ...result, findings: result.findings.filter((f) => f.status === "pass") };
    expect(clean.findings.length).toBeGreaterThan(0);
    expect(JSON.parse(renderSarif(clean)).runs[0].results).toEqual([]);
    const cases: Array<[string, string]> = [
      ["example scan", renderSarif(example)],
      ["example scan, custom category", renderSarif(example, { category: "prod account/us-east-1" })],
      ["example scan, truncated", renderSarif(example, { maxResults: 1 })],
      ["sample scan", text],
      ["sample scan, no results kept", renderSarif(result, { maxResults: 0 })],
      ["sample scan, truncated", renderSarif(result, { maxResults: 2 })],
      ["scan without failures", renderSarif(clean)],
    ];
    for (const [what, sarif] of cases) {
      const doc = JSON.parse(sarif) as Sarif;
      expectValid(doc, what);
      expect(githubProblems(doc), what).toEqual([]);
    }
  });

  it("the official schema rejects a broken log (not a vacuous validation)", () => {
    const validate = officialValidator();
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of known shape
    const mutate = (f: (l: any) => void) => {
      const copy = structuredClone(log);
      f(copy);
      return copy;
    };
    const rejected: Array<[string, unknown]> = [
      ["unknown level", mutate((l) => (l.runs[0].results[0].level = "fatal"))],
      ["driver without name", mutate((l) => delete l.runs[0].tool.driver.name)],
      ["wrong version", mutate((l) => (l.version = "2.0.0"))],
      ["no version", mutate((l) => delete l.version)],
      ["run without tool", mutate((l) => delete l.runs[0].tool)],
      ["result without message", mutate((l) => delete l.runs[0].results[0].message)],
      ["message with neither text nor id", mutate((l) => (l.runs[0].results[0].message = { markdown: "x" }))],
      ["tags not an array", mutate((l) => (l.runs[0].tool.driver.rules[0].properties.tags = "security"))],
      [
        "startLine 0",
        mutate((l) => (l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0)),
      ],
      ["unknown result kind", mutate((l) => (l.runs[0].results[0].kind = "failed"))],
      ["misspelt result property", mutate((l) => (l.runs[0].results[0].ruleID = "x"))],
      [
        "misspelt location property",
        mutate((l) => (l.runs[0].results[0].locations[0].physicalLocation.artefactLocation = {})),
      ],
      ["non-string fingerprint", mutate((l) => (l.runs[0].results[0].partialFingerprints.x = 1))],
      ["ruleIndex below -1", mutate((l) => (l.runs[0].results[0].ruleIndex = -2))],
      ["rule without id", mutate((l) => delete l.runs[0].tool.driver.rules[0].id)],
      ["help without text", mutate((l) => (l.runs[0].tool.driver.rules[0].help = { markdown: "x" }))],
      [
        "unknown default level",
        mutate((l) => (l.runs[0].tool.driver.rules[0].defaultConfiguration.level = "high")),
      ],
      ["unknown columnKind", mutate((l) => (l.runs[0].columnKind = "bytes"))],
      [
        "invocation without executionSuccessful",
        mutate((l) => delete l.runs[0].invocations[0].executionSuccessful),
      ],
      ["bad startTimeUtc", mutate((l) => (l.runs[0].invocations[0].startTimeUtc = "yesterday"))],
      ["unknown top-level property", mutate((l) => (l.sarifVersion = "2.1.0"))],
    ];
    for (const [what, doc] of rejected) expect(validate(doc), what).toBe(false);
    // What the spec allows stays accepted.
    const allowed: Array<[string, unknown]> = [
      ["extra property-bag entries", mutate((l) => (l.runs[0].results[0].properties.anything = { x: [1] }))],
      ["message by id", mutate((l) => (l.runs[0].results[0].message = { id: "default", arguments: ["a"] }))],
      ["fingerprints", mutate((l) => (l.runs[0].results[0].fingerprints = { "a/v1": "b" }))],
    ];
    for (const [what, doc] of allowed)
      expect(validate(doc), `${what}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });

  it("the schema check itself rejects a broken log (not a vacuous validation)", () => {
    const validate = validator();
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON/XML of known shape
    const broken = structuredClone(log) as any;
    broken.runs[0].results[0].level = "fatal";
    delete broken.runs[0].tool.driver.name;
    expect(validate(broken)).toBe(false);
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of known shape
    const mutate = (f: (l: any) => void) => {
      const copy = structuredClone(log);
      f(copy);
      return copy;
    };
    const rejected: Array<[string, unknown]> = [
      ["unknown level", mutate((l) => (l.runs[0].results[0].level = "fatal"))],
      ["driver without name", mutate((l) => delete l.runs[0].tool.driver.name)],
      ["wrong version", mutate((l) => (l.version = "2.0.0"))],
      ["run without tool", mutate((l) => delete l.runs[0].tool)],
      ["result without message", mutate((l) => delete l.runs[0].results[0].message)],
      ["message with neither text nor id", mutate((l) => (l.runs[0].results[0].message = { markdown: "x" }))],
      [
        "startLine 0",
        mutate((l) => (l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0)),
      ],
      ["unknown result kind", mutate((l) => (l.runs[0].results[0].kind = "failed"))],
      ["misspelt result property", mutate((l) => (l.runs[0].results[0].ruleID = "x"))],
      [
        "misspelt location property",
        mutate((l) => (l.runs[0].results[0].locations[0].physicalLocation.artefactLocation = {})),
      ],
      ["non-string fingerprint", mutate((l) => (l.runs[0].results[0].partialFingerprints.x = 1))],
      ["ruleIndex below -1", mutate((l) => (l.runs[0].results[0].ruleIndex = -2))],
      ["rule without id", mutate((l) => delete l.runs[0].tool.driver.rules[0].id)],
      ["help without text", mutate((l) => (l.runs[0].tool.driver.rules[0].help = { markdown: "x" }))],
      [
        "unknown default level",
        mutate((l) => (l.runs[0].tool.driver.rules[0].defaultConfiguration.level = "high")),
      ],
      [
        "numeric security-severity",
        mutate((l) => (l.runs[0].tool.driver.rules[0].properties["security-severity"] = 7)),
      ],
      [
        "security-severity above 10",
        mutate((l) => (l.runs[0].tool.driver.rules[0].properties["security-severity"] = "11.0")),
      ],
      ["tags not an array", mutate((l) => (l.runs[0].tool.driver.rules[0].properties.tags = "security"))],
      ["unknown columnKind", mutate((l) => (l.runs[0].columnKind = "bytes"))],
      [
        "invocation without executionSuccessful",
        mutate((l) => delete l.runs[0].invocations[0].executionSuccessful),
      ],
      ["bad startTimeUtc", mutate((l) => (l.runs[0].invocations[0].startTimeUtc = "yesterday"))],
    ];
    for (const [what, doc] of rejected) expect(validate(doc), what).toBe(false);
    // …while what the spec allows is accepted: property bags, a message given by id, null runs.
    const allowed: Array<[string, unknown]> = [
      ["extra property-bag entries", mutate((l) => (l.runs[0].results[0].properties.anything = { x: [1] }))],
      ["message by id", mutate((l) => (l.runs[0].results[0].message = { id: "default", arguments: ["a"] }))],
      [
        "originalUriBaseIds",
        mutate((l) => (l.runs[0].originalUriBaseIds = { SRC: { uri: "file:///src/" } })),
      ],
      ["fingerprints", mutate((l) => (l.runs[0].results[0].fingerprints = { "a/v1": "b" }))],
      ["null runs", { version: "2.1.0", runs: null }],
    ];
    for (const [what, doc] of allowed)
      expect(validate(doc), `${what}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });

  it("follows GitHub code scanning's extra rules", () => {
    expect(githubProblems(log)).toEqual([]);
    const bad = structuredClone(log);
    bad.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "aws/1:2/x y";
    expect(githubProblems(bad).length).toBeGreaterThan(0);
  });

  it("has one rule per policy with security-severity by severity", () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r) => r.id).sort()).toEqual(result.policies.map((p) => p.id).sort());
    for (const p of result.policies) {
      const r = rules.find((x) => x.id === p.id)!;
      expect(r.properties["security-severity"]).toBe(SECURITY_SEVERITY[p.severity]);
      expect(r.shortDescription.text).toBe(p.def.title);
      expect(r.help.markdown).toContain(p.def.remediation);
    }
    expect(SECURITY_SEVERITY).toEqual({
      critical: "9.0",
      high: "7.0",
      medium: "5.0",
      low: "3.0",
      info: "0.0",
    });
  });

  it("has one result per fail and per error, each fingerprinted by the stable finding id", () => {
    const expected = result.findings.filter((f) => f.status === "fail" || f.status === "error");
    const results = log.runs[0].results;
    expect(results).toHaveLength(expected.length);
    expect(results.map((r) => r.partialFingerprints["cipherproofFindingId/v1"]).sort()).toEqual(
      expected.map((f) => f.id).sort(),
    );
    const error = results.find((r) => r.properties.status === "error")!;
    expect(error.level).toBe("warning");
    expect(error.message.text).toContain("Could not evaluate");
    const critical = results.filter(
      (r) => r.properties.status === "fail" && r.properties.severity === "high",
    );
    for (const r of critical) expect(r.level).toBe("error");
    for (const r of results) expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it("locates cloud resources at aws/<account>/<region>/<service>/<name> and endpoints at endpoints/<host>/<port>", () => {
    const uris = log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain("aws/111122223333/us-east-1/rds/patients-db");
    expect(uris).toContain("endpoints/api.example.com/443");
    for (const u of uris) expect(u).toMatch(/^[A-Za-z0-9._\-/]+$/);
    const f = {
      resourceType: "endpoint.tls",
      resourceId: "https://[2001:db8::1]:8443",
      resource: { name: "https://[2001:db8::1]:8443" },
    } as unknown as Finding;
    expect(findingLocation(f)).toBe("endpoints/2001_db8_1/8443");
  });

  it("sets automationDetails.id to category/scan id", () => {
    expect(log.runs[0].automationDetails.id).toBe(`cipherproof/${result.scanId}`);
    const custom = JSON.parse(renderSarif(result, { category: "prod account" }));
    expect(custom.runs[0].automationDetails.id).toBe(`prod_account/${result.scanId}`);
  });

  it("keeps at most maxResults results and says how many were left out", () => {
    const small = JSON.parse(renderSarif(result, { maxResults: 2 })) as Sarif;
    expect(small.runs[0].results).toHaveLength(2);
    expect(small.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/were left out/);
    expectValid(small, "maxResults 2");
  });
});
