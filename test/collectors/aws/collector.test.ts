import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordsManagementEvents } from "../../../src/collectors/aws/cloudtrail.js";
import { AdaptiveLimiter } from "../../../src/collectors/aws/limiter.js";
import { policyAllowsWildcardPrincipal } from "../../../src/collectors/aws/policy-document.js";
import { sslParameter } from "../../../src/collectors/aws/rds.js";
import { locationRegion } from "../../../src/collectors/aws/s3.js";
import { partitionOfRegion } from "../../../src/collectors/aws-partition.js";
import { CipherproofError } from "../../../src/core/errors.js";
import { RESOURCE_TYPES } from "../../../src/resources/index.js";
import { type StandIn, startStandIn } from "../../support/aws-standin/server.js";
import { collectVia, DEV, evaluateAll, MGMT, orgFixture } from "./helpers.js";

let standin: StandIn;
beforeAll(async () => {
  standin = await startStandIn({ fixture: orgFixture() });
});
afterAll(() => standin.close());

describe("live AWS collection through the stand-in", () => {
  it("fills every property of every document (set or missing with a reason), with aws-api as source", async () => {
    const run = await collectVia(standin.url, { org: true });
    expect(run.accounts).toEqual([MGMT.account, DEV]);
    for (const r of run.resources) {
      expect(r.source).toBe("aws-api");
      const schema = RESOURCE_TYPES[r.type];
      expect(schema, r.type).toBeDefined();
      for (const p of Object.keys(schema.properties)) {
        expect(p in r.properties || p in (r.missing ?? {}), `${r.id} lacks ${p}`).toBe(true);
      }
      // No gap left unexplained: the e2e fixture is fully collectable.
      expect(
        Object.values(r.missing ?? {}).filter((m) => /not collected/.test(m)),
        r.id,
      ).toEqual([]);
    }
    // Pagination was exercised (the stand-in serves two items per page).
    expect(standin.calls.get("kms:ListKeys")).toBeGreaterThan(4);
  });

  it("rides out a throttling storm that ends before the retries do, and narrows concurrency meanwhile", async () => {
    standin.setFaults([{ service: "kms", operation: "GetKeyRotationStatus", kind: "throttle", times: 4 }]);
    const run = await collectVia(standin.url, {
      regions: ["us-east-1"],
      retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 },
    });
    standin.setFaults([]);
    const keys = run.resources.filter((r) => r.type === "aws.kms.key");
    expect(keys.length).toBe(6);
    for (const k of keys) expect(k.missing ?? {}).toEqual({});
    expect(run.failedCalls).toBe(0);
    expect(run.callsByOperation["kms:GetKeyRotationStatus"]).toBe(6 + 4);
  });

  it("gives up on a listing whose pages never end: the listing is a collection error, not an endless scan", async () => {
    standin.setFaults([{ service: "kms", operation: "ListKeys", kind: "endlessPages" }]);
    const run = await collectVia(standin.url, { regions: ["us-east-1"], services: ["kms"], maxPages: 25 });
    standin.setFaults([]);
    expect(standin.calls.get("kms:ListKeys")).toBeLessThanOrEqual(25 + 25);
    const keys = run.resources.filter((r) => r.type === "aws.kms.key");
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys)
      expect(Object.values(k.missing ?? {}).join(" ")).toMatch(/pagination did not end after 25 pages/);
    const kmsFindings = evaluateAll(run.resources).filter((f) => f.resourceType === "aws.kms.key");
    expect(kmsFindings.length).toBeGreaterThan(0);
    expect(kmsFindings.filter((f) => f.status === "pass")).toEqual([]);
  });

  it("takes no rotation period on trust: a customer key without RotationPeriodInDays has it missing", async () => {
    const fixture = orgFixture();
    for (const account of Object.values(fixture.accounts))
      for (const region of Object.values(account.regionData))
        for (const k of region.kms?.keys ?? []) k.OmitRotationPeriod = true;
    const own = await startStandIn({ fixture });
    try {
      const run = await collectVia(own.url, { regions: ["us-east-1"], services: ["kms"] });
      const rotating = run.resources.filter(
        (r) => r.type === "aws.kms.key" && r.properties.rotationEnabled === true,
      );
      const customer = rotating.filter((r) => r.properties.keyManager === "CUSTOMER");
      expect(customer.length).toBeGreaterThan(0);
      for (const k of customer) {
        expect(k.properties.rotationPeriodDays, k.id).toBeUndefined();
        expect(k.missing?.rotationPeriodDays).toMatch(/no RotationPeriodInDays/);
      }
      for (const k of rotating.filter((r) => r.properties.keyManager === "AWS"))
        expect(k.properties.rotationPeriodDays, k.id).toBe(365);
    } finally {
      await own.close();
    }
  });

  it("pairs each Config recorder with its own status and lets one recorder speak for the region", async () => {
    // A stopped customer recorder of all types, and a running service-linked recorder of a few types, with the
    // statuses listed in the other order: taking the first of each list would read as recording all types.
    const customer = {
      name: "default",
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    };
    const linked = {
      name: "AWSConfigurationRecorderForSecurityHub",
      recordingGroup: { allSupported: false, recordingStrategy: { useOnly: "INCLUSION_BY_RESOURCE_TYPES" } },
    };
    const run = async (customerRecording: boolean, statusOf: string[]) => {
      const fixture = orgFixture();
      const region = fixture.accounts[MGMT.account].regionData["us-east-1"];
      region.config = {
        ...region.config,
        ConfigurationRecorders: [customer, linked],
        ConfigurationRecordersStatus: [
          { name: linked.name, recording: true, lastStatus: "SUCCESS" },
          { name: customer.name, recording: customerRecording, lastStatus: "SUCCESS" },
        ].filter((s) => statusOf.includes(s.name)),
      };
      const own = await startStandIn({ fixture });
      try {
        const { resources } = await collectVia(own.url, { regions: ["us-east-1"], services: ["config"] });
        const doc = resources.find(
          (r) => r.type === "aws.account.region" && r.account === MGMT.account && r.region === "us-east-1",
        );
        if (!doc) throw new Error("no account-region document");
        const finding = evaluateAll([doc]).find(
          (f) => f.policyId === "config-recorder-recording-all-resources",
        );
        return { doc, status: finding?.status };
      } finally {
        await own.close();
      }
    };
    const both = [customer.name, linked.name];
    const stopped = await run(false, both);
    expect(stopped.status).toBe("fail");
    expect(stopped.doc.properties).toMatchObject({
      configRecorderRecording: false,
      configRecordsAllSupported: true,
    });
    expect((await run(true, both)).status).toBe("pass");
    // The chosen recorder has no status: its recording state is unknown, not taken from the other recorder.
    const unreported = await run(true, [linked.name]);
    expect(unreported.status).toBe("error");
    expect(unreported.doc.missing?.configRecorderRecording).toMatch(/did not report recorder default/);
  });

  it("derives pendingDeletion only from a key state it knows: absent or newer states leave it missing", async () => {
    const fixture = orgFixture();
    const keys = fixture.accounts[MGMT.account].regionData["us-east-1"].kms?.keys ?? [];
    expect(keys.length).toBeGreaterThan(1);
    delete keys[0].KeyMetadata.KeyState;
    keys[1].KeyMetadata.KeyState = "PendingSomethingNew";
    keys[0].KeyMetadata.DeletionDate = keys[1].KeyMetadata.DeletionDate = new Date(
      Date.now() + 7 * 864e5,
    ).toISOString();
    const own = await startStandIn({ fixture });
    try {
      const run = await collectVia(own.url, { regions: ["us-east-1"], services: ["kms"] });
      for (const [k, reason] of [
        [keys[0], /no KeyState/],
        [keys[1], /key state Cipherproof does not know/],
      ] as const) {
        const doc = run.resources.find((r) => r.id === k.KeyMetadata.Arn);
        expect(doc?.properties.pendingDeletion, k.KeyMetadata.Arn).toBeUndefined();
        expect(doc?.missing?.pendingDeletion).toMatch(reason);
        const finding = evaluateAll(doc ? [doc] : []).find(
          (f) => f.policyId === "kms-key-not-pending-deletion",
        );
        expect(finding?.status).not.toBe("pass");
      }
    } finally {
      await own.close();
    }
  });

  it("does not take TLS enforcement from a parameter group that is not yet applied", async () => {
    const fixture = orgFixture();
    const rds = fixture.accounts[MGMT.account].regionData["us-east-1"].rds;
    const patients = rds?.DBInstances?.find((i) => i.DBInstanceIdentifier === "patients");
    const billing = rds?.DBClusters?.find((c) => c.DBClusterIdentifier === "billing");
    if (!patients || !billing) throw new Error("fixture changed");
    patients.DBParameterGroups[0].ParameterApplyStatus = "pending-reboot";
    billing.DBClusterMembers[0].DBClusterParameterGroupStatus = "pending-reboot";
    const own = await startStandIn({ fixture });
    try {
      const run = await collectVia(own.url, { regions: ["us-east-1"], services: ["rds"] });
      for (const id of [patients.DBInstanceArn, billing.DBClusterArn]) {
        const doc = run.resources.find((r) => r.id === id);
        expect(doc?.properties.forceSsl, id).toBeUndefined();
        expect(doc?.missing?.forceSsl, id).toMatch(
          /is pending-reboot: whether its TLS setting is in effect is unknown/,
        );
      }
    } finally {
      await own.close();
    }
  });

  it("places a legacy EU bucket in eu-west-1 and looks up its key there by id", async () => {
    const fixture = orgFixture();
    const buckets = fixture.accounts[MGMT.account].s3?.buckets ?? [];
    const assets = buckets.find((b) => b.Name === "prod-eu-assets");
    if (!assets) throw new Error("fixture changed");
    // Made before ListBuckets reported regions: GetBucketLocation answers "EU". Its key is named by id, not ARN.
    assets.legacyLocation = "EU";
    assets.encryption = { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "1111bbbb-0000-4000-8000-000000000001" };
    const own = await startStandIn({ fixture });
    try {
      const run = await collectVia(own.url, { regions: ["us-east-1", "eu-west-1"], services: ["s3"] });
      const doc = run.resources.find((r) => r.id === "arn:aws:s3:::prod-eu-assets");
      expect(doc?.region).toBe("eu-west-1");
      expect(doc?.properties.kmsKeyManager).toBe("CUSTOMER");
      expect(locationRegion("EU")).toBe("eu-west-1");
      expect(locationRegion("")).toBe("us-east-1");
      expect(locationRegion(null)).toBe("us-east-1");
      expect(locationRegion("ap-south-2")).toBe("ap-south-2");
    } finally {
      await own.close();
    }
  });

  it("reads an HTTP listener's rules: one that forwards serves plaintext even when the default redirects", async () => {
    const run = async (rules: object[]) => {
      const fixture = orgFixture();
      const elbv2 = fixture.accounts[MGMT.account].regionData["us-east-1"].elbv2;
      const http = elbv2?.Listeners?.find(
        (l) => l.Protocol === "HTTP" && l.DefaultActions[0].Type === "redirect",
      );
      if (!elbv2 || !http) throw new Error("fixture changed");
      elbv2.Rules = rules.map((r) => ({ ListenerArn: http.ListenerArn, ...r }));
      const own = await startStandIn({ fixture });
      try {
        const { resources } = await collectVia(own.url, { regions: ["us-east-1"], services: ["elbv2"] });
        const doc = resources.find((r) => r.id === http.ListenerArn);
        const finding = evaluateAll(doc ? [doc] : []).find(
          (f) => f.policyId === "elbv2-listener-http-rules-redirect-to-https",
        );
        return { doc, status: finding?.status };
      } finally {
        await own.close();
      }
    };
    const api = {
      RuleArn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener-rule/app/portal/abc/80/1",
      Priority: "1",
      Conditions: [{ Field: "path-pattern", Values: ["/api/*"] }],
      IsDefault: false,
    };
    const forwarding = await run([
      {
        ...api,
        Actions: [
          { Type: "forward", TargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1" },
        ],
      },
    ]);
    expect(forwarding.doc?.properties).toMatchObject({ redirectsToHttps: true, rulesServePlaintext: true });
    expect(forwarding.status).toBe("fail");
    const redirecting = await run([
      {
        ...api,
        Actions: [
          { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
        ],
      },
    ]);
    expect(redirecting.doc?.properties.rulesServePlaintext).toBe(false);
    expect(redirecting.status).toBe("pass");
  });

  it("reads each bucket's configuration in the bucket's own region", async () => {
    const run = await collectVia(standin.url);
    const eu = run.resources.find((r) => r.id === "arn:aws:s3:::prod-eu-assets");
    expect(eu?.region).toBe("eu-west-1");
    expect(eu?.missing).toBeUndefined();
  });

  it("scans only the given regions, and only buckets in them", async () => {
    const run = await collectVia(standin.url, { regions: ["eu-west-1"] });
    expect(run.regions).toEqual(["eu-west-1"]);
    expect(
      run.resources
        .filter((r) => r.type === "aws.s3.bucket")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["prod-eu-assets", "prod-eu-tls11"]);
    expect(run.resources.some((r) => r.region === "us-east-1")).toBe(false);
  });

  it("reports a requested region that is not enabled as errors naming the call, never as an empty region", async () => {
    const run = await collectVia(standin.url, { regions: ["ap-south-2"], services: ["kms", "ec2"] });
    const findings = evaluateAll(run.resources);
    const kms = findings.filter((f) => f.resourceType === "aws.kms.key");
    expect(kms.length).toBeGreaterThan(0);
    for (const f of kms) {
      expect(f.status).toBe("error");
      expect(f.message).toMatch(/region ap-south-2 not enabled .* on kms:ListKeys/);
    }
    const ebs = findings.find((f) => f.policyId === "ec2-ebs-default-encryption-enabled");
    expect(ebs?.status).toBe("error");
  });

  it("enters a role given with --role-arn and confirms the account with STS", async () => {
    const run = await collectVia(standin.url, {
      roleArns: [`arn:aws:iam::${DEV}:role/OrganizationAccountAccessRole`],
      services: ["ec2"],
    });
    expect(run.accounts).toEqual([DEV]);
    expect(run.resources.every((r) => r.account === DEV)).toBe(true);
  });

  it("turns an account it cannot enter into error findings for every type, not a silent gap", async () => {
    const run = await collectVia(standin.url, {
      roleArns: ["arn:aws:iam::999999999999:role/Audit"],
      services: ["kms", "s3"],
    });
    expect(run.unreachable).toEqual([
      { account: "999999999999", reason: expect.stringMatching(/AccessDenied on sts:AssumeRole/) },
    ]);
    const findings = evaluateAll(run.resources);
    const policies = new Set(findings.map((f) => f.policyId));
    expect(policies).toContain("kms-key-rotation-enabled");
    expect(policies).toContain("s3-bucket-policy-denies-insecure-transport");
    for (const f of findings) expect(f.status).toBe("error");
  });
});

describe("KMS rotation schedule", () => {
  it("records NextRotationDate for keys that rotate and null for keys that do not", async () => {
    const run = await collectVia(standin.url);
    const keys = run.resources.filter((r) => r.type === "aws.kms.key" && !r.id.startsWith("urn:"));
    const rotating = keys.filter((k) => k.properties.rotationEnabled === true);
    const still = keys.filter((k) => k.properties.rotationEnabled === false);
    expect(rotating.length).toBeGreaterThan(0);
    expect(still.length).toBeGreaterThan(0);
    for (const k of rotating) {
      const next = Date.parse(String(k.properties.nextRotationDate));
      const period = Number(k.properties.rotationPeriodDays) * 86_400_000;
      expect(next, k.id).toBeGreaterThan(Date.now());
      expect(next, k.id).toBeLessThanOrEqual(Date.now() + period);
    }
    for (const k of still) expect(k.properties.nextRotationDate, k.id).toBeNull();
  });
});

describe("collector helpers", () => {
  it("names the partition of each region as ARNs spell it", () => {
    expect(
      Object.fromEntries(
        [
          "us-east-1",
          "eu-west-1",
          "us-gov-west-1",
          "cn-north-1",
          "eusc-de-east-1",
          "us-iso-east-1",
          "us-isob-east-1",
          "eu-isoe-west-1",
          "us-isof-south-1",
        ].map((r) => [r, partitionOfRegion(r)]),
      ),
    ).toEqual({
      "us-east-1": "aws",
      "eu-west-1": "aws",
      "us-gov-west-1": "aws-us-gov",
      "cn-north-1": "aws-cn",
      "eusc-de-east-1": "aws-eusc",
      "us-iso-east-1": "aws-iso",
      "us-isob-east-1": "aws-iso-b",
      "eu-isoe-west-1": "aws-iso-e",
      "us-isof-south-1": "aws-iso-f",
    });
  });

  it("finds wildcard principals only when no condition pins them down", () => {
    const p = (st: object) => JSON.stringify({ Statement: [st] });
    expect(policyAllowsWildcardPrincipal(p({ Effect: "Allow", Principal: "*", Action: "kms:*" }))).toBe(true);
    expect(
      policyAllowsWildcardPrincipal(p({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:Decrypt" })),
    ).toBe(true);
    expect(
      policyAllowsWildcardPrincipal(
        p({
          Effect: "Allow",
          Principal: "*",
          Condition: { StringEquals: { "kms:CallerAccount": "111111111111" } },
        }),
      ),
    ).toBe(false);
    expect(
      policyAllowsWildcardPrincipal(
        p({
          Effect: "Allow",
          Principal: "*",
          Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
        }),
      ),
    ).toBe(true);
    expect(
      policyAllowsWildcardPrincipal(
        p({
          Effect: "Allow",
          Principal: "*",
          Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-1" } },
        }),
      ),
    ).toBe(true);
    expect(policyAllowsWildcardPrincipal(p({ Effect: "Deny", Principal: "*", Action: "kms:*" }))).toBe(false);
    expect(policyAllowsWildcardPrincipal("{not json")).toBeUndefined();
  });

  it("counts only positive, literal conditions on identity keys as limiting a wildcard principal", () => {
    const withCondition = (Condition: object) =>
      policyAllowsWildcardPrincipal(
        JSON.stringify({
          Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Condition }],
        }),
      );
    // Open: everything but one account, a pattern that matches anyone's account, or a key that may be absent.
    for (const open of [
      { StringNotEquals: { "aws:PrincipalAccount": "111111111111" } },
      { StringNotLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:*" } },
      { ArnNotEquals: { "aws:SourceArn": "arn:aws:s3:::bucket" } },
      { StringLike: { "aws:PrincipalAccount": "*1" } },
      { StringLike: { "aws:PrincipalAccount": "11111111111?" } },
      { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/app" } },
      { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": "o-abc" } },
      { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-abc" } },
      { StringEqualsIfExists: { "kms:CallerAccount": "111111111111" } },
      { ArnEqualsIfExists: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/app" } },
      { Null: { "aws:PrincipalAccount": "false" } },
      { StringEquals: { "aws:PrincipalAccount": "*" } },
      { StringEquals: { "aws:PrincipalAccount": [] } },
      { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      { Bool: { "aws:SecureTransport": "true" } },
      // A user name is not tied to an account: a user "deploy" can exist in any account.
      { StringEquals: { "aws:username": "deploy" } },
    ])
      expect(withCondition(open), JSON.stringify(open)).toBe(true);
    // An Allow with NotPrincipal admits everyone but the listed principal.
    expect(
      policyAllowsWildcardPrincipal(
        JSON.stringify({
          Statement: [
            { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*" },
          ],
        }),
      ),
    ).toBe(true);
    // Limited: the caller is pinned to listed accounts, organizations, principals or sources.
    for (const limited of [
      { StringEquals: { "aws:PrincipalAccount": "111111111111" } },
      { StringEqualsIgnoreCase: { "aws:PrincipalOrgID": "o-abc" } },
      { StringEquals: { "kms:CallerAccount": ["111111111111", "222222222222"] } },
      { StringEquals: { "aws:SourceAccount": "111111111111" } },
      { ArnEquals: { "aws:SourceArn": "arn:aws:s3:::bucket" } },
      { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/app" } },
      { StringLike: { "aws:PrincipalAccount": "111111111111" } },
      {
        StringEquals: { "kms:CallerAccount": "111111111111", "kms:ViaService": "s3.us-east-1.amazonaws.com" },
      },
    ])
      expect(withCondition(limited), JSON.stringify(limited)).toBe(false);
  });

  it("counts management events as recorded only when no selector narrows them", () => {
    expect(
      recordsManagementEvents([{ IncludeManagementEvents: true, ReadWriteType: "All" }], undefined),
    ).toBe(true);
    expect(recordsManagementEvents([{ IncludeManagementEvents: true, ReadWriteType: "WriteOnly" }], [])).toBe(
      false,
    );
    expect(
      recordsManagementEvents(
        [
          {
            IncludeManagementEvents: true,
            ReadWriteType: "All",
            ExcludeManagementEventSources: ["kms.amazonaws.com"],
          },
        ],
        undefined,
      ),
    ).toBe(false);
    const management = { Field: "eventCategory", Equals: ["Management"] };
    expect(recordsManagementEvents(undefined, [{ FieldSelectors: [management] }])).toBe(true);
    for (const narrowing of [
      { Field: "readOnly", Equals: ["false"] },
      { Field: "eventSource", NotEquals: ["kms.amazonaws.com", "rdsdata.amazonaws.com"] },
    ])
      expect(recordsManagementEvents(undefined, [{ FieldSelectors: [management, narrowing] }])).toBe(false);
  });

  it("knows which parameter forces TLS per engine", () => {
    expect(sslParameter("postgres")?.name).toBe("rds.force_ssl");
    expect(sslParameter("aurora-mysql")?.name).toBe("require_secure_transport");
    expect(sslParameter("sqlserver-se")?.name).toBe("rds.force_ssl");
    expect(sslParameter("oracle-ee")).toBeUndefined();
    expect(sslParameter("mysql")?.on("ON")).toBe(true);
    expect(sslParameter("mysql")?.on("0")).toBe(false);
  });

  it("halves the allowed concurrency on throttling and grows it back on success", async () => {
    const l = new AdaptiveLimiter(16);
    l.throttled();
    l.throttled();
    expect(l.allowed).toBe(4);
    for (let i = 0; i < 200; i++) l.succeeded();
    expect(l.allowed).toBe(16);
    let active = 0;
    let peak = 0;
    const small = new AdaptiveLimiter(3);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        small.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 2));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});

describe("docs/iam/cipherproof-readonly.json", () => {
  // IAM action names where they differ from the API operation the SDK calls.
  const ACTION_FOR: Record<string, string> = {
    "s3:ListBuckets": "s3:ListAllMyBuckets",
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
  };

  it("allows every call a scan makes, only read calls, and never secret values", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const read = (f: string) =>
      JSON.parse(readFileSync(join(import.meta.dirname, "../../../docs/iam", f), "utf8")) as {
        Statement: Array<{ Action: string[] }>;
      };
    const allowed = new Set(
      [
        ...read("cipherproof-readonly.json").Statement,
        ...read("cipherproof-org-management.json").Statement,
      ].flatMap((s) => s.Action),
    );
    const run = await collectVia(standin.url, { org: true });
    const used = Object.keys(run.callsByOperation).map((op) => ACTION_FOR[op] ?? op);
    expect(used.filter((a) => !allowed.has(a))).toEqual([]);
    for (const a of read("cipherproof-readonly.json").Statement.flatMap((s) => s.Action)) {
      expect(a).toMatch(/^[a-z0-9-]+:(List|Describe|Get|Select)[A-Za-z]+$/);
      expect(a).not.toMatch(/GetSecretValue|GetObject$|Decrypt/);
    }
  });
});

describe("progress", () => {
  it("draws a bar of account × region × service units on a TTY and stays silent otherwise", async () => {
    const { terminalProgress } = await import("../../../src/collectors/aws/progress.js");
    const tty: string[] = [];
    const quiet: string[] = [];
    for (const [sink, isTTY] of [
      [tty, true],
      [quiet, false],
    ] as const) {
      const p = terminalProgress((s) => sink.push(s), isTTY, 10);
      const run = await collectVia(standin.url, {
        regions: ["us-east-1"],
        services: ["kms", "iam"],
        progress: p,
      });
      expect(run.resources.length).toBeGreaterThan(0);
    }
    expect(quiet).toEqual([]);
    expect(tty.join("")).toMatch(/\[##########\] 2\/2 \d+ API calls/);
    expect(tty.at(-1)).toBe("\r\x1b[2K");
  });
});

describe("an endpoint that cannot be reached", () => {
  it("is reported as a network problem naming the endpoint, not as wrong credentials", async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as AddressInfo;
        srv.close(() => resolve(port));
      });
    });
    for (const url of [`http://127.0.0.1:${closed}`, "http://cipherproof-no-such-host.invalid"]) {
      const err = await collectVia(url).then(
        () => undefined,
        (e: unknown) => e as CipherproofError,
      );
      expect(err, url).toBeInstanceOf(CipherproofError);
      expect(err?.message, url).toMatch(
        /^cannot reach AWS STS: (network error E[A-Z_]+|timeout) on sts:GetCallerIdentity/,
      );
      expect(err?.hint, url).toContain(new URL(url).origin);
      expect(err?.hint, url).not.toMatch(/credentials/);
    }
  });
});
