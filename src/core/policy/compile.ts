import { RESOURCE_TYPES, resourceType } from "../../resources/index.js";
import { explainAjv, policyAjv, type ValidateFunction } from "../ajv.js";
import { policyIdPart } from "../engine/finding-id.js";
import { CipherproofError, CipherproofErrors, pointerSegment } from "../errors.js";
import { tooDeep } from "../json.js";
import type { FindingDetail, PolicyDefinition, ResourceDocument, Severity } from "../types.js";
import { validateInput } from "../validate-input.js";
import { fillCandidates, unjudgedProperties } from "./decisive.js";
import {
  collectReads,
  findKeyword,
  hasSchemaKeyword,
  type ReadSet,
  schemaNodes,
  suggestKeyword,
} from "./lint.js";
import { compileMessage, MESSAGE_FIELDS, type MessageTemplate } from "./message.js";
import { POLICY_META_SCHEMA } from "./meta-schema.js";
import { resolveParameters, substituteParameters } from "./parameters.js";

/** A policy ready to evaluate: validated, linted, parameters substituted, schemas compiled once. */
export interface CompiledPolicy {
  def: PolicyDefinition;
  id: string;
  file: string;
  severity: Severity;
  params: Record<string, unknown>;
  /** The `when` and `assert` after parameter substitution. */
  when?: Record<string, unknown>;
  assert: Record<string, unknown>;
  whenFn?: ValidateFunction;
  assertFn: ValidateFunction;
  /** Property paths `when` reads. */
  whenReads: ReadSet;
  /** Property paths `assert` reads. */
  assertReads: ReadSet;
  /** Top-level property names `assert` reads, as an array for the hot path. */
  assertTopLevel: string[];
  /**
   * Every top-level property the assertion reads is in its top-level `required`, so a pass already shows they are
   * all present (ajv treats an undefined value as absent) and the engine can skip checking them again.
   */
  passImpliesPresent: boolean;
  /**
   * The assertion is a plain conjunction of per-property constraints (only `required`, `properties` and
   * annotations at its top level), so a violation found on a present property stands whatever absent ones hold.
   */
  assertIsConjunction: boolean;
  /**
   * For each top-level property the assertion reads, values that could stand in for it when a resource lacks it
   * (undefined when they cannot be generated): a failure that some stand-in would turn into a pass is missing
   * evidence, not a violation.
   */
  absentFill: Map<string, unknown[] | undefined>;
  /** Top-level property names `when` reads. */
  whenTopLevel: string[];
  /**
   * For each top-level property `when` reads, values that could stand in for it when a resource lacks it (as
   * `absentFill`): a resource outside the scope whatever the absent values is not applicable, not an error. Empty when
   * `when` looks at the whole object, so every absent property keeps the scope unknown.
   */
  whenFill: Map<string, unknown[] | undefined>;
  message: MessageTemplate;
  /** The message of a failing finding, parameters already filled in. */
  failMessage: (resource: ResourceDocument) => string;
  /** The policy half of its finding ids (see findingId). */
  idDigest: string;
  /** Message of a passing finding. */
  passMessage: string;
  /** Message of a not-applicable finding. */
  notApplicableMessage: string;
  /**
   * Failure explanations memoized by the values of the properties the assertion reads (only when the assertion
   * provably reads nothing else); undefined when the policy cannot be memoized.
   */
  explainCache?: ExplainMemo;
  /** Lazily compiled allErrors validator used only to explain failures. */
  explainFn(): ValidateFunction;
}

/**
 * Memoized failure explanations: a tree of Maps keyed by the value of each property the assertion reads, in the
 * order of `assertTopLevel`; leaves are the frozen details. `size` counts inner nodes and leaves (the memo stops
 * growing at a cap). A policy that reads one property keeps its commonest keys out of the Maps, where a lookup is
 * a field or array read: `false`, `true`, and integers in [0, SMALL_INT_LIMIT) (days, bits, counts). It also
 * memoizes lists of primitives (cipher suites, protocol names) by their JSON text, in a Map of their own.
 */
export interface ExplainMemo {
  root: Map<unknown, unknown>;
  size: number;
  whenFalse: FindingDetail[] | undefined;
  whenTrue: FindingDetail[] | undefined;
  /** Indexed by the integer value; allocated on the first such failure, SMALL_INT_LIMIT slots, never grown. */
  bySmallInt: Array<FindingDetail[] | undefined> | undefined;
  /** Keyed by the JSON text of a list of primitives; allocated on the first such failure. */
  byList: Map<string, FindingDetail[]> | undefined;
}

/** Integers below this (and ≥ 0) are memoized by index, not in a Map. */
export const SMALL_INT_LIMIT = 4096;

/** Options for compiling one policy. */
export interface CompileOptions {
  /** Parameter overrides from the config file. */
  parameters?: Record<string, unknown>;
  /** Severity override from the config file. */
  severity?: Severity;
  /** Where overrides came from, for error messages. */
  configFile?: string;
  /** Require `id` to equal the file's base name (true for files on disk). */
  expectedId?: string;
}

function compileSchema(
  schema: Record<string, unknown>,
  file: string,
  pointer: string,
  id: string,
  part: string,
): ValidateFunction {
  let validate: ValidateFunction;
  try {
    // No $id: each policy's schema is compiled once and held by the CompiledPolicy.
    validate = policyAjv().compile(schema);
  } catch (err) {
    let msg = (err as Error).message;
    const kw = /unknown keyword: "([^"]+)"/.exec(msg)?.[1];
    let at = kw ? (findKeyword(schema, kw, pointer) ?? pointer) : pointer;
    if (msg.startsWith("schema is invalid")) {
      // The pass/fail instance builds no messages; the explaining one says what and where.
      const explainer = explainAjv();
      let valid = true;
      try {
        valid = explainer.validateSchema(schema) as boolean;
      } catch {
        // an unknown "$schema": keep ajv's own message
      }
      if (!valid && explainer.errors?.length) {
        const [first] = explainer.errors;
        msg = `schema is invalid: ${first.instancePath || "/"} ${first.message ?? ""}`.trim();
        at = `${pointer}${first.instancePath}`;
      }
    } else if (msg.startsWith("Invalid regular expression")) {
      at = badPattern(schema, pointer) ?? at;
    }
    const meant = kw ? suggestKeyword(kw) : undefined;
    const hint = kw
      ? `"${kw}" is not a JSON Schema keyword${meant ? ` (did you mean "${meant}"?)` : ""}; strict mode rejects it so a typo cannot pass silently`
      : "the policy's schema must be valid JSON Schema (draft 2020-12 subset that ajv supports)";
    throw new CipherproofError(
      "POLICY_SCHEMA",
      `${part} of policy ${id} is not a valid schema: ${msg}`,
      { file, pointer: at },
      hint,
    );
  }
  // An "$async" schema compiles to a function that returns a promise, and a promise is truthy: every resource would
  // pass, and a failure would surface later as an unhandled rejection.
  if ((validate as { $async?: unknown }).$async) {
    throw new CipherproofError(
      "POLICY_SCHEMA",
      `${part} of policy ${id} is asynchronous ("$async"), which policies do not support`,
      { file, pointer: findKeyword(schema, "$async", pointer) ?? pointer },
      'remove "$async": policies are checked synchronously against each resource',
    );
  }
  return validate;
}

/** The pointer of the first `pattern` in a schema that is not a valid (unicode) regular expression. */
function badPattern(schema: Record<string, unknown>, pointer: string): string | undefined {
  for (const [node, at] of schemaNodes(schema, pointer)) {
    if (typeof node.pattern !== "string") continue;
    try {
      new RegExp(node.pattern, "u");
    } catch {
      return `${at}/pattern`;
    }
  }
  return undefined;
}

// Keywords that look at properties beyond the ones named, which would make memoizing explanations unsound.
const WHOLE_OBJECT_KEYWORDS = [
  "additionalProperties",
  "patternProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "unevaluatedProperties",
  "dependentSchemas",
  "dependentRequired",
  "dependencies",
  "$ref",
  "$dynamicRef",
];

// A const/enum holding an object or array may compare whole objects, i.e. read properties not named anywhere. Only
// schema positions count: an object in `examples` or `default` is an annotation.
function hasStructuredConst(schema: unknown): boolean {
  return schemaNodes(schema).some(
    ([o]) =>
      (o.const !== null && typeof o.const === "object") ||
      (Array.isArray(o.enum) && o.enum.some((v) => v !== null && typeof v === "object")),
  );
}

// Top-level keywords of an assertion that is a plain conjunction of per-property constraints.
const CONJUNCTION_KEYS = ["required", "properties", "type", "title", "description", "$comment"];

/** Where a top-level property is constrained in the assertion: its `properties` entry, else its `required` entry. */
function assertPointer(assert: Record<string, unknown>, name: string): string {
  const props = assert.properties as Record<string, unknown> | undefined;
  if (props && Object.hasOwn(props, name)) return `/assert/properties/${pointerSegment(name)}`;
  const req = Array.isArray(assert.required) ? (assert.required as unknown[]) : [];
  const i = req.indexOf(name);
  return i >= 0 ? `/assert/required/${i}` : "/assert";
}

/** A constraint to suggest for a property whose tried values are `tried`. */
function exampleConstraint(tried: unknown[]): string {
  if (tried.includes(true)) return '{ "const": true }';
  if (tried.some((v) => typeof v === "number")) return '{ "minimum": <the lowest compliant value> }';
  if (tried.some(Array.isArray)) return '{ "minItems": 1 } or { "maxItems": 0 }';
  const named = tried.filter((v) => typeof v === "string" && v !== "" && v !== "x");
  if (named.length) return '{ "enum": [<the compliant values>] }';
  return tried.includes(null) ? '{ "type": "string" }' : '{ "const": <the compliant value> }';
}

/** How deeply a policy field (`when`, `assert`, `parameters`, ...) or a config override may nest objects and arrays. */
export const MAX_POLICY_DEPTH = 64;

/**
 * Reject a value nested deeper than MAX_POLICY_DEPTH objects and arrays, naming the pointer where the limit is
 * crossed. Iterative, so it runs before anything that recurses over the policy (parameter substitution, the lint,
 * ajv) could overflow the stack.
 */
function checkNesting(value: unknown, file: string | undefined, pointer: string): void {
  const deep = tooDeep(value, MAX_POLICY_DEPTH);
  if (deep === undefined) return;
  throw new CipherproofError(
    "POLICY_SCHEMA",
    `nested more than ${MAX_POLICY_DEPTH} levels deep (objects and arrays), which policies do not support`,
    { file, pointer: `${pointer}${deep}` },
    "flatten the schema: a policy never needs this depth (combine conditions in one allOf/anyOf list)",
  );
}

/** Validate, lint and compile one policy definition; throws CipherproofError(s) naming the file and pointer. */
export function compilePolicy(raw: unknown, file: string, options: CompileOptions = {}): CompiledPolicy {
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw)) checkNesting(value, file, `/${pointerSegment(key)}`);
  }
  const metaErrors = validateInput(POLICY_META_SCHEMA, raw, file, "POLICY_INVALID");
  if (metaErrors.length) throw metaErrors.length === 1 ? metaErrors[0] : new CipherproofErrors(metaErrors);
  const def = raw as PolicyDefinition;
  if (options.expectedId !== undefined && def.id !== options.expectedId) {
    throw new CipherproofError(
      "POLICY_INVALID",
      `policy id "${def.id}" does not match its file name "${options.expectedId}.json"`,
      { file, pointer: "/id" },
      `rename the file to ${def.id}.json or set "id" to "${options.expectedId}"`,
    );
  }
  const type = resourceType(def.resourceType);
  if (!type) {
    throw new CipherproofError(
      "POLICY_UNKNOWN_TYPE",
      `unknown resource type "${def.resourceType}"`,
      { file, pointer: "/resourceType" },
      `known types: ${Object.keys(RESOURCE_TYPES).join(", ")}`,
    );
  }
  const overrides =
    options.parameters && Object.keys(options.parameters).length ? options.parameters : undefined;
  for (const [name, value] of Object.entries(overrides ?? {})) {
    checkNesting(
      value,
      options.configFile ?? "config",
      `/policies/parameters/${pointerSegment(def.id)}/${pointerSegment(name)}`,
    );
  }
  const params = resolveParameters(def, options.parameters, file, options.configFile);
  try {
    return compileResolved(raw, def, type, params, file, options);
  } catch (err) {
    // POLICY_PARAMETER errors already name their source (the config entry or the policy's own declaration).
    if (!overrides || !(err instanceof CipherproofError || err instanceof CipherproofErrors)) throw err;
    const first = err instanceof CipherproofErrors ? err.errors[0] : err;
    if (first.code === "POLICY_PARAMETER") throw err;
    throw blameOverrides(first, raw, def.id, file, options, overrides);
  }
}

/**
 * A policy that fails to load only with the config's parameter values: the config entry is at fault, so the error
 * points there, and still says what went wrong in the policy. Throws the policy's own error if it fails with its
 * defaults too.
 */
function blameOverrides(
  err: CipherproofError,
  raw: unknown,
  id: string,
  file: string,
  options: CompileOptions,
  overrides: Record<string, unknown>,
): CipherproofError {
  compilePolicy(raw, file, { ...options, parameters: undefined });
  const names = Object.keys(overrides);
  let culprit: string | undefined = names.length === 1 ? names[0] : undefined;
  for (let i = 0; culprit === undefined && i < names.length; i++) {
    try {
      compilePolicy(raw, file, { ...options, parameters: { [names[i]]: overrides[names[i]] } });
    } catch {
      culprit = names[i];
    }
  }
  const at = err.location.pointer !== undefined ? ` at ${err.location.pointer}` : "";
  return new CipherproofError(
    "POLICY_PARAMETER",
    `with the parameter values set in the config, policy ${id} (${err.location.file ?? file}) does not load: ${err.message} [${err.code}${at}]`,
    {
      file: options.configFile ?? "config",
      pointer: `/policies/parameters/${pointerSegment(id)}${culprit === undefined ? "" : `/${pointerSegment(culprit)}`}`,
    },
    `the policy loads with its default parameter values: change or remove this override${err.hint ? ` (${err.hint})` : ""}`,
  );
}

/** The part of compilePolicy after its parameters are resolved: substitute, lint, compile, check. */
function compileResolved(
  raw: unknown,
  def: PolicyDefinition,
  type: NonNullable<ReturnType<typeof resourceType>>,
  params: Record<string, unknown>,
  file: string,
  options: CompileOptions,
): CompiledPolicy {
  const when = def.when
    ? (substituteParameters(def.when, params, file, "/when") as Record<string, unknown>)
    : undefined;
  const assert = substituteParameters(def.assert, params, file, "/assert") as Record<string, unknown>;

  const whenReads = when
    ? collectReads(when, type, def.resourceType, file, "/when")
    : { paths: new Set<string>(), topLevel: new Set<string>() };
  const assertReads = collectReads(assert, type, def.resourceType, file, "/assert");
  if (assertReads.paths.size === 0) {
    throw new CipherproofError(
      "POLICY_VACUOUS",
      `the assertion of policy ${def.id} reads no property of the resource, so it cannot tell compliant from non-compliant`,
      { file, pointer: "/assert" },
      'name the properties it checks under "required" and "properties"',
    );
  }

  const whenFn = when ? compileSchema(when, file, "/when", def.id, "when") : undefined;
  const assertFn = compileSchema(assert, file, "/assert", def.id, "assert");
  if (assertFn({})) {
    throw new CipherproofError(
      "POLICY_VACUOUS",
      `the assertion of policy ${def.id} is satisfied by a resource with no properties at all, so it would pass when evidence is absent`,
      { file, pointer: "/assert" },
      'list the properties it checks under "required" (e.g. "required": ["storageEncrypted"])',
    );
  }
  // Assertions that look at the whole object read more than their named properties; neither the explanation memo
  // nor the check for unjudged properties can model them.
  const wholeObject = hasSchemaKeyword(assert, WHOLE_OBJECT_KEYWORDS) || hasStructuredConst(assert);
  const unjudged = wholeObject
    ? []
    : unjudgedProperties({
        assert,
        assertFn,
        assertTopLevel: [...assertReads.topLevel],
        when,
        whenFn,
        whenTopLevel: [...whenReads.topLevel],
        typeProperties: type.properties,
      });
  if (unjudged.length) {
    const [{ name, tried }] = unjudged;
    const shown = tried.map((v) => JSON.stringify(v)).join(", ");
    if (options.parameters && Object.keys(options.parameters).length) {
      // Compiles with its defaults (or throws its own error there): the config's values make it unable to fail.
      compilePolicy(raw, file, { ...options, parameters: undefined });
      throw new CipherproofError(
        "POLICY_PARAMETER",
        `with the parameter values set in the config, policy ${def.id} can never fail on "${name}" (no value of it changes the outcome; tried ${shown})`,
        { file: options.configFile, pointer: `/policies/parameters/${pointerSegment(def.id)}` },
        "choose a threshold some resources could miss, or disable the policy under policies.disable",
      );
    }
    throw new CipherproofError(
      "POLICY_VACUOUS",
      `the assertion of policy ${def.id} reads "${name}" but no value of it changes the outcome (tried ${shown}), so the policy can never fail on it: an absent property is an error, not a failure`,
      { file, pointer: assertPointer(assert, name) },
      `constrain the value under "properties", e.g. "${name}": ${exampleConstraint(tried)}`,
    );
  }

  const message = compileMessage(def.message);
  for (const ph of message.placeholders) {
    const [head, ...rest] = ph.split(".");
    const ok =
      MESSAGE_FIELDS.includes(ph) ||
      (head === "param" && rest.length === 1 && Object.hasOwn(params, rest[0])) ||
      (head === "properties" && rest.length >= 1 && Object.hasOwn(type.properties, rest[0]));
    if (!ok) {
      throw new CipherproofError(
        "POLICY_INVALID",
        `message placeholder {{${ph}}} refers to nothing`,
        { file, pointer: "/message" },
        `use one of {{${MESSAGE_FIELDS.join("}}, {{")}}}, {{properties.<name>}} or {{param.<name>}}`,
      );
    }
  }

  let explain: ValidateFunction | undefined;
  return {
    def,
    id: def.id,
    file,
    severity: options.severity ?? def.severity,
    params,
    when,
    assert,
    whenFn,
    assertFn,
    whenReads,
    assertReads,
    assertTopLevel: [...assertReads.topLevel],
    assertIsConjunction: Object.keys(assert).every((k) => CONJUNCTION_KEYS.includes(k)),
    absentFill: fillCandidates(assert, [...assertReads.topLevel], type.properties),
    passImpliesPresent: [...assertReads.topLevel].every(
      (name) => Array.isArray(assert.required) && (assert.required as unknown[]).includes(name),
    ),
    whenTopLevel: [...whenReads.topLevel],
    whenFill:
      when && !hasSchemaKeyword(when, WHOLE_OBJECT_KEYWORDS) && !hasStructuredConst(when)
        ? fillCandidates(when, [...whenReads.topLevel], type.properties)
        : new Map(),
    message,
    failMessage: message.bind(params),
    idDigest: policyIdPart(def.id),
    explainCache: wholeObject
      ? undefined
      : {
          root: new Map(),
          size: 0,
          whenFalse: undefined,
          whenTrue: undefined,
          bySmallInt: undefined,
          byList: undefined,
        },
    passMessage: `Compliant: ${def.title}`,
    notApplicableMessage:
      "Not applicable: the resource is outside this policy's scope (its `when` did not match)",
    explainFn() {
      explain ??= explainAjv().compile(assert);
      return explain;
    },
  };
}
