use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::snippets::attributes::{is_rust, rust_attributes};

declare_rule! {
    /// ## What it does
    /// Reports a word in a Rust fence's info string that rustdoc does not know
    /// (`no-run`, `should_pnic`), with the known attribute it most likely
    /// meant. Known: `ignore`, `no_run`, `compile_fail` (and error codes such
    /// as `E0382`), `should_panic`, `standalone_crate`, `test_harness`,
    /// `edition2015` to `edition2024`, `run`, and mdBook's `editable`,
    /// `noplayground`, `noplaypen`, `mdbook-runnable`.
    ///
    /// ## Why
    /// rustdoc ignores words it does not know: a misspelt `no_run` runs the
    /// snippet, a misspelt `compile_fail` expects it to compile.
    ///
    /// ## Example
    /// ````markdown
    /// ```rust,no-run
    /// std::process::exit(0);
    /// ```
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// ```rust,no_run
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
        for s in ctx.doc.snippets.iter().filter(|s| is_rust(s)) {
            for (word, nearest) in rust_attributes(s).unknown {
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
