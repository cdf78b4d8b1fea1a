import { describe, expect, it } from "vitest";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

const ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${ID}`;
const key = (
  over: Record<string, unknown> = {},
  supplementary: Record<string, unknown> = { KeyRotationStatus: true },
) =>
  ci(
    "AWS::KMS::Key",
    ID,
    {
      keyId: ID,
      arn: ARN,
      creationDate: "2025-11-22T10:00:00.000Z",
      enabled: true,
      description: "PHI key",
      keyUsage: "ENCRYPT_DECRYPT",
      keyState: "Enabled",
      origin: "AWS_KMS",
      keyManager: "CUSTOMER",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      keySpec: "SYMMETRIC_DEFAULT",
      multiRegion: false,
      ...over,
    },
    { ARN, supplementaryConfiguration: supplementary },
  );
const alias = (name: string, target: string) =>
  ci("AWS::KMS::Alias", name, { AliasName: name, TargetKeyId: target });

describe("AWS::KMS::Key → aws.kms.key", () => {
  it("maps the key, its rotation status and its aliases; what Config lacks is missing", () => {
    const r = mapItems(key(), alias("alias/phi", ID));
    const doc = only(r, "aws.kms.key");
    expect(doc.name).toBe(ID);
    expect(doc.properties).toEqual({
      keyId: ID,
      arn: ARN,
      description: "PHI key",
      enabled: true,
      keyState: "Enabled",
      keyManager: "CUSTOMER",
      origin: "AWS_KMS",
      keySpec: "SYMMETRIC_DEFAULT",
      keyUsage: "ENCRYPT_DECRYPT",
      multiRegion: false,
      creationDate: "2025-11-22T10:00:00.000Z",
      ageDays: 365,
      pendingDeletion: false,
      deletionDate: null,
      rotationEnabled: true,
      aliases: ["alias/phi"],
    });
    expect(Object.keys(doc.missing ?? {}).sort()).toEqual([
      "daysSinceLastRotation",
      "keyPolicyAllowsWildcardPrincipal",
      "nextRotationDate",
      "rotationPeriodDays",
    ]);
    expect(doc.missing?.nextRotationDate).toMatch(/not recorded by AWS Config snapshots \(use --aws\)/);
    expect(doc.missing?.keyPolicyAllowsWildcardPrincipal).toMatch(
      /not recorded by AWS Config snapshots \(use --aws\)/,
    );
    expectValidDocuments(r.resources);
  });

  it("without KeyRotationStatus rotation is missing; with rotation off the period is null", () => {
    const none = only(mapItems(key({}, {})), "aws.kms.key");
    expect(none.missing).toHaveProperty("rotationEnabled");
    expect(none.missing).toHaveProperty("rotationPeriodDays");
    expect(none.missing).toHaveProperty("nextRotationDate");
    expect(none.missing?.aliases).toMatch(/AWS::KMS::Alias/);
    const off = only(mapItems(key({}, { KeyRotationStatus: "false" })), "aws.kms.key");
    expect(off.properties).toMatchObject({
      rotationEnabled: false,
      rotationPeriodDays: null,
      nextRotationDate: null,
    });
    expectValidDocuments([none, off]);
  });

  it("maps a key pending deletion", () => {
    const doc = only(
      mapItems(
        key({ keyState: "PendingDeletion", enabled: false, deletionDate: "2026-12-01T00:00:00.000Z" }),
      ),
      "aws.kms.key",
    );
    expect(doc.properties).toMatchObject({
      pendingDeletion: true,
      deletionDate: "2026-12-01T00:00:00.000Z",
      enabled: false,
    });
  });

  it("an unknown key state is missing, not coerced", () => {
    const doc = only(mapItems(key({ keyState: "Frozen" })), "aws.kms.key");
    expect(doc.missing?.keyState).toMatch(/unrecognized value "Frozen"/);
    expectValidDocuments([doc]);
  });

  it("accepts epoch-second creation dates", () => {
    const doc = only(mapItems(key({ creationDate: 1732269600 })), "aws.kms.key");
    expect(doc.properties.creationDate).toBe("2024-11-22T10:00:00.000Z");
    expect(doc.properties.ageDays).toBe(730);
  });
});
