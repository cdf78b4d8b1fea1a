import { formatErrors, isCipherproofError } from "../core/errors.js";
import { TOOL_VERSION } from "../scan.js";
import { type CliIO, processIO } from "./io.js";

/** Top-level help. */
export const HELP = `cipherproof ${TOOL_VERSION} — prove encryption compliance: at rest, in transit, key management, logging

Usage: cipherproof <command> [options]

Commands:
  scan        evaluate resources against policies (cipherproof scan --snapshot FILE …)
  policies    list | validate | explain ID | types [TYPE]
  report      rebuild an evidence bundle from a findings file (cipherproof report findings.json --out DIR)
  verify      check an evidence bundle's signature and file hashes (cipherproof verify DIR)
  decrypt     decrypt an encrypted evidence bundle (cipherproof decrypt DIR --key file:PATH --out DIR2)
  siem        flush: deliver SIEM events that an earlier scan had to spool
  diff        drift between two scans by finding id (cipherproof diff OLD NEW; exit 1 on new failures)
  merge       merge verified bundles (e.g. --shard runs) into one signed bundle (cipherproof merge A B --out DIR)
  period      audit-period evidence over signed bundles (cipherproof period BUNDLE… --from D --to D --out DIR)

Run \`cipherproof <command> --help\` for a command's options.
Exit codes: 0 ok, 1 violations or errors, 2 usage or input error.
`;

/** Run the CLI with these arguments; returns the exit code and never throws for expected errors. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      case "--version":
      case "-v":
        io.stdout(`${TOOL_VERSION}\n`);
        return 0;
      case "scan": {
        const { scanCommand } = await import("./commands/scan.js");
        return await scanCommand(rest, io);
      }
      case "policies": {
        const { policiesCommand } = await import("./commands/policies.js");
        return await policiesCommand(rest, io);
      }
      case "report": {
        const { reportCommand } = await import("./commands/report.js");
        return await reportCommand(rest, io);
      }
      case "verify": {
        const { verifyCommand } = await import("./commands/verify.js");
        return await verifyCommand(rest, io);
      }
      case "decrypt": {
        const { decryptCommand } = await import("./commands/decrypt.js");
        return await decryptCommand(rest, io);
      }
      case "diff": {
        const { diffCommand } = await import("./commands/diff.js");
        return await diffCommand(rest, io);
      }
      case "merge": {
        const { mergeCommand } = await import("./commands/merge.js");
        return await mergeCommand(rest, io);
      }
      case "period": {
        const { periodCommand } = await import("./commands/period.js");
        return await periodCommand(rest, io);
      }
      case "siem": {
        const { siemCommand } = await import("./commands/siem.js");
        return await siemCommand(rest, io);
      }
      default:
        io.stderr(
          `error[USAGE]: unknown command "${command}"\n  hint: see \`cipherproof --help\` for the commands\n`,
        );
        return 2;
    }
  } catch (err) {
    if (isCipherproofError(err)) {
      io.stderr(`${formatErrors(err)}\n`);
      return 2;
    }
    throw err;
  }
}
