//! Merging two URL strings the way Go merges two `url.URL` structs.
//!
//! Talos keeps endpoint URLs as `*url.URL` (`v1alpha1.Endpoint`, `meta.URL`),
//! and its reflection merge walks into the struct: every non-empty component
//! of the patch's URL replaces the config's, empty ones leave it. So patching
//! `https://10.0.0.1` over `https://127.0.0.1:6443/` keeps the trailing `/`
//! path. Both URLs are split into Go's components by `talgen-gourl` and the
//! merged one is printed as Go's `URL.String` prints it.

use talgen_gourl::GoUrl;

/// Merges URL `right` into URL `left` component by component.
///
/// A URL Go's `url.Parse` refuses never reaches Go's merge (loading the
/// document fails first); such a pair merges like any other string field,
/// the non-empty `right` replacing `left`.
pub(crate) fn merge(left: &str, right: &str) -> String {
    let (Ok(mut l), Ok(r)) = (GoUrl::parse(left), GoUrl::parse(right)) else {
        return if right.is_empty() { left } else { right }.to_owned();
    };
    for (dst, src) in [
        (&mut l.scheme, r.scheme),
        (&mut l.opaque, r.opaque),
        (&mut l.host, r.host),
        (&mut l.path, r.path),
        (&mut l.raw_query, r.raw_query),
        (&mut l.fragment, r.fragment),
    ] {
        if !src.is_empty() {
            *dst = src;
        }
    }
    if r.user.is_some() {
        l.user = r.user;
    }
    // Go always copies booleans.
    l.force_query = r.force_query;
    l.omit_host = r.omit_host;
    l.to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn empty_path_keeps_the_configs() {
        assert_eq!(
            merge("https://127.0.0.1:6643/", "https://10.0.0.1"),
            "https://10.0.0.1/"
        );
    }

    #[test]
    fn query_and_path_replace() {
        assert_eq!(
            merge(
                "https://a/join?token=x&user=alice",
                "https://a/join?token=x&user=bob"
            ),
            "https://a/join?token=x&user=bob"
        );
        assert_eq!(merge("https://a:1/x", "http://b/y#f"), "http://b/y#f");
    }

    #[test]
    fn merging_a_url_with_itself_keeps_it() {
        let same = |u: &str| merge(u, u);
        assert_eq!(same("https://u:p@h/p?q=1#f"), "https://u:p@h/p?q=1#f");
        assert_eq!(
            same("https://[fd00::1]:6443/a%2Fb"),
            "https://[fd00::1]:6443/a%2Fb"
        );
        // `unix:/run/x` has no authority: Go's `OmitHost` is copied along.
        assert_eq!(same("unix:/run/x"), "unix:/run/x");
        assert_eq!(same("/just/path"), "/just/path");
    }

    // Go prints the merged struct, so components are escaped as Go
    // escapes them (the former string-level merge kept them as written).
    #[test]
    fn merged_url_prints_like_go() {
        assert_eq!(merge("https://a/x", "https://b/a b"), "https://b/a%20b");
        assert_eq!(merge("https://a/x", "https://é"), "https://%C3%A9/x");
        assert_eq!(merge("https://a/x", "https://a@b@c"), "https://a%40b@c/x");
    }

    #[test]
    fn urls_go_refuses_merge_as_strings() {
        assert_eq!(merge("https://a/x", "https://b:1:2"), "https://b:1:2");
        assert_eq!(merge("https://a b/x", "https://c"), "https://c");
        assert_eq!(merge("https://a b/x", ""), "https://a b/x");
    }
}
