import { createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, lstatSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CipherproofError } from "../core/errors.js";
import { showValue, validateInput } from "../core/validate-input.js";
import {
  INTEGRITY_FILES,
  isPreserved,
  listFiles,
  MANIFEST_FILE,
  type Manifest,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  sha256,
} from "./bundle.js";
import type { KmsConnection } from "./kms.js";
import { publicKeyFingerprint, verifyManifestSignature, verifyWithKms } from "./signing.js";

/** One reason a bundle does not verify, naming the file. */
export interface VerifyProblem {
  file: string;
  problem: "changed" | "removed" | "added" | "signature" | "manifest";
  detail: string;
}

/** How to check the signature. */
export interface VerifyOptions {
  /** A trusted public key (PEM SPKI), e.g. from `--public-key FILE`. */
  publicKey?: KeyObject;
  /** Check with KMS Verify on this key instead of a local public key. */
  kmsKeyId?: string;
  kms?: KmsConnection;
}

/** The outcome of verifying a bundle. */
export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
  manifest?: Manifest;
  /** Files checked against the manifest. */
  checked: number;
  /** How the signature was checked, in words. */
  keySource: string;
  warnings: string[];
}

/** A manifest path must stay inside the bundle: relative, slash-separated, no "..", no empty or dot segments. */
export function isSafeBundlePath(p: unknown): p is string {
  return (
    typeof p === "string" &&
    p.length > 0 &&
    p.length < 512 &&
    !p.startsWith("/") &&
    !p.includes("\\") &&
    !p.includes("\u0000") &&
    p.split("/").every((s) => s !== "" && s !== "." && s !== "..")
  );
}

const hex64 = { type: "string", pattern: "^[0-9a-f]{64}$" } as const;
const text = { type: "string" } as const;

/**
 * The shape of a version-1 manifest.json: every field verify, decrypt, merge, period and the other readers use, typed.
 * A manifest that does not match is reported as a verification problem naming the JSON pointer, never used. The
 * encryption block's contents (IV, tag and key lengths, algorithm names) are checked in detail when decrypting.
 */
export const MANIFEST_SCHEMA = {
  $id: "urn:cipherproof:manifest-v1",
  type: "object",
  required: ["manifestVersion", "tool", "scan", "createdAt", "files", "signature"],
  properties: {
    manifestVersion: { const: 1 },
    tool: { type: "object", required: ["name", "version"], properties: { name: text, version: text } },
    scan: {
      type: "object",
      required: ["id", "startedAt", "finishedAt", "accounts", "regions"],
      properties: {
        id: text,
        startedAt: text,
        finishedAt: text,
        accounts: { type: "array", items: text },
        regions: { type: "array", items: text },
      },
    },
    createdAt: text,
    files: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "sha256", "size"],
        properties: {
          path: text,
          sha256: hex64,
          size: { type: "integer", minimum: 0 },
          encrypted: { type: "boolean" },
        },
      },
    },
    signature: {
      type: "object",
      required: ["algorithm", "signedMessage", "key"],
      properties: {
        algorithm: { enum: ["Ed25519", "ECDSA_SHA_256", "RSASSA_PSS_SHA_256"] },
        signedMessage: { enum: ["manifest.json", "sha256(manifest.json)"] },
        key: {
          type: "object",
          required: ["source", "publicKeySha256"],
          properties: {
            source: { enum: ["generated", "file", "kms"] },
            kmsKeyId: text,
            publicKeySha256: hex64,
          },
        },
      },
    },
    encryption: {
      type: "object",
      required: ["algorithm", "fileFormat", "dataKey"],
      properties: {
        algorithm: text,
        fileFormat: text,
        dataKey: { type: "object", required: ["wrap"], properties: { wrap: text } },
      },
    },
    rebuiltFrom: { type: "object", required: ["file", "sha256"], properties: { file: text, sha256: text } },
    notes: { type: "array", items: text },
  },
} as const;

/** Parse and check manifest.json; throws an Error whose message says what is wrong (and where). */
function parseManifest(bytes: Buffer): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new Error("it is not JSON");
  }
  if ((m as { manifestVersion?: unknown } | null)?.manifestVersion !== 1)
    throw new Error("not a version-1 manifest (manifestVersion is not 1)");
  const errors = validateInput(MANIFEST_SCHEMA, m, MANIFEST_FILE, "BUNDLE_INVALID");
  if (errors.length)
    throw new Error(
      `${errors
        .slice(0, 3)
        .map((e) => `at ${e.location.pointer || "/"} ${e.message}`)
        .join("; ")}${errors.length > 3 ? `; +${errors.length - 3} more` : ""}`,
    );
  const manifest = m as Manifest;
  const seen = new Set<string>();
  manifest.files.forEach((f, i) => {
    if (!isSafeBundlePath(f.path))
      throw new Error(
        `at /files/${i}/path the path ${showValue(f.path)} leaves the bundle or is not a plain path`,
      );
    if (INTEGRITY_FILES.includes(f.path))
      throw new Error(`at /files/${i}/path ${f.path} is an integrity file and cannot be listed`);
    if (seen.has(f.path)) throw new Error(`at /files/${i}/path ${f.path} is listed twice`);
    seen.add(f.path);
  });
  return manifest;
}

/** What is at `path` when it is not a regular file (a folder, a symbolic link, a device…); undefined for a file. */
function notAFile(path: string): string | undefined {
  try {
    const st = lstatSync(path);
    if (st.isFile()) return undefined;
    return st.isDirectory() ? "a folder" : st.isSymbolicLink() ? "a symbolic link" : "not a regular file";
  } catch (err) {
    return `unreadable (${(err as NodeJS.ErrnoException).code ?? "error"})`;
  }
}

/** Read a bundle file that must be a regular file; a problem (naming it) instead of an exception. */
function readBundleFile(
  dir: string,
  path: string,
): { bytes: Buffer; problem?: undefined } | { bytes?: undefined; problem: string } {
  const full = join(dir, ...path.split("/"));
  const kind = notAFile(full);
  if (kind) return { problem: `${path} is ${kind}, not a file` };
  try {
    return { bytes: readFileSync(full) };
  } catch (err) {
    return { problem: `${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  }
}

/**
 * Verify a bundle folder: the manifest signature, then every listed file's size and SHA-256, then that no file is
 * missing and none was added. Every problem names its file. Throws only for usage errors (no such folder).
 */
export async function verifyBundle(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CipherproofError("FILE_NOT_FOUND", "bundle folder not found", { file: dir });
  const problems: VerifyProblem[] = [];
  const warnings: string[] = [];
  let keySource = "";
  const failed = (problem: VerifyProblem): VerifyResult => ({
    ok: false,
    problems: [problem],
    checked: 0,
    keySource,
    warnings,
  });
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath) && notAFile(manifestPath) !== "a symbolic link") {
    return failed({
      file: MANIFEST_FILE,
      problem: "removed",
      detail: "manifest.json is missing: nothing can be verified",
    });
  }
  const read = readBundleFile(dir, MANIFEST_FILE);
  if (read.problem !== undefined)
    return failed({
      file: MANIFEST_FILE,
      problem: "manifest",
      detail: `${read.problem}: nothing can be verified`,
    });
  const manifestBytes = read.bytes;
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestBytes);
  } catch (err) {
    return failed({
      file: MANIFEST_FILE,
      problem: "manifest",
      detail: `manifest.json is not a valid manifest: ${(err as Error).message}`,
    });
  }

  // Signature
  const sigPath = join(dir, SIGNATURE_FILE);
  const sigRead =
    existsSync(sigPath) || notAFile(sigPath) === "a symbolic link"
      ? readBundleFile(dir, SIGNATURE_FILE)
      : undefined;
  if (!sigRead) {
    problems.push({ file: SIGNATURE_FILE, problem: "removed", detail: "the manifest signature is missing" });
  } else if (sigRead.problem !== undefined) {
    problems.push({ file: SIGNATURE_FILE, problem: "signature", detail: sigRead.problem });
  } else {
    const signature = Buffer.from(sigRead.bytes.toString("utf8").trim(), "base64");
    let valid = false;
    if (options.kmsKeyId) {
      keySource = `KMS Verify with key ${options.kmsKeyId}`;
      valid = await verifyWithKms(
        manifest.signature,
        options.kmsKeyId,
        manifestBytes,
        signature,
        options.kms,
      );
    } else {
      let key = options.publicKey;
      if (key) keySource = "the public key given with --public-key";
      else {
        const pubPath = join(dir, PUBLIC_KEY_FILE);
        const pubRead =
          existsSync(pubPath) || notAFile(pubPath) === "a symbolic link"
            ? readBundleFile(dir, PUBLIC_KEY_FILE)
            : undefined;
        if (!pubRead) {
          problems.push({
            file: PUBLIC_KEY_FILE,
            problem: "removed",
            detail: "no public key in the bundle and none given (--public-key FILE)",
          });
        } else if (pubRead.problem !== undefined) {
          problems.push({ file: PUBLIC_KEY_FILE, problem: "changed", detail: pubRead.problem });
        } else {
          try {
            key = createPublicKey({ key: pubRead.bytes.toString("utf8"), format: "pem" });
            if (key.type !== "public") throw new Error("not a public key");
            keySource = `the public key inside the bundle (${PUBLIC_KEY_FILE})`;
            warnings.push(
              `checked with the bundle's own ${PUBLIC_KEY_FILE}: this detects accidental change only — someone who rewrites the bundle can replace the key too. Pass --public-key with a copy stored elsewhere${manifest.signature.key.kmsKeyId ? `, or --public-key kms:${manifest.signature.key.kmsKeyId}` : ""}.`,
            );
          } catch {
            key = undefined;
            problems.push({ file: PUBLIC_KEY_FILE, problem: "changed", detail: "not a PEM public key" });
          }
        }
      }
      if (key) {
        const fp = publicKeyFingerprint(key);
        if (fp !== manifest.signature.key.publicKeySha256) {
          problems.push({
            file: MANIFEST_FILE,
            problem: "signature",
            detail: `manifest.json names signing key sha256:${manifest.signature.key.publicKeySha256.slice(0, 16)}…, but the public key used is sha256:${fp.slice(0, 16)}…`,
          });
        }
        valid = verifyManifestSignature(manifest.signature, key, manifestBytes, signature);
      }
    }
    if (!valid && !problems.some((p) => p.file === PUBLIC_KEY_FILE)) {
      problems.push({
        file: MANIFEST_FILE,
        problem: "signature",
        detail: `the ${manifest.signature.algorithm} signature in ${SIGNATURE_FILE} does not match manifest.json (manifest or signature changed, or a different key)`,
      });
    }
  }

  // Files
  let listed: string[];
  try {
    listed = listFiles(dir);
  } catch (err) {
    problems.push({
      file: ".",
      problem: "changed",
      detail: `the bundle folder cannot be listed (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    });
    return { ok: false, problems, manifest, checked: 0, keySource, warnings };
  }
  const present = new Set(listed);
  let checked = 0;
  for (const f of manifest.files) {
    if (!present.has(f.path)) {
      problems.push({ file: f.path, problem: "removed", detail: "listed in the manifest but missing" });
      continue;
    }
    present.delete(f.path);
    const got = readBundleFile(dir, f.path);
    if (got.problem !== undefined) {
      problems.push({ file: f.path, problem: "changed", detail: got.problem });
      continue;
    }
    const bytes = got.bytes;
    checked++;
    const hash = sha256(bytes);
    if (hash !== f.sha256 || bytes.length !== f.size) {
      problems.push({
        file: f.path,
        problem: "changed",
        detail: `sha256 ${hash} (${bytes.length} bytes) does not match the manifest's ${f.sha256} (${f.size} bytes)`,
      });
    }
  }
  for (const p of present) {
    if (INTEGRITY_FILES.includes(p) || isPreserved(dir, p)) continue;
    problems.push({ file: p, problem: "added", detail: "not listed in the manifest" });
  }
  return { ok: problems.length === 0, problems, manifest, checked, keySource, warnings };
}
