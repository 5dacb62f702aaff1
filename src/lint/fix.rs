//! Applying fixes: non-overlapping edits, repeated until nothing changes.

use std::sync::Arc;

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::discover::Found;
use crate::load::Document;
use crate::parse::{Landmark, kept_outside, landmarks, parse};
use crate::settings::Settings;
use crate::source::SourceFile;

use super::{Plan, lint_document};

/// How many lint-and-fix rounds a document gets at most. A fix can make
/// the next one visible (closing one fence re-pairs the fences after it), so
/// a document may need a round per fence; a text seen before ends it sooner.
pub const MAX_ROUNDS: usize = 1_000;

/// `text` with `edits` applied, each a byte range of `text` (end exclusive)
/// and its replacement, taken by start offset. Edits that overlap an earlier
/// one, or reach past the end of `text`, are skipped. Returns the new text
/// and how many edits were applied.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut applied = 0;
    for e in sorted {
        if e.span.start < at || e.span.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// `text` with `fixes` applied whole: a fix's edits go in together or not at
/// all (as ruff applies fixes), so a fix that overlaps one taken earlier (by
/// its first edit's offset) waits for the next round. Returns the new text
/// and how many fixes were applied.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut sorted: Vec<&Fix> = fixes
        .iter()
        .copied()
        .filter(|f| !f.edits.is_empty())
        .collect();
    sorted.sort_by_key(|f| f.edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in sorted {
        let mut own: Vec<&Edit> = fix.edits.iter().collect();
        own.sort_by_key(|e| (e.span.start, e.span.end));
        let fits_text = own
            .iter()
            .all(|e| e.span.start <= e.span.end && e.span.end <= text.len());
        let apart = own.windows(2).all(|w| w[0].span.end <= w[1].span.start);
        let clear = own.iter().all(|e| {
            taken
                .iter()
                .all(|t| e.span.end <= t.span.start || t.span.end <= e.span.start)
        });
        if fits_text && apart && clear {
            taken.extend(own);
            applied += 1;
        }
    }
    let (out, _) = apply_edits(text, &taken);
    (out, applied)
}

/// The result of fixing one document.
#[derive(Debug)]
pub struct Fixed {
    /// The document after every round (unchanged when nothing applied).
    pub document: Document,
    /// The original text, when it changed.
    pub original: Option<String>,
    /// How many edits were applied in all, over every round (a fix of
    /// several edits counts each).
    pub applied: usize,
    /// The lint of the fixed text: what is left to report, and its facts.
    pub result: super::DocResult,
}

/// Lint `document`, apply the fixes applicable at `min` (`Safe`: `--fix`;
/// `Unsafe`: `--fix --unsafe-fixes`), and repeat on the result until no fix
/// applies (at most [`MAX_ROUNDS`] times). Nothing is written here.
pub fn fix_document(
    mut document: Document,
    found: &Found,
    plan: &Plan,
    settings: &Settings,
    min: Applicability,
) -> Fixed {
    let original = document.source.text.clone();
    let mut applied = 0;
    let mut result = lint_document(&document, found, plan, settings);
    let mut seen = std::collections::HashSet::from([crate::hash::content_hash(&[&original])]);
    for _ in 0..MAX_ROUNDS {
        let fixes: Vec<&Fix> = result
            .diagnostics
            .iter()
            .filter_map(|d| d.applicable_fix(min))
            .collect();
        let fixes = keeping_headings(&document, fixes);
        if fixes.is_empty() {
            break;
        }
        let (text, n) = apply_fixes(&document.source.text, &fixes);
        if n == 0 || text == document.source.text {
            break;
        }
        if !seen.insert(crate::hash::content_hash(&[&text])) {
            // Fixes that undo each other: stop where the cycle closes.
            break;
        }
        applied += n;
        let source = SourceFile::new(document.source.path.clone(), text);
        let doc = parse(&source, &settings.parse_options(found));
        document = Document {
            source: Arc::new(source),
            doc,
        };
        result = lint_document(&document, found, plan, settings);
    }
    let changed = document.source.text != original;
    Fixed {
        document,
        original: changed.then_some(original),
        applied,
        result,
    }
}

/// The `fixes` that keep what pulldown-cmark reads outside the lines they
/// span, each tried alone on `document`. A fix promises to change the
/// document between its first and its last edit only, so the headings and
/// fenced code blocks wholly before its first edited line, or wholly after
/// its last, must still be there after it (same level, text and closing,
/// the same lines, moved by the lines the fix adds or removes), and no more
/// code blocks may be left unclosed. New headings may appear: a repaired
/// fence gives back as text what a wrongly paired block held as code. A
/// fix that breaks the promise (a fence it lengthens re-pairs the fences
/// after it, say) is dropped, and its finding stays to be fixed by hand.
/// Every rule's fixes are held to this; RD202 checks its own more closely
/// before offering one.
fn keeping_headings<'a>(document: &Document, fixes: Vec<&'a Fix>) -> Vec<&'a Fix> {
    if fixes.is_empty() {
        return fixes;
    }
    let text = &document.source.text;
    let body = document.doc.layout.body_start;
    let before = landmarks(text, body);
    let watched = |l: &Landmark| l.is_heading() || l.is_fenced();
    let unclosed = |ls: &[Landmark]| ls.iter().filter(|l| l.is_fenced() && !l.closed).count();
    fixes
        .into_iter()
        .filter(|fix| {
            let (fixed, n) = apply_fixes(text, &[*fix]);
            if n == 0 {
                return true; // apply_fixes skips it anyway
            }
            let (Some(start), Some(end)) = (
                fix.edits.iter().map(|e| e.span.start).min(),
                fix.edits.iter().map(|e| e.span.end).max(),
            ) else {
                return true;
            };
            let line = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
            let first = line(start);
            let last = line(end.saturating_sub(1).max(start));
            let shift = fixed.matches('\n').count() as isize - text.matches('\n').count() as isize;
            let after = landmarks(&fixed, body.min(fixed.len()));
            kept_outside(&before, &after, (first, last), shift, watched)
                && unclosed(&after) <= unclosed(&before)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn edit(start: usize, end: usize, r: &str) -> Edit {
        Edit {
            span: Span::new(start, end),
            range: Default::default(),
            replacement: r.into(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            message: String::new(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    #[test]
    fn a_fix_goes_in_whole_or_waits() {
        // The second fix's first edit is clear, its second overlaps the first
        // fix: none of it is applied.
        let a = fix(vec![edit(0, 2, "X")]);
        let b = fix(vec![edit(3, 4, "Y"), edit(1, 2, "Z")]);
        let c = fix(vec![edit(5, 6, "W")]);
        let (text, n) = apply_fixes("abcdef", &[&b, &a, &c]);
        assert_eq!(text, "XcdeW");
        assert_eq!(n, 2);
    }

    #[test]
    fn a_fix_that_moves_headings_outside_its_lines_is_dropped() {
        let source = SourceFile::new(
            std::path::PathBuf::from("a.md"),
            "# A\n\n```\nx\n```\n\n## B\n\n```\ny\n```\n".to_string(),
        );
        let doc = parse(&source, &Default::default());
        let document = Document {
            source: Arc::new(source),
            doc,
        };
        // Lengthening only the first opening fence swallows `## B`.
        let bad = fix(vec![edit(6, 9, "````")]);
        // Naming its language changes nothing outside line 3.
        let good = fix(vec![edit(9, 9, "text")]);
        let kept = keeping_headings(&document, vec![&bad, &good]);
        assert_eq!(kept, vec![&good]);
    }

    #[test]
    fn edits_apply_in_order_and_overlaps_wait() {
        let (a, b, c) = (edit(0, 1, "X"), edit(2, 3, "Y"), edit(0, 2, "Z"));
        let (text, n) = apply_edits("abcd", &[&b, &a, &c]);
        assert_eq!(text, "XbYd");
        assert_eq!(n, 2);
    }
}
