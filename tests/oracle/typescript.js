// TypeScript's verdict on JS/TS snippets, for tests/js_oracle.rs and
// bench/js-snippets.sh. Reads a JSON array of {"name", "text"} on stdin (the
// name's extension picks the script kind, as tsc would: .js .jsx .mjs .cjs
// .ts .tsx) and prints, in the same order, one array of syntax errors per
// snippet: {"line" (0-based), "character" (0-based, UTF-16), "message"}.
//
// The errors are the file's syntactic diagnostics: the parser's own
// (parseDiagnostics, what the playground shows for syntax) and, for
// JavaScript files, the ones tsc adds for TypeScript-only syntax ("Type
// annotations can only be used in TypeScript files"), which a JavaScript
// engine would not read either. Nothing is type-checked.
"use strict";
const path = require("path");
const ts = require(path.join(__dirname, "node_modules", "typescript"));

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const files = new Map(input.map((s, i) => [`/s/${i}/${s.name}`, s.text]));
const options = { allowJs: true, noLib: true, noResolve: true, types: [], checkJs: false };
const host = {
  fileExists: (f) => files.has(f),
  readFile: (f) => files.get(f),
  getSourceFile: (f) => {
    const text = files.get(f);
    return text === undefined ? undefined : ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
  },
  getDefaultLibFileName: () => "/lib.d.ts",
  writeFile: () => {},
  getCurrentDirectory: () => "/",
  getCanonicalFileName: (f) => f,
  useCaseSensitiveFileNames: () => true,
  getNewLine: () => "\n",
  getDirectories: () => [],
};
const started = process.hrtime.bigint();
const program = ts.createProgram([...files.keys()], options, host);
const out = [...files.keys()].map((f) => {
  const sf = program.getSourceFile(f);
  return program.getSyntacticDiagnostics(sf).map((d) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    return { line, character, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  });
});
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stderr.write(`typescript ${ts.version}: ${files.size} snippets in ${ms.toFixed(1)} ms\n`);
process.stdout.write(JSON.stringify(out));
