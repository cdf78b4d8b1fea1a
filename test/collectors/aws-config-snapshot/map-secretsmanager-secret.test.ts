import { describe, expect, it } from "vitest";
import { rotationIntervalDays } from "../../../src/collectors/aws/secretsmanager.js";
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

  it("derives the interval from rate() and cron() schedules, and reports what it cannot read as missing", () => {
    const mapped = (expr: string) =>
      only(
        mapItems(secret({ RotationEnabled: true, RotationRules: { ScheduleExpression: expr } })),
        "aws.secretsmanager.secret",
      );
    // The 1st and 15th of every month: the longest gap is the 15th to the 1st of the next 31-day month.
    const cron = mapped("cron(0 16 1,15 * ? *)");
    expect(cron.properties.rotationIntervalDays).toBe(17);
    const rate = mapped("rate(7 days)");
    expect(rate.properties.rotationIntervalDays).toBe(7);
    const weekdayNearest = mapped("cron(0 16 15W * ? *)");
    expect(weekdayNearest.missing?.rotationIntervalDays).toMatch(/cron syntax Cipherproof does not read/);
    expectValidDocuments([cron, rate, weekdayNearest]);
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
  it("takes the interval from the schedule expression, not the AutomaticallyAfterDays derived from it", () => {
    // Secrets Manager recomputes AutomaticallyAfterDays from the schedule only after a successful rotation, so a
    // yearly schedule can still show the 30 days of an earlier one.
    const rules = { AutomaticallyAfterDays: 30, ScheduleExpression: "cron(0 8 1 1 ? *)" };
    const doc = only(
      mapItems(secret({ RotationEnabled: true, RotationRules: rules })),
      "aws.secretsmanager.secret",
    );
    expect(doc.properties.rotationIntervalDays).toBeGreaterThanOrEqual(365);
    expect(rotationIntervalDays(rules)).toBe(doc.properties.rotationIntervalDays);
    expect(rotationIntervalDays({ AutomaticallyAfterDays: 30 })).toBe(30);
  });
});
