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
    // As bin/cipherproof.js does: tests that build SDK clients directly would otherwise print the SDK's notice
    // about future Node versions into every CI log.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // @actions/workflow-parser imports its JSON schemas without `with { type: "json" }`, which Node's ESM loader
    // refuses; inlined, Vite loads them (test/action/schemas.test.ts).
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
