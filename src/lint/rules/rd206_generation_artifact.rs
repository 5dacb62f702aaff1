use crate::diagnostic::Applicability;
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports leftover tool-call or chat markup outside code: lines such as
    /// `</xai:function_call name="write">`, `<parameter name="file_path">`,
    /// `<invoke name="…">`, `</function_calls>`, `<|im_start|>`.
    ///
    /// ## Why
    /// A generator that wrote the document left its own plumbing behind. Agents
    /// read it as instructions; people read it as noise.
    ///
    /// The fix deletes such lines, but only when they trail at the end of the
    /// document; in the middle of a document, what to keep is for a person to
    /// decide.
    ///
    /// ## Fix safety
    /// Unsafe (`--fix --unsafe-fixes`): it deletes text, everything from the
    /// first markup line to the end of the document, and what follows a
    /// generator's markup can be content someone wants.
    ///
    /// ## Example
    /// ```markdown
    /// The patterns promote proper resource management.
    /// </xai:function_call name="write">
    /// <parameter name="file_path">rules/sub/next.md
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// The patterns promote proper resource management.
    /// ```
    pub struct GenerationArtifact {
        code: "RD206",
        name: "generation-artifact",
        severity: Error,
        kind: Document,
        fix: Sometimes(Unsafe),
    }
}

/// How artifact lines start (after indentation).
const STARTS: &[&str] = &[
    "<xai:",
    "</xai:",
    "<parameter name=",
    "</parameter>",
    "<invoke name=",
    "<invoke>",
    "</invoke>",
    "<function_calls>",
    "</function_calls>",
    "<function_results>",
    "</function_results>",
    "<tool_call>",
    "</tool_call>",
    "<tool_use>",
    "</tool_use>",
];

/// Whether a line is chat or tool-call markup (render drops such lines
/// from what it joins and copies).
pub(crate) fn is_artifact(line: &str) -> bool {
    let t = line.trim_start();
    if STARTS.iter().any(|s| t.starts_with(s)) {
        return true;
    }
    // Chat-template tokens: `<|im_start|>`, `<|endoftext|>`, `<|channel|>`, …
    t.strip_prefix("<|")
        .and_then(|r| r.split_once("|>"))
        .is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

impl Rule for GenerationArtifact {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let text = &ctx.source.text;
        let body = ctx.doc.layout.body_start;
        // Every artifact line starts with `<` (after indentation): look only
        // at the `<`s that begin a line.
        let bytes = text.as_bytes();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for at in memchr::memchr_iter(b'<', &bytes[body..]).map(|i| body + i) {
            let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            if !bytes[line_start..at]
                .iter()
                .all(|b| *b == b' ' || *b == b'\t')
            {
                continue;
            }
            let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            if !is_artifact(&text[at..line_end]) || ctx.doc.layout.in_code(at) {
                continue;
            }
            let line = ctx.source.line(at);
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == line => *last = line,
                _ => runs.push((line, line)),
            }
        }
        let lines = ctx.doc.lines;
        for (first, last) in runs {
            let trailing = (last + 1..=lines).all(|l| {
                let span = ctx.line_span(l);
                text[span.start..span.end].trim().is_empty()
            });
            let span = Span::new(ctx.line_span(first).start, ctx.line_span(last).end);
            let what = if first == last {
                format!("line {first} is leftover tool-call or chat markup")
            } else {
                format!("lines {first}-{last} are leftover tool-call or chat markup")
            };
            let mut d = ctx.diagnostic(&Self::META, span, what);
            if trailing {
                // Delete from the end of the last real line to the end of the file.
                let from = ctx
                    .source
                    .lines
                    .line_start(first)
                    .saturating_sub(1)
                    .max(body);
                let (from, newline) = if text[..from].ends_with('\r') {
                    (from - 1, "\r\n")
                } else {
                    (from, "\n")
                };
                d = d.with_fix(
                    ctx.source,
                    "delete the trailing markup",
                    Applicability::Unsafe,
                    vec![(Span::new(from, text.len()), newline.into())],
                );
            } else {
                d = d.with_help(
                    "delete it unless it is meant as an example, which belongs in a code block",
                );
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_artifact;

    #[test]
    fn tool_call_and_chat_markup_is_recognised() {
        for line in [
            "</xai:function_call name=\"write\">",
            "<parameter name=\"file_path\">x.md",
            "  <invoke name=\"Write\">",
            "<|im_start|>assistant",
            "<|endoftext|>",
        ] {
            assert!(is_artifact(line), "{line}");
        }
        for line in ["<div>", "a <|x|> b", "<|>", "text", "<parameters>"] {
            assert!(!is_artifact(line), "{line}");
        }
    }
}
