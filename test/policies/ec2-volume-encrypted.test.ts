import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("ec2-volume-encrypted", {
  valid: [
    {
      properties: {
        encrypted: true,
        kmsKeyManager: "AWS",
        state: "in-use",
        attached: true,
        volumeType: "gp3",
        sizeGiB: 100,
      },
    },
  ],
  invalid: [
    {
      properties: { encrypted: false, kmsKeyId: null, kmsKeyManager: null, state: "in-use" },
      failingProperties: ["encrypted"],
    },
    {
      name: "detached volume still counts",
      properties: { encrypted: false, state: "available", attached: false },
      failingProperties: ["encrypted"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { state: "in-use" },
      failingProperties: ["encrypted"],
    },
    {
      properties: { state: "in-use" },
      missing: { encrypted: "UnauthorizedOperation on ec2:DescribeVolumes" },
    },
  ],
});
