//! Name, kind and tier from a title such as `Async Patterns Sub-Rule (Tier 3)`.

/// What a title says about its rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TitleParts {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub tier: Option<i64>,
}

/// Split a title into name, kind and tier.
///
/// Handles `Name Kind (Tier N)`, `Name Kind (Kind2 - Tier N)` (the kind in the
/// parentheses wins), `Name (Tier N)`, `Name Kind — Tier N` and plain `Name`.
/// `kinds` are matched case-insensitively as whole words, longest first.
pub(crate) fn parse_title(title: &str, kinds: &[String]) -> TitleParts {
    let mut kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.len()));

    let title = title.trim();
    let (mut base, mut tier, mut inner_kind) = (title, None, None);

    if let Some((open, inner)) = trailing_group(title) {
        if let Some((t, rest)) = tier_phrase(inner) {
            tier = Some(t);
            base = title[..open].trim_end();
            let rest = rest.trim_matches(is_separator);
            inner_kind = kinds
                .iter()
                .find(|k| rest.eq_ignore_ascii_case(k))
                .map(|_| rest.to_string());
        }
    } else if let Some((at, t)) = trailing_tier(title) {
        tier = Some(t);
        base = title[..at]
            .trim_end()
            .trim_end_matches(is_separator)
            .trim_end();
    }

    let mut kind = None;
    for k in &kinds {
        if let Some(stem) = strip_suffix_word(base, k) {
            kind = Some(base[stem.len()..].trim().to_string());
            base = stem.trim_end().trim_end_matches(is_separator).trim_end();
            break;
        }
    }
    let kind = inner_kind.or(kind);
    let name = (!base.is_empty()).then(|| base.to_string());
    TitleParts { name, kind, tier }
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | ':' | ',' | '|' | ' ')
}

/// The last `( … )` or `[ … ]` group when the title ends with it.
fn trailing_group(title: &str) -> Option<(usize, &str)> {
    let (open_c, close_c) = match title.chars().last()? {
        ')' => ('(', ')'),
        ']' => ('[', ']'),
        _ => return None,
    };
    let close = title.len() - close_c.len_utf8();
    let open = title[..close].rfind(open_c)?;
    Some((open, &title[open + 1..close]))
}

/// `Tier 3` (also `tier-3`, `Tier: 3`) inside a group: the tier and the group's other text.
fn tier_phrase(inner: &str) -> Option<(i64, String)> {
    let lower = inner.to_ascii_lowercase();
    let at = lower.find("tier")?;
    let after = &inner[at + 4..];
    let digits_at = after.find(|c: char| !matches!(c, ' ' | '-' | ':'))?;
    let digits: String = after[digits_at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let tier = digits.parse().ok()?;
    let end = at + 4 + digits_at + digits.len();
    let rest = format!("{} {}", &inner[..at], &inner[end..]);
    Some((tier, rest.trim().to_string()))
}

/// `… — Tier 2` at the very end of a title, without parentheses.
fn trailing_tier(title: &str) -> Option<(usize, i64)> {
    let lower = title.to_ascii_lowercase();
    let at = lower.rfind("tier")?;
    if at == 0 || !title[..at].ends_with(|c: char| c == ' ' || is_separator(c)) {
        return None;
    }
    let before = title[..at].trim_end();
    if !before.ends_with(['-', '–', '—', ':', '|']) {
        return None;
    }
    let rest = title[at + 4..].trim_start_matches([' ', '-', ':']);
    let tier = rest.parse().ok()?;
    Some((at, tier))
}

/// `text` without a trailing whole word `word` (case-insensitive).
fn strip_suffix_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    if text.len() < word.len() {
        return None;
    }
    let split = text.len() - word.len();
    if !text.is_char_boundary(split) || !text[split..].eq_ignore_ascii_case(word) {
        return None;
    }
    let stem = &text[..split];
    (stem.is_empty() || stem.ends_with(' ')).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> Vec<String> {
        ["Sub-Rule", "Main Rule", "Rule"].map(String::from).to_vec()
    }

    fn parts(title: &str) -> (Option<&'static str>, Option<&'static str>, Option<i64>) {
        let p = parse_title(title, &kinds());
        (
            p.name.map(|s| &*s.leak()),
            p.kind.map(|s| &*s.leak()),
            p.tier,
        )
    }

    #[test]
    fn kind_and_tier_after_the_name() {
        assert_eq!(
            parts("Async Patterns Sub-Rule (Tier 3)"),
            (Some("Async Patterns"), Some("Sub-Rule"), Some(3))
        );
        assert_eq!(
            parts("Project Discovery Rule (Tier 2)"),
            (Some("Project Discovery"), Some("Rule"), Some(2))
        );
    }

    #[test]
    fn kind_inside_the_parentheses_wins() {
        assert_eq!(
            parts("TDD Enforcer Rule (Main Rule - Tier 2)"),
            (Some("TDD Enforcer"), Some("Main Rule"), Some(2))
        );
    }

    #[test]
    fn no_kind_word() {
        assert_eq!(
            parts("Component Context (Tier 2)"),
            (Some("Component Context"), None, Some(2))
        );
    }

    #[test]
    fn no_tier_at_all() {
        assert_eq!(
            parts("Core Operational Rules"),
            (Some("Core Operational Rules"), None, None)
        );
    }

    #[test]
    fn a_trailing_dash_tier_and_other_spellings() {
        assert_eq!(
            parts("Naming Rule — Tier 1"),
            (Some("Naming"), Some("Rule"), Some(1))
        );
        assert_eq!(
            parts("Naming Rule (tier-1)"),
            (Some("Naming"), Some("Rule"), Some(1))
        );
        assert_eq!(parts("Naming [Tier: 2]"), (Some("Naming"), None, Some(2)));
    }

    #[test]
    fn parentheses_without_a_tier_stay_in_the_name() {
        assert_eq!(
            parts("Error Handling (Rust)"),
            (Some("Error Handling (Rust)"), None, None)
        );
    }

    #[test]
    fn a_word_ending_in_a_kind_is_not_a_kind() {
        assert_eq!(parts("Overrule"), (Some("Overrule"), None, None));
        assert_eq!(parts("Rule (Tier 1)"), (None, Some("Rule"), Some(1)));
    }
}
