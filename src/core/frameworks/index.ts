import { CipherproofError, CipherproofErrors } from "../errors.js";
import type { ControlRefs, Finding } from "../types.js";
import { validateInput } from "../validate-input.js";
import { FRAMEWORK_SCHEMA, type Framework, type FrameworkControl } from "./schema.js";

export type { Framework, FrameworkControl } from "./schema.js";

/** Validate a parsed framework document. */
export function parseFramework(raw: unknown, file: string): Framework {
  const errors = validateInput(FRAMEWORK_SCHEMA, raw, file, "FRAMEWORK_INVALID");
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors);
  const fw = raw as Framework;
  const ids = new Set<string>();
  fw.controls.forEach((c, i) => {
    if (ids.has(c.id)) {
      throw new CipherproofError("FRAMEWORK_INVALID", `control "${c.id}" is listed twice`, {
        file,
        pointer: `/controls/${i}/id`,
      });
    }
    ids.add(c.id);
  });
  return fw;
}

/** Check every policy id a framework names exists; a dangling reference is a load error. */
export function checkFrameworkReferences(
  frameworks: Framework[],
  policyIds: Set<string>,
  files: Map<string, string>,
): void {
  const errors: CipherproofError[] = [];
  for (const fw of frameworks) {
    fw.controls.forEach((c, i) => {
      c.policies.forEach((p, j) => {
        if (!policyIds.has(p)) {
          errors.push(
            new CipherproofError(
              "FRAMEWORK_INVALID",
              `control ${c.id} of ${fw.id} names policy "${p}", which is not loaded`,
              { file: files.get(fw.id), pointer: `/controls/${i}/policies/${j}` },
              "fix the id, or load the folder that defines it with --policies",
            ),
          );
        }
      });
    });
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors);
}

/** Policy id → framework → control ids, for stamping findings. */
export function controlIndex(frameworks: Framework[]): Map<string, ControlRefs> {
  const index = new Map<string, ControlRefs>();
  for (const fw of frameworks) {
    for (const c of fw.controls) {
      for (const p of c.policies) {
        let refs = index.get(p);
        if (!refs) {
          refs = {};
          index.set(p, refs);
        }
        (refs[fw.id] ??= []).push(c.id);
      }
    }
  }
  return index;
}

/** Roll-up status of a control. */
export type ControlStatus = "pass" | "fail" | "error" | "no_automated_evidence";

/** One control's roll-up from its policies' findings. */
export interface ControlResult {
  framework: string;
  control: FrameworkControl;
  status: ControlStatus;
  counts: { pass: number; fail: number; error: number; waived: number; not_applicable: number };
  manual: boolean;
}

/**
 * Roll findings up to controls: fail if any mapped finding fails, else error if any could not be evaluated, else
 * pass if something was evaluated, else "no automated evidence" (never "pass").
 */
export function rollUpControls(framework: Framework, findings: Finding[]): ControlResult[] {
  const byPolicy = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byPolicy.get(f.policyId);
    if (list) list.push(f);
    else byPolicy.set(f.policyId, [f]);
  }
  return framework.controls.map((control) => {
    const counts = { pass: 0, fail: 0, error: 0, waived: 0, not_applicable: 0 };
    for (const p of control.policies) for (const f of byPolicy.get(p) ?? []) counts[f.status]++;
    const status: ControlStatus =
      counts.fail > 0
        ? "fail"
        : counts.error > 0
          ? "error"
          : counts.pass + counts.waived > 0
            ? "pass"
            : "no_automated_evidence";
    return { framework: framework.id, control, status, counts, manual: control.manualEvidence !== undefined };
  });
}
