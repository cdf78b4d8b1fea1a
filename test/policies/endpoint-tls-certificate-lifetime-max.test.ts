import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/core/engine/evaluate.js";
import { loadPolicies } from "../../src/loaders/policies.js";
import { runPolicyTests } from "../support/policy-tester.js";

/** An endpoint presenting certificates issued (notBefore) on the given days, valid for the given days. */
const endpoint = (...certs: Array<[notBefore: string, lifetimeDays: number]>) => ({
  host: "a.example.test",
  port: 443,
  certLifetimeDays: Math.max(...certs.map(([, days]) => days)),
  certificates: certs.map(([notBefore, lifetimeDays]) => ({ notBefore, lifetimeDays })),
});

runPolicyTests("endpoint-tls-certificate-lifetime-max", {
  valid: [
    {
      name: "90-day ACME certificate issued in 2026",
      properties: endpoint(["2026-10-01T00:00:00.000Z", 90]),
    },
    {
      name: "398 days, issued before 15 March 2026 (allowed then)",
      properties: endpoint(["2026-03-14T23:59:59.000Z", 398]),
    },
    { name: "200 days, issued on 15 March 2026", properties: endpoint(["2026-03-15T00:00:00.000Z", 200]) },
    { name: "100 days, issued in 2027", properties: endpoint(["2027-06-01T00:00:00.000Z", 100]) },
    { name: "47 days, issued in 2029", properties: endpoint(["2029-03-15T00:00:00.000Z", 47]) },
    {
      name: "a private CA's own rule: 365 days for every issue date",
      properties: endpoint(["2026-10-01T00:00:00.000Z", 365]),
      params: { maxLifetimeDaysFrom2026: 365, maxLifetimeDaysFrom2027: 365, maxLifetimeDaysFrom2029: 365 },
    },
  ],
  invalid: [
    {
      name: "399 days, issued in 2025",
      properties: endpoint(["2025-06-01T00:00:00.000Z", 399]),
      failingProperties: ["certLifetimeDays"],
    },
    {
      name: "825 days",
      properties: endpoint(["2024-06-01T00:00:00.000Z", 825]),
      failingProperties: ["certLifetimeDays"],
    },
    {
      name: "398 days, issued on 15 March 2026: over the 200 days allowed from then",
      properties: endpoint(["2026-03-15T00:00:00.000Z", 398]),
    },
    {
      name: "201 days, issued in 2026",
      properties: endpoint(["2026-10-01T00:00:00.000Z", 201]),
      failingProperties: ["certificates[0].lifetimeDays"],
    },
    { name: "101 days, issued in 2027", properties: endpoint(["2027-03-15T00:00:00.000Z", 101]) },
    { name: "48 days, issued in 2029", properties: endpoint(["2030-01-01T00:00:00.000Z", 48]) },
    {
      name: "two certificates: a good ECDSA one and a 365-day RSA one issued this year",
      properties: endpoint(["2026-10-01T00:00:00.000Z", 90], ["2026-06-01T00:00:00.000Z", 365]),
    },
    {
      // RFC 3339's pattern allows it, but Date cannot read it: it was compared as "unknown" and held every limit.
      name: "a notBefore with an hours-only offset cannot show which limit applies",
      properties: endpoint(["2026-06-01T00:00:00+01", 365]),
    },
    {
      name: "a notBefore that is not a date cannot show which limit applies",
      properties: endpoint(["yesterday", 90]),
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["certLifetimeDays"],
    },
    {
      name: "the certificate list absent: the issue date that decides the limit is unknown",
      properties: { host: "a.example.test", port: 443, certLifetimeDays: 90 },
      failingProperties: ["certificates"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: { certLifetimeDays: "connection refused", certificates: "connection refused" },
    },
  ],
});

describe("endpoint-tls-certificate-lifetime-max explanations", () => {
  it("names, for each certificate, only the closest ways it could have complied", () => {
    const [policy] = loadPolicies().filter((p) => p.id === "endpoint-tls-certificate-lifetime-max");
    const doc = {
      type: "endpoint.tls",
      id: "tls://a.example.test:443",
      name: "a.example.test:443",
      provider: "endpoint",
      source: "endpoint-scan",
      collectedAt: "2026-11-22T00:00:00.000Z",
      properties: endpoint(
        ["2026-06-01T00:00:00.000Z", 300],
        ["2026-07-01T00:00:00.000Z", 150],
        ["2027-06-01T00:00:00.000Z", 150],
      ),
    };
    const [f] = evaluate([doc], [policy], { now: new Date("2026-11-22T00:00:00Z") }).findings;
    expect(f.status).toBe("fail");
    const at = (i: number, property: string, expected: string, found: string) => ({
      property: `certificates[${i}].${property}`,
      expected,
      found,
    });
    // The second certificate complies. Each of the others is judged on its own (one schema judges every item, so
    // their errors share schema paths), by the limit it misses: issued before that limit began, or shorter.
    expect(f.details).toEqual([
      at(0, "notBefore", "< 2026-03-15T00:00:00Z", '"2026-06-01T00:00:00.000Z"'),
      at(0, "lifetimeDays", "<= 200", "300"),
      at(2, "notBefore", "< 2027-03-15T00:00:00Z", '"2027-06-01T00:00:00.000Z"'),
      at(2, "lifetimeDays", "<= 100", "150"),
    ]);
  });
});
