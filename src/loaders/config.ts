import { dirname, extname, resolve } from "node:path";
import { parseDocument } from "yaml";
import { type CipherproofConfig, parseConfig } from "../core/config/parse.js";
import { CipherproofError } from "../core/errors.js";
import { parseJson } from "../core/json.js";
import { displayPath } from "./policies.js";
import { readText } from "./read.js";

/** A loaded config with its folder, so relative paths resolve against it. */
export interface LoadedConfig {
  config: CipherproofConfig;
  file: string;
  dir: string;
}

/** Read a config file (JSON, or YAML for .yaml/.yml), validate it and resolve its policy paths. */
export function loadConfig(path: string): LoadedConfig {
  const shown = displayPath(path);
  const text = readText(path, "config file");
  const ext = extname(path).toLowerCase();
  let raw: unknown;
  if (ext === ".yaml" || ext === ".yml") {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length) {
      const e = doc.errors[0];
      const pos = e.linePos?.[0];
      throw new CipherproofError(
        "YAML_SYNTAX",
        `invalid YAML: ${e.message.split("\n")[0]}`,
        { file: shown, line: pos?.line, column: pos?.col },
        "fix the YAML syntax at that position (indentation is the usual cause)",
      );
    }
    raw = doc.toJS();
  } else {
    raw = parseJson(text, shown, { rejectDuplicateKeys: true });
  }
  const config = parseConfig(raw, shown);
  const dir = dirname(resolve(path));
  if (config.policies?.paths) config.policies.paths = config.policies.paths.map((p) => resolve(dir, p));
  if (config.output?.dir) config.output.dir = resolve(dir, config.output.dir);
  if (config.siem) {
    const siem = config.siem;
    for (const k of ["spoolDir", "caFile", "clientCert", "clientKey"] as const)
      if (siem[k]) siem[k] = resolve(dir, siem[k]);
    for (const t of siem.targets ?? []) {
      if (typeof t === "string") continue;
      for (const k of ["caFile", "clientCert", "clientKey"])
        if (typeof t[k] === "string") t[k] = resolve(dir, t[k] as string);
    }
  }
  return { config, file: shown, dir };
}
