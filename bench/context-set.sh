#!/usr/bin/env bash
# Builds a 1,000-document repository for timing `ruledoc context` (issue 15:
# "context over a 1,000-document set answers in under 50 ms"), from the real
# corpora under tests/corpus: 900 Cursor rules (with their own front matter:
# alwaysApply, globs, descriptions) in .cursor/rules; a top CLAUDE.md,
# AGENTS.md and GEMINI.md; 40 .claude/rules files (half scoped by `paths`);
# 30 packages with a nested AGENTS.md and CLAUDE.md each; 2,000 source files.
#
#     bench/context-set.sh [OUT]      (default: bench/out/context-set)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/bench/out/context-set}
rm -rf "$out"
mkdir -p "$out/.cursor/rules" "$out/.claude/rules"
cd "$out"
git init -q .
printf '# The repository top for ruledoc context.\n' > ruledoc.toml
n=0
while IFS= read -r f; do
  n=$((n + 1))
  cp "$f" ".cursor/rules/r$n-$(basename "$f")"
  [ "$n" -ge 900 ] && break
done < <(find "$root/tests/corpus/cursor-mdc" -name '*.mdc' | sort)
mapfile -t agents < <(find "$root/tests/corpus/agent-rules" -name AGENTS.md | sort)
mapfile -t claudes < <(find "$root/tests/corpus/agent-rules" -name CLAUDE.md | sort)
cp "${claudes[0]}" CLAUDE.md
cp "${agents[0]}" AGENTS.md
find "$root/tests/corpus/agent-rules" -name GEMINI.md | sort | head -1 | xargs -I{} cp {} GEMINI.md
mapfile -t mds < <(find "$root/tests/corpus/agent-rules" -name '*.md' ! -name 'AGENTS.md' ! -name 'CLAUDE.md' | sort | head -40)
i=0
for f in "${mds[@]}"; do
  i=$((i + 1))
  if [ $((i % 2)) -eq 0 ]; then
    { printf -- '---\npaths:\n  - "pkg%d/**/*.ts"\n---\n' "$i"; sed '/^---$/,/^---$/d' "$f"; } > ".claude/rules/r$i.md"
  else
    sed '/^---$/,/^---$/d' "$f" > ".claude/rules/r$i.md"
  fi
done
for p in $(seq 1 30); do
  mkdir -p "pkg$p/src"
  cp "${agents[$((p % ${#agents[@]}))]}" "pkg$p/AGENTS.md"
  cp "${claudes[$((p % ${#claudes[@]}))]}" "pkg$p/CLAUDE.md"
  for s in $(seq 1 66); do printf 'export const x = %d;\n' "$s" > "pkg$p/src/f$s.ts"; done
done
mkdir -p src/app
for s in $(seq 1 20); do printf 'export const y = %d;\n' "$s" > "src/app/m$s.ts"; done
docs=$(find . -path ./.git -prune -o -type f \( -name '*.md' -o -name '*.mdc' \) -print | wc -l)
files=$(find . -path ./.git -prune -o -type f -print | wc -l)
echo "$out: $docs documents, $files files" >&2
