import { type ParseArgsConfig, parseArgs } from "node:util";
import { CipherproofError } from "../core/errors.js";
import { SEVERITIES, type Severity } from "../core/types.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The parsed values of an options table: strings, booleans, or arrays of them for `multiple`. */
export type Values<T extends Options> = {
  [K in keyof T]?: T[K] extends { multiple: true }
    ? T[K] extends { type: "string" }
      ? string[]
      : boolean[]
    : T[K] extends { type: "string" }
      ? string
      : boolean;
};

/** Parse argv strictly; unknown flags and missing values are usage errors (exit 2), not stacks. */
export function parse<T extends Options>(
  argv: string[],
  options: T,
  command: string,
  allowPositionals = false,
): { values: Values<T>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, strict: true, allowPositionals });
    return { values: r.values as Values<T>, positionals: r.positionals };
  } catch (err) {
    const msg = (err as Error).message
      .replace(/\. To specify a positional argument starting with a '-'.*$/s, "")
      .replace(/^Unknown option '([^']+)'.*$/s, "unknown option $1");
    throw new CipherproofError(
      "USAGE",
      `${command}: ${msg}`,
      {},
      `run \`cipherproof ${command} --help\` for the options`,
    );
  }
}

/** Validate a severity flag value. */
export function severityFlag(value: string | undefined, flag: string): Severity | undefined {
  if (value === undefined) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw new CipherproofError("USAGE", `${flag} must be one of ${SEVERITIES.join(", ")}, not "${value}"`);
  }
  return value as Severity;
}

/** Split comma-separated, repeatable values. */
export function list(values: string | string[] | undefined): string[] {
  if (values === undefined) return [];
  return (Array.isArray(values) ? values : [values])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}
