import type { Waiver } from "../engine/waivers.js";
import { waiverEnd } from "../engine/waivers.js";
import { CipherproofError, CipherproofErrors } from "../errors.js";
import type { Severity } from "../types.js";
import { validateInput } from "../validate-input.js";
import { CONFIG_SCHEMA } from "./schema.js";

/** The config file after validation. */
export interface CipherproofConfig {
  policies?: {
    paths?: string[];
    builtin?: boolean;
    enable?: string[];
    disable?: string[];
    severity?: Record<string, Severity>;
    parameters?: Record<string, Record<string, unknown>>;
  };
  frameworks?: string[];
  waivers?: Waiver[];
  failOn?: Severity;
  allowErrors?: boolean;
  output?: { dir?: string; formats?: string[] };
  siem?: {
    targets?: Array<string | ({ target: string } & Record<string, unknown>)>;
    events?: "failures" | "all";
    spoolDir?: string;
    caFile?: string;
    clientCert?: string;
    clientKey?: string;
  };
}

/** Validate a parsed config document; waivers must carry a real expiry date. */
export function parseConfig(raw: unknown, file: string): CipherproofConfig {
  if (raw === null || raw === undefined) return {};
  const errors = validateInput(CONFIG_SCHEMA, raw, file, "CONFIG_INVALID");
  for (const e of errors) {
    if (/^\/waivers\/\d+/.test(e.location.pointer ?? "")) {
      (e as { code: string }).code = "WAIVER_INVALID";
      if (/"expires"/.test(e.message)) {
        (e as { hint?: string }).hint =
          'every waiver needs an expiry date, e.g. "expires": "2027-03-31"; accepted risk must be reviewed';
      }
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors);
  const config = raw as CipherproofConfig;
  (config.waivers ?? []).forEach((w, i) => {
    if (!isRealDate(w.expires)) {
      throw new CipherproofError(
        "WAIVER_INVALID",
        `waiver expiry "${w.expires}" is not a real calendar date`,
        { file, pointer: `/waivers/${i}/expires` },
        "use YYYY-MM-DD, e.g. 2027-03-31",
      );
    }
  });
  return config;
}

/** True when a `YYYY-MM-DD…` string names a day that exists (2027-02-30 does not) and parses. */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m || Number.isNaN(waiverEnd(s))) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}
