import { describe, expect, it } from "vitest";
import { intervalDaysOfSchedule } from "../../../src/collectors/aws-config-snapshot/map-secretsmanager-secret.js";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

const ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-Xq3Zp1`;
const CMK = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const secret = (over: Record<string, unknown> = {}) =>
  ci(
    "AWS::SecretsManager::Secret",
    ARN,
    { ARN, Name: "prod/db", Description: "db creds", ...over },
    { ARN, resourceName: "prod/db" },
  );
const key = ci(
  "AWS::KMS::Key",
  "1234abcd-12ab-34cd-56ef-1234567890ab",
  { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", arn: CMK, keyManager: "CUSTOMER" },
  { ARN: CMK },
);

describe("AWS::SecretsManager::Secret → aws.secretsmanager.secret", () => {
  it("maps a rotating secret under a customer key; dates Config lacks are missing", () => {
    const r = mapItems(
      key,
      secret({ KMSKeyId: CMK, RotationEnabled: true, RotationRules: { AutomaticallyAfterDays: 30 } }),
    );
    const doc = only(r, "aws.secretsmanager.secret");
    expect(doc.name).toBe("prod/db");
    expect(doc.properties).toEqual({
      rotationEnabled: true,
      rotationIntervalDays: 30,
      kmsKeyId: CMK,
      kmsKeyManager: "CUSTOMER",
    });
    expect(Object.keys(doc.missing ?? {}).sort()).toEqual(["daysSinceLastAccessed", "daysSinceLastRotation"]);
    expectValidDocuments(r.resources);
  });

  it("a secret without KMSKeyId uses aws/secretsmanager; rotation off means no interval", () => {
    const doc = only(mapItems(secret({ RotationEnabled: false })), "aws.secretsmanager.secret");
    expect(doc.properties).toEqual({
      rotationEnabled: false,
      rotationIntervalDays: null,
      kmsKeyId: null,
      kmsKeyManager: "AWS",
    });
  });

  it("derives the interval from rate() schedules but not from cron()", () => {
    expect(intervalDaysOfSchedule("rate(10 days)")).toBe(10);
    expect(intervalDaysOfSchedule("rate(4 hours)")).toBe(1);
    expect(intervalDaysOfSchedule("cron(0 16 1,15 * ? *)")).toBeUndefined();
    const cron = only(
      mapItems(
        secret({ RotationEnabled: true, RotationRules: { ScheduleExpression: "cron(0 16 1,15 * ? *)" } }),
      ),
      "aws.secretsmanager.secret",
    );
    expect(cron.missing?.rotationIntervalDays).toMatch(/cron expression/);
    const rate = only(
      mapItems(secret({ RotationEnabled: true, RotationRules: { ScheduleExpression: "rate(7 days)" } })),
      "aws.secretsmanager.secret",
    );
    expect(rate.properties.rotationIntervalDays).toBe(7);
    expectValidDocuments([cron, rate]);
  });

  it("uses last rotated/accessed dates when the item carries them", () => {
    const doc = only(
      mapItems(
        secret({
          RotationEnabled: false,
          LastRotatedDate: "2026-10-23T10:00:00Z",
          LastAccessedDate: "2026-11-20T00:00:00Z",
        }),
      ),
      "aws.secretsmanager.secret",
    );
    expect(doc.properties).toMatchObject({ daysSinceLastRotation: 30, daysSinceLastAccessed: 2 });
  });
});
