import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { appendAll } from "../core/arrays.js";
import { CipherproofError } from "../core/errors.js";
import { parseJson, tooDeep } from "../core/json.js";
import type { ResourceDocument } from "../core/types.js";
import { validateInput } from "../core/validate-input.js";
import type { ReportData } from "../reporters/model.js";
import { FORMAT_FILES, listFiles, MANIFEST_FILE, type Manifest } from "./bundle.js";
import { loadFindingsDocument } from "./rebuild.js";
import { type VerifyOptions, verifyBundle } from "./verify.js";

/** A scan read back from a findings file or an evidence bundle folder. */
export interface ScanRecord {
  /** The path as given. */
  path: string;
  data: ReportData;
  /** True when it came from a bundle whose signature and file hashes verified. */
  verified: boolean;
  manifest?: Manifest;
  /** The bundle's evidence/ resource documents (redacted, as written), when it has them. */
  evidence?: ResourceDocument[];
  /** Verification warnings (e.g. checked with the bundle's own public key). */
  warnings: string[];
  /**
   * How the bundle's signature was checked: with the public key inside it (detects accidental change only), a
   * public key given by the user (--public-key FILE) or KMS Verify (--public-key kms:KEY_ID); "unsigned" for a file.
   */
  checkedWith: "bundle-key" | "public-key" | "kms" | "unsigned";
}

/** How strictly to read a scan. */
export interface LoadScanOptions extends VerifyOptions {
  /** Accept only signed bundle folders that verify (a bare findings.json is refused). */
  requireBundle?: boolean;
  /** Also read the bundle's evidence/ resource documents. */
  withEvidence?: boolean;
}

/**
 * Read one scan: a findings.json file, or a bundle folder (verified first — a bundle that does not verify, or an
 * encrypted one, is refused with BUNDLE_INVALID naming it). A folder without a manifest is read only when
 * `requireBundle` is off.
 */
export async function loadScanRecord(path: string, options: LoadScanOptions = {}): Promise<ScanRecord> {
  if (!existsSync(path))
    throw new CipherproofError("FILE_NOT_FOUND", "no such findings file or bundle folder", { file: path });
  const isDir = statSync(path).isDirectory();
  if (!isDir) {
    if (options.requireBundle)
      throw new CipherproofError(
        "BUNDLE_INVALID",
        "a signed evidence bundle folder is required, not a findings file",
        { file: path },
        "give the folder `cipherproof scan --out DIR` wrote",
      );
    return { path, data: loadFindingsDocument(path), verified: false, warnings: [], checkedWith: "unsigned" };
  }
  const hasManifest = existsSync(join(path, MANIFEST_FILE));
  if (!hasManifest) {
    if (options.requireBundle)
      throw new CipherproofError(
        "BUNDLE_INVALID",
        "not a signed evidence bundle: manifest.json is missing",
        { file: path },
        "give the folder `cipherproof scan --out DIR` wrote",
      );
    return {
      path,
      data: loadFindingsDocument(join(path, FORMAT_FILES.json)),
      verified: false,
      warnings: [],
      checkedWith: "unsigned",
    };
  }
  const v = await verifyBundle(path, options);
  if (!v.ok) {
    const first = v.problems
      .slice(0, 3)
      .map((p) => `${p.problem} ${p.file}`)
      .join("; ");
    throw new CipherproofError(
      "BUNDLE_INVALID",
      `bundle does not verify (${v.problems.length} problem${v.problems.length === 1 ? "" : "s"}: ${first}${v.problems.length > 3 ? "; …" : ""}); refusing to use it`,
      { file: path },
      `run \`cipherproof verify ${path}\` for every problem`,
    );
  }
  if (v.manifest?.encryption)
    throw new CipherproofError(
      "BUNDLE_INVALID",
      "the bundle is encrypted; its findings cannot be read without the key",
      { file: path },
      "decrypt a copy first (cipherproof decrypt) and keep the signed bundle as the record",
    );
  if (!v.manifest?.files.some((f) => f.path === FORMAT_FILES.json))
    throw new CipherproofError(
      "BUNDLE_INVALID",
      "the bundle has no findings.json (it was written without the json format)",
      { file: path },
    );
  const data = loadFindingsDocument(join(path, FORMAT_FILES.json));
  let evidence: ResourceDocument[] | undefined;
  if (options.withEvidence) {
    const files = listFiles(path).filter((p) => p.startsWith("evidence/") && p.endsWith(".json"));
    if (files.length) {
      evidence = [];
      for (const p of files) {
        // Verified means unchanged since signing, not well-formed: a bundle can be signed again after an edit.
        const file = join(path, ...p.split("/"));
        const doc = parseJson(readFileSync(file, "utf8"), file);
        const deep = tooDeep(doc, 64);
        if (deep !== undefined)
          throw new CipherproofError("BUNDLE_INVALID", "nested more than 64 levels deep", {
            file,
            pointer: deep,
          });
        const errors = validateInput(EVIDENCE_FILE_SCHEMA, doc, file, "BUNDLE_INVALID");
        if (errors.length) throw errors[0];
        appendAll(evidence, (doc as { resources: ResourceDocument[] }).resources);
      }
    }
  }
  return {
    path,
    data,
    verified: true,
    manifest: v.manifest,
    evidence,
    warnings: v.warnings,
    checkedWith: options.kmsKeyId ? "kms" : options.publicKey ? "public-key" : "bundle-key",
  };
}

const STRING = { type: "string" } as const;

/** What an evidence/*.json file must hold for merge to use its resource documents. */
const EVIDENCE_FILE_SCHEMA = {
  type: "object",
  required: ["resources"],
  properties: {
    resources: {
      type: "array",
      items: {
        type: "object",
        required: ["type", "id", "name", "provider", "source", "collectedAt", "properties"],
        properties: {
          type: STRING,
          id: STRING,
          name: STRING,
          provider: STRING,
          account: STRING,
          region: STRING,
          source: STRING,
          collectedAt: STRING,
          properties: { type: "object" },
          missing: { type: "object", additionalProperties: STRING },
          evidence: { type: "array", items: { type: "object" } },
        },
      },
    },
  },
} as const;

/** Refuse (exit 2, naming both bundles) two inputs with the same scan id: a scan must count once. */
export function refuseDuplicateScans(inputs: Array<{ path: string; scanId: string }>, command: string): void {
  const seen = new Map<string, string>();
  for (const i of inputs) {
    const prior = seen.get(i.scanId);
    if (prior !== undefined)
      throw new CipherproofError(
        "USAGE",
        `${command}: ${prior} and ${i.path} are the same scan (scan id ${i.scanId}); a scan counts once`,
        {},
        "give each bundle once (a copy of a bundle has the same scan id)",
      );
    seen.set(i.scanId, i.path);
  }
}
