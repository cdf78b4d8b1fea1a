import { readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { CipherproofError, CipherproofErrors, isCipherproofError } from "../core/errors.js";
import { type Framework, parseFramework } from "../core/frameworks/index.js";
import { parseJson } from "../core/json.js";
import { BUILTIN_POLICY_DIR, displayPath } from "./policies.js";
import { isDirectory, readText } from "./read.js";

/** Frameworks found in `<dir>/frameworks/*.json` for the built-in pack and each extra folder. */
export function loadFrameworks(
  dirs: string[],
  builtin = true,
): { frameworks: Framework[]; files: Map<string, string> } {
  const roots = [...(builtin ? [BUILTIN_POLICY_DIR] : []), ...dirs];
  const frameworks: Framework[] = [];
  const files = new Map<string, string>();
  const errors: CipherproofError[] = [];
  // A folder given twice (in the config and with --policies, or through a symlink) is read once.
  const seen = new Set<string>();
  for (const root of roots) {
    const dir = join(root, "frameworks");
    if (!isDirectory(dir)) continue;
    const real = realpathSync(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith(".json"))
      .sort()) {
      const shown = displayPath(join(dir, name));
      try {
        const fw = parseFramework(parseJson(readText(join(dir, name), "framework file"), shown), shown);
        if (files.has(fw.id)) {
          errors.push(
            new CipherproofError(
              "FRAMEWORK_INVALID",
              `framework id "${fw.id}" is already defined in ${files.get(fw.id)}`,
              { file: shown, pointer: "/id" },
            ),
          );
          continue;
        }
        files.set(fw.id, shown);
        frameworks.push(fw);
      } catch (err) {
        if (!isCipherproofError(err)) throw err;
        errors.push(...(err instanceof CipherproofErrors ? err.errors : [err]));
      }
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors);
  return { frameworks, files };
}
