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
}

/** Validate a parsed config document; waivers must carry a real expiry date. */
export function parseConfig(raw: unknown, file: string): CipherproofConfig {
  if (raw === null || raw === undefined) return {};
  const errors = validateInput(CONFIG_SCHEMA, raw, file, "CONFIG_INVALID");
  for (const e of errors) {
    if (/^\/waivers\/\d+/.test(e.location.pointer ?? "")) {
      (e as { code: string }).code = "WAIVER_INVALID";
      if (/"expires"/.test(e.message)) {
        (e as { hint?: string }).hint = 'every waiver needs an expiry date, e.g. "expires": "2027-03-31"; accepted risk must be reviewed';
      }
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors);
  const config = raw as CipherproofConfig;
  (config.waivers ?? []).forEach((w, i) => {
    if (Number.isNaN(waiverEnd(w.expires))) {
      throw new CipherproofError("WAIVER_INVALID", `waiver expiry "${w.expires}" is not a real date`, { file, pointer: `/waivers/${i}/expires` },
        "use YYYY-MM-DD");
    }
  });
  return config;
}
