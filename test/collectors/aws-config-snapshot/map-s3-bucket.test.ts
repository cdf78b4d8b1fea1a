import { describe, expect, it } from "vitest";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

const CMK = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const kmsKey = ci(
  "AWS::KMS::Key",
  "1234abcd-12ab-34cd-56ef-1234567890ab",
  { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", arn: CMK, keyManager: "CUSTOMER", keyState: "Enabled" },
  { ARN: CMK },
);

const tlsDeny = (bucket: string) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

function bucket(name: string, supplementary: Record<string, unknown>) {
  return ci(
    "AWS::S3::Bucket",
    name,
    { name, owner: { id: "abc" }, creationDate: "2024-01-22T08:05:13.000Z" },
    {
      ARN: `arn:aws:s3:::${name}`,
      supplementaryConfiguration: {
        AccessControlList: '{"grantSet":null,"grantList":[],"owner":{"id":"abc"},"isRequesterCharged":false}',
        BucketLoggingConfiguration: { destinationBucketName: null, logFilePrefix: null },
        BucketPolicy: { policyText: null },
        BucketVersioningConfiguration: { status: "Off", isMfaDeleteEnabled: null },
        IsRequesterPaysEnabled: false,
        ...supplementary,
      },
    },
  );
}

describe("AWS::S3::Bucket → aws.s3.bucket", () => {
  it("maps a fully hardened SSE-KMS bucket", () => {
    const policy = {
      Version: "2012-10-17",
      Statement: [
        tlsDeny("phi"),
        {
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "s3:*",
          Resource: "arn:aws:s3:::phi/*",
          Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
      ],
    };
    const r = mapItems(
      kmsKey,
      bucket("phi", {
        ServerSideEncryptionConfiguration: {
          rules: [
            {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyID: CMK },
              bucketKeyEnabled: true,
            },
          ],
        },
        BucketPolicy: { policyText: JSON.stringify(policy) },
        PublicAccessBlockConfiguration: {
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: true,
          restrictPublicBuckets: true,
        },
        BucketLoggingConfiguration: { destinationBucketName: "logs", logFilePrefix: "phi/" },
        BucketVersioningConfiguration: { status: "Enabled", isMfaDeleteEnabled: false },
        ObjectLockConfiguration: { objectLockEnabled: "Enabled" },
      }),
    );
    const doc = only(r, "aws.s3.bucket");
    expect(doc.id).toBe("arn:aws:s3:::phi");
    expect(doc.properties).toEqual({
      encryptionAlgorithm: "aws:kms",
      kmsKeyId: CMK,
      kmsKeyManager: "CUSTOMER",
      bucketKeyEnabled: true,
      policyDeniesInsecureTransport: true,
      minimumTlsVersion: 1.2,
      publicAccessBlocked: true,
      versioningEnabled: true,
      accessLoggingEnabled: true,
      objectLockEnabled: true,
      creationDate: "2024-01-22T08:05:13.000Z",
    });
    expect(doc.missing).toEqual({});
    expectValidDocuments(r.resources);
  });

  it("maps an SSE-S3 bucket without policy, public access block or logging", () => {
    const doc = only(
      mapItems(
        bucket("assets", {
          ServerSideEncryptionConfiguration: {
            rules: [
              {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256", kmsMasterKeyID: null },
                bucketKeyEnabled: false,
              },
            ],
          },
        }),
      ),
      "aws.s3.bucket",
    );
    expect(doc.properties).toEqual({
      encryptionAlgorithm: "AES256",
      kmsKeyId: null,
      kmsKeyManager: null,
      bucketKeyEnabled: false,
      policyDeniesInsecureTransport: false,
      minimumTlsVersion: null,
      publicAccessBlocked: false,
      versioningEnabled: false,
      accessLoggingEnabled: false,
      objectLockEnabled: false,
      creationDate: "2024-01-22T08:05:13.000Z",
    });
    expectValidDocuments([doc]);
  });

  it("SSE-KMS without a key id uses the AWS managed aws/s3 key", () => {
    const doc = only(
      mapItems(
        bucket("b", {
          ServerSideEncryptionConfiguration: {
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
          },
        }),
      ),
      "aws.s3.bucket",
    );
    expect(doc.properties).toMatchObject({
      encryptionAlgorithm: "aws:kms",
      kmsKeyId: null,
      kmsKeyManager: "AWS",
      bucketKeyEnabled: false,
    });
  });

  it("a bucket without default encryption (pre-2023) reads as none", () => {
    const doc = only(mapItems(bucket("old", {})), "aws.s3.bucket");
    expect(doc.properties).toMatchObject({
      encryptionAlgorithm: "none",
      kmsKeyId: null,
      kmsKeyManager: null,
    });
  });

  it("supplementary values given as JSON strings are decoded (as the CLI prints them)", () => {
    const doc = only(
      mapItems(
        bucket("s", {
          ServerSideEncryptionConfiguration: JSON.stringify({
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          }),
          BucketPolicy: JSON.stringify({ policyText: JSON.stringify({ Statement: [tlsDeny("s")] }) }),
        }),
      ),
      "aws.s3.bucket",
    );
    expect(doc.properties).toMatchObject({
      encryptionAlgorithm: "AES256",
      policyDeniesInsecureTransport: true,
    });
  });

  it("absent policy and versioning keys are missing, not assumed", () => {
    const item = bucket("x", {});
    const supp = item.supplementaryConfiguration as Record<string, unknown>;
    delete supp.BucketPolicy;
    delete supp.BucketVersioningConfiguration;
    delete supp.BucketLoggingConfiguration;
    const doc = only(mapItems(item), "aws.s3.bucket");
    expect(Object.keys(doc.missing ?? {}).sort()).toEqual([
      "accessLoggingEnabled",
      "minimumTlsVersion",
      "policyDeniesInsecureTransport",
      "versioningEnabled",
    ]);
    expectValidDocuments([doc]);
  });
});
