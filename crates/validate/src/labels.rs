//! Kubernetes label, annotation and taint syntax (upstream
//! `pkg/machinery/labels`), without regular expressions.

use std::collections::BTreeMap;

/// Annotations Talos keeps for its own bookkeeping.
const RESERVED_ANNOTATIONS: &[&str] = &[
    "talos.dev/owned-labels",
    "talos.dev/owned-annotations",
    "talos.dev/owned-taints",
];

/// Taint effects Kubernetes knows.
const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// Upper bound on the summed size of annotation keys and values.
const ANNOTATIONS_SIZE_LIMIT: usize = 256 * 1024;

fn is_dns1123_label(l: &str) -> bool {
    let b = l.as_bytes();
    let edge = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.first().is_some_and(edge)
        && b.last().is_some_and(edge)
        && b.iter().all(|c| edge(c) || *c == b'-')
}

pub(crate) fn check_dns1123_subdomain(value: &str) -> Result<(), String> {
    if value.len() > 253 {
        return Err(format!("domain {value:?} is longer than 253 bytes"));
    }
    if !value.split('.').all(is_dns1123_label) {
        return Err(format!(
            "domain {value:?} is not a lower-case DNS subdomain"
        ));
    }
    Ok(())
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`
fn is_qualified_name_part(name: &str) -> bool {
    let b = name.as_bytes();
    let edge = |c: &u8| c.is_ascii_alphanumeric();
    b.first().is_some_and(edge)
        && b.last().is_some_and(edge)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A label or annotation key: optional DNS-subdomain prefix and `/`, then a
/// name of at most 63 characters.
pub(crate) fn check_qualified_name(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                return Err(format!("key {value:?} has an empty prefix"));
            }
            check_dns1123_subdomain(prefix)
                .map_err(|e| format!("key {value:?} has a bad prefix: {e}"))?;
            *name
        }
        _ => return Err(format!("key {value:?} has more than one slash")),
    };
    if name.is_empty() {
        return Err(format!("key {value:?} has an empty name"));
    }
    if name.len() > 63 {
        return Err(format!("key {value:?} is longer than 63 characters"));
    }
    if !is_qualified_name_part(name) {
        return Err(format!("key name {name:?} has invalid characters"));
    }
    Ok(())
}

/// A label value: empty, or a qualified-name part of at most 63 characters.
pub(crate) fn check_label_value(value: &str) -> Result<(), String> {
    if value.len() > 63 {
        return Err(format!(
            "label value {value:?} is longer than 63 characters"
        ));
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        return Err(format!("label value {value:?} has invalid characters"));
    }
    Ok(())
}

/// Every problem with a label map, keys in sorted order.
pub(crate) fn check_labels(labels: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in labels {
        out.extend(check_qualified_name(k).err());
        out.extend(check_label_value(v).err());
    }
    out
}

/// Every problem with an annotation map.
pub(crate) fn check_annotations(annotations: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut size = 0;
    for (k, v) in annotations {
        out.extend(check_qualified_name(k).err());
        if RESERVED_ANNOTATIONS.contains(&k.as_str()) {
            out.push(format!("annotation {k:?} is reserved for Talos"));
        }
        size += k.len() + v.len();
    }
    if size > ANNOTATIONS_SIZE_LIMIT {
        out.push(format!(
            "annotations total more than {ANNOTATIONS_SIZE_LIMIT} bytes"
        ));
    }
    out
}

/// Every problem with a taint map (`key: [value:]Effect`).
pub(crate) fn check_taints(taints: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in taints {
        if let Err(e) = check_qualified_name(k) {
            out.push(e);
            continue;
        }
        let (value, effect) = match v.split_once(':') {
            Some((value, effect)) => (Some(value), effect),
            None => (None, v.as_str()),
        };
        if !TAINT_EFFECTS.contains(&effect) {
            out.push(format!(
                "taint effect {effect:?} is not one of {TAINT_EFFECTS:?}"
            ));
            continue;
        }
        if let Some(value) = value {
            out.extend(check_label_value(value).err());
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    // Upstream labels TestValidate cases.
    #[test]
    fn labels() {
        assert!(check_labels(&map(&[("topology.kubernetes.io/zone", "zone-a")])).is_empty());
        assert!(check_labels(&map(&[("a", "")])).is_empty());
        assert_eq!(check_labels(&map(&[("/a", "b")])).len(), 1);
        assert_eq!(check_labels(&map(&[("a/b/c", "b")])).len(), 1);
        assert_eq!(check_labels(&map(&[("Foo.com/a", "b")])).len(), 1);
        assert_eq!(check_labels(&map(&[("a", "-b")])).len(), 1);
        assert_eq!(check_labels(&map(&[(&"a".repeat(64), "b")])).len(), 1);
        assert_eq!(check_labels(&map(&[("a", &"b".repeat(64))])).len(), 1);
    }

    #[test]
    fn annotations() {
        assert!(check_annotations(&map(&[("a", "any value at all!")])).is_empty());
        assert_eq!(
            check_annotations(&map(&[("talos.dev/owned-labels", "x")])).len(),
            1
        );
    }

    #[test]
    fn taints() {
        assert!(check_taints(&map(&[("a", "NoSchedule"), ("b", "v:NoExecute")])).is_empty());
        assert_eq!(check_taints(&map(&[("a", "Sometimes")])).len(), 1);
        assert_eq!(check_taints(&map(&[("a", "-v:NoSchedule")])).len(), 1);
    }
}
