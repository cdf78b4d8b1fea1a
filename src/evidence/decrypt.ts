import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CipherproofError } from "../core/errors.js";
import { writeFolderAtomically } from "./bundle.js";
import {
  checkEncryptionInfo,
  decryptFile,
  ENC_SUFFIX,
  type EncryptionSpec,
  unwrapDataKey,
} from "./encryption.js";
import type { KmsConnection } from "./kms.js";
import { type VerifyOptions, type VerifyResult, verifyBundle } from "./verify.js";

/** What decryptBundle did: the verification it ran first and the files it wrote. */
export interface DecryptResult {
  verification: VerifyResult;
  files: string[];
}

/**
 * Decrypt an encrypted bundle into `outDir`: verify it first (a bundle that fails verification is not decrypted),
 * unwrap the data key with `key` (a wrong key is a KEY_INVALID error and nothing is written), decrypt every file in
 * memory, then write them all at once. The plaintext data key stays in memory and is zeroed.
 */
export async function decryptBundle(
  dir: string,
  outDir: string,
  key: EncryptionSpec,
  options: VerifyOptions & { kms?: KmsConnection } = {},
): Promise<DecryptResult> {
  const verification = await verifyBundle(dir, options);
  if (!verification.ok || !verification.manifest) return { verification, files: [] };
  const manifest = verification.manifest;
  if (!manifest.encryption)
    throw new CipherproofError(
      "BUNDLE_INVALID",
      "bundle is not encrypted",
      { file: join(dir, "manifest.json") },
      "its files can be read as they are",
    );
  const manifestFile = join(dir, "manifest.json");
  const encryption = checkEncryptionInfo(manifest.encryption, manifestFile);
  manifest.files.forEach((f, i) => {
    // A plaintext file in an encrypted bundle would be left out of the decrypted folder without a word.
    if (!f.path.endsWith(ENC_SUFFIX) || f.path === ENC_SUFFIX)
      throw new CipherproofError(
        "BUNDLE_INVALID",
        `the bundle is encrypted but lists ${f.path}, which is not an encrypted (${ENC_SUFFIX}) file`,
        { file: manifestFile, pointer: `/files/${i}/path` },
        "the bundle was not written by cipherproof as it is; it cannot be decrypted",
      );
  });
  const dataKey = await unwrapDataKey(encryption.dataKey, key, options.kms);
  const out = new Map<string, Buffer>();
  try {
    for (const f of manifest.files) {
      const plainPath = f.path.slice(0, -ENC_SUFFIX.length);
      out.set(plainPath, decryptFile(dataKey, plainPath, readFileSync(join(dir, ...f.path.split("/")))));
    }
  } finally {
    dataKey.fill(0);
  }
  writeFolderAtomically(outDir, out, {
    // A decrypted folder has no manifest; it may only replace an empty folder (or one holding just .gitkeep).
    replaceable: (_dir, existing) => existing.filter((p) => p !== ".gitkeep"),
  });
  return { verification, files: [...out.keys()].sort() };
}
