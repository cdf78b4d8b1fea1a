import { CipherproofError, CipherproofErrors } from "../../src/core/errors.js";

/** A valid policy definition for tests to change one thing at a time: RDS storage must be encrypted. */
export const TEST_POLICY = {
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

/** The (first) input error a call throws; fails the test if it throws something else or nothing. */
export function errorOf(fn: () => unknown): CipherproofError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CipherproofErrors) return err.errors[0];
    if (err instanceof CipherproofError) return err;
    throw err;
  }
  throw new Error("expected an error");
}
