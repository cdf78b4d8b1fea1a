// Kept free of imports so `cipherproof scan` can declare its flags without loading the SIEM code.

/** The `--siem*` flags of `cipherproof scan`, for its options table. */
export const SIEM_SCAN_OPTIONS = {
  siem: { type: "string", multiple: true },
  "siem-events": { type: "string" },
  "siem-ca-file": { type: "string" },
  "siem-client-cert": { type: "string" },
  "siem-client-key": { type: "string" },
  "siem-spool": { type: "string" },
} as const;

/** Help lines for the `--siem*` flags. */
export const SIEM_SCAN_HELP = `SIEM (docs/siem.md):
  --siem FORMAT@SINK     send events (repeatable). Formats: ocsf, ecs, cef, rfc5424, hec. Sinks: file:PATH, stdout,
                         hec:https://HOST:8088 (token in $CIPHERPROOF_HEC_TOKEN), elastic:https://HOST:9200/INDEX
                         (API key in $CIPHERPROOF_ELASTIC_API_KEY), syslog+tls://HOST:6514
  --siem-events WHICH    failures (fail and error findings, default) or all
  --siem-ca-file FILE    CA bundle that signs the SIEM's certificate (verification is always on)
  --siem-client-cert FILE, --siem-client-key FILE   client certificate for mutual TLS
  --siem-spool DIR       where undeliverable events wait (default OUT/.spool); see \`cipherproof siem flush\`
                         A failed delivery is reported on stderr but does not change the exit code.
`;
