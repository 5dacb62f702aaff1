//! Which rules run where, at what severity: `[lint]` in the configuration,
//! `--select` / `--ignore`, and per-path overrides, resolved once.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::{RuleKind, rules};
use crate::config::LintConfig;
use crate::diagnostic::{Diagnostic, Severity};

/// A configuration problem with rule codes or globs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError(
    /// What is wrong, naming the code, glob or level.
    pub String,
);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which command a plan is for: it decides which kinds of rules run at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// `lint`: every rule but the verdict rules (no checker runs).
    Lint,
    /// `check`, `watch`: every rule.
    Check,
    /// `snippets verify`: the rules about snippets (info strings and verdicts).
    Snippets,
}

impl Job {
    /// Whether rules of `kind` run in this job.
    pub fn runs(self, kind: RuleKind) -> bool {
        match self {
            Job::Lint => kind != RuleKind::Verdict,
            Job::Check => true,
            Job::Snippets => matches!(kind, RuleKind::InfoString | RuleKind::Verdict),
        }
    }
}

/// Rules enabled and their severities, for one document: the configuration,
/// the command line and the `[[lint.overrides]]` that match its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enabled {
    /// Indexed like `rules::ALL` (set-level rules follow per-document ones).
    on: Vec<bool>,
    /// `None`: the rule's own severity for each finding.
    severity: Vec<Option<Severity>>,
}

impl Enabled {
    /// Whether the rule with `code` (exact, upper case) runs; an unknown code
    /// does not.
    pub fn is_enabled(&self, code: &str) -> bool {
        rules::index_of(code).is_some_and(|i| self.on[i])
    }

    /// Whether the rule at `index` in `rules::ALL` runs.
    pub fn is_on(&self, index: usize) -> bool {
        self.on.get(index).copied().unwrap_or(false)
    }

    /// The finding at the configured severity, or `None` when its rule is off
    /// (or its code is not a rule's).
    pub fn apply_severity(&self, mut d: Diagnostic) -> Option<Diagnostic> {
        let i = rules::index_of(d.code)?;
        if !self.on[i] {
            return None;
        }
        if let Some(s) = self.severity[i] {
            d.severity = s;
        }
        Some(d)
    }
}

/// `[[lint.overrides]]`, resolved: the paths, the code prefixes to turn off,
/// and the severities to set (`None` is `off`).
#[derive(Debug, Clone)]
struct Override {
    paths: GlobSet,
    ignore: Vec<String>,
    severity: Vec<(String, Option<Severity>)>,
}

/// The resolved lint plan.
#[derive(Debug, Clone)]
pub struct Plan {
    base: Enabled,
    overrides: Vec<Override>,
    base_dir: std::path::PathBuf,
}

impl Plan {
    /// The plan for `job`, with `select` / `ignore` from the command line:
    /// `select` replaces the configured one, `ignore` adds to it. Codes are
    /// prefixes (`RD2`), case-insensitive, or `ALL`. Rules whose kind `job`
    /// does not run are off whatever is selected. `[[lint.overrides]] paths`
    /// are globs (globset syntax) matched against a document's path relative
    /// to `base_dir`, the configuration's folder.
    ///
    /// # Errors
    ///
    /// A code or prefix that matches no rule, a severity that is not one of
    /// `error`, `warning`, `info`, `off`, or a bad `[[lint.overrides]]` glob.
    pub fn new(
        config: &LintConfig,
        job: Job,
        select: &[String],
        ignore: &[String],
        base_dir: &Path,
    ) -> Result<Self, PlanError> {
        let select = if select.is_empty() {
            &config.select
        } else {
            select
        };
        let ignore: Vec<String> = config.ignore.iter().chain(ignore).cloned().collect();
        let mut on = vec![false; rules::count()];
        for (i, rule) in rules::ALL.iter().enumerate() {
            let m = rule.meta();
            on[i] = job.runs(m.kind)
                && (select.is_empty() || matches_any(m.code, select)?)
                && !matches_any(m.code, &ignore)?;
        }
        let mut severity = vec![None; rules::count()];
        for (code, level) in &config.severity {
            let level = parse_level(code, level)?;
            for (i, c) in rules::codes().enumerate() {
                if matches(c, code)? {
                    match level {
                        Some(s) => severity[i] = Some(s),
                        None => on[i] = false,
                    }
                }
            }
        }
        let mut overrides = Vec::new();
        for o in &config.overrides {
            let mut b = GlobSetBuilder::new();
            for p in &o.paths {
                b.add(
                    Glob::new(p)
                        .map_err(|e| PlanError(format!("[[lint.overrides]] paths: `{p}`: {e}")))?,
                );
            }
            let set = b.build().map_err(|e| PlanError(e.to_string()))?;
            let ignore = o
                .ignore
                .iter()
                .map(|p| validate(p))
                .collect::<Result<Vec<_>, _>>()?;
            let sev = o
                .severity
                .iter()
                .map(|(c, l)| Ok((validate(c)?, parse_level(c, l)?)))
                .collect::<Result<Vec<_>, PlanError>>()?;
            overrides.push(Override {
                paths: set,
                ignore,
                severity: sev,
            });
        }
        Ok(Plan {
            base: Enabled { on, severity },
            overrides,
            base_dir: base_dir.to_path_buf(),
        })
    }

    /// Every rule `job` runs, at its own severity, with no overrides.
    pub fn all(job: Job) -> Self {
        Plan {
            base: Enabled {
                on: rules::ALL.iter().map(|r| job.runs(r.meta().kind)).collect(),
                severity: vec![None; rules::count()],
            },
            overrides: Vec::new(),
            base_dir: std::path::PathBuf::new(),
        }
    }

    /// The rules for the document at `abs_path`: the base plan, then every
    /// override whose globs match, in configuration order (a later severity
    /// replaces an earlier one; a rule an override turns off stays off).
    pub fn for_path(&self, abs_path: &Path) -> Enabled {
        let mut enabled = self.base.clone();
        if self.overrides.is_empty() {
            return enabled;
        }
        let rel = abs_path.strip_prefix(&self.base_dir).unwrap_or(abs_path);
        for o in &self.overrides {
            if !o.paths.is_match(rel) {
                continue;
            }
            for (i, code) in rules::codes().enumerate() {
                if o.ignore.iter().any(|p| code.starts_with(p.as_str())) {
                    enabled.on[i] = false;
                }
                for (pat, level) in &o.severity {
                    if code.starts_with(pat.as_str()) {
                        match level {
                            Some(s) => enabled.severity[i] = Some(*s),
                            None => enabled.on[i] = false,
                        }
                    }
                }
            }
        }
        enabled
    }
}

fn parse_level(code: &str, level: &str) -> Result<Option<Severity>, PlanError> {
    if level == "off" {
        return Ok(None);
    }
    Severity::parse(level).map(Some).ok_or_else(|| {
        PlanError(format!(
            "severity of {code}: `{level}` is not one of error, warning, info, off"
        ))
    })
}

fn matches_any(code: &str, patterns: &[String]) -> Result<bool, PlanError> {
    let mut any = false;
    for p in patterns {
        any |= matches(code, p)?;
    }
    Ok(any)
}

/// `pattern` is `ALL`, a code, or a code prefix such as `RD2`; anything that
/// matches no rule at all is an error, so typos do not pass silently.
fn matches(code: &str, pattern: &str) -> Result<bool, PlanError> {
    let p = validate(pattern)?;
    Ok(code.starts_with(&p))
}

/// Check a `--select` / `--ignore` pattern from the command line.
///
/// # Errors
///
/// A pattern that is not `ALL`, a code or a code prefix of some rule.
pub fn check_pattern(pattern: &str) -> Result<(), PlanError> {
    validate(pattern).map(|_| ())
}

/// The pattern as a code prefix (`ALL` is the empty prefix); a rule's name
/// (`over-budget`, as `ruledoc rules` lists it) is its code.
fn validate(pattern: &str) -> Result<String, PlanError> {
    let named = rules::ALL
        .iter()
        .map(|r| r.meta())
        .find(|m| m.name.eq_ignore_ascii_case(pattern.trim()));
    if let Some(m) = named {
        return Ok(m.code.to_string());
    }
    let p = pattern.trim().to_ascii_uppercase();
    if p == "ALL" {
        return Ok(String::new());
    }
    if p.is_empty() || !rules::codes().any(|c| c.starts_with(&p)) {
        return Err(PlanError(format!(
            "`{pattern}` is not a rule code, prefix or name (see `ruledoc rules`)"
        )));
    }
    Ok(p)
}
