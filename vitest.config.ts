import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const WORKFLOW_PARSER = /[\\/]node_modules[\\/]@actions[\\/]workflow-parser[\\/]dist[\\/].*\.js$/;

export default defineConfig({
  plugins: [
    {
      // Its published source maps point at TypeScript sources it does not ship; load the code without them so
      // Vite does not warn once per file.
      name: "workflow-parser-without-sourcemaps",
      enforce: "pre",
      load(id) {
        if (!WORKFLOW_PARSER.test(id)) return null;
        return { code: readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, ""), map: null };
      },
    },
  ],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // @actions/workflow-parser imports its JSON schemas without `with { type: "json" }`, which Node's ESM loader
    // refuses; inlined, Vite loads them (test/action/schemas.test.ts).
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
