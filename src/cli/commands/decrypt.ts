import { relative, resolve } from "node:path";
import { CipherproofError } from "../../core/errors.js";
import { decryptBundle } from "../../evidence/decrypt.js";
import { parseEncryptionKey } from "../../evidence/encryption.js";
import { readPublicKey } from "../../evidence/signing.js";
import { parse } from "../args.js";
import type { CliIO } from "../io.js";

/** Help text for `cipherproof decrypt`. */
export const DECRYPT_HELP = `Usage: cipherproof decrypt DIR --key file:PATH|kms:KEY_ID --out DIR2 [--public-key FILE]

Verifies an encrypted evidence bundle (as \`cipherproof verify\` does), unwraps its data key with the given key, and
writes the decrypted files to DIR2 (a new or empty folder). Nothing is written unless every file decrypts.

Options:
  --key KEY              file:PATH (the 32-byte key file used with --encrypt-with) or kms:KEY_ID (kms:Decrypt)
  --out DIR2             where to write the decrypted files
  --public-key FILE      the signer's public key kept outside the bundle (as for verify)

Exit codes: 0 decrypted; 1 the bundle failed verification (nothing decrypted); 2 usage error or wrong key.
`;

/** `cipherproof decrypt DIR --key … --out DIR2`. */
export async function decryptCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      key: { type: "string" },
      out: { type: "string" },
      "public-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    "decrypt",
    true,
  );
  if (values.help) {
    io.stdout(DECRYPT_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new CipherproofError(
      "USAGE",
      "decrypt: give exactly one bundle folder",
      {},
      "cipherproof decrypt reports --key file:bundle.key --out plain",
    );
  if (!values.key)
    throw new CipherproofError(
      "USAGE",
      "decrypt: --key is required",
      {},
      "--key file:PATH or --key kms:KEY_ID",
    );
  if (!values.out)
    throw new CipherproofError(
      "USAGE",
      "decrypt: --out is required",
      {},
      "a new or empty folder for the decrypted files",
    );
  const key = parseEncryptionKey(values.key, "--key");
  if (key.kind === "file") key.path = resolve(io.cwd, key.path);
  const dir = resolve(io.cwd, positionals[0]);
  const out = resolve(io.cwd, values.out);
  const pk = values["public-key"];
  const r = await decryptBundle(dir, out, key, {
    publicKey: pk && !pk.startsWith("kms:") ? readPublicKey(resolve(io.cwd, pk)) : undefined,
    kmsKeyId: pk?.startsWith("kms:") ? pk.slice(4) : undefined,
  });
  if (!r.verification.ok) {
    for (const p of r.verification.problems) io.stderr(`FAILED ${p.problem}: ${p.file} — ${p.detail}\n`);
    io.stderr(`not decrypted: the bundle failed verification\n`);
    return 1;
  }
  for (const w of r.verification.warnings) io.stderr(`warning: ${w}\n`);
  io.stdout(`decrypted ${r.files.length} files to ${relative(io.cwd, out) || "."}\n`);
  return 0;
}
