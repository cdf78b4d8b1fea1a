import type { KMSClient } from "@aws-sdk/client-kms";
import { CipherproofError } from "../core/errors.js";

/** How to reach KMS: region and endpoint default to the SDK's own resolution (AWS_REGION, AWS_ENDPOINT_URL_KMS …). */
export interface KmsConnection {
  region?: string;
  endpoint?: string;
}

/** The region named in a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), if it is one. */
export function regionOfKey(keyId: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1];
}

/** A KMS client for this key, loaded lazily so commands that do not use KMS never load the SDK. */
export async function kmsClient(keyId: string, conn: KmsConnection = {}): Promise<KMSClient> {
  const { KMSClient } = await import("@aws-sdk/client-kms");
  const region =
    conn.region ?? regionOfKey(keyId) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return new KMSClient({ region: region ?? "us-east-1", endpoint: conn.endpoint, maxAttempts: 2 });
}

/** Turn an SDK failure into a CipherproofError that names the operation and key but carries no secret. */
export function kmsError(op: string, keyId: string, err: unknown): CipherproofError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? "Error";
  const hint =
    name === "AccessDeniedException"
      ? `the caller needs kms:${op} on this key`
      : name === "NotFoundException"
        ? "check the key id or ARN and the region"
        : name === "InvalidCiphertextException" || name === "IncorrectKeyException"
          ? "this bundle's data key was not wrapped by that KMS key (wrong key or encryption context)"
          : name === "CredentialsProviderError"
            ? "no AWS credentials found (AWS_PROFILE, AWS_ACCESS_KEY_ID …)"
            : undefined;
  return new CipherproofError(
    "KEY_INVALID",
    `KMS ${op} with key ${keyId} failed: ${name}${e.message && e.message !== name ? `: ${e.message}` : ""}`,
    {},
    hint,
  );
}
