import { describe, expect, it } from "vitest";
import { CipherproofError, CipherproofErrors } from "../../src/core/errors.js";
import { compilePolicy } from "../../src/core/policy/compile.js";

const base = {
  id: "t-policy",
  title: "A test policy",
  category: "at-rest",
  severity: "high",
  resourceType: "aws.rds.db_instance",
  description: "d",
  rationale: "r",
  remediation: "f",
  assert: { required: ["storageEncrypted"], properties: { storageEncrypted: { const: true } } },
  message: "{{name}} unencrypted",
};

function errorOf(fn: () => unknown): CipherproofError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CipherproofErrors) return err.errors[0];
    if (err instanceof CipherproofError) return err;
    throw err;
  }
  throw new Error("expected an error");
}

describe("policy compilation", () => {
  it("compiles a valid policy and records what it reads", () => {
    const p = compilePolicy({ ...base, when: { properties: { engine: { const: "postgres" } } } }, "f.json");
    expect([...p.assertReads.paths]).toEqual(["storageEncrypted"]);
    expect([...p.whenReads.paths]).toEqual(["engine"]);
    expect(p.assertFn({ storageEncrypted: true })).toBe(true);
  });

  it("rejects a misspelled property with file, pointer and suggestion", () => {
    const e = errorOf(() =>
      compilePolicy(
        {
          ...base,
          assert: { required: ["storageEncryted"], properties: { storageEncryted: { const: true } } },
        },
        "p.json",
      ),
    );
    expect(e.code).toBe("POLICY_UNKNOWN_PROPERTY");
    expect(e.location).toEqual({ file: "p.json", pointer: "/assert/properties/storageEncryted" });
    expect(e.hint).toContain('"storageEncrypted"');
  });

  it("checks properties inside combinators and array items", () => {
    const e = errorOf(() =>
      compilePolicy(
        {
          ...base,
          assert: {
            required: ["storageEncrypted"],
            anyOf: [{ properties: { kmsKeyID: { type: "string" } } }],
          },
        },
        "p.json",
      ),
    );
    expect(e.location.pointer).toBe("/assert/anyOf/0/properties/kmsKeyID");
  });

  it("rejects assert {} and assertions an empty resource satisfies", () => {
    expect(errorOf(() => compilePolicy({ ...base, assert: {} }, "p.json")).code).toBe("POLICY_VACUOUS");
    const e = errorOf(() =>
      compilePolicy({ ...base, assert: { properties: { storageEncrypted: { const: true } } } }, "p.json"),
    );
    expect(e.code).toBe("POLICY_VACUOUS");
    expect(e.location.pointer).toBe("/assert");
  });

  it("keeps ajv strict: an unknown keyword is a load error at its pointer", () => {
    const e = errorOf(() =>
      compilePolicy(
        { ...base, assert: { ...base.assert, properties: { storageEncrypted: { cnst: true } } } },
        "p.json",
      ),
    );
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location.pointer).toBe("/assert/properties/storageEncrypted/cnst");
    expect(e.hint).toContain('"const"');
  });

  it("substitutes parameters, applies overrides, and validates them", () => {
    const def = {
      ...base,
      parameters: { minDays: { type: "integer", minimum: 1, maximum: 35, default: 7 } },
      assert: {
        required: ["backupRetentionDays"],
        properties: { backupRetentionDays: { minimum: { $param: "minDays" } } },
      },
    };
    expect(compilePolicy(def, "p.json").assertFn({ backupRetentionDays: 7 })).toBe(true);
    const strict = compilePolicy(def, "p.json", { parameters: { minDays: 14 } });
    expect(strict.assertFn({ backupRetentionDays: 7 })).toBe(false);
    expect(strict.params).toEqual({ minDays: 14 });
    const e = errorOf(() =>
      compilePolicy(def, "p.json", { parameters: { minDays: 90 }, configFile: "c.json" }),
    );
    expect(e.code).toBe("POLICY_PARAMETER");
    expect(e.location).toEqual({ file: "c.json", pointer: "/policies/parameters/t-policy/minDays" });
  });

  it("applies a severity override", () => {
    expect(compilePolicy(base, "p.json", { severity: "low" }).severity).toBe("low");
  });

  it("reports meta-schema problems with pointers", () => {
    const e = errorOf(() => compilePolicy({ ...base, severity: "urgent" }, "p.json"));
    expect(e.code).toBe("POLICY_INVALID");
    expect(e.location.pointer).toBe("/severity");
    expect(e.message).toContain('"urgent"');
  });
});
