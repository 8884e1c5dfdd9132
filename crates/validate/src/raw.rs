//! Facts about the config text that the typed model cannot keep: list and
//! map entries of the v1alpha1 document written as `null`. Talos decodes
//! those into nil pointers and rejects them; the model turns them into
//! empty values, so [`crate::validate_str`] finds them in the text.

use talgen_yaml::Node;

/// `null` entries of the v1alpha1 document, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NullEntries {
    /// Indexes of `machine.disks` entries that are null.
    pub(crate) disks: Vec<usize>,
    /// Keys of `machine.registries.config` entries that are null.
    pub(crate) registry_configs: Vec<String>,
    /// Keys of `machine.registries.mirrors` entries that are null.
    pub(crate) registry_mirrors: Vec<String>,
}

/// Whether a document node is the v1alpha1 document: a mapping without a
/// `kind` key (the loader reads such documents as v1alpha1 or rejects them).
fn is_v1alpha1(doc: &Node) -> bool {
    doc.as_mapping().is_some() && doc.get("kind").is_none()
}

/// The text of a mapping key, as Go would print it in a message.
fn key_text(key: &Node) -> String {
    match key {
        Node::String(s) | Node::Plain(s) => s.to_string(),
        other => talgen_yaml::emit(other).trim_end().to_owned(),
    }
}

/// Keys of the entries of `map` whose value is null.
fn null_keys(map: Option<&Node>) -> Vec<String> {
    map.and_then(Node::as_mapping)
        .map(|pairs| {
            pairs
                .iter()
                .filter(|(_, v)| v.is_null())
                .map(|(k, _)| key_text(k))
                .collect()
        })
        .unwrap_or_default()
}

/// Finds the null entries of the v1alpha1 document of `input`; text that
/// does not parse yields nothing (the loader reports it).
pub(crate) fn null_entries(input: &str) -> NullEntries {
    let Ok(docs) = talgen_yaml::from_str_documents(input) else {
        return NullEntries::default();
    };
    let Some(machine) = docs
        .iter()
        .find(|d| is_v1alpha1(d))
        .and_then(|d| d.get("machine"))
    else {
        return NullEntries::default();
    };
    let disks = machine
        .get("disks")
        .and_then(Node::as_sequence)
        .map(|items| {
            items
                .iter()
                .enumerate()
                .filter(|(_, d)| d.is_null())
                .map(|(i, _)| i)
                .collect()
        })
        .unwrap_or_default();
    let registries = machine.get("registries");
    NullEntries {
        disks,
        registry_configs: null_keys(registries.and_then(|r| r.get("config"))),
        registry_mirrors: null_keys(registries.and_then(|r| r.get("mirrors"))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_null_entries_of_the_legacy_document() {
        let input = "machine:\n  disks:\n    - device: /dev/sdb\n    - null\n  registries:\n    mirrors:\n      docker.io:\n      ghcr.io: {}\n    config:\n      a.io: ~\n---\napiVersion: v1alpha1\nkind: X\nmachine:\n  disks: [null]\n";
        let n = null_entries(input);
        assert_eq!(n.disks, vec![1]);
        assert_eq!(n.registry_mirrors, vec!["docker.io".to_owned()]);
        assert_eq!(n.registry_configs, vec!["a.io".to_owned()]);
    }

    #[test]
    fn nothing_for_other_text() {
        assert_eq!(null_entries("a: [\n"), NullEntries::default());
        assert_eq!(null_entries("machine: {}\n"), NullEntries::default());
    }
}
