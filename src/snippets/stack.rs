//! Parsers recurse once per level of nesting, and so does dropping the
//! trees they build: a block with brackets nested thousands deep, or a
//! chain of operators (`- - - … 1`, `not not … x`), would overflow a worker
//! thread's stack and abort the whole run. Such a block is parsed on a stack
//! segment of its own (stacker), reserved but only used as deep as needed;
//! an ordinary block, which is most of them, runs where it is, since
//! reserving a segment costs a system call or two.

/// The reserved size of a grown stack: 1 GiB of address space.
const GROWN: usize = 1 << 30;

/// How deep brackets may nest, or operators chain, before a block counts as
/// deep.
const SHALLOW: usize = 64;

/// Run `parse` on `text`: on a grown stack when `text` is longer than
/// `plain_len` bytes or nests or chains more than 64 deep, else here.
pub(crate) fn run<T>(text: &str, plain_len: usize, parse: impl FnOnce() -> T) -> T {
    if text.len() > plain_len || is_deep(text) {
        stacker::grow(GROWN, parse)
    } else {
        parse()
    }
}

/// Whether brackets nest, or prefix operators (`-`, `!`, `*`, `&`, `~`,
/// `+`) follow one another (blanks aside), more than [`SHALLOW`] deep.
fn is_deep(text: &str) -> bool {
    nested_beyond(text, SHALLOW).is_some() || {
        let mut run = 0usize;
        text.bytes().any(|b| {
            match b {
                b'-' | b'!' | b'*' | b'&' | b'~' | b'+' => run += 1,
                b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => run = 0,
            }
            run > SHALLOW
        })
    }
}

/// The byte offset of the bracket (`(`, `[`, `{`) that opens nesting level
/// `limit + 1` in `text`, if brackets nest that deep. Brackets in strings
/// and comments count too: an upper bound is what callers need.
pub(crate) fn nested_beyond(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_blocks_are_told_apart() {
        assert!(!is_deep("fn main() { let x = [(1, 2)]; }"));
        assert!(is_deep(&format!(
            "x = {}1{}",
            "(".repeat(65),
            ")".repeat(65)
        )));
        assert!(is_deep(&format!("x = {}1", "- ".repeat(65))));
        assert!(!is_deep(&"a - b\n".repeat(1000)));
        assert_eq!(nested_beyond("f((x))", 1), Some(2));
        assert_eq!(nested_beyond("f((x)) (y)", 2), None);
        // Deep or not, the answer is the same.
        assert_eq!(run("x", 0, || 1), 1);
        assert_eq!(run(&"-".repeat(100), 1 << 20, || 2), 2);
    }
}
