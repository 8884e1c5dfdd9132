//! Go's `path/filepath` on Unix (`/` the only separator, no volume
//! names): the purely lexical path functions talosctl uses to name its
//! output files and Talos's validation uses to keep paths inside a base.
//!
//! ```
//! use talgen_gourl::filepath;
//!
//! assert_eq!(filepath::clean("./out//a/../worker.yaml"), "out/worker.yaml");
//! assert_eq!(filepath::join(&["out/", "talosconfig"]), "out/talosconfig");
//! assert_eq!(filepath::dir("out/worker.yaml"), "out");
//! ```

/// Go's `filepath.Clean`: the shortest lexically equal path. Repeated
/// slashes become one, `.` elements go, each `..` removes the element
/// before it (at the root, `..` is dropped; in a relative path, leading
/// `..` stay), no trailing slash but for `/` itself, and `.` for an
/// empty result.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// Go's `filepath.Join`: the non-empty elements joined with `/`, then
/// [`clean`]ed; empty when every element is empty.
pub fn join(elements: &[&str]) -> String {
    let parts: Vec<&str> = elements.iter().copied().filter(|e| !e.is_empty()).collect();
    if parts.is_empty() {
        return String::new();
    }
    clean(&parts.join("/"))
}

/// Go's `filepath.Dir`: everything up to the last `/`, [`clean`]ed (so
/// `.` when there is no `/`).
pub fn dir(path: &str) -> String {
    let head = path.rfind('/').and_then(|i| path.get(..=i)).unwrap_or("");
    clean(head)
}

/// Go's `filepath.IsLocal` on Unix: `path` is non-empty, relative, and
/// once [`clean`]ed does not climb above where it starts (`a/../b` is
/// local, `a/../../b` is not; `.` is).
pub fn is_local(path: &str) -> bool {
    if path.is_empty() || path.starts_with('/') {
        return false;
    }
    let cleaned = clean(path);
    !(cleaned == ".." || cleaned.starts_with("../"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_is_lexical_like_go() {
        for (raw, cleaned) in [
            ("out/worker.yaml", "out/worker.yaml"),
            ("./out//worker.yaml", "out/worker.yaml"),
            ("a/../b/./c", "b/c"),
            ("../a/../../b", "../../b"),
            ("/../x", "/x"),
            ("/", "/"),
            ("//", "/"),
            ("", "."),
            ("a/..", "."),
            ("a/", "a"),
            ("..", ".."),
            ("/a/b/../../..", "/"),
        ] {
            assert_eq!(clean(raw), cleaned, "{raw:?}");
        }
    }

    #[test]
    fn join_skips_empty_elements_like_go() {
        assert_eq!(join(&["a", "b"]), "a/b");
        assert_eq!(join(&["", "b"]), "b");
        assert_eq!(join(&["a", ""]), "a");
        assert_eq!(join(&["", ""]), "");
        assert_eq!(join(&[]), "");
        assert_eq!(join(&["/", "..", "x"]), "/x");
        assert_eq!(join(&["./d/", "init.yaml"]), "d/init.yaml");
    }

    #[test]
    fn dir_drops_the_last_element_like_go() {
        assert_eq!(dir("out/worker.yaml"), "out");
        assert_eq!(dir("worker.yaml"), ".");
        assert_eq!(dir("/worker.yaml"), "/");
        assert_eq!(dir("a//b/"), "a/b");
        assert_eq!(dir(""), ".");
    }

    #[test]
    fn is_local_refuses_absolute_and_climbing_paths_like_go() {
        for local in ["a", "a/b", ".", "a/../b", "./a", "a/", "..a", "a/.."] {
            assert!(is_local(local), "{local:?}");
        }
        for outside in ["", "/a", "..", "../a", "a/../..", "a/../../b", "./../a"] {
            assert!(!is_local(outside), "{outside:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn clean_is_idempotent(path in "[a./]{0,16}") {
            let once = clean(&path);
            proptest::prop_assert_eq!(clean(&once), once);
        }
    }
}
