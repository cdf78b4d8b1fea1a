import { common, defineType } from "../define.js";

/** Amazon S3 bucket. */
export default defineType("aws.s3.bucket", "An Amazon S3 bucket.", {
  encryptionAlgorithm: {
    type: "string",
    enum: ["aws:kms", "aws:kms:dsse", "AES256", "none"],
    description: "Default encryption: aws:kms / aws:kms:dsse (SSE-KMS), AES256 (SSE-S3), none.",
  },
  kmsKeyId: common.kmsKeyId,
  kmsKeyManager: common.kmsKeyManager,
  bucketKeyEnabled: { type: "boolean", description: "S3 Bucket Key is enabled for SSE-KMS." },
  policyDeniesInsecureTransport: {
    type: "boolean",
    description:
      "The bucket policy has a Deny for all principals and s3:* when aws:SecureTransport is false.",
  },
  minimumTlsVersion: {
    type: ["number", "null"],
    description:
      "Minimum TLS version the bucket policy enforces with s3:TlsVersion (e.g. 1.2); null when not enforced.",
  },
  publicAccessBlocked: {
    type: "boolean",
    description: "All four S3 Block Public Access settings are on for the bucket.",
  },
  versioningEnabled: { type: "boolean", description: "Versioning status is Enabled." },
  accessLoggingEnabled: { type: "boolean", description: "Server access logging is configured." },
  objectLockEnabled: { type: "boolean", description: "Object Lock is enabled." },
  creationDate: { type: ["string", "null"], description: "Bucket creation time (ISO 8601)." },
});
