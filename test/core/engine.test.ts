import { describe, expect, it } from "vitest";
import { createContext, evaluate, evaluateOne } from "../../src/core/engine/evaluate.js";
import { findingId } from "../../src/core/engine/finding-id.js";
import { compilePolicy } from "../../src/core/policy/compile.js";
import type { ResourceDocument } from "../../src/core/types.js";
import { kmsKeyDoc } from "../support/resource-doc.js";

const NOW = new Date("2026-11-22T12:00:00Z");

const rotation = compilePolicy(
  {
    id: "t-kms-rotation",
    title: "KMS rotation on",
    category: "key-management",
    severity: "high",
    resourceType: "aws.kms.key",
    description: "d",
    rationale: "r",
    remediation: "f",
    parameters: { maxRotationDays: { type: "integer", minimum: 90, maximum: 2560, default: 365 } },
    when: { required: ["keyManager"], properties: { keyManager: { const: "CUSTOMER" } } },
    assert: {
      required: ["rotationEnabled", "rotationPeriodDays"],
      properties: {
        rotationEnabled: { const: true },
        rotationPeriodDays: { type: "integer", maximum: { $param: "maxRotationDays" } },
      },
    },
    message:
      "Key {{name}} rotates every {{properties.rotationPeriodDays}} days (max {{param.maxRotationDays}})",
  },
  "inline",
);

/** An inline test policy with the boilerplate fields filled in. */
function inlinePolicy(def: { id: string; resourceType: string; assert: Record<string, unknown> }) {
  const boilerplate = { title: "A test policy", category: "at-rest", severity: "low", description: "d" };
  return compilePolicy({ ...boilerplate, rationale: "r", remediation: "f", message: "m", ...def }, "inline");
}

function key(props: Record<string, unknown>, missing?: Record<string, string>): ResourceDocument {
  return kmsKeyDoc(props, { collectedAt: NOW.toISOString(), missing });
}

describe("engine", () => {
  const ctx = createContext([rotation], { now: NOW });

  it("passes a compliant resource", () => {
    const f = evaluateOne(
      key({ keyManager: "CUSTOMER", rotationEnabled: true, rotationPeriodDays: 365 }),
      rotation,
      ctx,
    );
    expect(f.status).toBe("pass");
    expect(f.details).toEqual([]);
  });

  it("fails with details in the resource's own words and a rendered message", () => {
    const f = evaluateOne(
      key({ keyManager: "CUSTOMER", rotationEnabled: true, rotationPeriodDays: 400 }),
      rotation,
      ctx,
    );
    expect(f.status).toBe("fail");
    expect(f.message).toBe("Key patients-key rotates every 400 days (max 365)");
    expect(f.details).toEqual([{ property: "rotationPeriodDays", expected: "<= 365", found: "400" }]);
  });

  it("lists every violated property", () => {
    const f = evaluateOne(key({ keyManager: "CUSTOMER", rotationEnabled: false }), rotation, ctx);
    expect(f.details.map((d) => d.property).sort()).toEqual(["rotationEnabled", "rotationPeriodDays"]);
    expect(f.details.find((d) => d.property === "rotationPeriodDays")).toEqual({
      property: "rotationPeriodDays",
      expected: "present",
      found: "absent",
    });
  });

  it("yields error, never pass, when a read property is missing — naming the property and reason", () => {
    const f = evaluateOne(
      key(
        { keyManager: "CUSTOMER", rotationEnabled: true },
        { rotationPeriodDays: "AccessDenied on kms:GetKeyRotationStatus" },
      ),
      rotation,
      ctx,
    );
    expect(f.status).toBe("error");
    expect(f.details).toEqual([
      {
        property: "rotationPeriodDays",
        expected: "collected",
        found: "missing: AccessDenied on kms:GetKeyRotationStatus",
      },
    ]);
    expect(f.message).toContain("AccessDenied on kms:GetKeyRotationStatus");
  });

  it("yields error, not fail, when the only thing wrong is a property the source did not report", () => {
    const f = evaluateOne(key({ keyManager: "CUSTOMER", rotationEnabled: true }), rotation, ctx);
    expect(f.status).toBe("error");
    expect(f.details).toEqual([
      {
        property: "rotationPeriodDays",
        expected: "collected",
        found: "absent: the source did not report it",
      },
    ]);
    expect(f.message).toContain("rotationPeriodDays not reported by aws-api");
  });

  it("yields error when an assertion with alternatives fails while a property it reads is absent", () => {
    const either = inlinePolicy({
      id: "t-either",
      resourceType: "aws.rds.db_instance",
      assert: {
        required: ["storageEncrypted", "iamAuthEnabled"],
        anyOf: [
          { properties: { storageEncrypted: { const: true } } },
          { properties: { iamAuthEnabled: { const: true } } },
        ],
      },
    });
    expect(either.assertIsConjunction).toBe(false);
    const doc = { ...key({ storageEncrypted: false }), type: "aws.rds.db_instance" };
    // iamAuthEnabled could have been true: whether it complies is unknown.
    const f = evaluateOne(doc, either, createContext([either], { now: NOW }));
    expect(f.status).toBe("error");
    expect(f.details.map((d) => d.property)).toEqual(["iamAuthEnabled"]);
  });

  it("explains a failed anyOf by its closest alternatives, not by every alternative's misses", () => {
    // Alternatives that pair a condition with a limit, as the certificate lifetime schedule does.
    const schedule = inlinePolicy({
      id: "t-schedule",
      resourceType: "aws.kms.key",
      assert: {
        required: ["rotationPeriodDays", "keyManager", "rotationEnabled"],
        anyOf: [
          { properties: { keyManager: { const: "AWS" } } },
          { properties: { rotationEnabled: { const: true }, rotationPeriodDays: { maximum: 365 } } },
          { properties: { rotationEnabled: { const: false }, rotationPeriodDays: { maximum: 90 } } },
        ],
      },
    });
    const f = evaluateOne(
      key({ keyManager: "CUSTOMER", rotationEnabled: true, rotationPeriodDays: 400 }),
      schedule,
      createContext([schedule], { now: NOW }),
    );
    expect(f.status).toBe("fail");
    // The third alternative misses twice (rotation and period); the first and second once each.
    expect(f.details).toEqual([
      { property: "keyManager", expected: '"AWS"', found: '"CUSTOMER"' },
      { property: "rotationPeriodDays", expected: "<= 365", found: "400" },
    ]);
  });

  it("scores an alternative that holds a choice by that choice's closest alternative", () => {
    const nested = inlinePolicy({
      id: "t-nested",
      resourceType: "aws.rds.db_instance",
      assert: {
        required: [
          "storageEncrypted",
          "iamAuthEnabled",
          "publiclyAccessible",
          "forceSsl",
          "backupRetentionDays",
        ],
        anyOf: [
          {
            anyOf: [
              { properties: { storageEncrypted: { const: true } } },
              {
                properties: {
                  iamAuthEnabled: { const: true },
                  publiclyAccessible: { const: false },
                  forceSsl: { const: true },
                },
              },
            ],
          },
          { properties: { iamAuthEnabled: { const: true }, backupRetentionDays: { minimum: 7 } } },
        ],
      },
    });
    const doc = {
      ...key({
        storageEncrypted: false,
        iamAuthEnabled: false,
        publiclyAccessible: true,
        forceSsl: false,
        backupRetentionDays: 1,
      }),
      type: "aws.rds.db_instance",
    };
    const f = evaluateOne(doc, nested, createContext([nested], { now: NOW }));
    expect(f.status).toBe("fail");
    // One change (storageEncrypted) satisfies the first alternative; the second needs two.
    expect(f.details).toEqual([{ property: "storageEncrypted", expected: "true", found: "false" }]);
  });

  it("narrows a choice inside a list item by item: items share the schema, not their errors", () => {
    const each = inlinePolicy({
      id: "t-each",
      resourceType: "endpoint.tls",
      assert: {
        required: ["certificates"],
        properties: {
          certificates: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              required: ["keyBits", "keyType", "signatureHash"],
              anyOf: [
                { required: ["keyBits"], properties: { keyBits: { minimum: 3072 } } },
                {
                  required: ["keyType", "signatureHash"],
                  properties: { keyType: { const: "EC" }, signatureHash: { const: "sha384" } },
                },
              ],
            },
          },
        },
      },
    });
    const cert = (keyType: string, keyBits: number, signatureHash: string) => ({
      keyType,
      keyBits,
      signatureHash,
    });
    const doc: ResourceDocument = {
      ...key({}),
      type: "endpoint.tls",
      properties: {
        // The first misses each way once, so both rows stay; the second misses the EC way twice, so only its size
        // row stays. Counted across both items, the EC way would lose and take the first item's row with it.
        certificates: [cert("RSA", 2048, "sha384"), cert("RSA", 2048, "sha256")],
      },
    };
    const f = evaluateOne(doc, each, createContext([each], { now: NOW }));
    expect(f.status).toBe("fail");
    expect(f.details).toEqual([
      { property: "certificates[0].keyBits", expected: ">= 3072", found: "2048" },
      { property: "certificates[0].keyType", expected: '"EC"', found: '"RSA"' },
      { property: "certificates[1].keyBits", expected: ">= 3072", found: "2048" },
    ]);
  });

  it("stays a fail when no value of the absent property could make the assertion pass", () => {
    const both = inlinePolicy({
      id: "t-both",
      resourceType: "endpoint.tls",
      assert: {
        required: ["tls13Offered", "certKeyBits"],
        allOf: [
          { properties: { tls13Offered: { const: true } } },
          { properties: { certKeyBits: { minimum: 2048 } } },
        ],
      },
    });
    expect(both.assertIsConjunction).toBe(false);
    const ctx2 = createContext([both], { now: NOW });
    const endpoint = (props: Record<string, unknown>) => ({ ...key(props), type: "endpoint.tls" });
    // tls13Offered false fails whatever the key size: a violation, not missing evidence.
    expect(evaluateOne(endpoint({ tls13Offered: false }), both, ctx2).status).toBe("fail");
    // With TLS 1.3 offered, the absent key size decides: unknown.
    expect(evaluateOne(endpoint({ tls13Offered: true }), both, ctx2).status).toBe("error");
  });

  it("yields error when the when-clause reads a missing property", () => {
    const f = evaluateOne(
      key({ rotationEnabled: true, rotationPeriodDays: 365 }, { keyManager: "timeout on kms:DescribeKey" }),
      rotation,
      ctx,
    );
    expect(f.status).toBe("error");
  });

  it("a missing path covers only its own children: rotationPeriod does not cover rotationPeriodDays", () => {
    const f = evaluateOne(
      key(
        { keyManager: "CUSTOMER", rotationEnabled: true, rotationPeriodDays: 90 },
        { rotationPeriod: "throttled" },
      ),
      rotation,
      ctx,
    );
    expect(f.status).toBe("pass");
  });

  it("a missing parent path covers the children the policy reads", () => {
    const f = evaluateOne(
      key({ keyManager: "CUSTOMER" }, { "rotationPeriodDays.value": "throttled" }),
      rotation,
      ctx,
    );
    expect(f.status).toBe("error");
  });

  it("ignores missing properties the policy does not read", () => {
    const f = evaluateOne(
      key(
        { keyManager: "CUSTOMER", rotationEnabled: true, rotationPeriodDays: 90 },
        { keyPolicyAllowsWildcardPrincipal: "AccessDenied" },
      ),
      rotation,
      ctx,
    );
    expect(f.status).toBe("pass");
  });

  it("is not_applicable when the when-clause does not match", () => {
    expect(evaluateOne(key({ keyManager: "AWS" }), rotation, ctx).status).toBe("not_applicable");
  });

  it("never passes on an asserted property the source did not report", () => {
    const loose = inlinePolicy({
      id: "t-loose",
      resourceType: "aws.rds.db_instance",
      assert: {
        anyOf: [
          { required: ["storageEncrypted"], properties: { storageEncrypted: { const: true } } },
          // Judges engine too (a presence-only branch would be rejected as unable to fail).
          { required: ["engine"], properties: { engine: { const: "postgres" } } },
        ],
      },
    });
    expect(loose.passImpliesPresent).toBe(false);
    const doc = { ...key({ engine: "postgres" }), type: "aws.rds.db_instance" };
    const f = evaluateOne(doc, loose, createContext([loose], { now: NOW }));
    expect(f.status).toBe("error");
    expect(f.details[0]).toMatchObject({
      property: "storageEncrypted",
      found: expect.stringContaining("absent"),
    });
  });

  it("gives stable ids: same policy and resource → same id, across runs", () => {
    const a = evaluateOne(key({ keyManager: "AWS" }), rotation, ctx);
    const b = evaluateOne(
      key({ keyManager: "CUSTOMER", rotationEnabled: true, rotationPeriodDays: 1 }),
      rotation,
      ctx,
    );
    expect(a.id).toBe(b.id);
    expect(a.id).toBe(findingId("t-kms-rotation", "arn:aws:kms:us-east-1:111122223333:key/abc"));
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(findingId("p", "r1")).not.toBe(findingId("p", "r2"));
  });

  it("takes any iterable of resources, not only arrays", () => {
    const docs = [key({ rotationEnabled: false }), { ...key({ rotationEnabled: true }), id: "arn:b" }];
    function* each() {
      yield* docs;
    }
    const fromArray = evaluate(docs, [rotation], { now: NOW });
    const fromGenerator = evaluate(each(), [rotation], { now: NOW });
    expect(fromGenerator).toEqual(fromArray);
    expect(fromGenerator.stats.resources).toBe(2);
  });

  it("evaluates only policies of the resource's type and counts types without policies", () => {
    const r = evaluate(
      [key({ keyManager: "AWS" }), { ...key({}), type: "aws.s3.bucket", id: "b" }],
      [rotation],
      { now: NOW },
    );
    expect(r.findings).toHaveLength(1);
    expect(r.stats.typesWithoutPolicies).toEqual({ "aws.s3.bucket": 1 });
    expect(r.stats.byStatus.not_applicable).toBe(1);
  });
});

describe("waivers", () => {
  const failing = key({ keyManager: "CUSTOMER", rotationEnabled: false, rotationPeriodDays: null });
  const base = {
    policy: "t-kms-*",
    resource: "patients-*",
    reason: "vendor migration",
    owner: "ana@medledger.example",
    ticket: "SEC-42",
  };

  it("an unexpired waiver turns a failure into waived and records who accepted it", () => {
    const ctx = createContext([rotation], { now: NOW, waivers: [{ ...base, expires: "2026-12-31" }] });
    const f = evaluateOne(failing, rotation, ctx);
    expect(f.status).toBe("waived");
    expect(f.waiver).toMatchObject({ ticket: "SEC-42", owner: "ana@medledger.example", expired: false });
  });

  it("a waiver is valid through the end of its expiry day (UTC)", () => {
    const ctx = createContext([rotation], { now: NOW, waivers: [{ ...base, expires: "2026-11-22" }] });
    expect(evaluateOne(failing, rotation, ctx).status).toBe("waived");
  });

  it("an expired waiver no longer applies: the finding fails and says the waiver expired", () => {
    const ctx = createContext([rotation], { now: NOW, waivers: [{ ...base, expires: "2026-11-21" }] });
    const f = evaluateOne(failing, rotation, ctx);
    expect(f.status).toBe("fail");
    expect(f.waiver).toMatchObject({ expired: true, expires: "2026-11-21" });
    expect(f.message).toContain("waiver SEC-42 expired 2026-11-21");
  });

  it("does not waive errors or passes, and matches by resource id too", () => {
    const ctx = createContext([rotation], {
      now: NOW,
      waivers: [{ ...base, resource: "arn:aws:kms:*", expires: "2027-01-01" }],
    });
    expect(evaluateOne(failing, rotation, ctx).status).toBe("waived");
    const err = evaluateOne(
      key({ keyManager: "CUSTOMER" }, { rotationEnabled: "AccessDenied" }),
      rotation,
      ctx,
    );
    expect(err.status).toBe("error");
    expect(err.waiver).toBeUndefined();
  });
});

describe("engine edge cases found in review", () => {
  const base = {
    title: "A test policy",
    category: "at-rest",
    severity: "high",
    description: "d",
    rationale: "r",
    remediation: "f",
    message: "m",
  };

  it("a when-clause that fails because a property is absent gives error, not not_applicable", () => {
    const p = compilePolicy(
      {
        ...base,
        id: "t-when-absent",
        resourceType: "aws.kms.key",
        when: { required: ["keyManager"], properties: { keyManager: { const: "CUSTOMER" } } },
        assert: { required: ["enabled"], properties: { enabled: { const: true } } },
      },
      "inline",
    );
    const ctx = createContext([p], { now: NOW });
    const f = evaluateOne(key({ enabled: false }), p, ctx);
    expect(f.status).toBe("error");
    expect(f.details[0]).toMatchObject({ property: "keyManager", found: expect.stringContaining("absent") });
    expect(evaluateOne(key({ keyManager: "AWS", enabled: false }), p, ctx).status).toBe("not_applicable");
  });

  it("memoized explanations cannot be confused by values containing separators", () => {
    const p = compilePolicy(
      {
        ...base,
        id: "t-memo",
        resourceType: "aws.rds.db_instance",
        assert: {
          required: ["engine", "kmsKeyId"],
          properties: { engine: { const: "postgres" }, kmsKeyId: { type: "string" } },
        },
      },
      "inline",
    );
    const ctx = createContext([p], { now: NOW });
    const doc = (props: Record<string, unknown>, id: string) => ({
      ...key(props),
      type: "aws.rds.db_instance",
      id,
    });
    const a = evaluateOne(doc({ engine: "x\u0000sy", kmsKeyId: null }, "a"), p, ctx);
    const b = evaluateOne(doc({ engine: "x", kmsKeyId: "y\u0000onull" }, "b"), p, ctx);
    expect(b.details).toEqual([{ property: "engine", expected: '"postgres"', found: '"x"' }]);
    expect(a.details.map((d) => d.property).sort()).toEqual(["engine", "kmsKeyId"]);
  });

  it("memoizes one-property explanations per value: each failure keeps its own found value", () => {
    const period = inlinePolicy({
      id: "t-period",
      resourceType: "aws.kms.key",
      assert: {
        required: ["rotationPeriodDays"],
        properties: { rotationPeriodDays: { type: "number", maximum: 365 } },
      },
    });
    const enabled = inlinePolicy({
      id: "t-enabled",
      resourceType: "aws.kms.key",
      assert: { required: ["rotationEnabled"], properties: { rotationEnabled: { const: true } } },
    });
    const ctx = createContext([period, enabled], { now: NOW });
    const found = (v: unknown) => evaluateOne(key({ rotationPeriodDays: v }), period, ctx).details;
    // Small integers (slots), large ones and a fraction (Maps), each asked twice.
    for (const v of [400, 4095, 4096, 100000, 365.5, 400, 4095, 4096, 100000, 365.5]) {
      expect(found(v)).toEqual([{ property: "rotationPeriodDays", expected: "<= 365", found: String(v) }]);
    }
    expect(found(400)).toBe(found(400)); // shared, not rebuilt
    expect(period.explainCache?.bySmallInt?.length).toBe(4096); // never grown past its fixed size
    expect(Object.isFrozen(found(400))).toBe(true);
    const off = evaluateOne(key({ rotationEnabled: false }), enabled, ctx);
    expect(off.details).toEqual([{ property: "rotationEnabled", expected: "true", found: "false" }]);
    expect(evaluateOne(key({ rotationEnabled: "false" }), enabled, ctx).details).toEqual([
      { property: "rotationEnabled", expected: "true", found: '"false"' },
    ]);
    expect(evaluateOne(key({ rotationEnabled: false }), enabled, ctx).details).toBe(off.details);
  });

  it("memoizes one-property explanations of lists by their content, never confusing lists that print alike", () => {
    const weak = inlinePolicy({
      id: "t-weak",
      resourceType: "endpoint.tls",
      assert: {
        required: ["weakCipherSuites"],
        properties: { weakCipherSuites: { type: "array", maxItems: 0 } },
      },
    });
    const ctx = createContext([weak], { now: NOW });
    const details = (v: unknown) =>
      evaluateOne(kmsKeyDoc({ weakCipherSuites: v }, { type: "endpoint.tls" }), weak, ctx).details;
    const rc4 = details(["RC4-SHA"]);
    expect(rc4).toEqual([
      { property: "weakCipherSuites", expected: "must NOT have more than 0 items", found: '["RC4-SHA"]' },
    ]);
    expect(details(["RC4-SHA"])).toBe(rc4); // shared, not rebuilt
    expect(Object.isFrozen(rc4)).toBe(true);
    expect(details(["RC4-SHA", "DES-CBC3-SHA"])[0].found).toBe('["RC4-SHA","DES-CBC3-SHA"]');
    expect(details([1])[0].found).toBe("[1]");
    expect(details(["1"])[0].found).toBe('["1"]');
    // NaN and null print alike as JSON: such a list is explained afresh every time, not memoized.
    expect(details([Number.NaN])).not.toBe(details([Number.NaN]));
    expect(weak.explainCache?.byList?.size).toBe(4);
  });

  it("keeps the explanation memo bounded even when a later property's value cannot be a key", () => {
    const p = compilePolicy(
      {
        ...base,
        id: "t-memo-bound",
        resourceType: "aws.rds.db_instance",
        assert: {
          required: ["engine", "parameterGroups"],
          properties: { engine: { const: "postgres" }, parameterGroups: { maxItems: 0 } },
        },
      },
      "inline",
    );
    const docs = Array.from({ length: 5000 }, (_, i) => ({
      ...key({ engine: `engine-${i}`, parameterGroups: ["custom"] }),
      type: "aws.rds.db_instance",
      id: `r${i}`,
    }));
    const { findings } = evaluate(docs, [p], { now: NOW });
    expect(findings.every((f) => f.status === "fail")).toBe(true);
    expect(findings[4999].details.map((d) => d.property).sort()).toEqual(["engine", "parameterGroups"]);
    // Count what the memo really holds (inner Maps and leaves), not only what it says it holds.
    const nodes = (m: Map<unknown, unknown>): number =>
      [...m.values()].reduce<number>((n, v) => n + 1 + (v instanceof Map ? nodes(v) : 0), 0);
    expect(nodes(p.explainCache?.root ?? new Map())).toBeLessThanOrEqual(4096);
  });

  it("does not memoize assertions that compare whole objects", () => {
    const p = compilePolicy(
      {
        ...base,
        id: "t-whole",
        resourceType: "aws.rds.db_instance",
        assert: {
          required: ["storageEncrypted"],
          not: {
            enum: [
              { storageEncrypted: true, engine: "mysql" },
              { storageEncrypted: true, engine: "oracle-ee" },
            ],
          },
        },
      },
      "inline",
    );
    expect(p.explainCache).toBeUndefined();
  });
});
