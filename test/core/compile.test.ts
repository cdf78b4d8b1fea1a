import { describe, expect, it } from "vitest";
import { compilePolicy } from "../../src/core/policy/compile.js";
import { errorOf, TEST_POLICY } from "../support/policy-fixture.js";

const base = TEST_POLICY;

describe("policy compilation", () => {
  it("compiles a valid policy and records what it reads", () => {
    const p = compilePolicy({ ...base, when: { properties: { engine: { const: "postgres" } } } }, "f.json");
    expect([...p.assertReads.paths]).toEqual(["storageEncrypted"]);
    expect([...p.whenReads.paths]).toEqual(["engine"]);
    expect(p.assertFn({ storageEncrypted: true })).toBe(true);
    // Everything it reads is required at the top level, so a pass already proves presence.
    expect(p.passImpliesPresent).toBe(true);
    expect(p.assertFn({ storageEncrypted: undefined })).toBe(false);
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

  describe("rejects assertions that read a property without judging it", () => {
    const weak: [string, Record<string, unknown>, string][] = [
      ['"required" alone', { required: ["storageEncrypted"] }, "/assert/required/0"],
      [
        'only "type"',
        { required: ["storageEncrypted"], properties: { storageEncrypted: { type: "boolean" } } },
        "/assert/properties/storageEncrypted",
      ],
      [
        "anyOf of true | false",
        {
          required: ["storageEncrypted"],
          properties: { storageEncrypted: { anyOf: [{ const: true }, { const: false }] } },
        },
        "/assert/properties/storageEncrypted",
      ],
      [
        "a second property only required",
        {
          required: ["storageEncrypted", "kmsKeyManager"],
          properties: { storageEncrypted: { const: true } },
        },
        "/assert/required/1",
      ],
      ["a nullable string only required", { required: ["kmsKeyId"] }, "/assert/required/0"],
      [
        "a minimum the type already guarantees",
        { required: ["backupRetentionDays"], properties: { backupRetentionDays: { minimum: 0 } } },
        "/assert/properties/backupRetentionDays",
      ],
      ["an array only required", { required: ["parameterGroups"] }, "/assert/required/0"],
    ];
    it.each(weak)("%s", (_name, assert, pointer) => {
      const e = errorOf(() => compilePolicy({ ...base, assert }, "p.json"));
      expect(e.code).toBe("POLICY_VACUOUS");
      expect(e.message).toContain("no value of it changes the outcome");
      expect(e.location).toEqual({ file: "p.json", pointer });
      expect(e.hint).toMatch(/constrain the value/);
    });

    const judged: [string, Record<string, unknown>][] = [
      ["const true", base.assert],
      [
        "a nullable string that must be a string",
        { required: ["kmsKeyId"], properties: { kmsKeyId: { type: "string" } } },
      ],
      [
        "a minimum",
        { required: ["backupRetentionDays"], properties: { backupRetentionDays: { minimum: 7 } } },
      ],
      ["not const", { required: ["engine"], properties: { engine: { not: { const: "mysql" } } } }],
      // The check cannot generate strings matching a pattern, so it does not judge them.
      ["a pattern", { required: ["engine"], properties: { engine: { pattern: "^aurora" } } }],
      [
        "if/then across two properties",
        {
          required: ["engine", "forceSsl"],
          if: { properties: { engine: { const: "postgres" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
          then: { properties: { forceSsl: { const: true } } },
        },
      ],
      ["an empty array", { required: ["parameterGroups"], properties: { parameterGroups: { maxItems: 0 } } }],
    ];
    it.each(judged)("accepts %s", (_name, assert) => {
      expect(() => compilePolicy({ ...base, assert }, "p.json")).not.toThrow();
    });

    // Legitimate policies a first version of the check rejected (found in review): a scope moved into if/then
    // across many properties, length caps on lists, lists that must hold two named values, draft-07 dependencies.
    const judgedOnOtherTypes: [string, string, Record<string, unknown>][] = [
      [
        "a four-condition scope in if/then with a rotation period",
        "aws.kms.key",
        {
          required: ["origin", "keyState", "keySpec", "keyManager", "rotationEnabled", "rotationPeriodDays"],
          if: {
            properties: {
              origin: { const: "AWS_KMS" },
              keyState: { const: "Enabled" },
              keySpec: { const: "SYMMETRIC_DEFAULT" },
              keyManager: { const: "CUSTOMER" },
            },
          },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
          then: { properties: { rotationEnabled: { const: true }, rotationPeriodDays: { maximum: 365 } } },
        },
      ],
      [
        "a cap on the number of cipher suites",
        "endpoint.tls",
        { required: ["acceptedCipherSuites"], properties: { acceptedCipherSuites: { maxItems: 8 } } },
      ],
      [
        "a list that must hold TLSv1.2 and TLSv1.3 on HTTPS listeners",
        "aws.elbv2.listener",
        {
          required: ["protocol", "sslPolicyProtocols"],
          if: { properties: { protocol: { enum: ["HTTPS", "TLS"] } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
          then: {
            properties: {
              sslPolicyProtocols: {
                allOf: [{ contains: { const: "TLSv1.2" } }, { contains: { const: "TLSv1.3" } }],
              },
            },
          },
        },
      ],
      [
        "a list without duplicates (the check cannot build duplicates, so it stays silent)",
        "endpoint.tls",
        { required: ["protocols"], properties: { protocols: { uniqueItems: true } } },
      ],
      [
        "draft-07 dependencies",
        "aws.rds.db_instance",
        {
          required: ["publiclyAccessible", "forceSsl"],
          properties: { forceSsl: { const: true }, publiclyAccessible: { type: "boolean" } },
          dependencies: { publiclyAccessible: { properties: { iamAuthEnabled: { const: true } } } },
        },
      ],
    ];
    it.each(judgedOnOtherTypes)("accepts %s", (_name, resourceType, assert) => {
      expect(() => compilePolicy({ ...base, resourceType, assert }, "p.json")).not.toThrow();
    });

    it("takes the when-clause into account: asserting what the scope already guarantees cannot fail", () => {
      const e = errorOf(() =>
        compilePolicy(
          {
            ...base,
            when: { required: ["kmsKeyManager"], properties: { kmsKeyManager: { const: "CUSTOMER" } } },
            assert: { required: ["kmsKeyManager"], properties: { kmsKeyManager: { const: "CUSTOMER" } } },
          },
          "p.json",
        ),
      );
      expect(e.code).toBe("POLICY_VACUOUS");
      expect(e.message).toContain('"kmsKeyManager"');
    });

    it("lints property names under draft-07 dependencies", () => {
      const e = errorOf(() =>
        compilePolicy(
          {
            ...base,
            assert: {
              ...base.assert,
              dependencies: {
                storageEncrypted: { required: ["kmsKeyIdd"], properties: { kmsKeyIdd: { type: "string" } } },
              },
            },
          },
          "p.json",
        ),
      );
      expect(e.code).toBe("POLICY_UNKNOWN_PROPERTY");
      expect(e.location.pointer).toBe("/assert/dependencies/storageEncrypted/properties/kmsKeyIdd");
    });

    it("blames config parameters that leave a policy unable to fail", () => {
      const def = {
        ...base,
        parameters: { minDays: { type: "integer", minimum: 0, maximum: 35, default: 7 } },
        assert: {
          required: ["backupRetentionDays"],
          properties: { backupRetentionDays: { minimum: { $param: "minDays" } } },
        },
      };
      const e = errorOf(() =>
        compilePolicy(def, "p.json", { parameters: { minDays: 0 }, configFile: "cipherproof.config.json" }),
      );
      expect(e.code).toBe("POLICY_PARAMETER");
      expect(e.location).toEqual({
        file: "cipherproof.config.json",
        pointer: "/policies/parameters/t-policy",
      });
    });
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
