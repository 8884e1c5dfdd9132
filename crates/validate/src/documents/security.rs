//! Image verification and SideroLink kinds
//! (`types/security/image_verification.go`, `types/siderolink/siderolink.go`).

use talgen_config::types::security::ImageVerificationConfig;
use talgen_config::types::siderolink::SideroLinkConfig;

use crate::report::Scope;

pub(super) fn image_verification(d: &ImageVerificationConfig, s: &mut Scope<'_>) {
    for (i, rule) in d.rules.iter().enumerate() {
        let path = format!("rules[{i}]");
        let pattern = rule.image.as_str();
        if pattern.is_empty() {
            s.error(&format!("{path}.image"), "an image pattern is required");
        }
        // Patterns match registry and repository only, never tags or digests.
        if pattern.contains('@') {
            s.warn(
                &format!("{path}.image"),
                "'@' in a pattern never matches: only registry and repository are compared",
            );
        }
        // A ':' before the first '/' may be a registry port; after it, it is a tag.
        if pattern
            .split_once('/')
            .is_some_and(|(_, repo)| repo.contains(':'))
        {
            s.warn(
                &format!("{path}.image"),
                "':' in the repository part never matches: tags are not compared",
            );
        }
        if !pattern.contains('/') && pattern != "*" && !pattern.is_empty() {
            s.warn(
                &format!("{path}.image"),
                "a pattern without '/' is compared to normalized names such as docker.io/nginx",
            );
        }
        let skip = rule.skip == Some(true);
        let deny = rule.deny == Some(true);
        let verifiers = rule.keyless.is_some() || rule.public_key.is_some();
        if skip && deny {
            s.error(&path, "skip and deny exclude each other");
        }
        if (skip || deny) && verifiers {
            s.error(&path, "a rule that skips or denies takes no verifier");
        }
        if !skip && !deny && !verifiers {
            s.error(&path, "a verifier is required");
        }
        if rule.keyless.is_some() && rule.public_key.is_some() {
            s.error(&path, "keyless and publicKey verifiers exclude each other");
        }
        if let Some(k) = &rule.keyless {
            if k.issuer.is_empty() {
                s.error(
                    &format!("{path}.keyless.issuer"),
                    "an OIDC issuer is required",
                );
            }
            if k.subject.is_empty() && k.subject_regex.is_empty() {
                s.error(
                    &format!("{path}.keyless.subject"),
                    "a subject or subjectRegex is required",
                );
            }
        }
        if let Some(p) = &rule.public_key {
            if p.certificate.is_empty() {
                s.error(
                    &format!("{path}.publicKey.certificate"),
                    "a certificate is required",
                );
            }
        }
    }
}

/// Scheme (lower-cased) and path of a URL as Go's `url.Parse` splits them;
/// an opaque URL (`scheme:rest`) has an empty path.
fn scheme_and_path(url: &str) -> (String, &str) {
    let scheme = url
        .split_once(':')
        .map(|(sc, _)| sc)
        .filter(|sc| {
            sc.starts_with(|c: char| c.is_ascii_alphabetic())
                && sc
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
        .unwrap_or("");
    let rest = if scheme.is_empty() {
        url
    } else {
        url.get(scheme.len() + 1..).unwrap_or_default()
    };
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let path = if let Some(after) = rest.strip_prefix("//") {
        after
            .find('/')
            .and_then(|i| after.get(i..))
            .unwrap_or_default()
    } else if rest.starts_with('/') || scheme.is_empty() {
        rest
    } else {
        ""
    };
    (scheme.to_ascii_lowercase(), path)
}

pub(super) fn siderolink(d: &SideroLinkConfig, s: &mut Scope<'_>) {
    let url = d.api_url.as_str();
    if url.is_empty() {
        s.error("apiUrl", "an API URL is required");
        return;
    }
    let (scheme, path) = scheme_and_path(url);
    if scheme != "https" && scheme != "grpc" {
        s.error("apiUrl", "the scheme must be https:// or grpc://");
    } else if !path.is_empty() && path != "/" {
        s.error("apiUrl", "the URL takes no path");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::scheme_and_path;

    #[test]
    fn url_split() {
        assert_eq!(
            scheme_and_path("HTTPS://a:1/?t=x"),
            ("https".to_owned(), "/")
        );
        assert_eq!(scheme_and_path("grpc://a:1"), ("grpc".to_owned(), ""));
        assert_eq!(scheme_and_path("https://a/b#c"), ("https".to_owned(), "/b"));
        assert_eq!(scheme_and_path("a.b:443"), ("a.b".to_owned(), ""));
        assert_eq!(scheme_and_path("/x"), (String::new(), "/x"));
    }
}
