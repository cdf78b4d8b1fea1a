import { describe, expect, it } from "vitest";
import { type Digester, evaluate } from "../../src/core/engine/evaluate.js";
import { resourceIdPart } from "../../src/core/engine/finding-id.js";
import type { ResourceDocument } from "../../src/core/types.js";
import { loadPolicies } from "../../src/loaders/policies.js";
import { RESOURCE_TYPES } from "../../src/resources/index.js";
import { digestWorker, SCAN_DIGESTER } from "../../src/runtime/digest-worker.js";

// The worker must give exactly the ids the engine gives by itself, for every id a source can produce; and when it
// fails in any way the scan must still come out right (only slower).

const NOW = new Date("2026-11-22T12:00:00Z");
const policies = loadPolicies();
const types = [...new Set(policies.map((p) => p.def.resourceType))];

/** `count` documents cycling through the policy types, every property set from a seeded sequence, every 7th with one
 * property missing: passes, fails, errors and not-applicable findings alike. */
function resources(count: number): ResourceDocument[] {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, (_, i) => {
    const type = types[i % types.length];
    const properties: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(RESOURCE_TYPES[type].properties) as Array<
      [string, Record<string, unknown>]
    >) {
      const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
      properties[name] = Array.isArray(schema.enum)
        ? schema.enum[Math.floor(next() * schema.enum.length)]
        : t === "boolean"
          ? next() < 0.7
          : t === "integer" || t === "number"
            ? Math.floor(next() * 500)
            : t === "array"
              ? []
              : `v${Math.floor(next() * 10)}`;
    }
    const doc: ResourceDocument = {
      type,
      id: `arn:aws:test:us-east-1:123456789012:${type}/resource-${i}`,
      name: `resource-${i}`,
      provider: "aws",
      account: "123456789012",
      region: "us-east-1",
      source: "fixture",
      collectedAt: NOW.toISOString(),
      properties,
    };
    if (i % 7 === 0) {
      const gone = Object.keys(properties)[0];
      delete properties[gone];
      doc.missing = { [gone]: "AccessDenied (test)" };
    }
    return doc;
  });
}

/** Ids of every shape: ASCII ARNs, long ones, non-ASCII, astral characters, lone surrogates, the empty string. */
function awkwardIds(): string[] {
  const ids = [
    "",
    "arn:aws:s3:::bucket",
    "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    `arn:aws:logs:eu-west-1:123456789012:log-group:${"x".repeat(5000)}`,
    "endpoint:https://bücher.example:443",
    "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:日本語-AbCdEf",
    "emoji 🔐 key",
    "lone \uD800 high surrogate",
    "lone \uDC00 low surrogate",
    "trailing high \uDBFF",
    "nul \u0000 inside",
  ];
  for (let i = 0; i < 3000; i++) ids.push(`arn:aws:ec2:us-east-1:123456789012:volume/vol-${i.toString(16)}`);
  return ids;
}

describe("digestWorker: resource ids hashed on a worker thread", () => {
  it("gives exactly resourceIdPart for every id, in order", () => {
    const ids = awkwardIds();
    const joined = digestWorker({ minResources: 1 }).start(ids).wait();
    expect(joined).toBeDefined();
    expect(joined).toHaveLength(ids.length * 24);
    const mismatches = ids.filter((id, i) => joined?.slice(i * 24, i * 24 + 24) !== resourceIdPart(id));
    expect(mismatches).toEqual([]);
  });

  it("serves batch after batch from one worker", () => {
    const d = digestWorker({ minResources: 1 });
    for (const n of [1, 10, 2500]) {
      const ids = Array.from({ length: n }, (_, i) => `id-${n}-${i}`);
      expect(d.start(ids).wait()).toBe(ids.map(resourceIdPart).join(""));
    }
  });

  it("evaluate with the worker gives the same findings, ids included, as evaluate alone", () => {
    const docs = resources(3000);
    // Non-ASCII and odd ids too.
    docs[1].id = "arn:aws:kms:eu-west-1:1:key/ключ-🔑";
    docs[2].id = "odd \uD800 id";
    const waivers = [
      {
        policy: "kms-*",
        resource: "resource-1*",
        reason: "r",
        owner: "o",
        ticket: "T-1",
        expires: "2027-01-01",
      },
    ];
    const alone = evaluate(docs, policies, { now: NOW, waivers });
    expect(Object.values(alone.stats.byStatus).filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);
    const withWorker = evaluate(docs, policies, {
      now: NOW,
      waivers,
      digester: digestWorker({ minResources: 1 }),
    });
    expect(withWorker.stats).toEqual(alone.stats);
    expect(JSON.stringify(withWorker.findings)).toBe(JSON.stringify(alone.findings));
  });

  it("scan() uses a worker only for large scans: the default threshold is 20,000 resources", () => {
    expect(SCAN_DIGESTER.minResources).toBe(20_000);
  });
});

describe("when the digester fails, the engine hashes the ids itself", () => {
  const docs = resources(400);
  const expected = evaluate(docs, policies, { now: NOW }).findings.map((f) => f.id);
  const ids = (digester: Digester) =>
    evaluate(docs, policies, { now: NOW, digester }).findings.map((f) => f.id);

  it("a worker that reports a failure", () => {
    const source = `
      require("node:worker_threads").parentPort.on("message", ({ state }) => {
        const st = new Int32Array(state);
        Atomics.store(st, 0, 2);
        Atomics.notify(st, 0);
      });`;
    expect(ids(digestWorker({ minResources: 1, source }))).toEqual(expected);
  });

  it("a worker that dies at start, or never answers: the main thread stops waiting after the stall limit", () => {
    for (const source of [
      'throw new Error("broken worker")',
      'require("node:worker_threads").parentPort.on("message", () => {});',
    ]) {
      const started = Date.now();
      expect(ids(digestWorker({ minResources: 1, stallMs: 300, source })), source).toEqual(expected);
      expect(Date.now() - started, source).toBeLessThan(5000);
    }
  });

  it("a batch of the wrong length, none at all, or a digester that throws", () => {
    const fake = (answer: string | undefined): Digester => ({
      minResources: 1,
      start: () => ({ wait: () => answer }),
    });
    expect(ids(fake("abc"))).toEqual(expected);
    expect(ids(fake(undefined))).toEqual(expected);
    const throwing = (where: "start" | "wait"): Digester => ({
      minResources: 1,
      start: () => {
        if (where === "start") throw new RangeError("Array buffer allocation failed");
        return {
          wait: () => {
            throw new Error("worker gone");
          },
        };
      },
    });
    expect(ids(throwing("start"))).toEqual(expected);
    expect(ids(throwing("wait"))).toEqual(expected);
  });

  it("below the digester's threshold it is not asked at all", () => {
    let asked = 0;
    const counting: Digester = {
      minResources: docs.length + 1,
      start: (list) => {
        asked++;
        return { wait: () => list.map(resourceIdPart).join("") };
      },
    };
    expect(ids(counting)).toEqual(expected);
    expect(asked).toBe(0);
  });
});
