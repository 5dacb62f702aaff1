//! Inline control: `<!-- ruledoc-disable CODE -->`, `ruledoc-enable`,
//! `ruledoc-disable-next-line`, `ruledoc-disable-file`. No code means every
//! rule; codes are prefixes (`RD2`), separated by commas or spaces. A
//! directive is an HTML comment as CommonMark reads one, in an HTML block or
//! inline HTML: written in a code span or a code block, or escaped, it is
//! text and does nothing. Lines are 1-based.

use crate::model::Layout;
use crate::source::{SourceFile, Span};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Silenced {
    from: usize,
    to: usize,
    /// Code prefixes; empty means every rule.
    codes: Vec<String>,
}

/// The lines on which each rule is silenced in one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Suppressions {
    ranges: Vec<Silenced>,
}

impl Suppressions {
    /// Every directive of `source`, in the HTML that `layout` knows. A
    /// `disable` with no `enable` after it lasts to the end of the document.
    pub(super) fn read(source: &SourceFile, layout: &Layout) -> Self {
        let text = &source.text;
        if memchr::memmem::find(text.as_bytes(), b"ruledoc-").is_none() {
            return Suppressions::default();
        }
        let mut ranges: Vec<Silenced> = Vec::new();
        let mut open: Vec<Silenced> = Vec::new();
        for (start, inner) in layout.html.iter().flat_map(|&html| comments(text, html)) {
            let Some((directive, codes)) = parse_directive(inner.trim()) else {
                continue;
            };
            let line = source.line(start);
            match directive {
                "disable-file" => ranges.push(Silenced {
                    from: 1,
                    to: usize::MAX,
                    codes,
                }),
                "disable-next-line" => ranges.push(Silenced {
                    from: line + 1,
                    to: line + 1,
                    codes,
                }),
                "disable" => open.push(Silenced {
                    from: line,
                    to: usize::MAX,
                    codes,
                }),
                "enable" => {
                    let mut still_open = Vec::new();
                    for mut r in open.drain(..) {
                        let closes = codes.is_empty() || r.codes.iter().any(|c| codes.contains(c));
                        if !closes {
                            still_open.push(r);
                            continue;
                        }
                        // `enable X` after `disable X Y` keeps Y off.
                        let remaining: Vec<String> = r
                            .codes
                            .iter()
                            .filter(|c| !codes.contains(c))
                            .cloned()
                            .collect();
                        ranges.push(Silenced {
                            from: r.from,
                            to: line,
                            codes: if codes.is_empty() {
                                r.codes.clone()
                            } else {
                                r.codes
                                    .iter()
                                    .filter(|c| codes.contains(c))
                                    .cloned()
                                    .collect()
                            },
                        });
                        if !codes.is_empty() && !remaining.is_empty() {
                            r.codes = remaining;
                            still_open.push(r);
                        }
                    }
                    open = still_open;
                }
                _ => {}
            }
        }
        ranges.extend(open);
        Suppressions { ranges }
    }

    /// Whether a finding of `code` on 1-based `line` is silenced.
    pub(super) fn is_suppressed(&self, code: &str, line: usize) -> bool {
        self.ranges.iter().any(|r| {
            line >= r.from
                && line <= r.to
                && (r.codes.is_empty() || r.codes.iter().any(|c| code.starts_with(c.as_str())))
        })
    }
}

/// The HTML comments in the HTML at `html`: where each starts, and its text
/// between `<!--` and `-->`. A comment left open ends nothing.
fn comments(text: &str, html: Span) -> impl Iterator<Item = (usize, &str)> {
    let html_text = &text[html.start..html.end];
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + html_text[from..].find("<!--")?;
        // From the second `-`: `<!-->` and `<!--->` are whole (empty) comments.
        let close = start + 2 + html_text[start + 2..].find("-->")?;
        from = close + 3;
        Some((
            html.start + start,
            html_text.get(start + 4..close).unwrap_or(""),
        ))
    })
}

/// `ruledoc-disable RD201, RD202` → ("disable", ["RD201", "RD202"]).
fn parse_directive(inner: &str) -> Option<(&str, Vec<String>)> {
    let rest = inner.strip_prefix("ruledoc-")?;
    let (directive, codes) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !matches!(
        directive,
        "disable" | "enable" | "disable-next-line" | "disable-file"
    ) {
        return None;
    }
    let codes = codes
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    Some((directive, codes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse};

    fn supp(text: &str) -> Suppressions {
        let src = SourceFile::new("t.md", text.to_string());
        let doc = parse(&src, &ParseOptions::default());
        Suppressions::read(&src, &doc.layout)
    }

    #[test]
    fn next_line_silences_one_line() {
        let s = supp("a\n<!-- ruledoc-disable-next-line RD203 -->\nb\nc\n");
        assert!(s.is_suppressed("RD203", 3));
        assert!(!s.is_suppressed("RD203", 4));
        assert!(!s.is_suppressed("RD204", 3));
    }

    #[test]
    fn disable_until_enable() {
        let s = supp("<!-- ruledoc-disable RD2 -->\nx\ny\n<!-- ruledoc-enable RD2 -->\nz\n");
        assert!(s.is_suppressed("RD205", 2));
        assert!(s.is_suppressed("RD203", 3));
        assert!(!s.is_suppressed("RD203", 5));
        assert!(!s.is_suppressed("RD101", 2));
    }

    #[test]
    fn disable_file_and_all_codes() {
        let s = supp("x\n\n<!-- ruledoc-disable-file -->\n");
        assert!(s.is_suppressed("RD101", 1));
        assert!(s.is_suppressed("RD501", 1000));
    }

    #[test]
    fn comments_in_code_do_not_count() {
        let s = supp("```html\n<!-- ruledoc-disable-file -->\n```\n");
        assert!(!s.is_suppressed("RD101", 1));
    }

    /// Every directive, written in a code span, a fenced block, an indented
    /// block, or escaped: text, not an HTML comment, so it does nothing.
    #[test]
    fn directives_in_code_or_escaped_do_nothing() {
        let directives = [
            "ruledoc-disable RD207",
            "ruledoc-disable-next-line RD207",
            "ruledoc-disable-file",
        ];
        for directive in directives {
            for text in [
                format!("Use `<!-- {directive} -->` to disable.\nx\n"),
                format!("```html\n<!-- {directive} -->\n```\nx\n"),
                format!("~~~\n<!-- {directive} -->\n~~~\nx\n"),
                format!("Intro.\n\n    <!-- {directive} -->\nx\n"),
                format!("\\<!-- {directive} -->\nx\n"),
            ] {
                let s = supp(&text);
                assert!(
                    (1..=6).all(|line| !s.is_suppressed("RD207", line)),
                    "{text:?}: {s:?}"
                );
            }
        }
    }

    #[test]
    fn an_enable_in_code_ends_nothing() {
        for enable in [
            "`<!-- ruledoc-enable -->`",
            "```\n<!-- ruledoc-enable -->\n```",
            "    <!-- ruledoc-enable -->",
        ] {
            let text = format!("<!-- ruledoc-disable RD2 -->\n\n{enable}\n\nz\n");
            let s = supp(&text);
            assert!(s.is_suppressed("RD205", 7), "{text:?}: {s:?}");
        }
    }

    #[test]
    fn directives_are_html_comments_wherever_html_is() {
        // Inline HTML, after a code span that holds one as text.
        let s = supp("A `<!-- x -->` <!-- ruledoc-disable-next-line RD207 -->\nb\n");
        assert!(s.is_suppressed("RD207", 2));
        // An HTML block in a list item, and one of several comments in a block.
        let s = supp("- a\n\n  <!-- ruledoc-disable RD203 -->\n\nb\n");
        assert!(s.is_suppressed("RD203", 5));
        let s = supp("<div>\n<!-- note --><!-- ruledoc-disable-file RD1 -->\n</div>\n");
        assert!(s.is_suppressed("RD101", 1));
        // Empty comments end where CommonMark ends them.
        let s = supp("<!--> <!---> <!-- ruledoc-disable-file -->\n");
        assert!(s.is_suppressed("RD101", 1));
    }
}
