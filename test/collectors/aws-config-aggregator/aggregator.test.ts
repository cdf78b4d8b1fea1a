import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregatorQuery, collectAggregator } from "../../../src/collectors/aws-config-aggregator/index.js";
import { type StandIn, startStandIn } from "../../support/aws-standin/server.js";
import { DEV, evaluateAll, MGMT, orgFixture } from "../aws/helpers.js";

let standin: StandIn;
beforeAll(async () => {
  standin = await startStandIn({ fixture: orgFixture() });
});
afterAll(() => standin.close());

const options = () => ({
  name: "org-aggregator",
  endpointUrl: standin.url,
  credentials: { accessKeyId: MGMT.accessKeyId, secretAccessKey: MGMT.secretAccessKey },
  homeRegion: "us-east-1",
  env: {},
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 500 },
});

describe("--config-aggregator", () => {
  it("pages through SelectAggregateResourceConfig and maps items of every account to the same types", async () => {
    const got = await collectAggregator(options());
    expect(standin.calls.get("config:SelectAggregateResourceConfig")).toBeGreaterThan(1); // two items per page
    expect(got.accounts).toEqual([MGMT.account, DEV]);
    const byName = new Map(got.resources.map((r) => [r.name, r]));
    const patients = byName.get("patients");
    expect(patients?.source).toBe("aws-config-aggregator");
    expect(patients?.properties.storageEncrypted).toBe(true);
    // What Config does not record is missing, so forceSsl policies end as error rather than pass.
    expect(patients?.missing?.forceSsl).toMatch(/parameter group/);
    expect(patients?.evidence?.[0]?.call).toBe("config:SelectAggregateResourceConfig");
    expect(byName.get("dev-pg")?.properties.storageEncrypted).toBe(false);
    expect(got.unsupportedTypes).toEqual({});
    const findings = evaluateAll(got.resources);
    expect(
      findings.find((f) => f.policyId === "rds-instance-force-ssl" && f.resource.name === "patients")?.status,
    ).toBe("error");
    expect(
      findings.find((f) => f.policyId === "rds-instance-storage-encrypted" && f.resource.name === "dev-pg")
        ?.status,
    ).toBe("fail");
    expect(findings.find((f) => f.policyId === "ec2-volume-encrypted")?.status).toBe("fail");
  });

  it("judges every account's Config rules from DescribeAggregateComplianceByConfigRules", async () => {
    const got = await collectAggregator(options());
    expect(standin.calls.get("config:DescribeAggregateComplianceByConfigRules")).toBeGreaterThan(1); // paged
    const rules = got.resources.filter((r) => r.type === "aws.config.rule");
    expect(rules.map((r) => `${r.account}/${r.region}/${r.name}`).sort()).toEqual([
      `${MGMT.account}/us-east-1/encrypted-volumes`,
      `${MGMT.account}/us-east-1/rds-storage-encrypted`,
      `${MGMT.account}/us-east-1/s3-bucket-ssl-requests-only`,
      `${DEV}/us-east-1/encrypted-volumes`,
    ]);
    const ssl = rules.find((r) => r.name === "s3-bucket-ssl-requests-only");
    expect(ssl?.id).toBe(`arn:aws:config:us-east-1:${MGMT.account}:config-rule/s3-bucket-ssl-requests-only`);
    expect(ssl?.source).toBe("aws-config-aggregator");
    expect(ssl?.properties).toMatchObject({ complianceType: "NON_COMPLIANT", nonCompliantResourceCount: 2 });
    expect(ssl?.evidence?.[0]?.call).toBe("config:DescribeAggregateComplianceByConfigRules");
    const findings = evaluateAll(got.resources).filter((f) => f.policyId === "config-rule-compliant");
    const status = (name: string, account: string) =>
      findings.find((f) => f.resource.name === name && f.resource.account === account)?.status;
    expect(status("s3-bucket-ssl-requests-only", MGMT.account)).toBe("fail");
    expect(status("encrypted-volumes", DEV)).toBe("pass");
    // INSUFFICIENT_DATA is not a verdict: the finding is an error, never a pass.
    const pending = findings.find((f) => f.resource.name === "rds-storage-encrypted");
    expect(pending?.status).toBe("error");
    expect(pending?.message).toMatch(/insufficient data.*DescribeAggregateComplianceByConfigRules/);
  });

  it("turns a failed compliance listing into one error finding for Config rules, leaving the rest judged", async () => {
    standin.setFaults([
      { service: "config", operation: "DescribeAggregateComplianceByConfigRules", kind: "AccessDenied" },
    ]);
    const got = await collectAggregator(options());
    standin.setFaults([]);
    const rules = got.resources.filter((r) => r.type === "aws.config.rule");
    expect(rules).toHaveLength(1);
    expect(got.collectionErrors).toBe(1);
    const findings = evaluateAll(got.resources);
    const rule = findings.filter((f) => f.policyId === "config-rule-compliant");
    expect(rule.map((f) => f.status)).toEqual(["error"]);
    expect(rule[0].message).toMatch(/AccessDenied on config:DescribeAggregateComplianceByConfigRules/);
    expect(
      findings.find((f) => f.policyId === "rds-instance-storage-encrypted" && f.resource.name === "dev-pg")
        ?.status,
    ).toBe("fail");
  });

  it("makes only calls docs/iam/cipherproof-readonly.json allows", async () => {
    await collectAggregator(options());
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const policy = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../../docs/iam/cipherproof-readonly.json"), "utf8"),
    ) as { Statement: Array<{ Action: string[] }> };
    const allowed = new Set(policy.Statement.flatMap((s) => s.Action));
    const used = [...standin.calls.keys()];
    expect(used).toContain("config:DescribeAggregateComplianceByConfigRules");
    expect(used.filter((op) => !allowed.has(op))).toEqual([]);
  });

  it("asks only for the types the mappers understand", () => {
    expect(aggregatorQuery()).toMatch(
      /^SELECT .*configuration, supplementaryConfiguration.* WHERE resourceType IN \('AWS::ACM::Certificate'/,
    );
    expect(aggregatorQuery()).not.toContain("AWS::IAM::Role");
  });

  it("turns a failed query into error findings for every type, naming the call", async () => {
    standin.setFaults([
      { service: "config", operation: "SelectAggregateResourceConfig", kind: "AccessDenied" },
    ]);
    const got = await collectAggregator(options());
    standin.setFaults([]);
    expect(got.collectionErrors).toBeGreaterThan(0);
    const all = evaluateAll(got.resources);
    // Config rule compliance is a separate call, which still answered.
    const findings = all.filter((f) => f.resourceType !== "aws.config.rule");
    expect(all.filter((f) => f.resourceType === "aws.config.rule").length).toBe(4);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.status).toBe("error");
      expect(f.message).toMatch(/AccessDenied on config:SelectAggregateResourceConfig/);
    }
  });
});
