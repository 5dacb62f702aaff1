//! JUnit XML, built and written by `quick-junit`. JUnit XML has no formal
//! standard; this is the common shape Ant's JUnit task wrote and CI servers
//! read (`testsuites` > `testsuite` > `testcase` with `failure` or
//! `skipped`), with `file` and `line` as extra attributes on a test case.
//!
//! The root `<testsuites name="ruledoc">` holds:
//!
//! - the suite `ruledoc lint`: one test case per document (name and `file`
//!   its path, class name `ruledoc.lint`). Findings at error severity fail
//!   it: the `<failure>`'s type is the first error's code, its message counts
//!   the errors and quotes the first, its text lists every error, one
//!   `path:line:col: CODE severity: message` a line. Other findings are
//!   listed the same way in its `<system-out>`.
//! - when snippets were checked (`check`, `snippets verify`), the suite
//!   `ruledoc snippets`: one test case per snippet (name `path:line (lang)`,
//!   class name and `file` the document, `line` the opening fence), passed,
//!   failed (`<failure>`, why in its message and text) or skipped
//!   (`<skipped>`, why in its message: ignored, or its checker is missing).
//!
//! Each suite counts its tests, failures and skips; the root's totals are
//! the sums over the suites. Nothing depends on the clock or the machine (no
//! timestamp, duration, host or id), so a run gives the same bytes each time.

use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::snippets::{SnippetOutcome, Status};

/// Write `report` as one JUnit XML document.
pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = quick_junit::Report::new("ruledoc");
    junit.add_test_suite(lint_suite(report));
    if let Some(snippets) = report.snippets {
        junit.add_test_suite(snippets_suite(snippets));
    }
    // Serialized in memory so that a failed write reaches the caller as the
    // `io::Error` it is (a closed pipe must stay recognisable).
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())
}

/// `ruledoc lint`: one test case per document checked, then one per other
/// path a finding names, in that order.
fn lint_suite(report: &Report) -> TestSuite {
    let mut by_path: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in report.diagnostics {
        by_path.entry(d.path.as_str()).or_default().push(d);
    }
    let mut paths: Vec<&str> = report.documents.iter().map(String::as_str).collect();
    for p in by_path.keys() {
        if !paths.contains(p) {
            paths.push(p);
        }
    }
    let mut suite = TestSuite::new("ruledoc lint");
    for path in paths {
        let diags = by_path.get(path).map(Vec::as_slice).unwrap_or(&[]);
        suite.add_test_case(document_case(path, diags));
    }
    suite
}

/// A document's test case: failed by its errors, its other findings in
/// `<system-out>`.
fn document_case(path: &str, diags: &[&Diagnostic]) -> TestCase {
    let (errors, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = diags
        .iter()
        .copied()
        .partition(|d| d.severity == Severity::Error);
    let status = match errors.first() {
        None => TestCaseStatus::success(),
        Some(first) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_type(first.code)
                .set_message(text(&format!(
                    "{} error(s); first: {}",
                    errors.len(),
                    first.message
                )))
                .set_description(listing(&errors));
            status
        }
    };
    let path = text(path);
    let mut case = TestCase::new(path.as_str(), status);
    case.set_classname("ruledoc.lint");
    case.extra.insert("file".into(), path.into());
    if !others.is_empty() {
        case.set_system_out(listing(&others));
    }
    case
}

/// One `path:line:col: CODE severity: message` line per finding.
fn listing(diags: &[&Diagnostic]) -> String {
    let lines = diags
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {} {}: {}",
                d.path,
                d.line(),
                d.column(),
                d.code,
                d.severity,
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    text(&lines)
}

/// A string as quick-junit should get it: the crate would drop tabs (running
/// words together) and, after a lone ESC, the next character, and would keep
/// U+FFFE and U+FFFF, which XML cannot hold. So tabs become spaces, and the
/// other control characters but newlines, and those two, are dropped.
fn text(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some(c),
            '\0'..'\x20' | '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// `ruledoc snippets`: one test case per snippet, in the order checked.
fn snippets_suite(snippets: &[SnippetOutcome]) -> TestSuite {
    let mut suite = TestSuite::new("ruledoc snippets");
    suite.add_test_cases(snippets.iter().map(snippet_case));
    suite
}

/// A snippet's test case: failed, skipped (ignored, or its checker is
/// missing), or passed.
fn snippet_case(s: &SnippetOutcome) -> TestCase {
    let detail = text(s.detail.as_deref().unwrap_or(""));
    let status = match s.status {
        Status::Passed => TestCaseStatus::success(),
        Status::Failed => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(detail.as_str()).set_description(detail);
            status
        }
        Status::Skipped | Status::Unchecked => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(detail);
            status
        }
    };
    let path = text(&s.path);
    let mut case = TestCase::new(format!("{path}:{} ({})", s.line, text(&s.lang)), status);
    case.set_classname(path.as_str());
    case.extra.insert("file".into(), path.into());
    case.extra.insert("line".into(), s.line.to_string().into());
    case
}

#[cfg(test)]
mod tests {
    use roxmltree::{Document, Node};

    use super::*;
    use crate::report::Summary;
    use crate::source::Range;

    fn finding(path: &str, code: &'static str, severity: Severity, message: &str) -> Diagnostic {
        Diagnostic::at(
            code,
            severity,
            path,
            Range::from_pairs((3, 2), (3, 9)),
            message,
        )
    }

    fn outcome(line: usize, status: Status, detail: Option<&str>) -> SnippetOutcome {
        SnippetOutcome {
            path: "rules/s.md".into(),
            line,
            lang: "rust".into(),
            status,
            detail: detail.map(str::to_string),
            cached: false,
        }
    }

    fn junit(
        diagnostics: &[Diagnostic],
        documents: &[&str],
        snippets: Option<&[SnippetOutcome]>,
    ) -> String {
        let documents: Vec<String> = documents.iter().map(|d| d.to_string()).collect();
        let report = Report {
            diagnostics,
            documents: &documents,
            snippets,
            summary: &Summary::default(),
        };
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Parsed by roxmltree, not by the crate that wrote it.
    fn parse(xml: &str) -> Document<'_> {
        Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"))
    }

    fn children<'a, 'i>(node: Node<'a, 'i>, tag: &str) -> Vec<Node<'a, 'i>> {
        node.children().filter(|n| n.has_tag_name(tag)).collect()
    }

    fn count(node: Node, attribute: &str) -> usize {
        node.attribute(attribute)
            .unwrap_or_else(|| panic!("no {attribute} on {node:?}"))
            .parse()
            .unwrap()
    }

    /// Each suite's counts are its cases', the root's are the suites' sums;
    /// returns the suites.
    fn suites_adding_up<'a, 'i>(doc: &'a Document<'i>) -> Vec<Node<'a, 'i>> {
        let root = doc.root_element();
        assert!(root.has_tag_name("testsuites"));
        let suites = children(root, "testsuite");
        for total in ["tests", "failures", "errors", "skipped"] {
            let mut sum = 0;
            for suite in &suites {
                let cases = children(*suite, "testcase");
                let n = match total {
                    "tests" => cases.len(),
                    "failures" => cases
                        .iter()
                        .filter(|c| !children(**c, "failure").is_empty())
                        .count(),
                    "errors" => cases
                        .iter()
                        .filter(|c| !children(**c, "error").is_empty())
                        .count(),
                    _ => cases
                        .iter()
                        .filter(|c| !children(**c, "skipped").is_empty())
                        .count(),
                };
                assert_eq!(count(*suite, total), n, "{total} of {suite:?}");
                sum += n;
            }
            assert_eq!(count(root, total), sum, "root {total}");
        }
        suites
    }

    #[test]
    fn each_document_is_a_case_its_errors_fail() {
        let diagnostics = [
            finding("b.md", "RD105", Severity::Warning, "no purpose"),
            finding("c.md", "RD101", Severity::Error, "no title"),
            finding("c.md", "RD109", Severity::Error, "bad front matter"),
            finding("c.md", "RD105", Severity::Warning, "no purpose"),
            finding("d.md", "RD108", Severity::Error, "declared twice"),
        ];
        let xml = junit(&diagnostics, &["a.md", "b.md", "c.md"], None);
        let doc = parse(&xml);
        let suites = suites_adding_up(&doc);
        assert_eq!(suites.len(), 1, "no snippets suite without snippets");
        assert_eq!(suites[0].attribute("name"), Some("ruledoc lint"));
        let cases = children(suites[0], "testcase");
        let names: Vec<_> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
        assert_eq!(
            names,
            ["a.md", "b.md", "c.md", "d.md"],
            "documents, then other paths"
        );
        for case in &cases {
            assert_eq!(case.attribute("classname"), Some("ruledoc.lint"));
            assert_eq!(case.attribute("file"), case.attribute("name"));
        }
        assert!(
            !cases[0].children().any(|n| n.is_element()),
            "a clean document"
        );
        assert!(
            children(cases[1], "failure").is_empty(),
            "warnings do not fail"
        );
        let out = |c: Node| children(c, "system-out")[0].text().unwrap().to_string();
        assert_eq!(out(cases[1]), "b.md:3:2: RD105 warning: no purpose");
        let failure = children(cases[2], "failure")[0];
        assert_eq!(failure.attribute("type"), Some("RD101"));
        assert_eq!(
            failure.attribute("message"),
            Some("2 error(s); first: no title")
        );
        assert_eq!(
            failure.text(),
            Some("c.md:3:2: RD101 error: no title\nc.md:3:2: RD109 error: bad front matter")
        );
        assert_eq!(out(cases[2]), "c.md:3:2: RD105 warning: no purpose");
        assert_eq!(count(suites[0], "failures"), 2);
    }

    #[test]
    fn each_snippet_is_a_case_with_its_file_and_line() {
        let snippets = [
            outcome(3, Status::Passed, None),
            outcome(
                9,
                Status::Failed,
                Some("error[E0425]: cannot find value `x`"),
            ),
            outcome(20, Status::Skipped, Some("ignored")),
            outcome(31, Status::Unchecked, Some("rustc not found")),
        ];
        let xml = junit(&[], &["rules/s.md"], Some(&snippets));
        let doc = parse(&xml);
        let suites = suites_adding_up(&doc);
        let names: Vec<_> = suites
            .iter()
            .map(|s| s.attribute("name").unwrap())
            .collect();
        assert_eq!(names, ["ruledoc lint", "ruledoc snippets"]);
        let cases = children(suites[1], "testcase");
        assert_eq!(cases[0].attribute("name"), Some("rules/s.md:3 (rust)"));
        assert_eq!(cases[0].attribute("classname"), Some("rules/s.md"));
        assert_eq!(cases[0].attribute("file"), Some("rules/s.md"));
        assert_eq!(cases[0].attribute("line"), Some("3"));
        assert!(!cases[0].children().any(|n| n.is_element()), "passed");
        let failure = children(cases[1], "failure")[0];
        assert_eq!(
            failure.attribute("message"),
            Some("error[E0425]: cannot find value `x`")
        );
        assert_eq!(failure.text(), failure.attribute("message"));
        for (case, why) in [(cases[2], "ignored"), (cases[3], "rustc not found")] {
            assert_eq!(children(case, "skipped")[0].attribute("message"), Some(why));
        }
        let root = doc.root_element();
        assert_eq!(
            ["tests", "failures", "skipped"].map(|a| count(root, a)),
            [5, 1, 2],
            "the document and the four snippets"
        );
    }

    #[test]
    fn text_reads_back_as_written_less_what_xml_cannot_hold() {
        let path = r#"r&d/"q" <a>.md"#;
        let message = "`<T>` & \"it's\" ]]> \u{1}\u{1b}ok\ttab\r, \u{1b}[1m🦀\u{FFFF}";
        let diagnostics = [finding(path, "RD101", Severity::Error, message)];
        let xml = junit(&diagnostics, &[path], None);
        let doc = parse(&xml);
        let case = children(children(doc.root_element(), "testsuite")[0], "testcase")[0];
        assert_eq!(case.attribute("name"), Some(path));
        let read_back = "`<T>` & \"it's\" ]]> ok tab, [1m🦀";
        let failure = children(case, "failure")[0];
        assert_eq!(
            failure.attribute("message"),
            Some(format!("1 error(s); first: {read_back}").as_str())
        );
        assert_eq!(
            failure.text(),
            Some(format!("{path}:3:2: RD101 error: {read_back}").as_str())
        );
    }

    #[test]
    fn the_same_report_gives_the_same_bytes_with_no_clock_or_host() {
        let diagnostics = [finding("a.md", "RD101", Severity::Error, "no title")];
        let snippets = [outcome(3, Status::Passed, None)];
        let xml = junit(&diagnostics, &["a.md"], Some(&snippets));
        assert_eq!(xml, junit(&diagnostics, &["a.md"], Some(&snippets)));
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        let doc = parse(&xml);
        for node in doc.descendants() {
            for a in node.attributes() {
                assert!(
                    !["timestamp", "time", "hostname", "uuid", "id"].contains(&a.name()),
                    "{a:?} on {node:?}"
                );
            }
        }
    }
}
