import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("ec2-ebs-default-encryption-enabled", {
  valid: [{ properties: { ebsEncryptionByDefault: true, ebsDefaultKmsKeyId: "alias/aws/ebs" } }],
  invalid: [
    {
      properties: { ebsEncryptionByDefault: false, ebsDefaultKmsKeyId: "alias/aws/ebs" },
      failingProperties: ["ebsEncryptionByDefault"],
    },
    {
      name: "property absent is a failure, not a pass",
      properties: { configRecorderExists: true },
      failingProperties: ["ebsEncryptionByDefault"],
    },
  ],
  errors: [
    {
      properties: { configRecorderExists: true },
      missing: { ebsEncryptionByDefault: "UnauthorizedOperation on ec2:GetEbsEncryptionByDefault" },
    },
  ],
});
