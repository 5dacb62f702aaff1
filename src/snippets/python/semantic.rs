//! The checks CPython makes after parsing, in its symbol table and compiler
//! (`'return' outside function`, `duplicate argument`, `'await' outside
//! async function`…): Ruff's [`SemanticSyntaxChecker`], fed the scope facts
//! it asks for by a walk that follows CPython's scopes, plus the few checks
//! Ruff lacks.
//!
//! Scopes are CPython's: a function's decorators, defaults and annotations
//! belong to the scope around it, its body to its own; a comprehension's
//! first iterable to the scope around it, the rest to the comprehension.
//! Top-level `await`, `async for` and `async with` are allowed, as
//! `compile()` allows them with `ast.PyCF_ALLOW_TOP_LEVEL_AWAIT` (the asyncio
//! REPL, IPython).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, PythonVersion, Stmt};
use ruff_python_parser::semantic_errors::{
    LazyImportContext, SemanticSyntaxChecker, SemanticSyntaxContext, SemanticSyntaxError,
    SemanticSyntaxErrorKind, WriteToDebugKind,
};
use ruff_text_size::{Ranged, TextRange};

/// An error found after parsing: where, and CPython's words or Ruff's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// Byte range in the code.
    pub range: TextRange,
    /// What is wrong.
    pub message: String,
}

/// Every error CPython's symbol table and compiler would raise for
/// `module`, parsed from `source`, under `version`; in the order found.
pub(crate) fn check(module: &ast::ModModule, source: &str, version: PythonVersion) -> Vec<Found> {
    let mut walk = Walk {
        checker: SemanticSyntaxChecker::new(),
        source,
        version,
        scopes: vec![Scope::new(Kind::Module, globals_of(&module.body))],
        future_annotations: false,
        in_try: false,
        errors: RefCell::default(),
        own: Vec::new(),
        augmented: None,
    };
    walk.visit_body(&module.body);
    let mut found: Vec<Found> = walk
        .errors
        .into_inner()
        .into_iter()
        // Ruff dates the refusal of `del __debug__` to 3.9; CPython 3.9
        // still compiles it, 3.10 does not.
        .filter(|e| {
            version >= PythonVersion::PY310
                || !matches!(
                    e.kind,
                    SemanticSyntaxErrorKind::WriteToDebug(WriteToDebugKind::Delete(_))
                )
        })
        .map(|e| Found {
            range: e.range,
            message: e.to_string(),
        })
        .collect();
    found.extend(walk.own);
    found
}

/// How many statements and expressions `module` nests in one another, at
/// most.
pub(crate) fn depth(module: &ast::ModModule) -> usize {
    #[derive(Default)]
    struct Depth {
        current: usize,
        max: usize,
    }
    impl Depth {
        fn nested(&mut self, f: impl FnOnce(&mut Self)) {
            self.current += 1;
            self.max = self.max.max(self.current);
            stacker::maybe_grow(64 * 1024, 1 << 20, || f(self));
            self.current -= 1;
        }
    }
    impl<'a> Visitor<'a> for Depth {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            self.nested(|d| visitor::walk_stmt(d, stmt));
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            self.nested(|d| visitor::walk_expr(d, expr));
        }
    }
    let mut d = Depth::default();
    d.visit_body(&module.body);
    d.max
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comprehension {
    /// List, set or dict comprehension.
    Eager,
    /// Generator expression.
    Generator,
}

#[derive(Debug)]
enum Kind<'a> {
    Module,
    Class,
    Function {
        is_async: bool,
        parameters: &'a ast::Parameters,
        body: &'a [Stmt],
    },
    Lambda {
        parameters: Option<&'a ast::Parameters>,
    },
    Comprehension {
        kind: Comprehension,
        is_async: bool,
    },
}

#[derive(Debug)]
struct Scope<'a> {
    kind: Kind<'a>,
    /// Inside a `for` or `while` body of this scope (not its `else`).
    in_loop: bool,
    /// The first `global` declaration of each name made in this scope.
    globals: HashMap<&'a str, TextRange>,
}

impl<'a> Scope<'a> {
    fn new(kind: Kind<'a>, globals: HashMap<&'a str, TextRange>) -> Self {
        Scope {
            kind,
            in_loop: false,
            globals,
        }
    }
}

struct Walk<'a> {
    checker: SemanticSyntaxChecker,
    source: &'a str,
    version: PythonVersion,
    scopes: Vec<Scope<'a>>,
    future_annotations: bool,
    in_try: bool,
    errors: RefCell<Vec<SemanticSyntaxError>>,
    /// Errors from the checks Ruff lacks.
    own: Vec<Found>,
    /// The target of the augmented assignment being walked.
    augmented: Option<TextRange>,
}

impl<'a> Walk<'a> {
    fn current(&self) -> &Scope<'a> {
        // The module scope is never popped.
        &self.scopes[self.scopes.len() - 1]
    }

    fn with_checker(&mut self, f: impl FnOnce(&mut SemanticSyntaxChecker, &Self)) {
        let mut checker = std::mem::take(&mut self.checker);
        f(&mut checker, self);
        self.checker = checker;
    }

    fn in_scope(&mut self, scope: Scope<'a>, f: impl FnOnce(&mut Self)) {
        self.scopes.push(scope);
        f(self);
        self.scopes.pop();
    }

    fn in_loop(&mut self, body: &'a [Stmt]) {
        let depth = self.scopes.len() - 1;
        let was = std::mem::replace(&mut self.scopes[depth].in_loop, true);
        self.visit_body(body);
        self.scopes[depth].in_loop = was;
    }

    /// CPython: a name bound by `def` or `class` before this scope's
    /// `global` declaration of it (symtable.c, "name '%U' is assigned to
    /// before global declaration"; an import is no such binding there).
    /// Ruff checks only plain names.
    fn bound_before_global(&mut self, name: &str, range: TextRange) {
        if let Some(global) = self.current().globals.get(name)
            && range.start() < global.start()
        {
            self.own.push(Found {
                range,
                message: format!("name '{name}' is assigned to before global declaration"),
            });
        }
    }

    /// CPython's compiler (`forbidden_name`, compile.c) also refuses
    /// `__debug__` as a keyword argument's name and as an attribute assigned
    /// to (not augmented); Ruff checks only names.
    fn debug_name(&mut self, name: &str, range: TextRange) {
        if name == "__debug__" {
            self.own.push(Found {
                range,
                message: "cannot assign to __debug__".into(),
            });
        }
    }

    /// Before 3.11, `await` made a list, set or dict comprehension
    /// asynchronous, and an asynchronous one had to sit right in an async
    /// function (or at the top level): not in another comprehension
    /// (compile.c, "asynchronous comprehension outside of an asynchronous
    /// function"). Ruff checks only `async for`.
    fn await_in_nested_comprehension(&mut self, range: TextRange) {
        if self.version >= PythonVersion::PY311 {
            return;
        }
        let mut scopes = self.scopes.iter().rev();
        if let (
            Some(Scope {
                kind:
                    Kind::Comprehension {
                        kind: Comprehension::Eager,
                        ..
                    },
                ..
            }),
            Some(Scope {
                kind: Kind::Comprehension { .. },
                ..
            }),
        ) = (scopes.next(), scopes.next())
        {
            self.own.push(Found {
                range,
                message: "asynchronous comprehension outside of an asynchronous function".into(),
            });
        }
    }

    fn debug_keywords(&mut self, arguments: &ast::Arguments) {
        for k in &arguments.keywords {
            if let Some(arg) = &k.arg {
                self.debug_name(arg.as_str(), arg.range);
            }
        }
    }

    fn visit_comprehension_scope(
        &mut self,
        generators: &'a [ast::Comprehension],
        kind: Comprehension,
        elements: &[&'a Expr],
    ) {
        let Some((first, rest)) = generators.split_first() else {
            return;
        };
        self.visit_expr(&first.iter);
        let is_async = generators.iter().any(|g| g.is_async);
        let scope = Scope::new(Kind::Comprehension { kind, is_async }, HashMap::new());
        self.in_scope(scope, |w| {
            w.visit_expr(&first.target);
            for e in &first.ifs {
                w.visit_expr(e);
            }
            for g in rest {
                w.visit_comprehension(g);
            }
            for e in elements {
                w.visit_expr(e);
            }
        });
    }

    /// Parameter defaults and annotations, in the scope around the function.
    fn visit_signature(&mut self, parameters: &'a ast::Parameters) {
        visitor::walk_parameters(self, parameters);
    }
}

/// The first `global` declaration of each name in a scope's body, nested
/// scopes left out.
fn globals_of(body: &[Stmt]) -> HashMap<&str, TextRange> {
    #[derive(Default)]
    struct Globals<'a> {
        found: HashMap<&'a str, TextRange>,
    }
    impl<'a> Visitor<'a> for Globals<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Global(g) => {
                    for name in &g.names {
                        self.found.entry(name.as_str()).or_insert(g.range);
                    }
                }
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut g = Globals::default();
    g.visit_body(body);
    g.found
}

/// The names a function binds in its own scope (CPython's `DEF_LOCAL`,
/// `DEF_PARAM` and `DEF_NONLOCAL`), less those it declares `global`: what a
/// `nonlocal` in a function nested in it can refer to.
fn bound_in_function(parameters: Option<&ast::Parameters>, body: &[Stmt]) -> HashSet<String> {
    #[derive(Default)]
    struct Bound {
        names: HashSet<String>,
        globals: HashSet<String>,
    }
    impl Bound {
        fn target(&mut self, e: &Expr) {
            self.visit_expr(e);
        }
    }
    impl<'a> Visitor<'a> for Bound {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(f) => {
                    self.names.insert(f.name.to_string());
                    for d in &f.decorator_list {
                        self.visit_decorator(d);
                    }
                    visitor::walk_parameters(self, &f.parameters);
                }
                Stmt::ClassDef(c) => {
                    self.names.insert(c.name.to_string());
                    for d in &c.decorator_list {
                        self.visit_decorator(d);
                    }
                    if let Some(a) = &c.arguments {
                        self.visit_arguments(a);
                    }
                }
                Stmt::Import(i) => {
                    for alias in &i.names {
                        let name = match &alias.asname {
                            Some(a) => a.to_string(),
                            None => alias.name.split('.').next().unwrap_or("").to_string(),
                        };
                        self.names.insert(name);
                    }
                }
                Stmt::ImportFrom(i) => {
                    for alias in &i.names {
                        self.names
                            .insert(alias.asname.as_ref().unwrap_or(&alias.name).to_string());
                    }
                }
                Stmt::Global(g) => {
                    self.globals.extend(g.names.iter().map(|n| n.to_string()));
                }
                Stmt::Nonlocal(n) => {
                    self.names.extend(n.names.iter().map(|n| n.to_string()));
                }
                Stmt::Try(t) => {
                    for h in &t.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        if let Some(name) = &h.name {
                            self.names.insert(name.to_string());
                        }
                    }
                    visitor::walk_stmt(self, stmt);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(n) if !n.ctx.is_load() => {
                    self.names.insert(n.id.to_string());
                }
                Expr::Lambda(l) => {
                    if let Some(p) = &l.parameters {
                        visitor::walk_parameters(self, p);
                    }
                }
                // Comprehension targets are the comprehension's own; an
                // assignment expression inside binds here.
                Expr::ListComp(ast::ExprListComp {
                    elt, generators, ..
                })
                | Expr::SetComp(ast::ExprSetComp {
                    elt, generators, ..
                })
                | Expr::Generator(ast::ExprGenerator {
                    elt, generators, ..
                }) => {
                    for g in generators {
                        self.visit_expr(&g.iter);
                        for e in &g.ifs {
                            self.visit_expr(e);
                        }
                    }
                    self.visit_expr(elt);
                }
                Expr::DictComp(ast::ExprDictComp {
                    key,
                    value,
                    generators,
                    ..
                }) => {
                    for g in generators {
                        self.visit_expr(&g.iter);
                        for e in &g.ifs {
                            self.visit_expr(e);
                        }
                    }
                    if let Some(k) = key {
                        self.visit_expr(k);
                    }
                    self.visit_expr(value);
                }
                Expr::Named(n) => {
                    self.target(&n.target);
                    self.visit_expr(&n.value);
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
        fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
            match pattern {
                ast::Pattern::MatchAs(ast::PatternMatchAs { name: Some(n), .. })
                | ast::Pattern::MatchStar(ast::PatternMatchStar { name: Some(n), .. }) => {
                    self.names.insert(n.to_string());
                }
                ast::Pattern::MatchMapping(ast::PatternMatchMapping { rest: Some(n), .. }) => {
                    self.names.insert(n.to_string());
                }
                _ => {}
            }
            visitor::walk_pattern(self, pattern);
        }
    }
    let mut b = Bound::default();
    if let Some(p) = parameters {
        b.names
            .extend(p.iter().map(|p| p.name().as_str().to_string()));
    }
    b.visit_body(body);
    b.names.retain(|n| !b.globals.contains(n));
    b.names
}

impl SemanticSyntaxContext for Walk<'_> {
    fn future_annotations_or_stub(&self) -> bool {
        // Before 3.10 CPython compiled postponed annotations without
        // looking for `yield`, `await` or `:=` in them.
        self.future_annotations && self.version >= PythonVersion::PY310
    }

    fn lazy_import_context(&self) -> Option<LazyImportContext> {
        match self.current().kind {
            Kind::Function { .. } | Kind::Lambda { .. } => Some(LazyImportContext::Function),
            Kind::Class => Some(LazyImportContext::Class),
            Kind::Module | Kind::Comprehension { .. } if self.in_try => {
                Some(LazyImportContext::TryExceptBlocks)
            }
            Kind::Module | Kind::Comprehension { .. } => None,
        }
    }

    fn python_version(&self) -> PythonVersion {
        self.version
    }

    fn source(&self) -> &str {
        self.source
    }

    fn global(&self, name: &str) -> Option<TextRange> {
        self.current().globals.get(name).copied()
    }

    fn has_nonlocal_binding(&self, name: &str) -> bool {
        // CPython looks in the enclosing functions only: class bodies and
        // the module are skipped.
        self.scopes.iter().rev().skip(1).any(|s| match s.kind {
            Kind::Function {
                parameters, body, ..
            } => bound_in_function(Some(parameters), body).contains(name),
            Kind::Lambda { parameters } => {
                parameters.is_some_and(|p| p.iter().any(|p| p.name().as_str() == name))
            }
            _ => false,
        })
    }

    fn in_async_context(&self) -> bool {
        for scope in self.scopes.iter().rev() {
            match scope.kind {
                Kind::Class | Kind::Lambda { .. } => return false,
                Kind::Function { is_async, .. } => return is_async,
                // Top-level await is allowed, in comprehensions too.
                Kind::Module => return true,
                Kind::Comprehension { .. } => {}
            }
        }
        true
    }

    fn in_await_allowed_context(&self) -> bool {
        for scope in self.scopes.iter().rev() {
            match scope.kind {
                Kind::Class => return false,
                Kind::Function { .. } | Kind::Lambda { .. } | Kind::Module => return true,
                Kind::Comprehension { .. } => {}
            }
        }
        true
    }

    fn in_yield_allowed_context(&self) -> bool {
        // A class body or a comprehension between the `yield` and its
        // function is an error, so only the current scope counts.
        matches!(
            self.current().kind,
            Kind::Function { .. } | Kind::Lambda { .. }
        )
    }

    fn in_sync_comprehension(&self) -> bool {
        // Before 3.11 (the only versions Ruff asks for), an asynchronous
        // comprehension needed an async function right around it: a
        // generator expression in between was as wrong as a list.
        self.scopes.iter().any(|s| {
            matches!(
                s.kind,
                Kind::Comprehension {
                    is_async: false,
                    ..
                }
            )
        })
    }

    fn in_class_body_comprehension(&self) -> bool {
        for scope in self.scopes.iter().rev() {
            match scope.kind {
                Kind::Comprehension { .. } => {}
                Kind::Class => return true,
                _ => return false,
            }
        }
        false
    }

    fn in_module_scope(&self) -> bool {
        matches!(self.current().kind, Kind::Module)
    }

    fn in_function_scope(&self) -> bool {
        matches!(
            self.current().kind,
            Kind::Function { .. } | Kind::Lambda { .. }
        )
    }

    fn in_generator_context(&self) -> bool {
        matches!(
            self.current().kind,
            Kind::Comprehension {
                kind: Comprehension::Generator,
                ..
            }
        )
    }

    fn in_notebook(&self) -> bool {
        // What Ruff allows in a notebook's top level is what
        // `PyCF_ALLOW_TOP_LEVEL_AWAIT` allows.
        true
    }

    fn report_semantic_error(&self, error: SemanticSyntaxError) {
        self.errors.borrow_mut().push(error);
    }

    fn in_loop_context(&self) -> bool {
        self.current().in_loop
    }

    fn is_bound_parameter(&self, name: &str) -> bool {
        let parameters = match self.current().kind {
            Kind::Function { parameters, .. } => Some(parameters),
            Kind::Lambda { parameters } => parameters,
            _ => None,
        };
        parameters.is_some_and(|p| p.iter().any(|p| p.name().as_str() == name))
    }
}

impl<'a> Visitor<'a> for Walk<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.with_checker(|checker, ctx| checker.visit_stmt(stmt, ctx));
        match stmt {
            Stmt::FunctionDef(f) => {
                self.bound_before_global(f.name.as_str(), f.name.range);
                for d in &f.decorator_list {
                    self.visit_decorator(d);
                }
                if let Some(t) = &f.type_params {
                    self.visit_type_params(t);
                }
                self.visit_signature(&f.parameters);
                if let Some(r) = &f.returns {
                    self.visit_annotation(r);
                }
                let kind = Kind::Function {
                    is_async: f.is_async,
                    parameters: &f.parameters,
                    body: &f.body,
                };
                self.in_scope(Scope::new(kind, globals_of(&f.body)), |w| {
                    let was = std::mem::replace(&mut w.in_try, false);
                    w.visit_body(&f.body);
                    w.in_try = was;
                });
            }
            Stmt::ClassDef(c) => {
                self.bound_before_global(c.name.as_str(), c.name.range);
                for d in &c.decorator_list {
                    self.visit_decorator(d);
                }
                if let Some(t) = &c.type_params {
                    self.visit_type_params(t);
                }
                if let Some(a) = &c.arguments {
                    self.debug_keywords(a);
                    self.visit_arguments(a);
                }
                self.in_scope(Scope::new(Kind::Class, globals_of(&c.body)), |w| {
                    w.visit_body(&c.body);
                });
            }
            Stmt::For(f) => {
                self.visit_expr(&f.iter);
                self.visit_expr(&f.target);
                self.in_loop(&f.body);
                self.visit_body(&f.orelse);
            }
            Stmt::While(w) => {
                self.visit_expr(&w.test);
                self.in_loop(&w.body);
                self.visit_body(&w.orelse);
            }
            Stmt::AugAssign(a) => {
                let was = self.augmented.replace(a.target.range());
                visitor::walk_stmt(self, stmt);
                self.augmented = was;
            }
            Stmt::Try(_) => {
                let was = std::mem::replace(&mut self.in_try, true);
                visitor::walk_stmt(self, stmt);
                self.in_try = was;
            }
            Stmt::ImportFrom(i) => {
                if i.module.as_deref() == Some("__future__")
                    && i.names.iter().any(|a| a.name.as_str() == "annotations")
                {
                    self.future_annotations = true;
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_annotation(&mut self, expr: &'a Expr) {
        // Before 3.10, postponed annotations were never looked at.
        if self.future_annotations && self.version < PythonVersion::PY310 {
            return;
        }
        visitor::walk_annotation(self, expr);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.with_checker(|checker, ctx| checker.visit_expr(expr, ctx));
        match expr {
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.visit_signature(p);
                }
                let kind = Kind::Lambda {
                    parameters: l.parameters.as_deref(),
                };
                self.in_scope(Scope::new(kind, HashMap::new()), |w| w.visit_expr(&l.body));
            }
            Expr::ListComp(ast::ExprListComp {
                elt, generators, ..
            })
            | Expr::SetComp(ast::ExprSetComp {
                elt, generators, ..
            }) => {
                self.visit_comprehension_scope(generators, Comprehension::Eager, &[elt]);
            }
            Expr::Generator(ast::ExprGenerator {
                elt, generators, ..
            }) => {
                self.visit_comprehension_scope(generators, Comprehension::Generator, &[elt]);
            }
            Expr::DictComp(ast::ExprDictComp {
                key,
                value,
                generators,
                ..
            }) => {
                let mut elements: Vec<&Expr> = key.iter().map(|k| &**k).collect();
                elements.push(value);
                self.visit_comprehension_scope(generators, Comprehension::Eager, &elements);
            }
            Expr::Await(_) => {
                self.await_in_nested_comprehension(expr.range());
                visitor::walk_expr(self, expr);
            }
            Expr::Call(c) => {
                self.debug_keywords(&c.arguments);
                visitor::walk_expr(self, expr);
            }
            Expr::Attribute(a) => {
                // CPython 3.8 refused the augmented form too.
                let augmented =
                    self.augmented == Some(a.range) && self.version >= PythonVersion::PY39;
                if a.ctx.is_store() && !augmented {
                    self.debug_name(a.attr.as_str(), a.attr.range);
                }
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(code: &str) -> Vec<String> {
        let parsed = ruff_python_parser::parse_module(code).unwrap();
        check(parsed.syntax(), code, PythonVersion::PY313)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_def_bound_before_its_global_declaration_is_an_error() {
        assert_eq!(
            errors("def f(): pass\nglobal f\n"),
            ["name 'f' is assigned to before global declaration"]
        );
        assert!(errors("global f\ndef f(): pass\n").is_empty());
    }

    #[test]
    fn nonlocal_needs_a_binding_in_an_enclosing_function() {
        assert!(!errors("def f():\n    def g():\n        nonlocal x\n").is_empty());
        assert!(errors("def f():\n    def g():\n        nonlocal x\n    x = 1\n").is_empty());
        assert!(
            !errors("def f():\n    global x\n    x = 1\n    def g():\n        nonlocal x\n")
                .is_empty()
        );
        assert!(
            !errors("x = 1\nclass C:\n    x = 1\n    def g(self):\n        nonlocal x\n")
                .is_empty()
        );
    }
}
