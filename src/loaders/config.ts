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
  if (ext === ".yaml" || ext === ".yml") raw = parseYaml(text, shown);
  else raw = parseJson(text, shown, { rejectDuplicateKeys: true });
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

/** The first line of an exception's message, shortened, for a message that names the file. */
function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const line = msg.split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Parse a YAML config; every problem, including what the YAML library throws while building the data (aliases that
 * expand too much, nesting too deep for the stack), is a YAML_SYNTAX error naming the file.
 */
function parseYaml(text: string, shown: string): unknown {
  const fix = "fix the YAML syntax at that position (indentation is the usual cause)";
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    throw yamlFailure(err, shown);
  }
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    if (/call stack/i.test(e.message)) throw yamlFailure(new RangeError(e.message), shown, pos);
    throw new CipherproofError(
      "YAML_SYNTAX",
      `invalid YAML: ${reason(e)}`,
      { file: shown, line: pos?.line, column: pos?.col },
      fix,
    );
  }
  try {
    return doc.toJS();
  } catch (err) {
    throw yamlFailure(err, shown);
  }
}

/** The error for an exception the YAML library threw (not a syntax error it reported). */
function yamlFailure(err: unknown, shown: string, pos?: { line: number; col: number }): CipherproofError {
  const msg = reason(err);
  const where = { file: shown, line: pos?.line, column: pos?.col };
  if (/alias count|resource exhaustion/i.test(msg)) {
    return new CipherproofError(
      "YAML_SYNTAX",
      'invalid YAML: its aliases (*name) expand too much: the document would grow exponentially (a "billion laughs" document)',
      where,
      "write the values out instead of nesting aliases of aliases; a config file needs few anchors, if any",
    );
  }
  if (err instanceof RangeError || /call stack/i.test(msg)) {
    return new CipherproofError(
      "YAML_SYNTAX",
      "invalid YAML: it nests too deeply to read",
      where,
      "a config file is a few levels deep; check for runaway brackets or indentation",
    );
  }
  return new CipherproofError(
    "YAML_SYNTAX",
    `invalid YAML: ${msg}`,
    where,
    "fix the YAML; anchors must be defined before their aliases (*name) refer to them",
  );
}
