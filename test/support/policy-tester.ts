import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { createAjv } from "../../src/core/ajv.js";
import { createContext, evaluateOne } from "../../src/core/engine/evaluate.js";
import { parseJson } from "../../src/core/json.js";
import { compilePolicy } from "../../src/core/policy/compile.js";
import type { FindingDetail, ResourceDocument, Status } from "../../src/core/types.js";
import { BUILTIN_POLICY_DIR, policyFiles } from "../../src/loaders/policies.js";
import { readText } from "../../src/loaders/read.js";
import { RESOURCE_TYPES } from "../../src/resources/index.js";

/** One scenario: the resource's properties (validated against its type schema), plus optional extras. */
export interface PolicyCase {
  name?: string;
  properties: Record<string, unknown>;
  missing?: Record<string, string>;
  /** Parameter overrides for this case. */
  params?: Record<string, unknown>;
  /** For invalid and error cases: properties that must appear in the finding's details. */
  failingProperties?: string[];
}

/** The scenario table for one policy, in the spirit of ESLint's RuleTester. */
export interface PolicyCases {
  valid: PolicyCase[];
  invalid: PolicyCase[];
  notApplicable?: PolicyCase[];
  /** Cases that must end as `error` (evidence missing or not reported). */
  errors?: PolicyCase[];
}

const files = new Map(policyFiles(BUILTIN_POLICY_DIR).map((f) => [basename(f, ".json"), f]));
const typeAjv = createAjv({ allErrors: true });

/** Ids of every built-in policy. */
export function builtinPolicyIds(): string[] {
  return [...files.keys()];
}

function resourceFor(type: string, c: PolicyCase, i: number): ResourceDocument {
  return {
    type,
    id: `arn:test:${type}:case-${i}`,
    name: c.name ?? `case-${i}`,
    provider: type.split(".")[0],
    account: "123456789012",
    region: "us-east-1",
    source: "fixture",
    collectedAt: "2026-11-22T00:00:00.000Z",
    properties: c.properties,
    missing: c.missing,
  };
}

/** Run a policy's scenario table; refuses tables without a valid and an invalid case, or with duplicates. */
export function runPolicyTests(policyId: string, cases: PolicyCases): void {
  describe(`policy ${policyId}`, () => {
    const file = files.get(policyId);
    it("exists in the built-in pack", () => {
      expect(file, `no built-in policy named ${policyId}`).toBeDefined();
    });
    if (!file) return;
    const raw = parseJson(readText(file, "policy"), file) as { resourceType: string };
    const type = RESOURCE_TYPES[raw.resourceType];
    const validateType = typeAjv.compile(type);

    it("has at least one passing and one failing case, and no duplicates", () => {
      expect(cases.valid.length, "at least one valid case").toBeGreaterThan(0);
      expect(cases.invalid.length, "at least one invalid case").toBeGreaterThan(0);
      const all = [...cases.valid, ...cases.invalid, ...(cases.notApplicable ?? []), ...(cases.errors ?? [])];
      const keys = all.map((c) => JSON.stringify([c.properties, c.missing, c.params]));
      expect(new Set(keys).size, "duplicate cases").toBe(keys.length);
    });

    const groups: Array<[Status, PolicyCase[]]> = [
      ["pass", cases.valid],
      ["fail", cases.invalid],
      ["not_applicable", cases.notApplicable ?? []],
      ["error", cases.errors ?? []],
    ];
    let n = 0;
    for (const [status, list] of groups) {
      for (const c of list) {
        const i = n++;
        it(`${status}: ${c.name ?? JSON.stringify(c.properties).slice(0, 100)}`, () => {
          expect(
            validateType(c.properties),
            `case properties must match type ${raw.resourceType}: ${typeAjv.errorsText(validateType.errors)}`,
          ).toBe(true);
          const policy = compilePolicy(raw, file, { parameters: c.params, expectedId: policyId });
          const ctx = createContext([policy], { now: new Date("2026-11-22T00:00:00Z") });
          const finding = evaluateOne(resourceFor(raw.resourceType, c, i), policy, ctx);
          expect(finding.status, finding.message).toBe(status);
          if (status === "fail") {
            expect(finding.details.length, "a failure explains itself").toBeGreaterThan(0);
            expect(finding.message).not.toMatch(/\(unknown\)/);
          }
          if (status === "fail" || status === "error") {
            for (const p of c.failingProperties ?? []) {
              expect(finding.details.map((d: FindingDetail) => d.property)).toContain(p);
            }
          }
        });
      }
    }
  });
}
