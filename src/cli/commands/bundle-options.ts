import { resolve } from "node:path";
import { CipherproofError } from "../../core/errors.js";
import { BUNDLE_FORMATS, type BundleFormat, type BundleWriteResult } from "../../evidence/bundle.js";
import { type EncryptionSpec, parseEncryptionKey } from "../../evidence/encryption.js";
import { parseSigningKey, type SigningSpec } from "../../evidence/signing.js";

/** Every `--format` value: console output plus the bundle's file formats. */
export const ALL_FORMATS = ["console", ...BUNDLE_FORMATS] as const;

/** The options of every command that writes a bundle (scan, report, merge), for parseArgs. */
export const BUNDLE_OPTIONS = {
  out: { type: "string" },
  format: { type: "string", multiple: true },
  "signing-key": { type: "string" },
  "encrypt-with": { type: "string" },
} as const;

/** The `--format` help lines shared by scan and report. */
export const FORMATS_HELP = `  --format LIST          what to produce (default all): console (printed), and bundle files html (report.html),
                         md (report.md), json (findings.json), csv (findings.csv), sarif (results.sarif),
                         junit (junit.xml), evidence (evidence/ resource documents, secrets redacted)
  --signing-key KEY      sign manifest.json with an Ed25519 PEM (PKCS#8) file, or kms:KEY_ID (an asymmetric KMS key,
                         ECDSA_SHA_256 or RSASSA_PSS_SHA_256); default: a key generated for this bundle, its public
                         key written as manifest.pub.pem (proves integrity only if you keep a copy elsewhere)
  --encrypt-with KEY     encrypt the bundle files (AES-256-GCM, per-bundle data key) wrapped by kms:KEY_ID or by a
                         32-byte key file file:PATH; the manifest stays readable and signed`;

/** Validate `--format` values. */
export function checkFormats(formats: string[]): void {
  for (const f of formats) {
    if (!(ALL_FORMATS as readonly string[]).includes(f))
      throw new CipherproofError(
        "USAGE",
        `unknown --format "${f}"`,
        {},
        `formats: ${ALL_FORMATS.join(", ")}`,
      );
  }
}

/** The bundle file formats among the chosen formats. */
export function bundleFormats(formats: string[]): BundleFormat[] {
  return formats.filter((f): f is BundleFormat => (BUNDLE_FORMATS as readonly string[]).includes(f));
}

/** Parse --signing-key / --encrypt-with, resolving file paths against the working directory. */
export function keyOptions(
  values: { "signing-key"?: string; "encrypt-with"?: string },
  cwd: string,
): { signing: SigningSpec; encryption?: EncryptionSpec } {
  const signing = parseSigningKey(values["signing-key"]);
  if (signing.kind === "file") signing.path = resolve(cwd, signing.path);
  const encryption =
    values["encrypt-with"] !== undefined
      ? parseEncryptionKey(values["encrypt-with"], "--encrypt-with")
      : undefined;
  if (encryption?.kind === "file") encryption.path = resolve(cwd, encryption.path);
  return { signing, encryption };
}

/** The lines printed after a bundle is written. */
export function bundleLines(w: BundleWriteResult, shownDir: string): string {
  const sig = w.manifest.signature;
  const lines = [
    `evidence bundle: ${shownDir} (${w.manifest.files.length} files${w.manifest.encryption ? ", encrypted" : ""}; manifest signed with ${sig.algorithm}${sig.key.kmsKeyId ? ` via KMS ${sig.key.kmsKeyId}` : ""}, key sha256:${sig.key.publicKeySha256.slice(0, 16)}…)`,
  ];
  if (sig.key.source === "generated") {
    lines.push(
      `note: the signing key was generated for this bundle; store ${shownDir}/manifest.pub.pem somewhere else — only then does it prove the bundle was not changed`,
    );
  }
  lines.push(
    `verify with: cipherproof verify ${shownDir}${sig.key.source === "generated" ? "" : " --public-key FILE"}`,
  );
  return `${lines.join("\n")}\n`;
}
