use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::snippets::attributes::{lang_string, misspelt};

declare_rule! {
    /// ## What it does
    /// Reports a word of a fence's info string that misspells a rustdoc
    /// attribute, and a word of a Rust block's info string that rustdoc does
    /// not know, with the attribute it most likely meant.
    ///
    /// Misspellings are those rustdoc's own `invalid_codeblock_attributes`
    /// lint recognises (rustdoc 1.95, `LangString::parse` in
    /// `src/librustdoc/html/markdown.rs`), in any case: `no-run` and `norun`
    /// for `no_run`, `compile-fail` and `compilefail` for `compile_fail`,
    /// `should-panic` and `shouldpanic` for `should_panic`, `test-harness`
    /// and `testharness` for `test_harness`, `standalone` and
    /// `standalone-crate` for `standalone_crate`, `rust2021` for
    /// `edition2021`; and a known attribute in another case (`Edition2021`,
    /// `No_Run`). They are reported on any fence, even as its only word
    /// (```` ```no-run ````), since rustdoc then does not take the block as
    /// Rust. Ordinary language names (`python`, `json`, `Rust`, `rs`) are no
    /// misspelling.
    ///
    /// On a block rustdoc tests as Rust, any other word it does not know is
    /// reported too (`should_pnic`, `edition2030`), except mdBook's
    /// playground words (`editable`, `noplayground`, `noplaypen`,
    /// `mdbook-runnable`) and ruledoc's `run`. Known: `ignore`,
    /// `ignore-<target>`, `no_run`, `compile_fail` (and error codes such as
    /// `E0382`), `should_panic`, `standalone_crate`, `test_harness`,
    /// `edition2015` to `edition2024`, `rust`.
    ///
    /// ## Why
    /// rustdoc ignores words it does not know, and takes a block whose first
    /// word it does not know as another language's: a misspelt `no_run`
    /// runs the snippet, or leaves it untested when it comes first; a
    /// misspelt `compile_fail` expects it to compile.
    ///
    /// ## Example
    /// ````markdown
    /// ```no-run
    /// std::process::exit(0);
    /// ```
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// ```no_run
    /// std::process::exit(0);
    /// ```
    /// ````
    pub struct UnknownAttribute {
        code: "RD307",
        name: "unknown-attribute",
        severity: Warning,
        kind: InfoString,
        fix: Never,
    }
}

impl Rule for UnknownAttribute {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        for s in &ctx.doc.snippets {
            let read = lang_string(&s.info);
            let effect = if read.rust {
                "rustdoc ignores it"
            } else {
                "rustdoc does not test this block as Rust"
            };
            let mut reported = Vec::new();
            for word in &read.other {
                let Some((meant, help)) = misspelt(word) else {
                    continue;
                };
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        ctx.line_span(s.line),
                        format!("unknown attribute `{word}` (did you mean `{meant}`?): {effect}"),
                    )
                    .with_help(help),
                );
                reported.push(word.as_str());
            }
            if !read.rust {
                continue;
            }
            for (word, nearest) in &read.attrs.unknown {
                if reported.contains(&word.as_str()) {
                    continue;
                }
                let mut d = ctx.diagnostic(
                    &Self::META,
                    ctx.line_span(s.line),
                    format!("unknown attribute `{word}` on a Rust block: rustdoc ignores it"),
                );
                if let Some(n) = nearest {
                    d = d.with_help(format!("did you mean `{n}`?"));
                }
                out.push(d);
            }
        }
    }
}
