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

pub(super) fn siderolink(d: &SideroLinkConfig, s: &mut Scope<'_>) {
    let url = d.api_url.as_str();
    if url.is_empty() {
        s.error("apiUrl", "an API URL is required");
        return;
    }
    let u = crate::net::config_url(url);
    let path = u.decoded_path();
    if u.scheme != "https" && u.scheme != "grpc" {
        s.error("apiUrl", "the scheme must be https:// or grpc://");
    } else if !path.is_empty() && path != "/" {
        s.error("apiUrl", "the URL takes no path");
    }
}
