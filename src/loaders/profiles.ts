import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CipherproofError, CipherproofErrors, isCipherproofError } from "../core/errors.js";
import { parseJson } from "../core/json.js";
import { type CompiledPolicy, compilePolicy } from "../core/policy/compile.js";
import { BUILTIN_POLICY_DIR, displayPath } from "./policies.js";
import { readText } from "./read.js";

/** The folder holding versioned policy profiles (not part of the default pack). */
export const PROFILE_DIR = join(BUILTIN_POLICY_DIR, "profiles");

/** A profile file: versioned data plus the policies that check it. */
export interface ProfileFile {
  id: string;
  title: string;
  version: string;
  source: string;
  description?: string;
  data: Record<string, unknown>;
  policies: unknown[];
}

/** Names of the built-in profiles. */
export function profileNames(): string[] {
  return existsSync(PROFILE_DIR)
    ? readdirSync(PROFILE_DIR)
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .sort()
    : [];
}

/** Ids of every built-in profile's policies, read without compiling them (for checking waivers against). */
export function profilePolicyIds(): string[] {
  const ids: string[] = [];
  for (const name of profileNames()) {
    const file = join(PROFILE_DIR, `${name}.json`);
    const raw = parseJson(readText(file, "profile"), displayPath(file)) as Partial<ProfileFile>;
    for (const p of Array.isArray(raw?.policies) ? raw.policies : []) {
      const id = (p as { id?: unknown })?.id;
      if (typeof id === "string") ids.push(id);
    }
  }
  return ids;
}

/** Replace every `{"$profile": "field"}` with that field of the profile's data. */
function substitute(node: unknown, data: Record<string, unknown>, file: string, pointer: string): unknown {
  if (Array.isArray(node)) return node.map((n, i) => substitute(n, data, file, `${pointer}/${i}`));
  if (node && typeof node === "object") {
    const obj = node as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === "$profile") {
      const name = obj.$profile;
      if (typeof name !== "string" || !Object.hasOwn(data, name) || data[name] === null) {
        throw new CipherproofError(
          "POLICY_INVALID",
          `profile reference ${JSON.stringify(name)} names no value in the profile's data`,
          { file, pointer },
        );
      }
      return data[name];
    }
    return Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [k, substitute(v, data, file, `${pointer}/${k}`)]),
    );
  }
  return node;
}

/** Load and compile the policies of the named profiles (e.g. mozilla-intermediate); ids must not clash with `taken`. */
export function loadProfiles(names: string[], taken: Set<string> = new Set()): CompiledPolicy[] {
  const out: CompiledPolicy[] = [];
  const errors: CipherproofError[] = [];
  for (const name of names) {
    const file = join(PROFILE_DIR, `${name}.json`);
    if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) {
      throw new CipherproofError(
        "POLICY_NOT_FOUND",
        `unknown profile "${name}"`,
        {},
        `built-in profiles: ${profileNames().join(", ")}`,
      );
    }
    const shown = displayPath(file);
    const raw = parseJson(readText(file, "profile"), shown) as ProfileFile;
    if (
      !raw ||
      typeof raw !== "object" ||
      raw.id !== name ||
      typeof raw.version !== "string" ||
      !raw.data ||
      !Array.isArray(raw.policies)
    ) {
      throw new CipherproofError(
        "POLICY_INVALID",
        "a profile needs id (equal to its file name), version, data and policies",
        { file: shown },
      );
    }
    raw.policies.forEach((p, i) => {
      const pointer = `/policies/${i}`;
      try {
        const def = substitute(p, raw.data, shown, pointer) as { id?: string };
        const policy = compilePolicy(def, `${shown}#${pointer}`);
        if (taken.has(policy.id)) {
          errors.push(
            new CipherproofError("POLICY_DUPLICATE_ID", `policy id "${policy.id}" is already loaded`, {
              file: shown,
              pointer: `${pointer}/id`,
            }),
          );
          return;
        }
        taken.add(policy.id);
        out.push(policy);
      } catch (err) {
        if (!isCipherproofError(err)) throw err;
        errors.push(...(err instanceof CipherproofErrors ? err.errors : [err]));
      }
    });
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors);
  return out;
}
