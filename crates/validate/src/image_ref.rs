//! Image references as go-containerregistry's `name.ParseReference` reads
//! them with default options: a tag reference first, else a digest one.
//! Used by the ContainerConfig rules, which reject unparsable images and
//! warn about images not pinned by digest.

/// Characters a tag may hold (`tagChars`).
const TAG_CHARS: &str = "abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// Characters a repository path may hold (`repositoryChars`).
const REPOSITORY_CHARS: &str = "abcdefghijklmnopqrstuvwxyz0123456789_-./";

/// What a reference parsed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reference {
    /// `repo[:tag]`, the tag defaulting to `latest`.
    Tag,
    /// `repo[:tag]@sha256:<hex>`.
    Digest,
}

/// `checkElement`: a length window in characters and an alphabet.
fn check_element(what: &str, value: &str, alphabet: &str, max: usize) -> Result<(), String> {
    let n = value.chars().count();
    if n < 1 || n > max {
        return Err(format!(
            "{what} must be between 1 and {max} characters long: {value:?}"
        ));
    }
    if let Some(c) = value.chars().find(|c| !alphabet.contains(*c)) {
        return Err(format!("{what} {value:?} holds the character {c:?}"));
    }
    Ok(())
}

/// `checkRegistry`: the text must survive Go's `url.Parse("//" + name)` as
/// the whole host. Approximated by the host alphabet `net/url` accepts and
/// a numeric port.
fn check_registry(name: &str) -> Result<(), String> {
    let host_char = |c: char| {
        !c.is_ascii() || c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:[]<>\"".contains(c)
    };
    let bad = || Err(format!("registry {name:?} is not a valid URI authority"));
    if !name.chars().all(host_char) {
        return bad();
    }
    // A port, when present, follows the last ':' outside brackets.
    let port = match name.rfind(']') {
        Some(close) => name.get(close + 1..).and_then(|r| r.strip_prefix(':')),
        None if name.starts_with('[') => return bad(),
        None => name.rfind(':').and_then(|i| name.get(i + 1..)),
    };
    if port.is_some_and(|p| !p.chars().all(|c| c.is_ascii_digit())) {
        return bad();
    }
    Ok(())
}

/// `NewRepository`: an optional registry (first path element holding `.`
/// or `:`, or `localhost`), then the repository path.
fn check_repository(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a repository name is required".to_owned());
    }
    let (registry, repo) = match name.split_once('/') {
        Some((first, rest)) if first == "localhost" || first.contains(['.', ':']) => (first, rest),
        _ => ("", name),
    };
    check_element("repository", repo, REPOSITORY_CHARS, 255)?;
    check_registry(registry)
}

/// `NewTag` with default options.
fn parse_tag(name: &str) -> Result<(), String> {
    let mut base = name;
    if let Some((head, tag)) = name.rsplit_once(':') {
        if !tag.contains('/') {
            if tag.is_empty() {
                return Err(format!("{name:?} has no tag after the colon"));
            }
            check_element("tag", tag, TAG_CHARS, 128)?;
            base = head;
        }
    }
    check_repository(base)
}

/// `NewDigest`: exactly one `@`, a sha256 digest, and a base that is a
/// repository with an optional tag.
fn parse_digest(name: &str) -> Result<(), String> {
    let mut parts = name.split('@');
    let (Some(base), Some(digest), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("{name:?} does not hold exactly one '@'"));
    };
    let Some(hex) = digest.strip_prefix("sha256:") else {
        return Err(format!("digest {digest:?} is not sha256"));
    };
    if hex.len() != 64 || !hex.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
        return Err(format!("digest {digest:?} is not 64 lower-case hex digits"));
    }
    parse_tag(base)
}

/// Parses an image reference, tag form first, as `name.ParseReference` does.
pub(crate) fn parse(reference: &str) -> Result<Reference, String> {
    if parse_tag(reference).is_ok() {
        return Ok(Reference::Tag);
    }
    match parse_digest(reference) {
        Ok(()) => Ok(Reference::Digest),
        Err(e) => Err(format!("invalid image reference {reference:?}: {e}")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn tags() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "docker.io/library/nginx:1.27",
            "localhost/foo",
            "localhost:5000/foo/bar:v1",
            "[::1]:5000/foo",
        ] {
            assert_eq!(parse(ok), Ok(Reference::Tag), "{ok}");
        }
    }

    #[test]
    fn digests() {
        assert_eq!(parse(&format!("nginx@sha256:{HEX}")), Ok(Reference::Digest));
        assert_eq!(
            parse(&format!("ghcr.io/a/b:v1@sha256:{HEX}")),
            Ok(Reference::Digest)
        );
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "Nginx",
            "nginx:",
            "nginx@sha256:abc",
            "nginx@md5:abc",
            "a b",
            "ghcr.io:x/foo",
            &format!("nginx@sha256:{HEX}@x"),
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
