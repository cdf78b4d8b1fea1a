import { common, defineType } from "../define.js";

/** Amazon EBS volume. */
export default defineType("aws.ec2.volume", "An Amazon EBS volume.", {
  encrypted: { type: "boolean", description: "The volume is encrypted." },
  kmsKeyId: common.kmsKeyId,
  kmsKeyManager: common.kmsKeyManager,
  state: { type: "string", description: "creating, available, in-use, deleting, deleted or error." },
  attached: { type: "boolean", description: "The volume is attached to an instance." },
  volumeType: { type: "string", description: "gp2, gp3, io1, io2, st1, sc1 or standard." },
  sizeGiB: { type: "integer", minimum: 0, description: "Size in GiB." },
  availabilityZone: { type: "string", description: "Availability zone." },
});
