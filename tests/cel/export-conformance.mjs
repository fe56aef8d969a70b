// Writes the CEL conformance suite (cel-spec's tests/simple/testdata, as @bufbuild/cel-spec
// packages it) to one JSON file for the C++ runner: each file's tests with their section, in the
// proto3 JSON form of cel.expr.conformance.test.SimpleTest.
//
//   node export-conformance.mjs OUTPUT.json
import { writeFileSync } from "node:fs";
import { tests } from "@bufbuild/cel-spec/testdata/conformance.js";

const files = {};
for (const file of tests.suites) {
  const cases = [];
  for (const section of file.suites ?? []) {
    for (const test of section.tests ?? []) {
      cases.push({ section: section.name, ...test.original });
    }
  }
  files[file.name] = cases;
}
writeFileSync(process.argv[2], JSON.stringify(files));
