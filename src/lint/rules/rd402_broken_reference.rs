use crate::diagnostic::Severity;
use crate::lint::{DocContext, Findings, ImportTarget, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an `@path` import (as in `CLAUDE.md`: `@docs/testing.md`) whose
    /// file does not exist. Imports resolve relative to the importing
    /// document, as Claude Code resolves them. An import that leaves the
    /// repository (`@~/…`, `@/…`, `@../../…` past its top) is reported as a
    /// warning and never read: Claude Code asks before it follows such an
    /// "external" import.
    ///
    /// ## Why
    /// A missing import is silently skipped by the agent: the rules it was
    /// meant to load are simply not there.
    ///
    /// ## Example
    /// ```markdown
    /// Follow @rules/sub/testing.md for tests.
    /// ```
    ///
    /// Use instead (the file is `rules/testing.md`):
    /// ```markdown
    /// Follow @rules/testing.md for tests.
    /// ```
    pub struct BrokenReference {
        code: "RD402",
        name: "broken-reference",
        severity: Error,
        kind: Document,
        fix: Never,
    }
}

impl Rule for BrokenReference {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        for import in &ctx.doc.imports {
            let written = &import.path;
            match ctx.resolve_import(written) {
                ImportTarget::File(_) => {}
                ImportTarget::Missing => out.push(ctx.diagnostic(
                    &Self::META,
                    import.span,
                    format!("import `@{written}`: no such file"),
                )),
                ImportTarget::Outside => out.push(ctx.diagnostic_at(
                    &Self::META,
                    Severity::Warning,
                    import.span,
                    format!("import `@{written}` leaves the repository; it is not read"),
                )),
            }
        }
    }
}
