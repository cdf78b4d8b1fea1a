import { type Dirent, existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { globToRegExp } from "../core/engine/waivers.js";
import { CipherproofError, CipherproofErrors, isCipherproofError, pointerSegment } from "../core/errors.js";
import { parseJson } from "../core/json.js";
import { type CompiledPolicy, compilePolicy } from "../core/policy/compile.js";
import type { Severity } from "../core/types.js";
import { isDirectory, readText } from "./read.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/**
 * The folder holding the built-in policy pack and frameworks: two levels above src/loaders and dist/loaders, one above
 * the bundled GitHub Action (dist-action/index.js), which runs from the action's own checkout.
 */
export const BUILTIN_POLICY_DIR = resolve(
  HERE,
  basename(HERE) === "dist-action" ? "../policies" : "../../policies",
);

/** What to load and how to tune it. */
export interface LoadPoliciesOptions {
  /** Extra policy folders. */
  dirs?: string[];
  /** Include the built-in pack (default true). */
  builtin?: boolean;
  enable?: string[];
  disable?: string[];
  severity?: Record<string, Severity>;
  parameters?: Record<string, Record<string, unknown>>;
  /** The config file the overrides came from, for messages. */
  configFile?: string;
  /** Filled with the id of every valid policy found, including ones `enable`/`disable` leave out. */
  knownIds?: Set<string>;
}

/** What a policy folder holds: policy files, and what was passed over (for the "no policy here" error). */
export interface PolicyFolder {
  /** Policy files (`*.json`), sorted, symlinked folders followed. */
  files: string[];
  /** Files whose extension is ".json" in another case (`x.JSON`): never read, always reported. */
  miscased: string[];
  /** Subfolders not read as policies, each with the reason (`profiles/ (…)`). */
  skipped: string[];
  /** Other files, which are not policies (README.md, x.yaml…). */
  others: string[];
  /** The folder has `frameworks/*.json` at its top, which the framework loader reads. */
  hasFrameworks: boolean;
}

// Subfolders that hold other things than policies (documented: docs/endpoints.md, docs/frameworks.md).
const SKIPPED_FOLDERS: Record<string, string> = {
  frameworks: "framework catalogs, read as frameworks at the folder's top only",
  profiles: "TLS profiles: only the built-in ones are used, with --tls-profile",
  node_modules: "packages",
};

/** Policy JSON files below a folder, sorted, skipping `frameworks/` and `profiles/` folders. */
export function policyFiles(dir: string): string[] {
  return scanPolicyFolder(dir).files;
}

/**
 * Walk a policy folder. Symlinked folders are followed; a folder already walked (a link loop, or two links to one
 * folder) is walked once. Hidden folders and the ones in SKIPPED_FOLDERS are not read.
 */
export function scanPolicyFolder(dir: string): PolicyFolder {
  if (!isDirectory(dir)) {
    if (existsSync(dir)) {
      throw new CipherproofError(
        "USAGE",
        "is a file, but --policies takes a folder of policy files",
        { file: dir },
        `pass the folder that holds it: --policies ${displayPath(dirname(resolve(dir)))}`,
      );
    }
    throw new CipherproofError(
      "FILE_NOT_FOUND",
      "policy folder not found",
      { file: dir },
      "pass an existing folder to --policies",
    );
  }
  const out: PolicyFolder = { files: [], miscased: [], skipped: [], others: [], hasFrameworks: false };
  const visited = new Set<string>([realPath(dir)]);
  const walk = (d: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      throw new CipherproofError(
        "FILE_UNREADABLE",
        `cannot read policy folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { file: displayPath(d) },
      );
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, entry.name);
      const shown = rel ? `${rel}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          // A dangling link named like a policy is read (and reported as not found); any other is passed over.
          if (entry.name.endsWith(".json")) out.files.push(p);
          else out.skipped.push(`${shown} (a link to nothing)`);
          continue;
        }
      }
      if (isDir) {
        const why = Object.hasOwn(SKIPPED_FOLDERS, entry.name) ? SKIPPED_FOLDERS[entry.name] : undefined;
        if (why) {
          out.skipped.push(`${shown}/ (${why})`);
          if (rel === "" && entry.name === "frameworks") out.hasFrameworks = hasJsonFiles(p);
          continue;
        }
        if (entry.name.startsWith(".")) {
          out.skipped.push(`${shown}/ (hidden)`);
          continue;
        }
        const real = realPath(p);
        if (visited.has(real)) {
          out.skipped.push(`${shown}/ (already read: a link loop or a second link to the same folder)`);
          continue;
        }
        visited.add(real);
        walk(p, shown);
      } else if (entry.name.endsWith(".json")) out.files.push(p);
      else if (isFile && entry.name.toLowerCase().endsWith(".json")) out.miscased.push(p);
      else out.others.push(shown);
    }
  };
  walk(dir, "");
  return out;
}

/** The real path of an existing file or folder (symlinks resolved); the absolute path when that fails. */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

function hasJsonFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => n.endsWith(".json"));
  } catch {
    return false;
  }
}

/** The error for a policy folder that holds no policy file at all, saying what it holds instead. */
function noPolicyError(dir: string, folder: PolicyFolder): CipherproofError {
  const list = (items: string[]) =>
    items.length > 5 ? `${items.slice(0, 5).join(", ")} and ${items.length - 5} more` : items.join(", ");
  const found: string[] = [];
  if (folder.skipped.length) found.push(`skipped ${list(folder.skipped)}`);
  if (folder.others.length) found.push(`not policies (not *.json): ${list(folder.others)}`);
  return new CipherproofError(
    "POLICY_NOT_FOUND",
    `no policy file in this policy folder${found.length ? `; ${found.join("; ")}` : " (it is empty)"}`,
    { file: displayPath(dir) },
    "a policy is a file <id>.json in the folder or a subfolder (symlinked folders are followed); profiles/, frameworks/, node_modules/ and hidden folders are not read as policies",
  );
}

/** A readable path for messages: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
}

/** Load, validate and compile every policy; all problems are collected and thrown together. */
export function loadPolicies(options: LoadPoliciesOptions = {}): CompiledPolicy[] {
  const dirs = [...(options.builtin === false ? [] : [BUILTIN_POLICY_DIR]), ...(options.dirs ?? [])];
  if (dirs.length === 0) {
    throw new CipherproofError("USAGE", "no policies to load: --no-builtin was given without --policies DIR");
  }
  const errors: CipherproofError[] = [];
  const compiled: CompiledPolicy[] = [];
  const seen = new Map<string, string>();
  const digests = new Map<string, string>();
  // Ids by file name, known even when a policy fails to compile (so overrides for it are not "unknown").
  const fileIds = new Set<string>();
  const enable = options.enable?.map(globToRegExp);
  const disable = (options.disable ?? []).map(globToRegExp);
  // A folder given twice (or both in the config and on the command line) is read once, and so is a file reached
  // through two folders (`--policies d --policies d/sub`, a symlink): otherwise it would clash with itself.
  const readDirs = new Set<string>();
  const readFiles = new Set<string>();
  for (const [i, dir] of dirs.entries()) {
    const userDir = !(i === 0 && options.builtin !== false);
    const real = realPath(dir);
    if (readDirs.has(real)) continue;
    readDirs.add(real);
    let files: string[];
    try {
      const folder = scanPolicyFolder(dir);
      for (const file of folder.miscased) {
        errors.push(
          new CipherproofError(
            "POLICY_INVALID",
            `file name ends in "${extname(file)}", not ".json": it would not be read as a policy`,
            { file: displayPath(file) },
            `rename it to ${basename(file, extname(file))}.json (policy files end in lowercase .json)`,
          ),
        );
      }
      if (userDir && folder.files.length === 0 && folder.miscased.length === 0 && !folder.hasFrameworks) {
        errors.push(noPolicyError(dir, folder));
      }
      files = folder.files;
    } catch (err) {
      if (isCipherproofError(err)) {
        errors.push(...(err instanceof CipherproofErrors ? err.errors : [err]));
        continue;
      }
      throw err;
    }
    for (const file of files) {
      const realFile = realPath(file);
      if (readFiles.has(realFile)) continue;
      readFiles.add(realFile);
      const shown = displayPath(file);
      try {
        const raw = parseJson(readText(file, "policy file"), shown, { rejectDuplicateKeys: true });
        const id = basename(file, ".json");
        fileIds.add(id);
        const policy = compilePolicy(raw, shown, {
          expectedId: id,
          parameters: options.parameters?.[id],
          severity: options.severity?.[id],
          configFile: options.configFile,
        });
        const prior = seen.get(policy.id);
        if (prior) {
          errors.push(
            new CipherproofError(
              "POLICY_DUPLICATE_ID",
              `policy id "${policy.id}" is already defined in ${prior}`,
              { file: shown, pointer: "/id" },
              "policy ids must be unique across all loaded folders; rename one of them",
            ),
          );
          continue;
        }
        seen.set(policy.id, shown);
        const clash = digests.get(policy.idDigest);
        if (clash) {
          // Finding ids carry 32 bits of the policy id; two policies must not share them.
          errors.push(
            new CipherproofError(
              "POLICY_DUPLICATE_ID",
              `policy id "${policy.id}" hashes like "${clash}"; finding ids would collide`,
              { file: shown, pointer: "/id" },
              "rename one of the two policies",
            ),
          );
          continue;
        }
        digests.set(policy.idDigest, policy.id);
        options.knownIds?.add(policy.id);
        if (enable && !enable.some((re) => re.test(policy.id))) continue;
        if (disable.some((re) => re.test(policy.id))) continue;
        compiled.push(policy);
      } catch (err) {
        if (!isCipherproofError(err)) throw err;
        errors.push(...(err instanceof CipherproofErrors ? err.errors : [err]));
      }
    }
  }
  for (const [kind, map] of [
    ["parameters", options.parameters],
    ["severity", options.severity],
  ] as const) {
    for (const id of Object.keys(map ?? {})) {
      if (!seen.has(id) && !fileIds.has(id)) {
        errors.push(
          new CipherproofError(
            "CONFIG_INVALID",
            `${kind} given for unknown policy "${id}"`,
            { file: options.configFile, pointer: `/policies/${kind}/${pointerSegment(id)}` },
            "`cipherproof policies list` shows the loaded ids",
          ),
        );
      }
    }
  }
  for (const [kind, list] of [
    ["enable", options.enable],
    ["disable", options.disable],
  ] as const) {
    (list ?? []).forEach((pattern, i) => {
      const re = globToRegExp(pattern);
      if (![...seen.keys(), ...fileIds].some((id) => re.test(id))) {
        errors.push(
          new CipherproofError(
            "CONFIG_INVALID",
            `${kind} pattern "${pattern}" matches no policy`,
            { file: options.configFile, pointer: `/policies/${kind}/${i}` },
            "`cipherproof policies list` shows the loaded ids",
          ),
        );
      }
    });
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors);
  return compiled;
}
