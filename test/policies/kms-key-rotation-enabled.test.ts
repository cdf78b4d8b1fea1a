import { runPolicyTests } from "../support/policy-tester.js";

const key = {
  keyManager: "CUSTOMER",
  keySpec: "SYMMETRIC_DEFAULT",
  origin: "AWS_KMS",
  keyState: "Enabled",
  enabled: true,
};

runPolicyTests("kms-key-rotation-enabled", {
  valid: [
    {
      name: "yearly rotation, exactly the default limit of 365",
      properties: { ...key, rotationEnabled: true, rotationPeriodDays: 365 },
    },
    {
      name: "shortest period KMS allows",
      properties: { ...key, rotationEnabled: true, rotationPeriodDays: 90 },
    },
    {
      name: "maxRotationDays 180: exactly at the limit",
      properties: { ...key, rotationEnabled: true, rotationPeriodDays: 180 },
      params: { maxRotationDays: 180 },
    },
    {
      name: "maxRotationDays 730 accepts two years",
      properties: { ...key, rotationEnabled: true, rotationPeriodDays: 730 },
      params: { maxRotationDays: 730 },
    },
  ],
  invalid: [
    {
      name: "rotation off",
      properties: { ...key, rotationEnabled: false, rotationPeriodDays: null },
      failingProperties: ["rotationEnabled", "rotationPeriodDays"],
    },
    {
      name: "one day over the default limit",
      properties: { ...key, rotationEnabled: true, rotationPeriodDays: 366 },
      failingProperties: ["rotationPeriodDays"],
    },
    {
      name: "maxRotationDays 180: one day over",
      properties: { ...key, rotationEnabled: true, rotationPeriodDays: 181 },
      params: { maxRotationDays: 180 },
      failingProperties: ["rotationPeriodDays"],
    },
    {
      name: "maxRotationDays 180: yearly is too slow",
      properties: { ...key, rotationEnabled: true, rotationPeriodDays: 365 },
      params: { maxRotationDays: 180 },
      failingProperties: ["rotationPeriodDays"],
    },
    {
      name: "rotation on but period unknown",
      properties: { ...key, rotationEnabled: true, rotationPeriodDays: null },
      failingProperties: ["rotationPeriodDays"],
    },
  ],
  notApplicable: [
    {
      name: "AWS managed key",
      properties: { ...key, keyManager: "AWS", rotationEnabled: false, rotationPeriodDays: null },
    },
    {
      name: "asymmetric key cannot rotate",
      properties: { ...key, keySpec: "RSA_2048", rotationEnabled: false, rotationPeriodDays: null },
    },
    {
      name: "HMAC key cannot rotate",
      properties: { ...key, keySpec: "HMAC_256", rotationEnabled: false, rotationPeriodDays: null },
    },
    {
      name: "imported key material",
      properties: { ...key, origin: "EXTERNAL", rotationEnabled: false, rotationPeriodDays: null },
    },
    {
      name: "CloudHSM key store",
      properties: { ...key, origin: "AWS_CLOUDHSM", rotationEnabled: false, rotationPeriodDays: null },
    },
    {
      name: "disabled key",
      properties: {
        ...key,
        keyState: "Disabled",
        enabled: false,
        rotationEnabled: false,
        rotationPeriodDays: null,
      },
    },
    {
      name: "key pending deletion",
      properties: {
        ...key,
        keyState: "PendingDeletion",
        enabled: false,
        pendingDeletion: true,
        rotationEnabled: false,
        rotationPeriodDays: null,
      },
    },
  ],
  errors: [
    {
      name: "rotation facts absent: missing evidence is an error, not a pass or a fail",
      properties: { ...key },
      failingProperties: ["rotationEnabled", "rotationPeriodDays"],
    },
    {
      name: "rotation status not collectable",
      properties: { ...key },
      missing: {
        rotationEnabled: "AccessDenied on kms:GetKeyRotationStatus",
        rotationPeriodDays: "AccessDenied on kms:GetKeyRotationStatus",
      },
    },
    {
      name: "Config snapshot carries no rotation status",
      properties: { ...key, rotationEnabled: true },
      missing: { rotationPeriodDays: "not in the Config snapshot" },
    },
    {
      name: "scope unknown",
      properties: {
        keyManager: "CUSTOMER",
        keySpec: "SYMMETRIC_DEFAULT",
        origin: "AWS_KMS",
        rotationEnabled: true,
        rotationPeriodDays: 365,
      },
      missing: { keyState: "AccessDenied on kms:DescribeKey" },
    },
  ],
});
