import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("ec2-ebs-default-encryption-enabled", {
  valid: [{ properties: { ebsEncryptionByDefault: true, ebsDefaultKmsKeyId: "alias/aws/ebs" } }],
  invalid: [
    {
      properties: { ebsEncryptionByDefault: false, ebsDefaultKmsKeyId: "alias/aws/ebs" },
      failingProperties: ["ebsEncryptionByDefault"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { configRecorderExists: true },
      failingProperties: ["ebsEncryptionByDefault"],
    },
    {
      properties: { configRecorderExists: true },
      missing: { ebsEncryptionByDefault: "UnauthorizedOperation on ec2:GetEbsEncryptionByDefault" },
    },
  ],
});
