import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-postgres-plaintext-refused", {
  valid: [
    {
      properties: {
        host: "db.example.test",
        port: 5432,
        sslSupported: true,
        plaintextRefused: true,
        plaintextResponse:
          'ErrorResponse 28000: no pg_hba.conf entry for host "10.0.0.5", user "postgres", database "postgres", no encryption',
      },
    },
  ],
  invalid: [
    {
      name: "asks for a SCRAM password over plaintext",
      properties: {
        host: "db.example.test",
        port: 5432,
        sslSupported: true,
        plaintextRefused: false,
        plaintextResponse: "plaintext StartupMessage answered with scram (SASL)",
      },
      failingProperties: ["plaintextRefused"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "db.example.test", port: 5432 },
      failingProperties: ["plaintextRefused"],
    },
    {
      properties: { host: "db.example.test", port: 5432 },
      missing: { plaintextRefused: "ErrorResponse 53300: sorry, too many clients already" },
    },
  ],
});
