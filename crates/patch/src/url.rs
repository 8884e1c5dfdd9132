//! Merging two URL strings the way Go merges two `url.URL` structs.
//!
//! Talos keeps endpoint URLs as `*url.URL` (`v1alpha1.Endpoint`, `meta.URL`),
//! and its reflection merge walks into the struct: every non-empty component
//! of the patch's URL replaces the config's, empty ones leave it. So patching
//! `https://10.0.0.1` over `https://127.0.0.1:6443/` keeps the trailing `/`
//! path. This module splits URLs into Go's components (a small port of
//! `net/url.Parse` for the shapes configs use) and joins them back like
//! `URL.String`.

/// The components of `net/url.URL` the merge looks at.
#[derive(Debug, Default, PartialEq)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<String>,
    host: String,
    omit_host: bool,
    path: String,
    force_query: bool,
    raw_query: String,
    fragment: String,
}

fn parse(raw: &str) -> Url {
    let mut u = Url::default();
    let (rest, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    u.fragment = fragment.to_string();
    let mut rest = rest;
    if let Some((scheme, after)) = split_scheme(rest) {
        u.scheme = scheme.to_ascii_lowercase();
        rest = after;
    }
    if let Some((before, query)) = rest.split_once('?') {
        u.force_query = query.is_empty();
        u.raw_query = query.to_string();
        rest = before;
    }
    if !rest.starts_with('/') && !u.scheme.is_empty() {
        u.opaque = rest.to_string();
        return u;
    }
    if let Some(after) = rest.strip_prefix("//") {
        let (authority, path) = match after.find('/') {
            Some(i) => after.split_at(i),
            None => (after, ""),
        };
        match authority.rsplit_once('@') {
            Some((user, host)) => {
                u.user = Some(user.to_string());
                u.host = host.to_string();
            }
            None => u.host = authority.to_string(),
        }
        rest = path;
    } else if !u.scheme.is_empty() && rest.starts_with('/') {
        u.omit_host = true;
    }
    u.path = rest.to_string();
    u
}

/// `getScheme`: letters first, then letters, digits, `+`, `-`, `.`, up to `:`.
fn split_scheme(raw: &str) -> Option<(&str, &str)> {
    for (i, c) in raw.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i > 0 => return Some((raw.get(..i)?, raw.get(i + 1..)?)),
            _ => return None,
        }
    }
    None
}

fn render(u: &Url) -> String {
    let mut out = String::new();
    if !u.scheme.is_empty() {
        out.push_str(&u.scheme);
        out.push(':');
    }
    if !u.opaque.is_empty() {
        out.push_str(&u.opaque);
    } else {
        let omit = u.omit_host && u.host.is_empty() && u.user.is_none();
        if !omit && (!u.scheme.is_empty() || !u.host.is_empty() || u.user.is_some()) {
            if !u.host.is_empty() || !u.path.is_empty() || u.user.is_some() {
                out.push_str("//");
            }
            if let Some(user) = &u.user {
                out.push_str(user);
                out.push('@');
            }
            out.push_str(&u.host);
        }
        if !u.path.is_empty() && !u.path.starts_with('/') && !u.host.is_empty() {
            out.push('/');
        }
        out.push_str(&u.path);
    }
    if u.force_query || !u.raw_query.is_empty() {
        out.push('?');
        out.push_str(&u.raw_query);
    }
    if !u.fragment.is_empty() {
        out.push('#');
        out.push_str(&u.fragment);
    }
    out
}

/// Merges URL `right` into URL `left` component by component.
pub(crate) fn merge(left: &str, right: &str) -> String {
    let mut l = parse(left);
    let r = parse(right);
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
    render(&l)
}

#[cfg(test)]
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
    fn round_trips_common_shapes() {
        for u in [
            "https://base:6443",
            "https://u:p@h/p?q=1#f",
            "tcp://1.2.3.4:5",
            "unix:/run/x",
            "/just/path",
        ] {
            assert_eq!(render(&parse(u)), u);
        }
    }
}
