import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { CipherproofError } from "../core/errors.js";
import type { ResourceDocument } from "../core/types.js";
import { renderCsvChunks } from "../reporters/csv.js";
import { renderHtmlChunks } from "../reporters/html.js";
import { renderJsonChunks } from "../reporters/json.js";
import { renderJunitChunks } from "../reporters/junit.js";
import { renderMarkdown } from "../reporters/markdown.js";
import type { ReportData } from "../reporters/model.js";
import { jsonInPieces } from "../reporters/pieces.js";
import { renderSarif } from "../reporters/sarif.js";
import {
  ENC_SUFFIX,
  type EncryptionInfo,
  type EncryptionSpec,
  encryptFile,
  newDataKey,
} from "./encryption.js";
import type { KmsConnection } from "./kms.js";
import { redact } from "./redact.js";
import { createSigner, type SignatureInfo, type SigningSpec } from "./signing.js";

/** File formats a bundle can hold (console output is printed, never a bundle file). */
export const BUNDLE_FORMATS = ["html", "md", "json", "csv", "sarif", "junit", "evidence"] as const;
/** One bundle file format. */
export type BundleFormat = (typeof BUNDLE_FORMATS)[number];

/** Bundle file per format. */
export const FORMAT_FILES: Record<Exclude<BundleFormat, "evidence">, string> = {
  html: "report.html",
  md: "report.md",
  json: "findings.json",
  csv: "findings.csv",
  sarif: "results.sarif",
  junit: "junit.xml",
};

/** Names of the integrity files, which the manifest does not list. */
export const MANIFEST_FILE = "manifest.json";
/** The detached signature of manifest.json (base64). */
export const SIGNATURE_FILE = "manifest.sig";
/** The signer's public key, written beside the bundle for convenience (trust it only when stored elsewhere too). */
export const PUBLIC_KEY_FILE = "manifest.pub.pem";
/** Files every bundle carries besides the listed ones. */
export const INTEGRITY_FILES = [MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE];

/** One file listed in the manifest. */
export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  encrypted?: boolean;
}

/** manifest.json: what the bundle holds, signed. */
export interface Manifest {
  manifestVersion: 1;
  tool: { name: string; version: string };
  scan: { id: string; startedAt: string; finishedAt: string; accounts: string[]; regions: string[] };
  createdAt: string;
  files: ManifestFile[];
  signature: SignatureInfo;
  encryption?: EncryptionInfo;
  /** Present when `cipherproof report` rebuilt the bundle from a findings file rather than a scan writing it. */
  rebuiltFrom?: { file: string; sha256: string };
  notes?: string[];
}

/** How to build a bundle. */
export interface BundleOptions {
  /** Formats to include (default all). */
  formats?: readonly BundleFormat[];
  /** Signing key (default: a fresh Ed25519 key, public key written as manifest.pub.pem). */
  signing?: SigningSpec;
  /** Encrypt every listed file with a per-bundle data key wrapped by this key. */
  encryption?: EncryptionSpec;
  /** KMS region / endpoint overrides (tests, non-default partitions). */
  kms?: KmsConnection;
  /** Free-text provenance notes recorded in the manifest (e.g. "rebuilt from findings.json"). */
  notes?: string[];
  /** Bundle creation time (default now). */
  now?: Date;
}

/** A rendered bundle, all in memory: relative path → bytes, including the integrity files. */
export interface RenderedBundle {
  files: Map<string, Buffer>;
  manifest: Manifest;
}

/** SHA-256 of bytes, hex. */
export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Text given in pieces as one UTF-8 buffer, never as one string (which V8 caps at about 512 MiB; see pieces.ts). */
function bufferOf(pieces: string[]): Buffer {
  let size = 0;
  for (const piece of pieces) size += Buffer.byteLength(piece);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const piece of pieces) at += out.write(piece, at);
  return out;
}

function segment(s: string | undefined, fallback: string): string {
  const clean = (s ?? "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^\.+/, "_")
    .slice(0, 100);
  return clean || fallback;
}

/** The evidence/ files: resource documents grouped by source, account and region, secrets redacted. */
export function evidenceFiles(resources: ResourceDocument[]): Map<string, Buffer> {
  const groups = new Map<
    string,
    { source: string; account?: string; region?: string; resources: ResourceDocument[] }
  >();
  for (const r of resources) {
    const path = `evidence/${segment(String(r.source), "unknown-source")}/${segment(r.account, "no-account")}/${segment(r.region, "global")}.json`;
    let g = groups.get(path);
    if (!g)
      groups.set(
        path,
        (g = { source: String(r.source), account: r.account, region: r.region, resources: [] }),
      );
    g.resources.push(r);
  }
  const out = new Map<string, Buffer>();
  for (const [path, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const stats = { byKey: 0, byPattern: 0 };
    const docs = g.resources
      .map((r) => redact(r, stats))
      .sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
    const body = {
      source: g.source,
      account: g.account ?? null,
      region: g.region ?? null,
      resourceCount: docs.length,
      redactions: stats,
      resources: docs,
    };
    out.set(path, bufferOf([...jsonInPieces(body, ["resources"]), "\n"]));
  }
  return out;
}

/** Render every bundle file, hash it, encrypt it when asked, and sign the manifest — nothing touches disk. */
export async function renderBundle(data: ReportData, options: BundleOptions = {}): Promise<RenderedBundle> {
  const formats = new Set(options.formats ?? BUNDLE_FORMATS);
  // The signer is prepared first: a bad key fails before any rendering work.
  const signer = await createSigner(options.signing ?? { kind: "generated" }, options.kms);
  const plain = new Map<string, Buffer>();
  if (formats.has("html")) plain.set(FORMAT_FILES.html, bufferOf(renderHtmlChunks(data)));
  if (formats.has("md")) plain.set(FORMAT_FILES.md, Buffer.from(renderMarkdown(data)));
  if (formats.has("json")) plain.set(FORMAT_FILES.json, bufferOf(renderJsonChunks(data)));
  if (formats.has("csv")) plain.set(FORMAT_FILES.csv, bufferOf(renderCsvChunks(data)));
  if (formats.has("sarif")) plain.set(FORMAT_FILES.sarif, Buffer.from(renderSarif(data)));
  if (formats.has("junit")) plain.set(FORMAT_FILES.junit, bufferOf(renderJunitChunks(data)));
  if (formats.has("evidence")) for (const [p, b] of evidenceFiles(data.resources)) plain.set(p, b);

  const files = new Map<string, Buffer>();
  let encryption: EncryptionInfo | undefined;
  if (options.encryption) {
    const { key, wrapped } = await newDataKey(
      options.encryption,
      { "cipherproof:scan-id": data.scanId },
      options.kms,
    );
    try {
      for (const [p, b] of plain) files.set(`${p}${ENC_SUFFIX}`, encryptFile(key, p, b));
    } finally {
      key.fill(0);
    }
    encryption = { algorithm: "AES-256-GCM", fileFormat: "cipherproof-enc-v1", dataKey: wrapped };
  } else {
    for (const [p, b] of plain) files.set(p, b);
  }
  const manifest: Manifest = {
    manifestVersion: 1,
    tool: { name: data.tool.name, version: data.tool.version },
    scan: {
      id: data.scanId,
      startedAt: data.startedAt,
      finishedAt: data.finishedAt,
      accounts: data.accounts,
      regions: data.regions,
    },
    createdAt: (options.now ?? new Date()).toISOString(),
    files: [...files.entries()]
      .map(([path, b]) => ({
        path,
        sha256: sha256(b),
        size: b.length,
        ...(encryption ? { encrypted: true } : {}),
      }))
      .sort((a, b) => a.path.localeCompare(b.path)),
    signature: signer.info,
    ...(encryption ? { encryption } : {}),
    ...(data.rebuiltFrom
      ? { rebuiltFrom: { file: data.rebuiltFrom.file, sha256: data.rebuiltFrom.sha256 } }
      : {}),
    ...(options.notes?.length ? { notes: options.notes } : {}),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signature = await signer.sign(manifestBytes);
  files.set(MANIFEST_FILE, manifestBytes);
  files.set(SIGNATURE_FILE, Buffer.from(`${signature.toString("base64")}\n`));
  files.set(PUBLIC_KEY_FILE, Buffer.from(signer.publicKeyPem));
  return { files, manifest };
}

/** Every file under a folder, as slash-separated relative paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      const st = lstatSync(full);
      if (st.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** Top-level entries of an output folder that are not bundle content and survive a rewrite: see isPreserved. */
export const PRESERVED_ENTRIES = [".gitkeep", ".spool"];

/**
 * True for files that sit in an output folder without being part of the bundle: an empty `.gitkeep` placeholder (the
 * default reports/ has one) and the SIEM delivery spool under `.spool/`. verify ignores exactly these.
 */
export function isPreserved(dir: string, path: string): boolean {
  if (path.startsWith(".spool/")) return true;
  if (path !== ".gitkeep") return false;
  try {
    return statSync(join(dir, path)).size === 0;
  } catch {
    return false;
  }
}

function ioError(err: unknown, file: string, what: string): CipherproofError {
  return new CipherproofError(
    "FILE_UNREADABLE",
    `${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    { file },
  );
}

/**
 * Write files as one folder, atomically: everything goes to a temporary sibling folder, which then replaces `dir`.
 * An existing `dir` is replaced only when it is empty, holds only a `.gitkeep`, or holds a previous bundle (it has a
 * manifest.json and nothing else foreign) — a folder with other files is never overwritten.
 */
export function writeFolderAtomically(
  dir: string,
  files: Map<string, Buffer>,
  options: { replaceable?: (dir: string, existing: string[]) => string[] } = {},
): void {
  const parent = dirname(dir);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw ioError(err, parent, "cannot create output folder");
  }
  let preserved: string[] = [];
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new CipherproofError("USAGE", "output path exists and is not a folder", { file: dir });
    const existing = listFiles(dir);
    const foreign = (options.replaceable ?? bundleForeignFiles)(dir, existing);
    if (foreign.length) {
      throw new CipherproofError(
        "USAGE",
        `output folder holds files that are not part of a Cipherproof bundle (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? `, +${foreign.length - 3} more` : ""}); it would be replaced`,
        { file: dir },
        "choose a new or empty folder with --out",
      );
    }
    preserved = PRESERVED_ENTRIES.filter((name) =>
      existing.some((p) => p === name || p.startsWith(`${name}/`)),
    );
  }
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = join(parent, `.${basename(dir)}.cipherproof-tmp-${tag}`);
  const old = join(parent, `.${basename(dir)}.cipherproof-old-${tag}`);
  try {
    mkdirSync(staging);
    for (const [path, data] of files) {
      const full = join(staging, ...path.split("/"));
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, data);
    }
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw ioError(err, dir, "cannot write the bundle");
  }
  let moved = false;
  try {
    if (existsSync(dir)) {
      renameSync(dir, old);
      moved = true;
    }
    renameSync(staging, dir);
  } catch (err) {
    if (moved && !existsSync(dir)) renameSync(old, dir);
    rmSync(staging, { recursive: true, force: true });
    throw ioError(err, dir, "cannot move the bundle into place");
  }
  if (moved) {
    // Preserved entries (placeholder, SIEM spool) move into the new folder; if that fails they stay in `old`.
    try {
      for (const name of preserved) renameSync(join(old, name), join(dir, name));
      rmSync(old, { recursive: true, force: true });
    } catch (err) {
      throw ioError(
        err,
        old,
        "bundle written, but the previous folder's .gitkeep/.spool could not be moved back; they are kept here",
      );
    }
  }
}

/** Files in an existing output folder that are neither a previous bundle's files nor a .gitkeep placeholder. */
export function bundleForeignFiles(dir: string, existing: string[]): string[] {
  const rest = existing.filter((p) => !isPreserved(dir, p));
  if (!rest.length) return [];
  if (!rest.includes(MANIFEST_FILE)) return rest;
  let listed = new Set<string>();
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as Manifest;
    listed = new Set(m.files.map((f) => f.path));
  } catch {
    return [MANIFEST_FILE];
  }
  return rest.filter((p) => !listed.has(p) && !INTEGRITY_FILES.includes(p));
}

/** What writeBundle did. */
export interface BundleWriteResult {
  dir: string;
  manifest: Manifest;
  files: string[];
}

/** Render, sign (and optionally encrypt) a bundle and write it to `dir` atomically. */
export async function writeBundle(
  dir: string,
  data: ReportData,
  options: BundleOptions = {},
): Promise<BundleWriteResult> {
  const rendered = await renderBundle(data, options);
  writeFolderAtomically(dir, rendered.files);
  return { dir, manifest: rendered.manifest, files: [...rendered.files.keys()].sort() };
}
