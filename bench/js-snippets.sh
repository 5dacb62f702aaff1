#!/usr/bin/env bash
# JS/TS snippet checking speed (issue 14): 1,000 TypeScript snippets from the
# corpora, verified in-process with oxc's parser, against
#   - the same documents with the blocks labelled `text` (not checked): what
#     reading, parsing and reporting cost without the JS/TS check;
#   - TypeScript's own parser (tests/oracle/typescript.js, node) on the same
#     snippets, as an anchor.
# Usage: bench/js-snippets.sh   (needs hyperfine, node, `npm ci --prefix
# tests/oracle` and `cargo build --release`). Nothing here runs in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
RULEDOC=target/release/ruledoc
OUT=bench/out/js-snippets
rm -rf "$OUT" && mkdir -p "$OUT"

for c in cursor-mdc agent-rules; do
    "$RULEDOC" snippets extract --no-config -q --out "$OUT/extract/$c" "tests/corpus/$c" >/dev/null || true
done

# 1,000 snippets labelled ts/typescript/tsx, cycled when there are fewer,
# 100 to a document; the same documents with `text` labels as the baseline;
# the snippets as JSON for the TypeScript anchor.
python3 - "$OUT" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
snippets = []
for manifest in sorted(out.glob("extract/*/manifest.json")):
    for e in json.loads(manifest.read_text()):
        if e["lang"].lower() in ("ts", "typescript", "tsx"):
            snippets.append((e["lang"], (manifest.parent / e["file"]).read_text()))
picked = [snippets[i % len(snippets)] for i in range(1000)]
for kind in ("ts", "text"):
    (out / kind).mkdir()
    for d in range(10):
        body = "# Snippets\n\n"
        for lang, code in picked[d * 100:(d + 1) * 100]:
            fence = "`" * max(3, max((len(r) for r in code.split("\n") if set(r) == {"`"}), default=0) + 1)
            body += f"{fence}{lang if kind == 'ts' else 'text'}\n{code}{fence}\n\n"
        (out / kind / f"doc{d}.md").write_text(body)
ext = {"tsx": "tsx"}
(out / "snippets.json").write_text(json.dumps(
    [{"name": "s." + ext.get(l.lower(), "ts"), "text": c} for l, c in picked]))
print(f"{len(snippets)} TypeScript snippets in the corpora, 1000 used", file=sys.stderr)
PY

"$RULEDOC" snippets verify --no-config --cache-dir "$OUT/cache" "$OUT/ts" 2>&1 >/dev/null | tail -1 || true
node tests/oracle/typescript.js < "$OUT/snippets.json" 2>&1 >/dev/null

hyperfine -N -i --warmup 3 --runs 30 --export-json "$OUT/hyperfine.json" \
    -n "ruledoc, 1000 ts snippets" "$RULEDOC snippets verify --no-config -j 2 --cache-dir $OUT/cache $OUT/ts" \
    -n "ruledoc, same docs as text" "$RULEDOC snippets verify --no-config -j 2 --cache-dir $OUT/cache $OUT/text" \
    -n "ruledoc, 1000 ts snippets, -j 1" "$RULEDOC snippets verify --no-config -j 1 --cache-dir $OUT/cache $OUT/ts"
hyperfine -i --warmup 1 --runs 10 \
    -n "typescript 6 (node), same snippets" "node tests/oracle/typescript.js < $OUT/snippets.json"
