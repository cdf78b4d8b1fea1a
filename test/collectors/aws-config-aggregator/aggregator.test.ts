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
    const findings = evaluateAll(got.resources);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.status).toBe("error");
      expect(f.message).toMatch(/AccessDenied on config:SelectAggregateResourceConfig/);
    }
  });
});
