import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mapSnapshotDocument, mapSnapshotDocuments } from "../../src/collectors/aws-config-snapshot/index.js";
import { show } from "../../src/collectors/aws-config-snapshot/node.js";
import {
  analyzeBucketPolicy,
  globMatch,
  patternsCoverAllKeys,
} from "../../src/collectors/aws-config-snapshot/s3-policy.js";
import { CipherproofError } from "../../src/core/errors.js";
import type { ResourceDocument } from "../../src/core/types.js";
import { runCliInProcess, tempDir } from "../support/cli.js";
import {
  ACCOUNT,
  expectValidDocuments,
  FILE,
  mapFiles,
  mapItems,
  NOW,
  only,
} from "./aws-config-snapshot/fixtures.js";

/** A configuration item as in the reviewer's reproductions. */
function I(
  type: string,
  id: string,
  configuration: unknown,
  supplementaryConfiguration: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceType: type,
    resourceId: id,
    awsAccountId: ACCOUNT,
    awsRegion: "us-east-1",
    configurationItemStatus: "OK",
    configurationItemCaptureTime: "2026-11-22T05:14:07Z",
    configuration,
    supplementaryConfiguration,
    ...extra,
  };
}

const snap = (...items: unknown[]) => ({ configurationItems: items });

interface Finding {
  id: string;
  policyId: string;
  resourceId: string;
  status: string;
  message: string;
}

interface Scan {
  code: number;
  stdout: string;
  stderr: string;
  dir: string;
  findings: Finding[];
  doc: Record<string, unknown> | undefined;
}

/** Write snapshot files (objects as JSON, strings as they are) and scan them in process with `--out - --format json`. */
async function scan(
  files: Record<string, unknown>,
  out: string[] = ["--out", "-", "--format", "json"],
): Promise<Scan> {
  const dir = tempDir("cipherproof-hardening-");
  const args = ["scan"];
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
    args.push("--snapshot", join(dir, name));
  }
  // The working directory is the process's: the scan command shortens snapshot paths relative to it.
  const r = await runCliInProcess([...args, ...out.map((a) => a.replace("$DIR", dir))], process.cwd());
  let doc: Record<string, unknown> | undefined;
  if (out[1] === "-" && (r.code === 0 || r.code === 1)) doc = JSON.parse(r.stdout) as Record<string, unknown>;
  const findings = (doc?.findings ?? []) as Finding[];
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr, dir, findings, doc };
}

const of = (s: Scan, policyId: string) => s.findings.filter((f) => f.policyId === policyId);

function caught(run: () => unknown): CipherproofError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CipherproofError);
    return err as CipherproofError;
  }
  throw new Error("expected an input error");
}

// ---------------------------------------------------------------------------------------------------------------
describe("1. S3 bucket policy: a Resource covers all objects only when it matches every key", () => {
  const deny = (resource: unknown, condition: Record<string, unknown>) => ({
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: resource,
    Condition: condition,
  });
  const insecure = { Bool: { "aws:SecureTransport": "false" } };
  const oldTls = { NumericLessThan: { "s3:TlsVersion": "1.2" } };
  const bucketItem = (resource: unknown) =>
    I(
      "AWS::S3::Bucket",
      "b1",
      { name: "b1" },
      {
        BucketPolicy: {
          policyText: JSON.stringify({
            Version: "2012-10-17",
            Statement: [deny(resource, insecure), deny(resource, oldTls)],
          }),
        },
      },
      { ARN: "arn:aws:s3:::b1" },
    );

  it("`b1/?` (one-character keys) does not count: the two policies fail, never pass", async () => {
    const t = analyzeBucketPolicy(
      { Statement: [deny("arn:aws:s3:::b1/?", insecure), deny("arn:aws:s3:::b1/?", oldTls)] },
      "b1",
    );
    expect(t).toEqual({ deniesInsecureTransport: false, minimumTlsVersion: null });

    const s = await scan({ "b1.json": snap(bucketItem("arn:aws:s3:::b1/?")) });
    expect(s.code).toBe(1);
    expect(of(s, "s3-bucket-policy-denies-insecure-transport").map((f) => f.status)).toEqual(["fail"]);
    expect(of(s, "s3-bucket-policy-min-tls12").map((f) => f.status)).toEqual(["fail"]);
  });

  it("the AWS-recommended statement (bucket and bucket/*) still passes", async () => {
    const s = await scan({ "b1.json": snap(bucketItem(["arn:aws:s3:::b1", "arn:aws:s3:::b1/*"])) });
    expect(of(s, "s3-bucket-policy-denies-insecure-transport").map((f) => f.status)).toEqual(["pass"]);
    expect(of(s, "s3-bucket-policy-min-tls12").map((f) => f.status)).toEqual(["pass"]);
  });

  const cases: Array<[string, boolean]> = [
    ["arn:aws:s3:::b1/*", true],
    ["arn:aws:s3:::b1/**", true],
    ["arn:aws:s3:::b1/*?", true],
    ["arn:aws:s3:::b1/?*", true],
    ["arn:aws:s3:::b1*", true],
    ["arn:aws:s3:::b1?*", true],
    ["arn:aws:s3:::b*/*", true],
    ["arn:aws:s3:::b?/*", true],
    ["arn:aws:s3:::*/*", true],
    ["arn:aws:s3:::*", true],
    ["arn:*:s3:::b1/*", true],
    ["*", true],
    ["arn:aws:s3:::b1/?", false],
    ["arn:aws:s3:::b1/??*", false],
    ["arn:aws:s3:::b1/a*", false],
    ["arn:aws:s3:::b1/*a", false],
    ["arn:aws:s3:::b1/*/*", false],
    ["arn:aws:s3:::b1/private/*", false],
    ["arn:aws:s3:::b1", false],
    ["arn:aws:s3:::b1?", false],
    ["arn:aws:s3:::b2/*", false],
    ["arn:aws:s3:::b1-logs/*", false],
    ["arn:aws-cn:s3:::b1/*", false],
    // IAM policy variables, not template placeholders.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
    ["arn:aws:s3:::b1/${aws:username}/*", false],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
    ["arn:aws:s3:::b1/${*}", false],
  ];
  for (const [resource, covers] of cases) {
    it(`${resource} ${covers ? "covers" : "does not cover"} every object of b1`, () => {
      expect(patternsCoverAllKeys([resource], "arn:aws:s3:::b1/")).toBe(covers);
      expect(
        analyzeBucketPolicy({ Statement: [deny(resource, insecure)] }, "b1").deniesInsecureTransport,
      ).toBe(covers);
    });
  }

  it("several Resource entries cover all keys together only when their wildcard parts do", () => {
    expect(patternsCoverAllKeys(["arn:aws:s3:::b1/?", "arn:aws:s3:::b1/??*"], "arn:aws:s3:::b1/")).toBe(true);
    expect(patternsCoverAllKeys(["arn:aws:s3:::b1/?", "arn:aws:s3:::b1/???*"], "arn:aws:s3:::b1/")).toBe(
      false,
    );
    expect(patternsCoverAllKeys(["arn:aws:s3:::b1/a*", "arn:aws:s3:::b1/b*"], "arn:aws:s3:::b1/")).toBe(
      false,
    );
    expect(patternsCoverAllKeys([], "arn:aws:s3:::b1/")).toBe(false);
  });

  it("globMatch: `?` is exactly one character, `*` any run, everything else literal", () => {
    expect(globMatch("arn:aws:s3:::b1/?", "arn:aws:s3:::b1/x")).toBe(true);
    expect(globMatch("arn:aws:s3:::b1/?", "arn:aws:s3:::b1/*")).toBe(true);
    expect(globMatch("arn:aws:s3:::b1/?", "arn:aws:s3:::b1/xy")).toBe(false);
    expect(globMatch("arn:aws:s3:::b1/?", "arn:aws:s3:::b1/")).toBe(false);
    expect(globMatch("a*b*c", "aXXbYYc")).toBe(true);
    expect(globMatch("a*b*c", "aXXbYY")).toBe(false);
    expect(globMatch("a.c", "abc")).toBe(false);
    expect(globMatch("a+c", "aac")).toBe(false);
    expect(globMatch("***", "")).toBe(true);
    expect(globMatch("?", "😀")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("2. Resource patterns with many wildcards are matched in linear time", () => {
  const bucket = "a".repeat(60);
  const policy = (resource: string) => ({
    Statement: [
      {
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

  // The old regex matcher took 77 s at 8 stars and never finished at 10; these use 24 to 40.
  it("`arn:aws:s3:::` + 40 × `*` + `z` does not cover the objects of a 60-character bucket", () => {
    expect(
      analyzeBucketPolicy(policy(`arn:aws:s3:::${"*".repeat(40)}z`), bucket).deniesInsecureTransport,
    ).toBe(false);
  });

  it("interleaved wildcards and literals are no slower", () => {
    expect(
      analyzeBucketPolicy(policy(`arn:aws:s3:::${"*a".repeat(24)}*z`), bucket).deniesInsecureTransport,
    ).toBe(false);
    expect(
      analyzeBucketPolicy(policy(`arn:aws:s3:::${"*a".repeat(24)}*`), bucket).deniesInsecureTransport,
    ).toBe(true);
    expect(globMatch(`${"*".repeat(5000)}z`, `${"a".repeat(5000)}`)).toBe(false);
    expect(globMatch(`${"*a".repeat(2000)}b`, "a".repeat(5000))).toBe(false);
  });

  it("through the mapper, as a snapshot item", () => {
    const doc = only(
      mapItems(
        I(
          "AWS::S3::Bucket",
          bucket,
          { name: bucket },
          { BucketPolicy: { policyText: JSON.stringify(policy(`arn:aws:s3:::${"*".repeat(32)}z`)) } },
        ),
      ),
      "aws.s3.bucket",
    );
    expect(doc.properties.policyDeniesInsecureTransport).toBe(false);
    expectValidDocuments([doc]);
  });

  it("a bucket policy far larger than AWS allows is not analyzed: missing, not false or true", () => {
    const big = { Statement: Array.from({ length: 3000 }, () => policy("arn:aws:s3:::*").Statement[0]) };
    const doc = only(
      mapItems(
        I("AWS::S3::Bucket", "big", { name: "big" }, { BucketPolicy: { policyText: JSON.stringify(big) } }),
      ),
      "aws.s3.bucket",
    );
    expect(doc.missing?.policyDeniesInsecureTransport).toMatch(/not analyzed/);
    expect(doc.missing?.minimumTlsVersion).toMatch(/not analyzed/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("3. derived properties come only from recognised values", () => {
  const key = {
    keyId: "k",
    keyManager: "CUSTOMER",
    keyState: "PENDINGDELETION",
    deletionDate: "2026-12-01T00:00:00Z",
    origin: "AWS_KMS",
    keySpec: "SYMMETRIC_DEFAULT",
  };

  it("an unrecognised KMS key state leaves pendingDeletion missing; kms-key-not-pending-deletion is an error", async () => {
    const doc = only(mapItems(I("AWS::KMS::Key", "k", key)), "aws.kms.key");
    expect(doc.missing?.keyState).toMatch(/unrecognized value "PENDINGDELETION"/);
    expect(doc.properties).not.toHaveProperty("pendingDeletion");
    expect(doc.missing?.pendingDeletion).toMatch(
      /key state "PENDINGDELETION" is not one Cipherproof recognizes/,
    );
    expect(doc.properties.deletionDate).toBe("2026-12-01T00:00:00.000Z");
    expectValidDocuments([doc]);

    const s = await scan({ "k.json": snap(I("AWS::KMS::Key", "k", key)) });
    expect(of(s, "kms-key-not-pending-deletion").map((f) => f.status)).toEqual(["error"]);
  });

  it("an unrecognised state without a deletion date leaves deletionDate missing, not null", () => {
    const doc = only(mapItems(I("AWS::KMS::Key", "k", { ...key, deletionDate: undefined })), "aws.kms.key");
    expect(doc.properties).not.toHaveProperty("deletionDate");
    expect(doc.missing?.deletionDate).toBeDefined();
  });

  it("a recognised state still derives them", () => {
    const pending = only(
      mapItems(I("AWS::KMS::Key", "k", { ...key, keyState: "PendingDeletion" })),
      "aws.kms.key",
    );
    expect(pending.properties).toMatchObject({
      pendingDeletion: true,
      deletionDate: "2026-12-01T00:00:00.000Z",
    });
    const enabled = only(mapItems(I("AWS::KMS::Key", "k", { ...key, keyState: "Enabled" })), "aws.kms.key");
    expect(enabled.properties).toMatchObject({ pendingDeletion: false, deletionDate: null });
  });

  it("S3: an unknown default-encryption algorithm derives no key facts", () => {
    const sse = {
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms:future",
            kmsMasterKeyID: "alias/aws/s3",
          },
          bucketKeyEnabled: true,
        },
      ],
    };
    const doc = only(
      mapItems(I("AWS::S3::Bucket", "b", { name: "b" }, { ServerSideEncryptionConfiguration: sse })),
      "aws.s3.bucket",
    );
    for (const p of ["encryptionAlgorithm", "kmsKeyId", "kmsKeyManager", "bucketKeyEnabled"]) {
      expect(doc.properties, p).not.toHaveProperty(p);
      expect(doc.missing?.[p], p).toBeDefined();
    }
    expectValidDocuments([doc]);
  });

  it("ACM: unknown renewal eligibility, status and key algorithm derive nothing", () => {
    const doc = only(
      mapItems(
        I("AWS::ACM::Certificate", "arn:aws:acm:us-east-1:111122223333:certificate/c", {
          domainName: "example.com",
          status: "issued",
          type: "AMAZON_ISSUED",
          keyAlgorithm: "constructor",
          renewalEligibility: "eligible",
        }),
      ),
      "aws.acm.certificate",
    );
    expect(doc.missing?.renewalEligible).toMatch(/unrecognized renewal eligibility "eligible"/);
    expect(doc.missing?.notAfter).toBeDefined();
    expect(doc.missing?.daysUntilExpiry).toBeDefined();
    expect(doc.missing?.keyBits).toMatch(/unrecognized key algorithm/);
    expect(doc.properties).not.toHaveProperty("keyBits");
    expectValidDocuments([doc]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("4. one document per resource: the same resource with and without an ARN", () => {
  const rds = (id: string, time: string, encrypted: boolean, extra: Record<string, unknown> = {}) =>
    I(
      "AWS::RDS::DBInstance",
      id,
      { engine: "postgres", storageEncrypted: encrypted },
      {},
      { resourceName: "patients", configurationItemCaptureTime: time, ...extra },
    );
  const ARN = "arn:aws:rds:us-east-1:111122223333:db:patients";
  const old = rds("db-ABC", "2026-10-01T00:00:00Z", true, { ARN });
  const latest = rds("db-ABC", "2026-11-22T05:14:07Z", false);
  const rdsDocs = (docs: readonly ResourceDocument[]) => docs.filter((d) => d.type === "aws.rds.db_instance");

  it("the latest capture wins whichever file carries the ARN, in either order", () => {
    for (const files of [
      [
        { doc: snap(old), file: "old.json" },
        { doc: snap(latest), file: "new.json" },
      ],
      [
        { doc: snap(latest), file: "new.json" },
        { doc: snap(old), file: "old.json" },
      ],
    ]) {
      const docs = rdsDocs(mapFiles(...files).resources);
      expect(docs).toHaveLength(1);
      expect(docs[0].id).toBe(ARN);
      expect(docs[0].properties.storageEncrypted).toBe(false);
      expect(docs[0].evidence?.map((e) => e.file)).toEqual(["new.json"]);
    }
  });

  it("through the CLI: one finding, fail (never the same id twice, once pass once fail)", async () => {
    const s = await scan({ "old.json": snap(old), "new.json": snap(latest) });
    const f = of(s, "rds-instance-storage-encrypted");
    expect(f.map((x) => x.status)).toEqual(["fail"]);
    expect(new Set(s.findings.map((x) => x.id)).size).toBe(s.findings.length);
  });

  it("a newer ResourceDeleted item without an ARN removes the resource", () => {
    const deleted = rds("db-ABC", "2026-11-22T05:14:07Z", true, {
      configurationItemStatus: "ResourceDeleted",
    });
    delete deleted.configuration;
    const c = mapFiles({ doc: snap(old), file: "old.json" }, { doc: snap(deleted), file: "new.json" });
    expect(rdsDocs(c.resources)).toHaveLength(0);
  });

  it("a resource re-created under the same name (new resourceId, same ARN): the latest capture wins", () => {
    const recreated = rds("db-XYZ", "2026-11-22T05:14:07Z", false);
    const c = mapFiles({ doc: snap(recreated), file: "new.json" }, { doc: snap(old), file: "old.json" });
    const docs = rdsDocs(c.resources);
    expect(docs).toHaveLength(1);
    expect(docs[0].properties.storageEncrypted).toBe(false);
  });

  it("two items captured at the same time that disagree: the property is missing (error), whatever the order", async () => {
    const a = rds("db-ABC", "2026-11-22T05:14:07Z", true, { ARN });
    const b = rds("db-ABC", "2026-11-22T05:14:07Z", false);
    const one = rdsDocs(
      mapFiles({ doc: snap(a), file: "a.json" }, { doc: snap(b), file: "b.json" }).resources,
    );
    const two = rdsDocs(
      mapFiles({ doc: snap(b), file: "b.json" }, { doc: snap(a), file: "a.json" }).resources,
    );
    expect(one).toHaveLength(1);
    expect(one).toEqual(two);
    expect(one[0].properties).not.toHaveProperty("storageEncrypted");
    expect(one[0].missing?.storageEncrypted).toMatch(/captured at the same time disagree/);
    expect(one[0].properties.engine).toBe("postgres");
    expect(one[0].evidence?.map((e) => e.file).sort()).toEqual(["a.json", "b.json"]);
    expectValidDocuments(one);

    const s = await scan({ "a.json": snap(a), "b.json": snap(b) });
    expect(of(s, "rds-instance-storage-encrypted").map((x) => x.status)).toEqual(["error"]);
  });

  it("identical duplicates (overlapping snapshots) merge into one document silently", () => {
    const c = mapFiles({ doc: snap(latest), file: "a.json" }, { doc: snap(latest), file: "b.json" });
    const docs = rdsDocs(c.resources);
    expect(docs).toHaveLength(1);
    expect(docs[0].properties.storageEncrypted).toBe(false);
    expect(docs[0].evidence).toHaveLength(1);
  });

  it("a tie between a deleted and an existing item keeps the resource in the scan", () => {
    const deleted = rds("db-ABC", "2026-11-22T05:14:07Z", true, {
      configurationItemStatus: "ResourceDeleted",
    });
    const c = mapFiles({ doc: snap(latest), file: "a.json" }, { doc: snap(deleted), file: "b.json" });
    expect(rdsDocs(c.resources).map((d) => d.properties.storageEncrypted)).toEqual([false]);
  });

  it("KMS keys captured at the same time that disagree on their manager classify nothing", () => {
    const k = (manager: string) =>
      I("AWS::KMS::Key", "k1", { keyId: "k1", keyManager: manager, keyState: "Enabled" }, {});
    const db = I("AWS::RDS::DBInstance", "db-1", {
      engine: "postgres",
      storageEncrypted: true,
      kmsKeyId: "k1",
    });
    const c = mapFiles(
      { doc: snap(k("AWS"), db), file: "a.json" },
      { doc: snap(k("CUSTOMER")), file: "b.json" },
    );
    const doc = only(c, "aws.rds.db_instance");
    expect(doc.properties).not.toHaveProperty("kmsKeyManager");
    expect(doc.missing?.kmsKeyManager).toMatch(/disagree/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("5. a log group item that does not describe a log group proves nothing about retention", () => {
  it('"configuration": {} → retentionDays missing; logs-log-group-retention-minimum is an error', async () => {
    const doc = only(mapItems(I("AWS::Logs::LogGroup", "lg", {})), "aws.logs.log_group");
    expect(doc.properties).not.toHaveProperty("retentionDays");
    expect(doc.missing?.retentionDays).toMatch(/does not describe the log group/);
    expect(doc.properties).not.toHaveProperty("kmsKeyId");
    expectValidDocuments([doc]);

    const s = await scan({ "lg.json": snap(I("AWS::Logs::LogGroup", "lg", {})) });
    expect(of(s, "logs-log-group-retention-minimum").map((f) => f.status)).toEqual(["error"]);
  });

  it("a real log-group record without retentionInDays still means never expires", () => {
    for (const conf of [
      { logGroupName: "/app" },
      { LogGroupName: "/app" },
      { arn: "arn:aws:logs:us-east-1:1:log-group:/app:*" },
    ]) {
      const doc = only(mapItems(I("AWS::Logs::LogGroup", "/app", conf)), "aws.logs.log_group");
      expect(doc.properties.retentionDays).toBeNull();
      expect(doc.properties.kmsKeyId).toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("6. deeply nested input is an input error, never a stack overflow", () => {
  const DEPTH = 100_000;
  const deep = `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`;
  const item = (configuration: string) =>
    `{"resourceType":"AWS::RDS::DBInstance","resourceId":"db","awsAccountId":"${ACCOUNT}","awsRegion":"us-east-1","configuration":${configuration}}`;
  const docs: Array<[string, string, string]> = [
    ["configuration", `{"configurationItems":[${item(deep)}]}`, "/configurationItems/0/configuration"],
    [
      "storageEncrypted",
      `{"configurationItems":[${item(`{"storageEncrypted":${deep}}`)}]}`,
      "/configurationItems/0/configuration/storageEncrypted",
    ],
    ["the item itself", `{"configurationItems":[${deep}]}`, "/configurationItems/0"],
    ["the items array", `{"configurationItems":{"x":${deep}}}`, "/configurationItems"],
  ];
  for (const [where, text, pointer] of docs) {
    it(`in ${where}: SNAPSHOT_INVALID at ${pointer}`, () => {
      const err = caught(() => mapSnapshotDocument(JSON.parse(text), FILE, { now: NOW }));
      expect(err.code).toBe("SNAPSHOT_INVALID");
      expect(err.location).toMatchObject({ file: FILE.file, pointer });
      expect(err.message.length).toBeLessThan(300);
    });
  }

  it("inside a JSON-encoded string (a bucket policy)", () => {
    const doc = snap(I("AWS::S3::Bucket", "b", { name: "b" }, { BucketPolicy: { policyText: deep } }));
    const err = caught(() => mapSnapshotDocument(doc, FILE, { now: NOW }));
    expect(err.code).toBe("SNAPSHOT_INVALID");
    expect(err.message).toMatch(/a bucket policy must be a JSON object/);
  });

  it("through the CLI: exit 2 naming the file and pointer, no internal error", async () => {
    const s = await scan({ "deep.json": `{"configurationItems":[${item(`{"storageEncrypted":${deep}}`)}]}` });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/SNAPSHOT_INVALID/);
    expect(s.stderr).toMatch(/deep\.json/);
    expect(s.stderr).toContain("/configurationItems/0/configuration/storageEncrypted");
    expect(s.stderr).not.toMatch(/internal error|Maximum call stack/i);
  });

  it("show() describes values without recursing or quoting long text", () => {
    expect(show(JSON.parse(deep))).toBe("an array of 1 item");
    expect(show({ a: 1, b: 2 })).toBe("an object with 2 keys");
    expect(show("yes")).toBe('"yes"');
    expect(show("x".repeat(1000))).toBe("a string of 1000 characters");
    expect(show(7)).toBe("7");
    expect(show(null)).toBe("null");
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("7. unsupported types named like Object methods are counted", () => {
  const names = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];
  const items = [...names.map((t, i) => I(t, `r${i}`, {})), I("__proto__", "r-extra", {})];
  const expected = [
    ["__proto__", 2],
    ["constructor", 1],
    ["hasOwnProperty", 1],
    ["toString", 1],
    ["valueOf", 1],
  ];

  it("the collection holds a plain object with every type and its count", () => {
    const { unsupportedTypes } = mapItems(...items);
    expect(Object.getPrototypeOf(unsupportedTypes)).toBe(Object.prototype);
    expect(Object.entries(unsupportedTypes).sort()).toEqual(expected);
    expect(Object.entries(JSON.parse(JSON.stringify(unsupportedTypes))).sort()).toEqual(expected);
  });

  it("findings.json and the console report them all", async () => {
    const s = await scan(
      {
        "odd.json": snap(
          ...items,
          I("AWS::Logs::LogGroup", "lg", { logGroupName: "lg", retentionInDays: 400 }),
        ),
      },
      ["--out", "-", "--format", "json,console"],
    );
    expect(s.code === 0 || s.code === 1).toBe(true);
    const scanned = s.doc?.scan as { sources: Array<{ unsupportedTypes?: Record<string, number> }> };
    const sources = scanned.sources;
    expect(Object.entries(sources[0].unsupportedTypes ?? {}).sort()).toEqual(expected);
    expect(s.stdout).toMatch(/"__proto__": ?2/);
    expect(s.stderr).toMatch(/__proto__ 2/);
    expect(s.stderr).toMatch(/constructor 1/);
    expect(s.stderr).not.toMatch(/native code/);
  });

  it("the same counting holds for any resource id, including ones named like Object methods", () => {
    const c = mapSnapshotDocuments(
      [{ doc: snap(I("Custom::Thing", "__proto__", {}), I("Custom::Thing", "constructor", {})), file: FILE }],
      { now: NOW },
    );
    expect(Object.entries(c.unsupportedTypes)).toEqual([["Custom::Thing", 2]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("8. values the mapper does not recognise are never quoted when they could be secrets", () => {
  const SECRET = "postgres://admin:Sup3rS3cret@db/x AKIAIOSFODNN7EXAMPLE";
  const needles = ["Sup3rS3cret", "AKIAIOSFODNN7EXAMPLE", "postgres://admin"];

  function filesUnder(dir: string): string[] {
    return readdirSync(dir, { recursive: true })
      .map((f) => join(dir, String(f)))
      .filter((f) => statSync(f).isFile());
  }

  it("an unrecognised KMS key state is described by type and length", () => {
    const doc = only(
      mapItems(I("AWS::KMS::Key", "k", { keyId: "k", keyManager: "CUSTOMER", keyState: SECRET })),
      "aws.kms.key",
    );
    expect(doc.missing?.keyState).toMatch(/unrecognized value a string of 54 characters/);
    for (const n of needles) expect(JSON.stringify(doc)).not.toContain(n);
  });

  it("token-shaped secrets are not quoted either; enum-like values still are", () => {
    const state = (keyState: string) =>
      only(mapItems(I("AWS::KMS::Key", "k", { keyId: "k", keyManager: "CUSTOMER", keyState })), "aws.kms.key")
        .missing?.keyState;
    expect(state("AKIAIOSFODNN7EXAMPLE")).not.toContain("AKIA");
    expect(state("ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z")).not.toContain("ghp_");
    expect(state("password:hunter2")).not.toContain("hunter2");
    expect(state("0123456789abcdef0123456789abcdef")).not.toContain("0123");
    expect(state("Frozen")).toMatch(/unrecognized value "Frozen"/);
    expect(state("PENDING_DELETION")).toMatch(/"PENDING_DELETION"/);
  });

  it("input errors do not quote the value either", () => {
    const err = caught(() =>
      mapSnapshotDocument(snap(I("AWS::RDS::DBInstance", "db", { storageEncrypted: SECRET })), FILE, {
        now: NOW,
      }),
    );
    const bad = caught(() =>
      mapSnapshotDocument(
        snap(
          I("AWS::S3::Bucket", "b", { name: "b" }, { BucketPolicy: { policyText: "AKIAIOSFODNN7EXAMPLE" } }),
        ),
        FILE,
        { now: NOW },
      ),
    );
    for (const n of needles) {
      expect(err.message).not.toContain(n);
      expect(bad.message).not.toContain(n);
    }
  });

  it("no output of a full scan contains the secret: findings.json, HTML, MD, CSV, SARIF, JUnit, evidence, console", async () => {
    const s = await scan(
      {
        "k.json": snap(
          I("AWS::KMS::Key", "k", {
            keyId: "k",
            keyManager: "CUSTOMER",
            keyState: SECRET,
            origin: "AWS_KMS",
            keySpec: "SYMMETRIC_DEFAULT",
          }),
          I("AWS::Logs::LogGroup", "lg", { logGroupName: "lg", retentionInDays: 400 }),
        ),
      },
      ["--out", "$DIR/bundle"],
    );
    expect(s.code).toBe(1);
    const out = join(s.dir, "bundle");
    const written = filesUnder(out);
    expect(written.map((f) => f.slice(out.length + 1))).toEqual(
      expect.arrayContaining([
        "findings.json",
        "report.html",
        "report.md",
        "findings.csv",
        "results.sarif",
        "junit.xml",
      ]),
    );
    for (const file of written) {
      const text = readFileSync(file, "utf8");
      for (const n of needles) expect(text, `${file} contains ${n}`).not.toContain(n);
    }
    for (const n of needles) expect(s.stdout + s.stderr).not.toContain(n);
    const findings = JSON.parse(readFileSync(join(out, "findings.json"), "utf8")) as { findings: Finding[] };
    expect(findings.findings.find((f) => f.policyId === "kms-key-not-pending-deletion")?.status).toBe(
      "error",
    );
  });
});
