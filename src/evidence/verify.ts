import { createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CipherproofError } from "../core/errors.js";
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

function parseManifest(bytes: Buffer): Manifest {
  const m = JSON.parse(bytes.toString("utf8")) as Manifest;
  if (m?.manifestVersion !== 1 || !Array.isArray(m.files) || !m.signature?.algorithm)
    throw new Error("not a version-1 manifest");
  for (const f of m.files) {
    if (!isSafeBundlePath(f.path) || typeof f.sha256 !== "string" || typeof f.size !== "number")
      throw new Error(`bad file entry ${JSON.stringify(f.path)}`);
  }
  return m;
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
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    return {
      ok: false,
      problems: [
        {
          file: MANIFEST_FILE,
          problem: "removed",
          detail: "manifest.json is missing: nothing can be verified",
        },
      ],
      checked: 0,
      keySource,
      warnings,
    };
  }
  const manifestBytes = readFileSync(manifestPath);
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestBytes);
  } catch (err) {
    return {
      ok: false,
      problems: [
        {
          file: MANIFEST_FILE,
          problem: "manifest",
          detail: `manifest.json is not a valid manifest: ${(err as Error).message}`,
        },
      ],
      checked: 0,
      keySource,
      warnings,
    };
  }

  // Signature
  const sigPath = join(dir, SIGNATURE_FILE);
  if (!existsSync(sigPath)) {
    problems.push({ file: SIGNATURE_FILE, problem: "removed", detail: "the manifest signature is missing" });
  } else {
    const signature = Buffer.from(readFileSync(sigPath, "utf8").trim(), "base64");
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
        if (!existsSync(pubPath)) {
          problems.push({
            file: PUBLIC_KEY_FILE,
            problem: "removed",
            detail: "no public key in the bundle and none given (--public-key FILE)",
          });
        } else {
          try {
            key = createPublicKey({ key: readFileSync(pubPath, "utf8"), format: "pem" });
            keySource = `the public key inside the bundle (${PUBLIC_KEY_FILE})`;
            warnings.push(
              `checked with the bundle's own ${PUBLIC_KEY_FILE}: this detects accidental change only — someone who rewrites the bundle can replace the key too. Pass --public-key with a copy stored elsewhere${manifest.signature.key.kmsKeyId ? `, or --public-key kms:${manifest.signature.key.kmsKeyId}` : ""}.`,
            );
          } catch {
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
  const present = new Set(listFiles(dir));
  let checked = 0;
  for (const f of manifest.files) {
    if (!present.has(f.path)) {
      problems.push({ file: f.path, problem: "removed", detail: "listed in the manifest but missing" });
      continue;
    }
    present.delete(f.path);
    const bytes = readFileSync(join(dir, ...f.path.split("/")));
    checked++;
    const got = sha256(bytes);
    if (got !== f.sha256 || bytes.length !== f.size) {
      problems.push({
        file: f.path,
        problem: "changed",
        detail: `sha256 ${got} (${bytes.length} bytes) does not match the manifest's ${f.sha256} (${f.size} bytes)`,
      });
    }
  }
  for (const p of present) {
    if (INTEGRITY_FILES.includes(p) || isPreserved(dir, p)) continue;
    problems.push({ file: p, problem: "added", detail: "not listed in the manifest" });
  }
  return { ok: problems.length === 0, problems, manifest, checked, keySource, warnings };
}
