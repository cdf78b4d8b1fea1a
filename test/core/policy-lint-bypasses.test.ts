import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compilePolicy, MAX_POLICY_DEPTH } from "../../src/core/policy/compile.js";
import { runCli, tempDir } from "../support/cli.js";
import { errorOf, TEST_POLICY } from "../support/policy-fixture.js";

// Ways around the policy lint that a reviewer found: each must be rejected at load with its code and pointer, and a
// legitimate near-variant must still load.

const base = { ...TEST_POLICY, title: "Test policy xx", message: "x" };

const compile = (def: Record<string, unknown>, options = {}) =>
  compilePolicy({ ...base, ...def }, "p.json", options);

/** An assertion on one top-level property of the given resource type. */
const on = (name: string, schema: unknown, resourceType = "aws.rds.db_instance") => ({
  resourceType,
  assert: { required: [name], properties: { [name]: schema } },
});

describe("1. negation parity: a `not` inside a `not` restores the positive checks", () => {
  it("rejects not/contains/not (every item is X) without minItems: an empty list would pass", () => {
    const e = errorOf(() =>
      compile(on("parameterGroups", { not: { contains: { not: { const: "pg-tls" } } } })),
    );
    expect(e.code).toBe("POLICY_VACUOUS");
    expect(e.location).toEqual({
      file: "p.json",
      pointer: "/assert/properties/parameterGroups/not/contains",
    });
    expect(e.message).toContain("empty array");
    expect(e.hint).toContain('"minItems"');
  });

  it("accepts it with an explicit minItems beside the not, and then an empty list fails", () => {
    const p = compile(
      on("parameterGroups", { minItems: 1, not: { contains: { not: { const: "pg-tls" } } } }),
    );
    expect(p.assertFn({ parameterGroups: [] })).toBe(false);
    expect(p.assertFn({ parameterGroups: ["pg-tls"] })).toBe(true);
    expect(p.assertFn({ parameterGroups: ["pg-tls", "other"] })).toBe(false);
    // minItems 0 is the author saying an empty list complies.
    expect(() =>
      compile(on("parameterGroups", { minItems: 0, not: { contains: { not: { const: "pg-tls" } } } })),
    ).not.toThrow();
  });

  it("does not count a minItems inside the not (it is negated there)", () => {
    const e = errorOf(() =>
      compile(on("parameterGroups", { not: { minItems: 1, contains: { not: { const: "pg-tls" } } } })),
    );
    expect(e.code).toBe("POLICY_VACUOUS");
    expect(e.location.pointer).toBe("/assert/properties/parameterGroups/not/contains");
  });

  it("rejects not/not/items without minItems, like plain items", () => {
    const e = errorOf(() =>
      compile(on("parameterGroups", { not: { not: { items: { enum: ["pg-tls"] } } } })),
    );
    expect(e.code).toBe("POLICY_VACUOUS");
    expect(e.location.pointer).toBe("/assert/properties/parameterGroups/not/not/items");
    expect(e.hint).toContain('"minItems"');
    const p = compile(on("parameterGroups", { minItems: 1, not: { not: { items: { enum: ["pg-tls"] } } } }));
    expect(p.assertFn({ parameterGroups: [] })).toBe(false);
  });

  it("requires nested reads under not/not to be required", () => {
    const items = (inner: Record<string, unknown>) =>
      on("cipherSuites", { minItems: 1, items: { not: { not: inner } } }, "endpoint.tls");
    const e = errorOf(() => compile(items({ properties: { strength: { const: "strong" } } })));
    expect(e.code).toBe("POLICY_VACUOUS");
    expect(e.location.pointer).toBe("/assert/properties/cipherSuites/items/not/not/properties/strength");
    expect(e.message).toContain("cipherSuites.strength");
    const p = compile(items({ required: ["strength"], properties: { strength: { const: "strong" } } }));
    expect(p.assertFn({ cipherSuites: [{ iana: "TLS_X" }] })).toBe(false);
    expect(p.assertFn({ cipherSuites: [{ strength: "strong" }] })).toBe(true);
  });

  it("rejects a nested required under a single not: an item without the property would pass", () => {
    const e = errorOf(() =>
      compile(
        on(
          "cipherSuites",
          {
            minItems: 0,
            not: { contains: { required: ["strength"], properties: { strength: { const: "weak" } } } },
          },
          "endpoint.tls",
        ),
      ),
    );
    expect(e.code).toBe("POLICY_VACUOUS");
    expect(e.location.pointer).toBe("/assert/properties/cipherSuites/not/contains/required/0");
    // Without "required" an item lacking the property counts as a match of what the not excludes: it fails.
    const p = compile(
      on(
        "cipherSuites",
        { minItems: 0, not: { contains: { properties: { strength: { const: "weak" } } } } },
        "endpoint.tls",
      ),
    );
    expect(p.assertFn({ cipherSuites: [{ iana: "TLS_X" }] })).toBe(false);
    expect(p.assertFn({ cipherSuites: [{ strength: "strong" }] })).toBe(true);
    expect(p.assertFn({ cipherSuites: [] })).toBe(true);
  });

  it("still accepts a top-level not in when and assert (as the built-in pack uses it)", () => {
    expect(() =>
      compile({ when: { properties: { engine: { not: { enum: ["docdb", "neptune"] } } } } }),
    ).not.toThrow();
  });
});

describe("2. keyword names inside annotations and data do not switch off the checks", () => {
  const vacuous: Array<[string, Record<string, unknown>]> = [
    ["examples holding a pattern", { type: "boolean", examples: [{ pattern: "x" }] }],
    ["default holding a format", { type: "boolean", default: { format: "x" } }],
    ["examples holding an object const", { type: "boolean", examples: [{ const: {} }] }],
    ["examples holding dependencies", { type: "boolean", examples: [{ dependencies: {} }] }],
    [
      "examples holding string and array keywords",
      { type: "boolean", examples: [{ minLength: 1, uniqueItems: true }] },
    ],
  ];
  it.each(vacuous)("rejects a boolean never judged, with %s", (_name, schema) => {
    const e = errorOf(() => compile(on("storageEncrypted", schema)));
    expect(e.code).toBe("POLICY_VACUOUS");
    expect(e.location.pointer).toBe("/assert/properties/storageEncrypted");
    expect(e.message).toContain("no value of it changes the outcome");
  });

  it("accepts annotations on a judged property", () => {
    expect(() =>
      compile(on("storageEncrypted", { const: true, examples: [true, { pattern: "x" }], default: true })),
    ).not.toThrow();
  });

  it("places an unknown keyword at its schema position, not at a same-named key in examples", () => {
    const e = errorOf(() =>
      compile({
        assert: {
          required: ["storageEncrypted"],
          examples: [{ cnst: 1 }],
          properties: { storageEncrypted: { cnst: true } },
        },
      }),
    );
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location.pointer).toBe("/assert/properties/storageEncrypted/cnst");
  });
});

describe("3. a const, enum or type must fit the property's declared type", () => {
  it("rejects a when const of the wrong JSON type (it would make every resource not applicable)", () => {
    const e = errorOf(() => compile({ when: { properties: { storageEncrypted: { const: "true" } } } }));
    expect(e.code).toBe("POLICY_UNKNOWN_PROPERTY");
    expect(e.location.pointer).toBe("/when/properties/storageEncrypted/const");
    expect(e.message).toContain('"true"');
    expect(e.message).toContain("storageEncrypted");
    expect(e.message).toContain("boolean");
  });

  it("rejects a when type the property never has", () => {
    const e = errorOf(() =>
      compile({
        when: { required: ["storageEncrypted"], properties: { storageEncrypted: { type: "string" } } },
      }),
    );
    expect(e.code).toBe("POLICY_UNKNOWN_PROPERTY");
    expect(e.location.pointer).toBe("/when/properties/storageEncrypted/type");
    expect(e.message).toMatch(/"type": "string".*storageEncrypted.*boolean/);
  });

  it("rejects a non-integer value for an integer property, and wrong-typed array elements", () => {
    let e = errorOf(() => compile(on("backupRetentionDays", { enum: [7, 1.5] })));
    expect(e.code).toBe("POLICY_UNKNOWN_PROPERTY");
    expect(e.location.pointer).toBe("/assert/properties/backupRetentionDays/enum/1");
    expect(e.message).toContain("integer");
    e = errorOf(() => compile(on("parameterGroups", { contains: { const: 5 } })));
    expect(e.code).toBe("POLICY_UNKNOWN_PROPERTY");
    expect(e.location.pointer).toBe("/assert/properties/parameterGroups/contains/const");
    e = errorOf(() => compile(on("parameterGroups", { const: [1] })));
    expect(e.location.pointer).toBe("/assert/properties/parameterGroups/const");
    e = errorOf(() => compile(on("parameterGroups", { type: "object" })));
    expect(e.location.pointer).toBe("/assert/properties/parameterGroups/type");
  });

  it("accepts values and types the property can have", () => {
    expect(() =>
      compile({
        when: { properties: { storageEncrypted: { const: true }, clusterId: { type: "null" } } },
        assert: {
          required: ["backupRetentionDays"],
          properties: { backupRetentionDays: { type: "number", minimum: 7 } },
        },
      }),
    ).not.toThrow();
    expect(() => compile(on("kmsKeyManager", { enum: ["CUSTOMER", null] }))).not.toThrow();
    expect(() => compile(on("clusterId", { type: ["string", "null"], const: "c1" }))).not.toThrow();
    expect(() => compile(on("backupRetentionDays", { enum: [7, 14.0] }))).not.toThrow();
    expect(() => compile(on("parameterGroups", { contains: { const: "pg-tls" } }))).not.toThrow();
  });
});

describe("4. nesting depth is bounded before anything recurses", () => {
  const nest = (inner: Record<string, unknown>, levels: number) => {
    let node = inner;
    for (let i = 0; i < levels; i++) node = { allOf: [node] };
    return node;
  };

  it("rejects an assertion nested 1500 times with the file and the pointer where the limit is crossed", () => {
    const e = errorOf(() => compile({ assert: nest(base.assert, 1500) }));
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location.file).toBe("p.json");
    expect(e.location.pointer).toMatch(/^\/assert(\/allOf\/0)+$/);
    // "/assert" is the first level; the limit is crossed MAX_POLICY_DEPTH segments below it.
    expect(e.location.pointer?.split("/").length).toBe(MAX_POLICY_DEPTH + 2);
    expect(e.message).toContain(`${MAX_POLICY_DEPTH} levels`);
  });

  it("rejects deep nesting in when and in parameters too", () => {
    expect(errorOf(() => compile({ when: nest({}, 1500) })).location.pointer).toMatch(/^\/when\/allOf/);
    const e = errorOf(() =>
      compile({ parameters: { p: { type: "array", default: [], items: nest({}, 1500) } } }),
    );
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location.pointer).toMatch(/^\/parameters\/p\/items\/allOf/);
  });

  it("rejects a deeply nested config override naming the config", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 1500; i++) deep = [deep];
    const e = errorOf(() =>
      compile(
        { parameters: { groups: { type: "array", default: ["pg"] } } },
        { parameters: { groups: deep }, configFile: "cfg.json" },
      ),
    );
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location.file).toBe("cfg.json");
    expect(e.location.pointer).toMatch(/^\/policies\/parameters\/t-policy\/groups\/0/);
  });

  it("accepts an ordinary nesting", () => {
    expect(() => compile({ assert: nest(base.assert, 20) })).not.toThrow();
  });

  it("the CLI reports it as a policy error, not an internal error", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "pol"));
    writeFileSync(
      join(dir, "pol", "deep-policy.json"),
      JSON.stringify({ ...base, id: "deep-policy", assert: nest(base.assert, 1500) }),
    );
    writeFileSync(
      join(dir, "snap.json"),
      JSON.stringify({
        fileVersion: "1.0",
        configSnapshotId: "11111111-2222-3333-4444-555555555555",
        configurationItems: [],
      }),
    );
    const r = runCli(["scan", "--snapshot", "snap.json", "--no-builtin", "--policies", "pol", "--out", "-"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("error[POLICY_SCHEMA]");
    expect(r.stderr).toContain("deep-policy.json");
    expect(r.stderr).toContain("/assert/allOf/0/allOf/0");
    expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
  });
});

describe("5. config overrides that break a policy are blamed on the config", () => {
  const def = {
    parameters: {
      managers: { type: "array", items: { type: "string" }, default: ["CUSTOMER"] },
      enginePattern: { type: "string", default: "^postgres" },
    },
    assert: {
      required: ["kmsKeyManager", "engine"],
      properties: {
        kmsKeyManager: { enum: { $param: "managers" } },
        engine: { pattern: { $param: "enginePattern" } },
      },
    },
  };
  const withConfig = (parameters: Record<string, unknown>) => () =>
    compile(def, { parameters, configFile: "cipherproof.config.json" });

  it("an enum parameter overridden with [] (invalid schema)", () => {
    const e = errorOf(withConfig({ managers: [] }));
    expect(e.code).toBe("POLICY_PARAMETER");
    expect(e.location).toEqual({
      file: "cipherproof.config.json",
      pointer: "/policies/parameters/t-policy/managers",
    });
    expect(e.message).toContain("p.json");
    expect(e.message).toContain("/assert/properties/kmsKeyManager/enum");
  });

  it("a pattern parameter overridden with an invalid regular expression, among other overrides", () => {
    const e = errorOf(withConfig({ managers: ["AWS", "CUSTOMER"], enginePattern: "(16" }));
    expect(e.code).toBe("POLICY_PARAMETER");
    expect(e.location).toEqual({
      file: "cipherproof.config.json",
      pointer: "/policies/parameters/t-policy/enginePattern",
    });
    expect(e.message).toContain("/assert/properties/engine/pattern");
  });

  it("a lint error caused by an override (a value the property cannot have)", () => {
    const e = errorOf(withConfig({ managers: ["CUSTOMR"] }));
    expect(e.code).toBe("POLICY_PARAMETER");
    expect(e.location.file).toBe("cipherproof.config.json");
    expect(e.message).toContain("/assert/properties/kmsKeyManager/enum/0");
    expect(e.hint).toContain('"CUSTOMER"');
  });

  it("still blames the policy when it is broken with its own defaults", () => {
    const broken = {
      ...def,
      parameters: { ...def.parameters, enginePattern: { type: "string", default: "(16" } },
    };
    const e = errorOf(() =>
      compile(broken, { parameters: { managers: ["AWS"] }, configFile: "cipherproof.config.json" }),
    );
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location).toEqual({ file: "p.json", pointer: "/assert/properties/engine/pattern" });
  });

  it("accepts valid overrides", () => {
    const p = withConfig({ managers: ["AWS", "CUSTOMER"], enginePattern: "^mysql" })();
    expect(p.assertFn({ kmsKeyManager: "AWS", engine: "mysql" })).toBe(true);
    expect(p.assertFn({ kmsKeyManager: "AWS", engine: "postgres" })).toBe(false);
  });

  it('rejects "$id" in a policy schema, so a recompile can never clash in the shared ajv', () => {
    let e = errorOf(() => compile({ assert: { ...base.assert, $id: "urn:x:y" } }));
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location.pointer).toBe("/assert/$id");
    e = errorOf(() =>
      compile({
        when: { properties: { engine: { $id: "https://example.com/e", const: "postgres" } } },
      }),
    );
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location.pointer).toBe("/when/properties/engine/$id");
    // The same policy compiles any number of times (the retry paths recompile it).
    expect(() => {
      compile({});
      compile({});
    }).not.toThrow();
  });

  it("an unable-to-fail override retries without clashing and blames the config", () => {
    const e = errorOf(() =>
      compile(
        {
          parameters: { minDays: { type: "integer", minimum: 0, maximum: 35, default: 7 } },
          assert: {
            required: ["backupRetentionDays"],
            properties: { backupRetentionDays: { minimum: { $param: "minDays" } } },
          },
        },
        { parameters: { minDays: 0 }, configFile: "cipherproof.config.json" },
      ),
    );
    expect(e.code).toBe("POLICY_PARAMETER");
    expect(e.location.file).toBe("cipherproof.config.json");
  });
});

describe("6. conditions below the top level, where an absent property would skip them", () => {
  it.each([
    [
      "if",
      {
        minItems: 1,
        items: {
          if: { required: ["name"], properties: { name: { const: "x" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
          then: { required: ["strength"], properties: { strength: { const: "strong" } } },
        },
      },
    ],
    ["dependencies", { minItems: 1, items: { dependencies: { name: { required: ["strength"] } } } }],
  ])("rejects a nested %s", (kw, schema) => {
    const e = errorOf(() => compile(on("acceptedCipherSuites", schema, "endpoint.tls")));
    expect(e.code).toBe("POLICY_SCHEMA");
    expect(e.location.pointer).toBe(`/assert/properties/acceptedCipherSuites/items/${kw}`);
    expect(e.message).toContain("below the top level");
  });

  it("accepts an if on a property's own value, which reads no nested property", () => {
    expect(() =>
      compile(
        on(
          "dhMinBits",
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
          { if: { type: "integer" }, then: { minimum: 2048 } },
          "endpoint.tls",
        ),
      ),
    ).not.toThrow();
  });

  it("accepts 'not contains' without minItems in a when: an empty list only makes the policy apply", () => {
    expect(() =>
      compile({
        resourceType: "aws.elbv2.listener",
        when: {
          required: ["certificateArns"],
          properties: { certificateArns: { not: { contains: { const: "x" } } } },
        },
        assert: { required: ["protocol"], properties: { protocol: { const: "HTTPS" } } },
      }),
    ).not.toThrow();
  });

  it("still accepts if/then at the top level (an absent top-level property is an error finding)", () => {
    expect(() =>
      compile({
        assert: {
          required: ["storageEncrypted", "kmsKeyManager"],
          if: { properties: { storageEncrypted: { const: true } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
          then: { properties: { kmsKeyManager: { const: "CUSTOMER" } } },
          else: { properties: { storageEncrypted: { const: true } } },
        },
      }),
    ).not.toThrow();
  });
});
