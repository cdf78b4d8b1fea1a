import { resolve } from "node:path";
import { CipherproofError } from "../../core/errors.js";
import { controlIndex } from "../../core/frameworks/index.js";
import { suggest } from "../../core/policy/lint.js";
import { RESOURCE_TYPES } from "../../resources/index.js";
import { loadPolicySet } from "../../scan.js";
import { parse } from "../args.js";
import type { CliIO } from "../io.js";

/** Help text for `cipherproof policies`. */
export const POLICIES_HELP = `Usage: cipherproof policies <list|validate|explain ID|types [TYPE]> [options]

  list                 every loaded policy: id, severity, category, resource type, title
  validate             load and lint every policy and framework; exit 2 naming file and pointer on the first problem
  explain ID           what a policy checks, why, how to fix, its parameters, schemas and framework controls
  types [TYPE]         resource types and the properties policies may read

Options:
  --policies DIR       add a policy folder (repeatable)
  --no-builtin         leave the built-in pack out
  --config FILE        apply a config file (enable/disable, severities, parameters)
  --json               machine-readable output (list, explain, types)
`;

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + " ".repeat(n - s.length);
}

/** `cipherproof policies …`; returns the exit code. */
export async function policiesCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      policies: { type: "string", multiple: true },
      "no-builtin": { type: "boolean" },
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "policies",
    true,
  );
  const [sub, arg, ...extra] = positionals;
  if (values.help || !sub) {
    io.stdout(POLICIES_HELP);
    return values.help ? 0 : 2;
  }
  if (extra.length) throw new CipherproofError("USAGE", `policies ${sub}: unexpected argument "${extra[0]}"`);

  if (sub === "types") {
    const types = arg ? [arg] : Object.keys(RESOURCE_TYPES).sort();
    for (const t of types) {
      if (!RESOURCE_TYPES[t]) {
        const hint = suggest(t, Object.keys(RESOURCE_TYPES));
        throw new CipherproofError(
          "USAGE",
          `unknown resource type "${t}"`,
          {},
          hint ? `did you mean ${hint}?` : undefined,
        );
      }
    }
    if (values.json) {
      io.stdout(
        `${JSON.stringify(
          types.map((t) => RESOURCE_TYPES[t]),
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    for (const t of types) {
      const schema = RESOURCE_TYPES[t];
      io.stdout(`${t} — ${schema.description}\n`);
      if (arg) {
        for (const [name, p] of Object.entries(schema.properties))
          io.stdout(`  ${pad(name, 34)}${p.description}\n`);
      }
    }
    return 0;
  }

  const set = loadPolicySet({
    policyDirs: (values.policies ?? []).map((d) => resolve(io.cwd, d)),
    builtin: values["no-builtin"] ? false : undefined,
    configFile: values.config ? resolve(io.cwd, values.config) : undefined,
  });
  const policies = [...set.policies].sort(
    (a, b) => a.def.category.localeCompare(b.def.category) || a.id.localeCompare(b.id),
  );

  switch (sub) {
    case "list": {
      if (values.json) {
        io.stdout(
          `${JSON.stringify(
            policies.map((p) => ({
              id: p.id,
              severity: p.severity,
              category: p.def.category,
              resourceType: p.def.resourceType,
              title: p.def.title,
              file: p.file,
            })),
            null,
            2,
          )}\n`,
        );
        return 0;
      }
      io.stdout(
        `${pad("ID", 46)}${pad("SEVERITY", 10)}${pad("CATEGORY", 16)}${pad("RESOURCE TYPE", 28)}TITLE\n`,
      );
      for (const p of policies) {
        io.stdout(
          `${pad(p.id, 46)}${pad(p.severity, 10)}${pad(p.def.category, 16)}${pad(p.def.resourceType, 28)}${p.def.title}\n`,
        );
      }
      io.stdout(`\n${policies.length} policies\n`);
      return 0;
    }
    case "validate": {
      const controls = set.frameworks.reduce((n, f) => n + f.controls.length, 0);
      io.stdout(
        `ok: ${policies.length} policies and ${set.frameworks.length} frameworks (${controls} controls) are valid\n`,
      );
      return 0;
    }
    case "explain": {
      if (!arg)
        throw new CipherproofError(
          "USAGE",
          "policies explain: give a policy id",
          {},
          "`cipherproof policies list` shows them",
        );
      const p = set.policies.find((x) => x.id === arg);
      if (!p) {
        const hint = suggest(
          arg,
          set.policies.map((x) => x.id),
        );
        throw new CipherproofError(
          "POLICY_NOT_FOUND",
          `no policy "${arg}"`,
          {},
          hint ? `did you mean ${hint}?` : "`cipherproof policies list` shows the loaded ids",
        );
      }
      const controls = controlIndex(set.frameworks).get(p.id) ?? {};
      if (values.json) {
        io.stdout(
          `${JSON.stringify({ ...p.def, severity: p.severity, effectiveParameters: p.params, controls, file: p.file }, null, 2)}\n`,
        );
        return 0;
      }
      const d = p.def;
      const out = [
        `${d.id}  (${p.severity}, ${d.category}, ${d.resourceType})`,
        d.title,
        "",
        `What it checks: ${d.description}`,
        `Why: ${d.rationale}`,
        `Fix: ${d.remediation}`,
      ];
      if (Object.keys(p.params).length) {
        out.push("", "Parameters:");
        for (const [k, v] of Object.entries(p.params)) {
          const decl = d.parameters?.[k];
          out.push(
            `  ${k} = ${JSON.stringify(v)}${decl?.description ? `  — ${decl.description}` : ""} (default ${JSON.stringify(decl?.default)})`,
          );
        }
      }
      if (p.when) out.push("", `Applies when: ${JSON.stringify(p.when)}`);
      out.push(`Asserts: ${JSON.stringify(p.assert)}`);
      const ctl = Object.entries(controls);
      out.push(
        "",
        ctl.length
          ? `Controls: ${ctl.map(([fw, ids]) => `${fw} ${ids.join(", ")}`).join("; ")}`
          : "Controls: none mapped",
      );
      if (d.references?.length) out.push("", "References:", ...d.references.map((r) => `  ${r}`));
      out.push("", `Defined in ${p.file}`);
      io.stdout(`${out.join("\n")}\n`);
      return 0;
    }
    default:
      throw new CipherproofError(
        "USAGE",
        `unknown policies subcommand "${sub}"`,
        {},
        "use list, validate, explain ID or types",
      );
  }
}
