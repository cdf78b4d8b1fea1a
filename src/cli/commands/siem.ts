import { resolve } from "node:path";
import { CipherproofError } from "../../core/errors.js";
import { loadConfig } from "../../loaders/config.js";
import { parse } from "../args.js";
import type { CliIO } from "../io.js";

/** `cipherproof siem flush`: deliver spooled SIEM events; returns the exit code. */
export async function siemCommand(argv: string[], io: CliIO): Promise<number> {
  const { SIEM_HELP, siemFlush } = await import("../../siem/cli.js");
  const { values, positionals } = parse(
    argv,
    {
      spool: { type: "string" },
      out: { type: "string" },
      config: { type: "string" },
      "siem-ca-file": { type: "string" },
      "siem-client-cert": { type: "string" },
      "siem-client-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    "siem",
    true,
  );
  if (values.help || positionals.length === 0) {
    io.stdout(SIEM_HELP);
    return values.help ? 0 : 2;
  }
  if (positionals[0] !== "flush" || positionals.length > 1) {
    throw new CipherproofError(
      "USAGE",
      `siem: unknown subcommand "${positionals.join(" ")}"`,
      {},
      "the subcommand is flush: cipherproof siem flush",
    );
  }
  const config = values.config ? loadConfig(resolve(io.cwd, values.config)).config : {};
  return siemFlush(values, { ...config.siem, outDir: config.output?.dir }, io);
}
