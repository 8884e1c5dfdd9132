//! Unified diffs between revisions' files.

/// A unified diff of `a` against `b` with three lines of context; empty
/// when they are equal.
pub(crate) fn unified(a_name: &str, b_name: &str, a: &str, b: &str) -> String {
    if a == b {
        return String::new();
    }
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(3)
        .header(a_name, b_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_is_empty_and_changes_are_marked() {
        assert_eq!(super::unified("a", "b", "x\n", "x\n"), "");
        let d = super::unified("a", "b", "x\ny\n", "x\nz\n");
        assert!(d.starts_with("--- a\n+++ b\n"), "{d}");
        assert!(d.contains("-y\n+z\n"), "{d}");
    }
}
