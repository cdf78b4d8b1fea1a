import { describe, expect, it } from "vitest";
import { compileMessage } from "../../src/core/policy/message.js";
import type { ResourceDocument } from "../../src/core/types.js";
import { kmsKeyDoc } from "../support/resource-doc.js";

const doc = (over: Partial<ResourceDocument> = {}) =>
  kmsKeyDoc({ rotationPeriodDays: 400, tags: ["a"] }, over);

describe("failure messages", () => {
  it("fills every placeholder shape the same way, whichever path renders it", () => {
    const render = (t: string, r = doc(), params = { maxDays: 365 }) => compileMessage(t).bind(params)(r);
    // "text {{field}} text" (the direct path) and the same field in other positions (the general path).
    expect(render("Key {{name}} rotates too slowly")).toBe("Key patients-key rotates too slowly");
    expect(render("Key {{ name }} in {{region}}")).toBe("Key patients-key in us-east-1");
    expect(render("{{name}} rotates too slowly")).toBe("patients-key rotates too slowly");
    expect(render("Key {{name}}")).toBe("Key patients-key");
    expect(render("Key {{id}} every {{properties.rotationPeriodDays}} days (max {{param.maxDays}})")).toBe(
      "Key arn:aws:kms:us-east-1:111122223333:key/abc every 400 days (max 365)",
    );
    expect(render("Tags {{properties.tags}}")).toBe('Tags ["a"]');
    // Parameters fold into the text, so a parameter between two texts is not a field lookup.
    expect(render("max {{param.maxDays}} days")).toBe("max 365 days");
    expect(render("")).toBe("");
    // A field the resource does not have reads as "(unknown)", on both paths.
    expect(render("Key {{account}} here", doc({ account: undefined }))).toBe("Key (unknown) here");
    expect(render("{{account}} here", doc({ account: undefined }))).toBe("(unknown) here");
  });
});
