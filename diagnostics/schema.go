package diagnostics

import _ "embed"

// ReportSchemaV1 is the JSON Schema (draft 2020-12) of SchemaV1 reports.
// Programs that consume reports may validate against it; the tests validate
// every report they produce.
//
//go:embed schema/report.v1.json
var ReportSchemaV1 []byte
