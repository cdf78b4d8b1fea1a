import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { CipherproofError } from "../core/errors.js";
import { showValue } from "../core/validate-input.js";
import { type KmsConnection, kmsClient, kmsError } from "./kms.js";

/** Where the key that wraps a bundle's data key comes from. */
export type EncryptionSpec = { kind: "kms"; keyId: string } | { kind: "file"; path: string };

/** How the data key is wrapped, recorded in manifest.json (never the plaintext key). */
export type WrappedDataKey =
  | { wrap: "kms"; keyId: string; ciphertextBlob: string; encryptionContext: Record<string, string> }
  | { wrap: "AES-256-GCM"; keyFingerprint: string; iv: string; ciphertext: string; tag: string };

/** The encryption block of manifest.json. */
export interface EncryptionInfo {
  algorithm: "AES-256-GCM";
  fileFormat: "cipherproof-enc-v1";
  dataKey: WrappedDataKey;
}

/** File-name suffix of encrypted bundle files. */
export const ENC_SUFFIX = ".enc";

// Header: magic "CPENC", version 1, 12-byte IV; then ciphertext; then the 16-byte GCM tag.
const MAGIC = Buffer.from("CPENC", "ascii");
const VERSION = 1;
const HEADER_LEN = MAGIC.length + 1 + 12;
const TAG_LEN = 16;

/** Decode strict base64 of exactly `bytes` bytes (any length when undefined); undefined when it is not. */
function base64Of(value: unknown, bytes?: number): Buffer | undefined {
  if (typeof value !== "string" || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
    return undefined;
  const buf = Buffer.from(value, "base64");
  if (buf.toString("base64") !== value) return undefined;
  if (bytes !== undefined ? buf.length !== bytes : buf.length === 0) return undefined;
  return buf;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Check a manifest's encryption block before anything is decrypted: the algorithm and file format this version
 * writes, and a wrapped data key of a known kind whose IV, ciphertext and tag decode to the right lengths. A bundle
 * whose block is malformed is BUNDLE_INVALID naming the manifest and the JSON pointer (nothing is decrypted).
 */
export function checkEncryptionInfo(info: unknown, file: string): EncryptionInfo {
  const bad = (pointer: string, message: string): never => {
    throw new CipherproofError(
      "BUNDLE_INVALID",
      `the bundle's encryption block is malformed: ${message}`,
      { file, pointer: `/encryption${pointer}` },
      "the bundle was not written by cipherproof as it is; it cannot be decrypted",
    );
  };
  if (!isObject(info)) return bad("", "it is not an object");
  if (info.algorithm !== "AES-256-GCM")
    bad("/algorithm", `algorithm ${showValue(info.algorithm)} is not AES-256-GCM`);
  if (info.fileFormat !== "cipherproof-enc-v1")
    bad("/fileFormat", `file format ${showValue(info.fileFormat)} is not cipherproof-enc-v1`);
  const k = info.dataKey;
  if (!isObject(k)) return bad("/dataKey", "dataKey is not an object");
  if (k.wrap === "AES-256-GCM") {
    if (typeof k.keyFingerprint !== "string" || !/^[0-9a-f]{32}$/.test(k.keyFingerprint))
      bad("/dataKey/keyFingerprint", "keyFingerprint is not 32 hex characters");
    if (!base64Of(k.iv, 12)) bad("/dataKey/iv", "iv is not the base64 of a 12-byte IV");
    if (!base64Of(k.ciphertext, 32))
      bad("/dataKey/ciphertext", "ciphertext is not the base64 of a wrapped 32-byte key");
    if (!base64Of(k.tag, TAG_LEN)) bad("/dataKey/tag", "tag is not the base64 of a 16-byte GCM tag");
  } else if (k.wrap === "kms") {
    if (typeof k.keyId !== "string" || !k.keyId) bad("/dataKey/keyId", "keyId is not a KMS key id");
    if (!base64Of(k.ciphertextBlob)) bad("/dataKey/ciphertextBlob", "ciphertextBlob is not base64");
    if (
      !isObject(k.encryptionContext) ||
      !Object.values(k.encryptionContext).every((v) => typeof v === "string")
    )
      bad("/dataKey/encryptionContext", "encryptionContext is not an object of strings");
  } else bad("/dataKey/wrap", `wrap ${showValue(k.wrap)} is neither AES-256-GCM nor kms`);
  return info as unknown as EncryptionInfo;
}

/** Parse `--encrypt-with` / `--key`: `kms:KEY_ID` or `file:PATH`. */
export function parseEncryptionKey(value: string, flag: string): EncryptionSpec {
  if (value.startsWith("kms:") && value.length > 4) return { kind: "kms", keyId: value.slice(4) };
  if (value.startsWith("file:") && value.length > 5) return { kind: "file", path: value.slice(5) };
  throw new CipherproofError(
    "USAGE",
    `${flag} must be kms:KEY_ID or file:PATH`,
    {},
    "a key file holds 32 random bytes: head -c 32 /dev/urandom > bundle.key",
  );
}

/** Read a 32-byte key file (raw bytes, 64 hex characters, or base64). */
export function readKeyFile(path: string): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw new CipherproofError(
      "FILE_NOT_FOUND",
      `cannot read key file: ${(err as NodeJS.ErrnoException).code}`,
      { file: path },
    );
  }
  if (raw.length === 32) return raw;
  const text = raw.toString("utf8").trim();
  raw.fill(0);
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, "hex");
  else if (/^[A-Za-z0-9+/]{43}=$/.test(text)) key = Buffer.from(text, "base64");
  if (key?.length !== 32) {
    throw new CipherproofError(
      "KEY_INVALID",
      "key file must hold a 32-byte key (raw, 64 hex characters or base64)",
      { file: path },
      "create one with: head -c 32 /dev/urandom > bundle.key",
    );
  }
  return key;
}

/** A short, non-reversible name for a key-encryption key, so a wrong key file can be named as wrong. */
export function keyFingerprint(kek: Buffer): string {
  return createHmac("sha256", kek).update("cipherproof key fingerprint v1").digest("hex").slice(0, 32);
}

/** A fresh 32-byte data key and its wrapped form; the caller zeroes `key` when done. */
export async function newDataKey(
  spec: EncryptionSpec,
  context: Record<string, string>,
  conn: KmsConnection = {},
): Promise<{ key: Buffer; wrapped: WrappedDataKey }> {
  if (spec.kind === "file") {
    const kek = readKeyFile(spec.path);
    try {
      const key = randomBytes(32);
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", kek, iv);
      c.setAAD(Buffer.from("cipherproof data key v1"));
      const ciphertext = Buffer.concat([c.update(key), c.final()]);
      return {
        key,
        wrapped: {
          wrap: "AES-256-GCM",
          keyFingerprint: keyFingerprint(kek),
          iv: iv.toString("base64"),
          ciphertext: ciphertext.toString("base64"),
          tag: c.getAuthTag().toString("base64"),
        },
      };
    } finally {
      kek.fill(0);
    }
  }
  const { GenerateDataKeyCommand } = await import("@aws-sdk/client-kms");
  const client = await kmsClient(spec.keyId, conn);
  try {
    const r = await client.send(
      new GenerateDataKeyCommand({ KeyId: spec.keyId, KeySpec: "AES_256", EncryptionContext: context }),
    );
    if (!r.Plaintext || !r.CiphertextBlob || r.Plaintext.length !== 32)
      throw new Error("GenerateDataKey returned no 32-byte key");
    const key = Buffer.from(r.Plaintext);
    r.Plaintext.fill(0);
    return {
      key,
      wrapped: {
        wrap: "kms",
        keyId: r.KeyId ?? spec.keyId,
        ciphertextBlob: Buffer.from(r.CiphertextBlob).toString("base64"),
        encryptionContext: context,
      },
    };
  } catch (err) {
    throw kmsError("GenerateDataKey", spec.keyId, err);
  }
}

/** Recover the data key with the given key; a wrong key is a KEY_INVALID error with a clear message. */
export async function unwrapDataKey(
  wrapped: WrappedDataKey,
  spec: EncryptionSpec,
  conn: KmsConnection = {},
): Promise<Buffer> {
  if (wrapped.wrap === "AES-256-GCM") {
    if (spec.kind !== "file") {
      throw new CipherproofError(
        "KEY_INVALID",
        "this bundle's data key is wrapped with a local key file, not KMS",
        {},
        "decrypt with --key file:PATH",
      );
    }
    const kek = readKeyFile(spec.path);
    try {
      if (keyFingerprint(kek) !== wrapped.keyFingerprint) {
        throw new CipherproofError(
          "KEY_INVALID",
          `wrong key: the bundle was encrypted with key fingerprint ${wrapped.keyFingerprint}, this key file is ${keyFingerprint(kek)}`,
          { file: spec.path },
        );
      }
      const iv = base64Of(wrapped.iv, 12);
      const tag = base64Of(wrapped.tag, TAG_LEN);
      const ciphertext = base64Of(wrapped.ciphertext, 32);
      if (!iv || !tag || !ciphertext)
        throw new CipherproofError(
          "BUNDLE_INVALID",
          "the wrapped data key in the manifest is malformed (its IV, tag or ciphertext has the wrong length)",
        );
      try {
        const d = createDecipheriv("aes-256-gcm", kek, iv);
        d.setAAD(Buffer.from("cipherproof data key v1"));
        d.setAuthTag(tag);
        const key = Buffer.concat([d.update(ciphertext), d.final()]);
        if (key.length !== 32) throw new Error("not a 32-byte key");
        return key;
      } catch {
        throw new CipherproofError(
          "KEY_INVALID",
          "wrong key: the data key does not unwrap with this key file",
          { file: spec.path },
        );
      }
    } finally {
      kek.fill(0);
    }
  }
  if (spec.kind !== "kms") {
    throw new CipherproofError(
      "KEY_INVALID",
      `this bundle's data key is wrapped by KMS key ${wrapped.keyId}, not a key file`,
      {},
      `decrypt with --key kms:${wrapped.keyId}`,
    );
  }
  const { DecryptCommand } = await import("@aws-sdk/client-kms");
  const client = await kmsClient(spec.keyId, conn);
  try {
    const r = await client.send(
      new DecryptCommand({
        KeyId: spec.keyId,
        CiphertextBlob: Buffer.from(wrapped.ciphertextBlob, "base64"),
        EncryptionContext: wrapped.encryptionContext,
      }),
    );
    if (r.Plaintext?.length !== 32) throw new Error("Decrypt returned no 32-byte key");
    const key = Buffer.from(r.Plaintext);
    r.Plaintext.fill(0);
    return key;
  } catch (err) {
    const e = kmsError("Decrypt", spec.keyId, err);
    const name = (err as { name?: string }).name;
    if (name === "IncorrectKeyException" || name === "InvalidCiphertextException") {
      throw new CipherproofError(
        "KEY_INVALID",
        `wrong key: KMS key ${spec.keyId} did not wrap this bundle's data key (it was wrapped by ${wrapped.keyId})`,
        {},
        e.hint,
      );
    }
    throw e;
  }
}

function aad(header: Buffer, path: string): Buffer {
  // Binding the file's bundle path stops encrypted files from being swapped for one another.
  return Buffer.concat([header, Buffer.from(`\u0000${path}`, "utf8")]);
}

/** Encrypt one bundle file: header (magic, version, IV), AES-256-GCM ciphertext, tag; `path` is bound as AAD. */
export function encryptFile(key: Buffer, path: string, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), iv]);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad(header, path));
  return Buffer.concat([header, c.update(plaintext), c.final(), c.getAuthTag()]);
}

/** Decrypt one bundle file produced by encryptFile; throws BUNDLE_INVALID when it does not authenticate. */
export function decryptFile(key: Buffer, path: string, data: Buffer): Buffer {
  if (
    data.length < HEADER_LEN + TAG_LEN ||
    !data.subarray(0, MAGIC.length).equals(MAGIC) ||
    data[MAGIC.length] !== VERSION
  ) {
    throw new CipherproofError("BUNDLE_INVALID", "not a Cipherproof encrypted file (bad header)", {
      file: `${path}${ENC_SUFFIX}`,
    });
  }
  const header = data.subarray(0, HEADER_LEN);
  const iv = header.subarray(MAGIC.length + 1);
  const d = createDecipheriv("aes-256-gcm", key, iv);
  d.setAAD(aad(header, path));
  d.setAuthTag(data.subarray(data.length - TAG_LEN));
  try {
    return Buffer.concat([d.update(data.subarray(HEADER_LEN, data.length - TAG_LEN)), d.final()]);
  } catch {
    throw new CipherproofError(
      "BUNDLE_INVALID",
      "encrypted file does not authenticate (changed, or not from this bundle)",
      { file: `${path}${ENC_SUFFIX}` },
    );
  }
}
