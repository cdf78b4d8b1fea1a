#!/usr/bin/env node
// Bundles the GitHub Action (src/action/index.ts and everything it imports, AWS SDK included) into one ESM file,
// dist-action/index.js, which is committed so the action runs with no install step. Usage:
//   node scripts/build-action.mjs [OUTDIR]      (default dist-action; the up-to-date test builds to a temp folder)
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = resolve(process.argv[2] ?? join(root, "dist-action"));

await build({
  absWorkingDir: root,
  entryPoints: ["src/action/index.ts"],
  outfile: join(outdir, "index.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  keepNames: true,
  legalComments: "linked",
  charset: "utf8",
  logLevel: "warning",
  // CommonJS dependencies call require() for Node built-ins; an ESM bundle provides it.
  banner: {
    js: 'import { createRequire as __cipherproofCreateRequire } from "node:module"; const require = __cipherproofCreateRequire(import.meta.url);',
  },
});
// The bundle is ESM whatever package.json sits above the action's folder.
writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);
