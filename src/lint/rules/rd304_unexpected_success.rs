use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a `compile_fail` Rust snippet that compiles, or that fails with
    /// another error than the one it declares (`compile_fail,E0382`). The error code
    /// is checked on stable Rust, through the compiler's JSON diagnostics.
    ///
    /// ## Why
    /// An ❌ example is there to show what the compiler rejects; one that compiles
    /// shows nothing, or the wrong thing.
    ///
    /// ## Example
    /// ````markdown
    /// ```rust,compile_fail,E0382
    /// let a = String::new();
    /// let b = a.clone();
    /// println!("{a}");
    /// ```
    /// ````
    ///
    /// Use instead (it really moves `a`):
    /// ````markdown
    /// ```rust,compile_fail,E0382
    /// let a = String::new();
    /// let b = a;
    /// println!("{a}");
    /// ```
    /// ````
    pub struct UnexpectedSuccess {
        code: "RD304",
        name: "unexpected-success",
        severity: Error,
        fixable: false,
    }
}

impl Rule for UnexpectedSuccess {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Snippets are compiled after every document is read: the work is done
    /// in `snippets`, by `check` and `snippets verify` (never by `lint`).
    fn check(&self, _ctx: &DocContext, _out: &mut Findings) {}
}
