import { resolve } from "node:path";
import { CipherproofError } from "../../core/errors.js";
import { readPublicKey } from "../../evidence/signing.js";
import { verifyBundle } from "../../evidence/verify.js";
import { parse } from "../args.js";
import type { CliIO } from "../io.js";

/** Help text for `cipherproof verify`. */
export const VERIFY_HELP = `Usage: cipherproof verify DIR [--public-key FILE|kms:KEY_ID]

Checks an evidence bundle: the signature of manifest.json, then the SHA-256 and size of every file it lists, and
that no listed file is missing and no other file was added. Every problem names its file.

Options:
  --public-key FILE      the signer's public key (PEM), kept outside the bundle; without it the bundle's own
                         manifest.pub.pem is used, which only detects accidental change
  --public-key kms:ID    check the signature with KMS Verify on this key (needs kms:Verify)

Exit codes: 0 verified; 1 verification failed (a file changed, removed or added, or a bad signature); 2 usage error.
`;

/** `cipherproof verify DIR`: exit 0 when the bundle verifies, 1 naming each file that does not, 2 on usage errors. */
export async function verifyCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { "public-key": { type: "string" }, help: { type: "boolean", short: "h" } },
    "verify",
    true,
  );
  if (values.help) {
    io.stdout(VERIFY_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new CipherproofError(
      "USAGE",
      "verify: give exactly one bundle folder",
      {},
      "cipherproof verify reports",
    );
  const dir = resolve(io.cwd, positionals[0]);
  const pk = values["public-key"];
  const r = await verifyBundle(dir, {
    publicKey: pk && !pk.startsWith("kms:") ? readPublicKey(resolve(io.cwd, pk)) : undefined,
    kmsKeyId: pk?.startsWith("kms:") ? pk.slice(4) : undefined,
  });
  const shown = positionals[0];
  if (!r.ok) {
    for (const p of r.problems) io.stderr(`FAILED ${p.problem}: ${p.file} — ${p.detail}\n`);
    io.stderr(
      `verification FAILED for ${shown}: ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}\n`,
    );
    return 1;
  }
  for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
  const m = r.manifest!;
  io.stdout(
    `verified: ${shown} — ${r.checked} files match manifest.json; ${m.signature.algorithm} signature valid (key sha256:${m.signature.key.publicKeySha256.slice(0, 16)}…, checked with ${r.keySource}); scan ${m.scan.id}${m.encryption ? "; files encrypted" : ""}${m.rebuiltFrom ? `; rebuilt by cipherproof report from ${m.rebuiltFrom.file} (sha256 ${m.rebuiltFrom.sha256}), not written by a scan` : ""}\n`,
  );
  return 0;
}
