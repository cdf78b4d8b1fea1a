import type { ResourceDocument } from "../../src/core/types.js";

/** A KMS key document for engine tests: fixed identity, the given properties, anything else overridden. */
export function kmsKeyDoc(
  properties: Record<string, unknown>,
  over: Partial<ResourceDocument> = {},
): ResourceDocument {
  return {
    type: "aws.kms.key",
    id: "arn:aws:kms:us-east-1:111122223333:key/abc",
    name: "patients-key",
    provider: "aws",
    account: "111122223333",
    region: "us-east-1",
    source: "aws-api",
    collectedAt: "2026-11-22T12:00:00.000Z",
    properties,
    ...over,
  };
}
