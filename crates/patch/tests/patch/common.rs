//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};

/// Reads a file of the upstream corpus as text.
pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// `@path` arguments for the patch loader.
pub(crate) fn args(dir: &Path, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|n| format!("@{}", dir.join(n).display()))
        .collect()
}

/// The upstream `configpatcher` folder, or `None` to skip.
pub(crate) fn configpatcher_dir() -> Option<PathBuf> {
    talgen_testutil::upstream_dir().map(|d| d.join("configpatcher"))
}
