use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports documents that import each other in a cycle through `@path`
    /// imports (`a.md` imports `b.md`, which imports `a.md`). Each cycle is
    /// reported once, at the import in the first of its documents by path.
    ///
    /// ## Why
    /// Agents stop following imports after a few hops; in a cycle, which
    /// rules end up loaded depends on where the agent started.
    ///
    /// ## Example
    /// `core/base.md`:
    /// ```markdown
    /// @../style.md
    /// ```
    /// `style.md`:
    /// ```markdown
    /// @core/base.md
    /// ```
    ///
    /// Use instead: import in one direction only, from the general rule to
    /// the specific one.
    pub struct ReferenceCycle {
        code: "RD403",
        name: "reference-cycle",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for ReferenceCycle {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Compares documents: the work is done in `lint::set`.
    fn check(&self, _ctx: &DocContext, _out: &mut Findings) {}
}
