// action.yml and the example workflows validated against the project's own schemas for GitHub's action metadata and
// workflow syntax, and against GitHub's own definitions: @actions/workflow-parser (the parser behind the GitHub Actions
// language services, a devDependency) with its action-v1.0 and workflow-v1.0 schemas (see schemas/README.md).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { convertActionTemplate, parseAction } from "@actions/workflow-parser/actions/index";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { createAjv } from "../../src/core/ajv.js";
import { ROOT } from "../support/cli.js";

const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));
// Ours compile under the project's strict ajv: a mistake in the schema is a load error.
const ajv = createAjv({ allErrors: true });
const validateAction = ajv.compile(json(join(import.meta.dirname, "schemas", "action-metadata.schema.json")));
const validateWorkflow = ajv.compile(json(join(import.meta.dirname, "schemas", "workflow.schema.json")));
const expr = (body: string) => `\${{ ${body} }}`;

const WORKFLOWS = join(ROOT, "examples", "workflows");
const trace = new NoOperationTraceWriter();

/**
 * What GitHub's parser reports for an action.yml: schema errors from parseAction, then conversion errors from
 * convertActionTemplate (which runs only when parsing found none).
 */
function officialActionErrors(content: string, name = "action.yml"): string[] {
  const parsed = parseAction({ name, content }, trace);
  if (!parsed.value) return [...parsed.context.errors.getErrors().map((e) => e.message), "no template"];
  const template = convertActionTemplate(parsed.context, parsed.value);
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length === 0 && !template.runs?.using) errors.push("converted without runs.using");
  return errors;
}

/**
 * What GitHub's parser reports for a workflow file: schema and expression errors from parseWorkflow, then what
 * convertWorkflowTemplate finds (cron syntax, job dependencies, …).
 */
async function officialWorkflowErrors(content: string, name = "workflow.yml"): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, trace);
  if (!parsed.value) return [...parsed.context.errors.getErrors().map((e) => e.message), "no template"];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return [
    ...parsed.context.errors.getErrors().map((e) => e.message),
    ...(template.errors ?? []).map((e) => e.Message),
  ].filter((m, i, all) => all.indexOf(m) === i);
}

describe("action.yml", () => {
  const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));

  it("is valid action metadata", () => {
    expect(validateAction(action), JSON.stringify(validateAction.errors, null, 2)).toBe(true);
    expect(action.runs.using).toBe("node24");
  });

  it("is valid for GitHub's own parser (@actions/workflow-parser parseAction)", () => {
    const text = readFileSync(join(ROOT, "action.yml"), "utf8");
    expect(officialActionErrors(text)).toEqual([]);
    const parsed = parseAction({ name: "action.yml", content: text }, trace);
    const template = convertActionTemplate(parsed.context, parsed.value!);
    // The parser read the real file: the same inputs, outputs and entry point as the YAML says.
    expect((template.inputs ?? []).map((i) => i.id).sort()).toEqual(Object.keys(action.inputs ?? {}).sort());
    expect((template.outputs ?? []).map((o) => o.id).sort()).toEqual(
      Object.keys(action.outputs ?? {}).sort(),
    );
    expect(template.runs.using).toBe(action.runs.using);
  });

  it("GitHub's parser rejects a broken action.yml (the official check is not vacuous)", () => {
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML of known shape
    const mutate = (f: (a: any) => void) => {
      const copy = structuredClone(action);
      f(copy);
      return stringify(copy);
    };
    const rejected: Array<[string, string, RegExp]> = [
      ["runs.using node99", mutate((a) => (a.runs = { using: "node99", main: "x.js" })), /'node99'/],
      ["runs.using node8", mutate((a) => (a.runs = { using: "node8", main: "x.js" })), /'node8'/],
      ["misspelt runs key", mutate((a) => (a.runs = { using: "node24", mian: "x.js" })), /'mian'/],
      ["node action without main", mutate((a) => (a.runs = { using: "node24" })), /not enough info/],
      ["misspelt top-level key", mutate((a) => (a.imputs = a.inputs)), /'imputs'/],
      ["no name", mutate((a) => delete a.name), /missing: name/],
      ["no runs", mutate((a) => delete a.runs), /missing: runs/],
      ["docker without image", mutate((a) => (a.runs = { using: "docker" })), /not enough info/],
      ["unknown branding color", mutate((a) => (a.branding = { icon: "lock", color: "pink" })), /'pink'/],
    ];
    for (const [what, text, why] of rejected) {
      const errors = officialActionErrors(text);
      expect(errors, what).not.toEqual([]);
      expect(errors.join("\n"), what).toMatch(why);
    }
    const allowed: Array<[string, string]> = [
      ["the file itself, re-serialized", mutate(() => {})],
      ["docker action", mutate((a) => (a.runs = { using: "docker", image: "Dockerfile", args: ["a"] }))],
      [
        "composite action",
        mutate((a) => {
          a.outputs = { x: { description: "x", value: expr("steps.s.outputs.x") } };
          a.runs = {
            using: "composite",
            steps: [{ id: "s", run: "echo x=1 >> $GITHUB_OUTPUT", shell: "bash" }],
          };
        }),
      ],
    ];
    for (const [what, text] of allowed) expect(officialActionErrors(text), what).toEqual([]);
  });

  it("a broken action.yml is rejected (the schema really checks)", () => {
    expect(validateAction({ ...action, runs: { using: "node8", main: "x.js" } })).toBe(false);
    expect(validateAction({ ...action, inputs: { x: { required: false } } })).toBe(false);
    const rejected: Array<[string, unknown]> = [
      ["no name", { ...action, name: undefined }],
      ["no description", { ...action, description: undefined }],
      ["no runs", { ...action, runs: undefined }],
      ["unknown top-level key", { ...action, input: {} }],
      ["node action without main", { ...action, runs: { using: "node24" } }],
      ["unknown runs key", { ...action, runs: { ...action.runs, mian: "x.js" } }],
      ["docker without image", { ...action, runs: { using: "docker" } }],
      ["composite without steps", { ...action, outputs: {}, runs: { using: "composite" } }],
      ["misspelt input key", { ...action, inputs: { x: { description: "x", requried: true } } }],
      ["non-boolean required", { ...action, inputs: { x: { description: "x", required: "yes" } } }],
      ["output without description", { ...action, outputs: { x: {} } }],
      ["unknown branding color", { ...action, branding: { icon: "lock", color: "pink" } }],
      [
        "composite run step without shell",
        { ...action, outputs: {}, runs: { using: "composite", steps: [{ run: "echo" }] } },
      ],
      [
        "composite step with both run and uses",
        {
          ...action,
          outputs: {},
          runs: { using: "composite", steps: [{ run: "x", shell: "bash", uses: "a/b@v1" }] },
        },
      ],
      [
        "composite output without value",
        {
          ...action,
          outputs: { x: { description: "x" } },
          runs: { using: "composite", steps: [{ uses: "a/b@v1" }] },
        },
      ],
    ];
    for (const [what, doc] of rejected) expect(validateAction(doc), what).toBe(false);
    const composite = {
      name: "c",
      description: "d",
      outputs: { x: { description: "x", value: expr("steps.s.outputs.x") } },
      runs: { using: "composite", steps: [{ id: "s", run: "echo x=1 >> $GITHUB_OUTPUT", shell: "bash" }] },
    };
    expect(validateAction(composite), JSON.stringify(validateAction.errors)).toBe(true);
    const docker = {
      name: "d",
      description: "d",
      runs: { using: "docker", image: "Dockerfile", args: ["a"] },
    };
    expect(validateAction(docker), JSON.stringify(validateAction.errors)).toBe(true);
  });

  it("declares exactly the inputs the entry point reads", () => {
    const src = readFileSync(join(ROOT, "src", "action", "main.ts"), "utf8");
    const read = new Set([...src.matchAll(/get(?:Boolean|List)?Input\(env, "([^"]+)"\)/g)].map((m) => m[1]));
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const name of [
      "aws",
      "snapshot",
      "endpoints",
      "policies",
      "config",
      "frameworks",
      "fail-on",
      "allow-errors",
      "baseline",
      "output-dir",
      "formats",
    ])
      expect(action.inputs).toHaveProperty([name]);
    for (const name of ["pass", "fail", "error", "waived", "not-applicable", "report", "sarif"])
      expect(action.outputs).toHaveProperty([name]);
  });
});

describe("examples/workflows", () => {
  const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));

  it("has the recipes: pull-request gate, nightly OIDC audit, sharded audit, audit period", () => {
    expect(files.sort()).toEqual([
      "audit-period.yml",
      "nightly-audit.yml",
      "pull-request-gate.yml",
      "sharded-audit.yml",
    ]);
  });

  for (const f of files) {
    it(`${f} is a valid workflow`, () => {
      const wf = parse(readFileSync(join(WORKFLOWS, f), "utf8"));
      expect(validateWorkflow(wf), JSON.stringify(validateWorkflow.errors, null, 2)).toBe(true);
    });

    it(`${f} is valid for GitHub's own parser (@actions/workflow-parser parseWorkflow)`, async () => {
      const text = readFileSync(join(WORKFLOWS, f), "utf8");
      expect(await officialWorkflowErrors(text, f)).toEqual([]);
      // The parser read the real file: every job the YAML declares, converted.
      const parsed = parseWorkflow({ name: f, content: text }, trace);
      const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
      expect(template.jobs.map((j) => j.id.value).sort()).toEqual(Object.keys(parse(text).jobs).sort());
    });
  }

  it("GitHub's parser rejects a broken workflow (the official check is not vacuous)", async () => {
    const wf = parse(readFileSync(join(WORKFLOWS, "nightly-audit.yml"), "utf8"));
    const job = Object.keys(wf.jobs)[0];
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML of known shape
    const mutate = (f: (w: any, j: any) => void) => {
      const copy = structuredClone(wf);
      f(copy, copy.jobs[job]);
      return stringify(copy);
    };
    const rejected: Array<[string, string, RegExp]> = [
      [
        "step with both uses and run",
        mutate((_, j) => (j.steps[0] = { uses: "actions/checkout@v4", run: "echo" })),
        /Unexpected value 'run'/,
      ],
      ["unknown top-level key", mutate((w) => (w.job = {})), /'job'/],
      ["no jobs", mutate((w) => delete w.jobs), /missing: jobs/],
      ["unknown event", mutate((w) => (w.on = "pushed")), /'pushed'/],
      ["id-token: read", mutate((w) => (w.permissions = { "id-token": "read" })), /'read'/],
      ["unknown permission scope", mutate((w) => (w.permissions = { idtoken: "write" })), /'idtoken'/],
      ["misspelt job key", mutate((_, j) => (j["timeout-minute"] = 5)), /'timeout-minute'/],
      ["misspelt step key", mutate((_, j) => (j.steps[0].width = {})), /'width'/],
      ["job without runs-on", mutate((_, j) => delete j["runs-on"]), /missing: runs-on/],
      ["cron with three fields", mutate((w) => (w.on = { schedule: [{ cron: "1 2 *" }] })), /Invalid cron/],
      [
        "broken expression",
        mutate((_, j) => (j.steps[0] = { run: `echo ${expr("github.sha(")}` })),
        /Unexpected symbol/,
      ],
      [
        "only a job that needs itself",
        mutate((w, j) => (w.jobs = { [job]: { ...j, needs: job } })),
        /no dependencies/,
      ],
    ];
    for (const [what, text, why] of rejected) {
      const errors = await officialWorkflowErrors(text);
      expect(errors, what).not.toEqual([]);
      expect(errors.join("\n"), what).toMatch(why);
    }
    const allowed: Array<[string, string]> = [
      ["the file itself, re-serialized", mutate(() => {})],
      ["on as a list", mutate((w) => (w.on = ["push", "pull_request"]))],
      ["permissions read-all", mutate((w) => (w.permissions = "read-all"))],
      ["reusable workflow job", mutate((w) => (w.jobs.call = { uses: "o/r/.github/workflows/x.yml@v1" }))],
    ];
    for (const [what, text] of allowed) expect(await officialWorkflowErrors(text), what).toEqual([]);
  });

  it("a broken workflow is rejected (the schema really checks)", () => {
    const wf = parse(readFileSync(join(WORKFLOWS, "nightly-audit.yml"), "utf8"));
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML of known shape
    const mutate = (f: (w: any) => void) => {
      const copy = structuredClone(wf);
      f(copy);
      return copy;
    };
    const rejected: Array<[string, unknown]> = [
      ["no on", mutate((w) => delete w.on)],
      ["no jobs", mutate((w) => delete w.jobs)],
      ["unknown event", mutate((w) => (w.on = "pushed"))],
      ["unknown event in object", mutate((w) => (w.on.nightly = null))],
      ["schedule without cron", mutate((w) => (w.on.schedule = [{ corn: "1 2 * * *" }]))],
      ["cron with three fields", mutate((w) => (w.on.schedule = [{ cron: "1 2 *" }]))],
      [
        "branches and branches-ignore",
        mutate((w) => (w.on.push = { branches: ["a"], "branches-ignore": ["b"] })),
      ],
      ["unknown push filter", mutate((w) => (w.on.push = { branch: ["main"] }))],
      [
        "choice input without options",
        mutate((w) => (w.on.workflow_dispatch = { inputs: { x: { type: "choice" } } })),
      ],
      ["unknown input type", mutate((w) => (w.on.workflow_dispatch = { inputs: { x: { type: "text" } } }))],
      ["workflow_call input without type", mutate((w) => (w.on.workflow_call = { inputs: { x: {} } }))],
      ["unknown permission scope", mutate((w) => (w.permissions.idtoken = "write"))],
      ["unknown permission level", mutate((w) => (w.permissions.contents = "admin"))],
      ["id-token: read", mutate((w) => (w.permissions["id-token"] = "read"))],
      ["unknown permissions string", mutate((w) => (w.permissions = "read"))],
      ["concurrency without group", mutate((w) => (w.concurrency = { "cancel-in-progress": true }))],
      ["unknown top-level key", mutate((w) => (w.job = {}))],
      ["job without runs-on", mutate((w) => delete w.jobs.audit["runs-on"])],
      ["misspelt job key", mutate((w) => (w.jobs.audit["timeout-minute"] = 5))],
      ["bad job id", mutate((w) => (w.jobs["1st"] = w.jobs.audit))],
      ["non-numeric timeout", mutate((w) => (w.jobs.audit["timeout-minutes"] = "an hour"))],
      [
        "unknown strategy key",
        mutate((w) => (w.jobs.audit.strategy = { matrix: { a: [1] }, failfast: false })),
      ],
      ["empty matrix axis", mutate((w) => (w.jobs.audit.strategy = { matrix: { a: [] } }))],
      ["container without image", mutate((w) => (w.jobs.audit.container = { env: {} }))],
      ["step with uses and run", mutate((w) => (w.jobs.audit.steps[0].run = "echo"))],
      ["step with neither uses nor run", mutate((w) => delete w.jobs.audit.steps[0].uses)],
      ["action without @ref", mutate((w) => (w.jobs.audit.steps[0].uses = "actions/checkout"))],
      ["misspelt step key", mutate((w) => (w.jobs.audit.steps[0].width = {}))],
      [
        "reusable call with steps",
        mutate((w) => (w.jobs.call = { uses: "./.github/workflows/x.yml", steps: [] })),
      ],
      ["reusable call without @ref", mutate((w) => (w.jobs.call = { uses: "o/r/.github/workflows/x.yml" }))],
    ];
    for (const [what, doc] of rejected) expect(validateWorkflow(doc), what).toBe(false);
    const allowed: Array<[string, unknown]> = [
      ["on as a list", mutate((w) => (w.on = ["push", "pull_request"]))],
      ["permissions read-all", mutate((w) => (w.permissions = "read-all"))],
      ["empty permissions", mutate((w) => (w.permissions = {}))],
      [
        "choice input",
        mutate((w) => (w.on.workflow_dispatch = { inputs: { x: { type: "choice", options: ["a"] } } })),
      ],
      [
        "workflow_call",
        mutate((w) => (w.on.workflow_call = { inputs: { x: { type: "string", required: true } } })),
      ],
      ["typed event", mutate((w) => (w.on.release = { types: ["published"] }))],
      ["runs-on group", mutate((w) => (w.jobs.audit["runs-on"] = { group: "large", labels: ["linux"] }))],
      [
        "reusable workflow job",
        mutate(
          (w) =>
            (w.jobs.call = { uses: "o/r/.github/workflows/x.yml@v1", secrets: "inherit", needs: "audit" }),
        ),
      ],
      [
        "matrix from an expression",
        mutate((w) => (w.jobs.audit.strategy = { matrix: expr("fromJSON(needs.a.outputs.m)") })),
      ],
      ["docker action", mutate((w) => (w.jobs.audit.steps[0].uses = "docker://alpine:3"))],
      ["local action", mutate((w) => (w.jobs.audit.steps[0].uses = "./.github/actions/x"))],
    ];
    for (const [what, doc] of allowed)
      expect(validateWorkflow(doc), `${what}: ${JSON.stringify(validateWorkflow.errors)}`).toBe(true);
  });

  it("the nightly audit assumes a role through OIDC, uploads SARIF and keeps the bundle", () => {
    const wf = parse(readFileSync(join(WORKFLOWS, "nightly-audit.yml"), "utf8"));
    expect(wf.jobs.audit.permissions).toMatchObject({ "id-token": "write", "security-events": "write" });
    const uses = wf.jobs.audit.steps.map((s: { uses?: string }) => s.uses ?? "");
    for (const u of [
      "aws-actions/configure-aws-credentials@",
      "github/codeql-action/upload-sarif@",
      "actions/upload-artifact@",
    ])
      expect(uses.some((x: string) => x.startsWith(u))).toBe(true);
  });

  it("the sharded audit runs a matrix with shard I/N and merges the bundles", () => {
    const wf = parse(readFileSync(join(WORKFLOWS, "sharded-audit.yml"), "utf8"));
    const n = wf.jobs.scan.strategy.matrix.shard.length;
    const step = wf.jobs.scan.steps.find((s: { with?: { shard?: string } }) => s.with?.shard);
    expect(step.with.shard).toBe(`\${{ matrix.shard }}/${n}`);
    const merge = wf.jobs.merge.steps.find(
      (s: { with?: { command?: string } }) => s.with?.command === "merge",
    );
    expect(merge.uses).toBe(step.uses); // the action itself merges: no npm package
    expect(merge.with.args).toMatch(/^shards\/\* --out /);
  });

  it("no recipe runs an npm package; only the jobs that talk to AWS get id-token: write", () => {
    for (const f of files) {
      const text = readFileSync(join(WORKFLOWS, f), "utf8");
      expect(text, f).not.toMatch(/\bnpx\b|npm (exec|install|i) /);
      const wf = parse(text);
      expect(wf.permissions?.["id-token"], `${f}: workflow-level id-token`).toBeUndefined();
      for (const [id, job] of Object.entries(wf.jobs as Record<string, any>)) {
        const usesAws = (job.steps ?? []).some(
          (s: { uses?: string; with?: { aws?: unknown } }) =>
            s.uses?.startsWith("aws-actions/configure-aws-credentials@") || s.with?.aws === true,
        );
        expect(job.permissions?.["id-token"] === "write", `${f} job ${id}`).toBe(usesAws);
      }
    }
    const period = parse(readFileSync(join(WORKFLOWS, "audit-period.yml"), "utf8"));
    const step = period.jobs.period.steps.find(
      (s: { with?: { command?: string } }) => s.with?.command === "period",
    );
    expect(step.uses).toMatch(/^cipherproof\/cipherproof@/);
    expect(step.with.args).toContain("--out period");
  });
});
