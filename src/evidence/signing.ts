import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { readFileSync } from "node:fs";
import type { GetPublicKeyCommandOutput } from "@aws-sdk/client-kms";
import { CipherproofError } from "../core/errors.js";
import { type KmsConnection, kmsClient, kmsError } from "./kms.js";

/** Where the manifest signing key comes from. */
export type SigningSpec =
  | { kind: "generated" }
  | { kind: "file"; path: string }
  | { kind: "kms"; keyId: string };

/** Signature algorithms a bundle can carry. */
export type SignatureAlgorithm = "Ed25519" | "ECDSA_SHA_256" | "RSASSA_PSS_SHA_256";

/** The signing facts recorded (and signed) inside manifest.json. */
export interface SignatureInfo {
  algorithm: SignatureAlgorithm;
  /** What the signature covers: the manifest bytes (Ed25519) or their SHA-256 digest sent to KMS as the message. */
  signedMessage: "manifest.json" | "sha256(manifest.json)";
  key: { source: "generated" | "file" | "kms"; kmsKeyId?: string; publicKeySha256: string };
}

/** A ready signer: its recorded facts, its public key, and a sign function. */
export interface Signer {
  info: SignatureInfo;
  publicKeyPem: string;
  sign(manifest: Buffer): Promise<Buffer>;
}

/** Parse `--signing-key`: absent → generated, `kms:KEY_ID` → KMS, anything else → a PEM file path. */
export function parseSigningKey(value: string | undefined): SigningSpec {
  if (value === undefined || value === "") return { kind: "generated" };
  if (value.startsWith("kms:")) {
    const keyId = value.slice(4);
    if (!keyId)
      throw new CipherproofError(
        "USAGE",
        "--signing-key kms: needs a key id, ARN or alias",
        {},
        "e.g. --signing-key kms:alias/cipherproof-signing",
      );
    return { kind: "kms", keyId };
  }
  return { kind: "file", path: value.startsWith("file:") ? value.slice(5) : value };
}

/** SHA-256 (hex) of a public key's DER SubjectPublicKeyInfo: how a bundle names its signing key. */
export function publicKeyFingerprint(key: KeyObject): string {
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** Read a PEM public key (SPKI) file. */
export function readPublicKey(path: string): KeyObject {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new CipherproofError(
      "FILE_NOT_FOUND",
      `cannot read public key: ${(err as NodeJS.ErrnoException).code}`,
      { file: path },
    );
  }
  try {
    const key = createPublicKey({ key: text, format: "pem" });
    if (key.type !== "public") throw new Error("not a public key");
    return key;
  } catch {
    throw new CipherproofError(
      "KEY_INVALID",
      "not a PEM public key",
      { file: path },
      "give the SPKI PEM (-----BEGIN PUBLIC KEY-----), e.g. the manifest.pub.pem kept outside the bundle",
    );
  }
}

function loadEd25519PrivateKey(path: string): KeyObject {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (err) {
    throw new CipherproofError(
      "FILE_NOT_FOUND",
      `cannot read signing key: ${(err as NodeJS.ErrnoException).code}`,
      { file: path },
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    // The parser's message can quote the input; it is not shown.
    throw new CipherproofError(
      "KEY_INVALID",
      "signing key is not a PEM private key",
      { file: path },
      "create one with: openssl genpkey -algorithm ed25519 -out signing.pem",
    );
  } finally {
    pem.fill(0);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new CipherproofError(
      "KEY_INVALID",
      `signing key is ${key.asymmetricKeyType ?? "unknown"}, not Ed25519`,
      { file: path },
      "create one with: openssl genpkey -algorithm ed25519 -out signing.pem",
    );
  }
  return key;
}

function ed25519Signer(privateKey: KeyObject, source: "generated" | "file"): Signer {
  const publicKey = createPublicKey(privateKey);
  return {
    info: {
      algorithm: "Ed25519",
      signedMessage: "manifest.json",
      key: { source, publicKeySha256: publicKeyFingerprint(publicKey) },
    },
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    sign: async (manifest) => sign(null, manifest, privateKey),
  };
}

async function kmsSigner(keyId: string, conn: KmsConnection): Promise<Signer> {
  const { GetPublicKeyCommand, SignCommand } = await import("@aws-sdk/client-kms");
  const client = await kmsClient(keyId, conn);
  let got: GetPublicKeyCommandOutput;
  try {
    got = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  } catch (err) {
    throw kmsError("GetPublicKey", keyId, err);
  }
  if (got.KeyUsage !== "SIGN_VERIFY") {
    throw new CipherproofError(
      "KEY_INVALID",
      `KMS key ${keyId} has key usage ${got.KeyUsage ?? "unknown"}, not SIGN_VERIFY`,
      {},
      "create an asymmetric signing key: ECC_NIST_P256 or RSA_2048+",
    );
  }
  const algs = got.SigningAlgorithms ?? [];
  const algorithm: SignatureAlgorithm | undefined = algs.includes("ECDSA_SHA_256")
    ? "ECDSA_SHA_256"
    : algs.includes("RSASSA_PSS_SHA_256")
      ? "RSASSA_PSS_SHA_256"
      : undefined;
  if (!algorithm) {
    throw new CipherproofError(
      "KEY_INVALID",
      `KMS key ${keyId} supports ${algs.join(", ") || "no signing algorithm"}; Cipherproof signs with ECDSA_SHA_256 or RSASSA_PSS_SHA_256`,
      {},
      "use an ECC_NIST_P256 or RSA key",
    );
  }
  if (!got.PublicKey)
    throw new CipherproofError("KEY_INVALID", `KMS GetPublicKey returned no public key for ${keyId}`);
  const publicKey = createPublicKey({ key: Buffer.from(got.PublicKey), format: "der", type: "spki" });
  const arn = got.KeyId ?? keyId;
  return {
    info: {
      algorithm,
      signedMessage: "sha256(manifest.json)",
      key: { source: "kms", kmsKeyId: arn, publicKeySha256: publicKeyFingerprint(publicKey) },
    },
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    sign: async (manifest) => {
      // KMS takes at most 4 KiB as a RAW message; the manifest's SHA-256 digest is signed instead (KMS hashes it again).
      const digest = createHash("sha256").update(manifest).digest();
      try {
        const r = await client.send(
          new SignCommand({ KeyId: arn, Message: digest, MessageType: "RAW", SigningAlgorithm: algorithm }),
        );
        if (!r.Signature) throw new Error("empty signature");
        return Buffer.from(r.Signature);
      } catch (err) {
        throw kmsError("Sign", keyId, err);
      }
    },
  };
}

/** Prepare a signer: a fresh Ed25519 key, an Ed25519 PEM (PKCS#8) file, or a KMS asymmetric key. */
export async function createSigner(spec: SigningSpec, conn: KmsConnection = {}): Promise<Signer> {
  switch (spec.kind) {
    case "generated":
      return ed25519Signer(generateKeyPairSync("ed25519").privateKey, "generated");
    case "file":
      return ed25519Signer(loadEd25519PrivateKey(spec.path), "file");
    case "kms":
      return kmsSigner(spec.keyId, conn);
  }
}

/** Check a manifest signature locally with a public key; false on any mismatch or malformed signature. */
export function verifyManifestSignature(
  info: SignatureInfo,
  publicKey: KeyObject,
  manifest: Buffer,
  signature: Buffer,
): boolean {
  try {
    switch (info.algorithm) {
      case "Ed25519":
        return publicKey.asymmetricKeyType === "ed25519" && verify(null, manifest, publicKey, signature);
      case "ECDSA_SHA_256": {
        const digest = createHash("sha256").update(manifest).digest();
        return (
          publicKey.asymmetricKeyType === "ec" &&
          verify("sha256", digest, { key: publicKey, dsaEncoding: "der" }, signature)
        );
      }
      case "RSASSA_PSS_SHA_256": {
        const digest = createHash("sha256").update(manifest).digest();
        return (
          publicKey.asymmetricKeyType === "rsa" &&
          verify(
            "sha256",
            digest,
            { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
            signature,
          )
        );
      }
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** Check a manifest signature with the KMS Verify operation (needs kms:Verify on the key). */
export async function verifyWithKms(
  info: SignatureInfo,
  keyId: string,
  manifest: Buffer,
  signature: Buffer,
  conn: KmsConnection = {},
): Promise<boolean> {
  if (info.algorithm === "Ed25519") return false;
  const { VerifyCommand } = await import("@aws-sdk/client-kms");
  const client = await kmsClient(keyId, conn);
  const digest = createHash("sha256").update(manifest).digest();
  try {
    const r = await client.send(
      new VerifyCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: "RAW",
        Signature: signature,
        SigningAlgorithm: info.algorithm,
      }),
    );
    return r.SignatureValid === true;
  } catch (err) {
    if ((err as { name?: string }).name === "KMSInvalidSignatureException") return false;
    throw kmsError("Verify", keyId, err);
  }
}
