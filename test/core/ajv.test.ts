import { describe, expect, it } from "vitest";
import { createAjv, dropErrorObjects, policyAjv, TOP_LEVEL } from "../../src/core/ajv.js";
import { loadPolicies } from "../../src/loaders/policies.js";
import { RESOURCE_TYPES } from "../../src/resources/index.js";

// The pass/fail instance drops the error objects nobody reads. Its verdicts must stay exactly ajv's.
const plain = createAjv({ messages: false });

/** Values of every kind a schema might meet, including the edge cases of each keyword used below. */
const SAMPLES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  1,
  2,
  7,
  90,
  365,
  -1,
  2.5,
  "",
  "a",
  "TLSv1.2",
  "aws:kms",
  "CUSTOMER",
  "validate1.errors = [0];return false;",
  "validate1.errors = null;return false;",
  [],
  ["a"],
  ["a", "b"],
  [1, 2, 3],
  {},
  { a: 1 },
];

function docsFor(names: string[]): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [{}];
  for (const name of names)
    for (const v of SAMPLES) {
      docs.push({ [name]: v });
      docs.push(Object.fromEntries(names.map((n) => [n, n === name ? v : true])));
    }
  return docs;
}

const SCHEMAS: Record<string, Record<string, unknown>> = {
  "required + const": { required: ["a"], properties: { a: { const: true } } },
  anyOf: { anyOf: [{ properties: { a: { const: 1 } }, required: ["a"] }, { required: ["b"] }] },
  oneOf: { oneOf: [{ required: ["a"] }, { required: ["b"] }] },
  not: { not: { required: ["a"] } },
  "if/then/else": {
    if: { properties: { a: { const: true } }, required: ["a"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
    then: { required: ["b"] },
    else: { properties: { b: { type: "string", minLength: 1 } } },
  },
  contains: { properties: { a: { type: "array", contains: { const: "a" }, maxItems: 2 } }, required: ["a"] },
  "pattern + enum": {
    properties: { a: { type: "string", pattern: "^TLSv1\\.[23]$" }, b: { enum: [1, 2, "x"] } },
  },
  "$ref to $defs": {
    $defs: { big: { type: "integer", minimum: 7, maximum: 365 } },
    properties: { a: { $ref: "#/$defs/big" }, b: { $ref: "#/$defs/big" } },
    required: ["a"],
  },
  "recursive $ref": { properties: { a: { $ref: "#" }, b: { type: "boolean" } }, required: ["b"] },
  // Schema strings are written into the generated code; text in them that looks like code must stay text.
  "code-like text in constants": {
    properties: {
      a: { const: "validate1.errors = [0];return false;" },
      b: { not: { enum: ["validate1.errors = [0];return false;", "x"] } },
    },
    required: ["a"],
  },
  "unbalanced code-like text in property names": {
    type: "object",
    required: ["validate1.errors = [", "];return false;"],
  },
  "quotes and brackets in constants": {
    properties: { a: { const: 'x"]}];return false;[' }, b: { enum: ["[", "]", "{", "\\"] } },
    required: ["a"],
  },
};

describe("dropErrorObjects", () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`keeps ajv's verdicts: ${name}`, () => {
      const lean = policyAjv().compile(schema);
      const reference = plain.compile(schema);
      for (const doc of docsFor(["a", "b"])) {
        expect(lean(doc, TOP_LEVEL), JSON.stringify(doc)).toBe(reference(doc));
        expect(lean(doc), JSON.stringify(doc)).toBe(reference(doc));
      }
    });
  }

  it("keeps ajv's verdicts for every built-in policy on every sample value of each property it reads", () => {
    let compared = 0;
    for (const p of loadPolicies()) {
      const props = Object.keys(RESOURCE_TYPES[p.def.resourceType]?.properties ?? {});
      const docs = docsFor(props);
      for (const [part, schema, lean] of [
        ["assert", p.assert, p.assertFn],
        ["when", p.when, p.whenFn],
      ] as const) {
        if (!schema || !lean) continue;
        const reference = plain.compile(schema);
        for (const doc of docs) {
          expect(lean(doc, TOP_LEVEL), `${p.id} ${part} ${JSON.stringify(doc)}`).toBe(reference(doc));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("keeps ajv's verdicts for a schema that $refs an earlier schema's $id", () => {
    const named = {
      $id: "urn:cipherproof:test:named",
      type: "object",
      properties: { a: { $ref: "#/$defs/big" } },
      required: ["a"],
      $defs: { big: { type: "integer", minimum: 7 } },
    };
    const caller = { properties: { p: { $ref: "urn:cipherproof:test:named" } } };
    policyAjv().compile(named);
    plain.compile(named);
    const lean = policyAjv().compile(caller);
    const reference = plain.compile(caller);
    for (const doc of [{ p: { a: 9 } }, { p: { a: 1 } }, { p: {} }, {}]) {
      expect(lean(doc, TOP_LEVEL), JSON.stringify(doc)).toBe(reference(doc));
    }
  });

  it("builds no error objects where nothing can read them", () => {
    const validate = policyAjv().compile({ required: ["a"], properties: { a: { const: true } } });
    expect(validate({ a: false })).toBe(false);
    expect(validate.errors).toBeNull();
    expect(validate.toString()).not.toMatch(/\.errors = \[/);
  });

  it("leaves code alone that reads a validator's errors, or that belongs to a sub-schema", () => {
    const reads =
      'function validate10(data){if(!(validate11(data))){vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);}validate10.errors = [{keyword:"x"}];return false;}';
    expect(dropErrorObjects(reads)).toBe(reads);
    const sub = 'function validate11(data){validate11.errors = [{keyword:"x"}];return false;}';
    const root = { root: undefined as unknown };
    root.root = root;
    expect(dropErrorObjects(sub, { root: {} })).toBe(sub);
    expect(dropErrorObjects(sub, root)).toBe(
      "function validate11(data){validate11.errors = null;return false;}",
    );
  });

  it("leaves code alone when an error is not followed by a return, or holds literals it does not parse", () => {
    const noReturn = 'function validate10(data){validate10.errors = [{keyword:"x"}];errors++;}';
    expect(dropErrorObjects(noReturn)).toBe(noReturn);
    const regex = "function validate10(data){validate10.errors = [{params:{p:/x/}}];return false;}";
    expect(dropErrorObjects(regex)).toBe(regex);
    const comment = 'function validate10(data){/* " */validate10.errors = [{keyword:"x"}];return false;}';
    expect(dropErrorObjects(comment)).toBe(comment);
  });

  it("never rewrites text inside string literals, and leaves a root schema with an $id alone", () => {
    const inString =
      'function validate10(data){if("validate1.errors = [0];return false;" !== data){validate10.errors = [{params:{allowedValue: "]"}}];return false;}}';
    expect(dropErrorObjects(inString)).toBe(
      'function validate10(data){if("validate1.errors = [0];return false;" !== data){validate10.errors = null;return false;}}',
    );
    const named = { root: undefined as unknown, baseId: "urn:x" };
    named.root = named;
    const code = 'function validate10(data){validate10.errors = [{keyword:"x"}];return false;}';
    expect(dropErrorObjects(code, named)).toBe(code);
  });
});

describe("date-time", () => {
  const ajv = createAjv();
  const since = ajv.compile({ type: "string", format: "date-time", formatMinimum: "2026-03-15T00:00:00Z" });
  const earlier = ajv.compile({
    type: "string",
    format: "date-time",
    formatExclusiveMaximum: "2026-03-15T00:00:00Z",
  });

  it("compares instants, whatever the offset or precision", () => {
    expect(since("2026-03-15T00:00:00.000Z")).toBe(true);
    expect(since("2026-03-15T00:30:00+01:00")).toBe(false); // 23:30 the day before
    expect(earlier("2026-03-14T23:30:00-01:00")).toBe(false); // 00:30 on the day
    expect(earlier("2026-03-14T23:59:59.999Z")).toBe(true);
    // ajv-formats compares the epoch as "unknown", which let any limit hold.
    expect(since("1970-01-01T00:00:00Z")).toBe(false);
  });

  it("refuses what matches RFC 3339's pattern but cannot be compared, so no limit holds on it", () => {
    // An hours-only offset and a leap second: ajv-formats accepted both and let formatMinimum hold.
    for (const s of ["2026-06-01T00:00:00+01", "2026-06-30T23:59:60Z"]) {
      expect(since(s), s).toBe(false);
      expect(earlier(s), s).toBe(false);
    }
  });
});
