import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { globToRegExp } from "../core/engine/waivers.js";
import { CipherproofError, CipherproofErrors, isCipherproofError } from "../core/errors.js";
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

/** Policy JSON files below a folder, sorted, skipping `frameworks/` and `profiles/` folders. */
export function policyFiles(dir: string): string[] {
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
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        const skip = ["frameworks", "profiles", "node_modules"].includes(entry.name);
        if (!skip && !entry.name.startsWith(".")) walk(p);
      } else if (entry.name.endsWith(".json")) out.push(p);
    }
  };
  walk(dir);
  return out;
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
  for (const dir of dirs) {
    let files: string[];
    try {
      files = policyFiles(dir);
    } catch (err) {
      if (isCipherproofError(err)) {
        errors.push(...(err instanceof CipherproofErrors ? err.errors : [err]));
        continue;
      }
      throw err;
    }
    for (const file of files) {
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
            { file: options.configFile, pointer: `/policies/${kind}/${id}` },
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
