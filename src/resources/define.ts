/** A JSON Schema fragment describing one property of a resource type. */
export type PropertySchema = Record<string, unknown> & { description: string };

/** The contract of a resource type: which properties collectors fill and what they mean. */
export interface ResourceTypeSchema {
  $id: string;
  title: string;
  description: string;
  type: "object";
  properties: Record<string, PropertySchema>;
  additionalProperties: false;
}

/** Declare a resource type schema; the `$id` is `urn:cipherproof:type:<type>`. */
export function defineType(
  type: string,
  description: string,
  properties: Record<string, PropertySchema>,
): ResourceTypeSchema {
  return {
    $id: `urn:cipherproof:type:${type}`,
    title: type,
    description,
    type: "object",
    properties,
    additionalProperties: false,
  };
}

/** Common property shapes, so every type describes them the same way. */
export const common = {
  kmsKeyId: {
    type: ["string", "null"],
    description: "ARN (or id) of the KMS key that encrypts the resource; null when none or not KMS.",
  },
  kmsKeyManager: {
    type: ["string", "null"],
    enum: ["AWS", "CUSTOMER", null],
    description:
      "Who manages the KMS key: CUSTOMER (customer managed key) or AWS (AWS managed key such as aws/rds); null when not KMS-encrypted.",
  },
  tlsVersion: {
    type: "number",
    enum: [1.0, 1.1, 1.2, 1.3],
    description: "A TLS protocol version as a number (1.0, 1.1, 1.2, 1.3).",
  },
} satisfies Record<string, PropertySchema>;
