//! Loading a YAML stream of config documents (port of upstream
//! `pkg/machinery/config/configloader` and its internal decoder).
//!
//! Each document of the stream is classified by its keys (legacy v1alpha1
//! or `apiVersion` + `kind`), decoded strictly into its typed model, and
//! the result validated as a [`Container`]. Empty documents are skipped;
//! any error names the document and, for field errors, the field path and
//! its position. Loading never panics, whatever the input.

pub(crate) mod de;
pub(crate) mod node;

use std::collections::HashSet;

use serde::Deserialize;

use crate::container::{Container, Document};
use crate::error::{DocumentRef, Error};
use crate::v1alpha1;
use de::{DeError, NodeDe};
use node::{Kind, Node};

/// Loads a config stream and validates it as a container (upstream
/// `configloader.NewFromBytes`). An input with no document is an error.
pub fn load(input: &str) -> Result<Container, Error> {
    let documents = load_documents(input)?;
    if documents.is_empty() {
        return Err(Error::NoDocuments);
    }
    Container::new(documents)
}

/// Like [`load`], from bytes that must be UTF-8.
pub fn load_bytes(input: &[u8]) -> Result<Container, Error> {
    let text = std::str::from_utf8(input).map_err(|e| Error::Syntax {
        message: format!("invalid utf-8: {e}"),
        position: Default::default(),
    })?;
    load(text)
}

/// Decodes every non-empty document of a stream, in order, without the
/// container checks (upstream decoder with duplicates rejected).
pub fn load_documents(input: &str) -> Result<Vec<Document>, Error> {
    let raw = node::parse_stream(input)?;
    decode_roots(raw.iter().map(|doc| doc.root.as_ref()))
}

/// Decodes documents given as YAML trees, as [`load_documents`] decodes
/// the text [`talgen_yaml::emit_documents`] writes for them, without
/// writing or parsing that text. Null documents are skipped. Errors carry
/// no source position (there is no source); decode the emitted text when
/// one is needed.
pub fn load_nodes(documents: Vec<talgen_yaml::Node>) -> Result<Vec<Document>, Error> {
    let roots = documents
        .into_iter()
        .map(node::from_yaml_node)
        .collect::<Result<Vec<_>, _>>()?;
    decode_roots(roots.iter().map(Some))
}

/// The per-document part of loading: classify, reject duplicates, decode.
fn decode_roots<'a>(roots: impl Iterator<Item = Option<&'a Node>>) -> Result<Vec<Document>, Error> {
    let mut known = HashSet::new();
    let mut out = Vec::new();
    for (index, root) in roots.enumerate() {
        let Some(root) = root else { continue };
        match &root.kind {
            Kind::Map(_) => {}
            _ if root.is_null() => continue,
            _ => return Err(Error::NotAMapping { position: root.pos }),
        }
        let doc_ref = DocumentRef {
            index,
            api_version: find_value(root, "apiVersion"),
            kind: {
                let kind = find_value(root, "kind");
                if kind.is_empty() {
                    "v1alpha1".to_owned()
                } else {
                    kind
                }
            },
            name: find_value(root, "name"),
            position: root.pos,
        };
        let id = (
            doc_ref.api_version.clone(),
            doc_ref.kind.clone(),
            doc_ref.name.clone(),
        );
        if !known.insert(id) {
            return Err(Error::DuplicateDocument {
                api_version: doc_ref.api_version,
                kind: doc_ref.kind,
                name: doc_ref.name,
                position: root.pos,
            });
        }
        out.push(decode(root, &doc_ref)?);
    }
    Ok(out)
}

/// The text of a top-level scalar value (`xyaml.FindValue`), else empty.
fn find_value(root: &Node, key: &str) -> String {
    root.get(key)
        .filter(|v| !v.is_null())
        .and_then(Node::scalar)
        .unwrap_or("")
        .to_owned()
}

/// Keys whose presence marks the legacy document even without a version.
const LEGACY_KEYS: &[&str] = &["machine", "cluster", "debug", "persist"];

/// Reads `kind` and `apiVersion` the way upstream `decode` does.
///
/// Quirk (upstream `configloader/internal/decoder/decoder.go`): it walks the
/// mapping's keys *and values* as one flat list, so a value spelled `kind`
/// takes the following key as the kind; and a legacy key anywhere forces
/// version `v1alpha1`. Reproduced so the same inputs classify the same way.
fn classify(root: &Node, doc: &DocumentRef) -> Result<(String, String), Error> {
    let Kind::Map(entries) = &root.kind else {
        return Ok((String::new(), String::new()));
    };
    let flat: Vec<&Node> = entries.iter().flat_map(|(k, v)| [k, v]).collect();
    let (mut version, mut kind) = (String::new(), String::new());
    for (i, node) in flat.iter().enumerate() {
        let Some(text) = node.scalar() else { continue };
        let target = match text {
            "kind" => Some(("kind", &mut kind)),
            "apiVersion" => Some(("apiVersion", &mut version)),
            t if LEGACY_KEYS.contains(&t) => {
                version = "v1alpha1".to_owned();
                None
            }
            _ => None,
        };
        if let Some((field, slot)) = target {
            // Upstream indexes past the end here and recovers from the panic.
            let Some(next) = flat.get(i + 1) else {
                return Err(Error::BadMeta {
                    document: Box::new(doc.clone()),
                    field,
                });
            };
            *slot = match &next.kind {
                Kind::Scalar { value, .. } if !next.is_null() => value.clone(),
                Kind::Scalar { .. } => String::new(),
                _ => {
                    return Err(Error::BadMeta {
                        document: Box::new(doc.clone()),
                        field,
                    })
                }
            };
        }
    }
    Ok((version, kind))
}

fn decode(root: &Node, doc: &DocumentRef) -> Result<Document, Error> {
    let (version, kind) = classify(root, doc)?;
    let decoded = if version == v1alpha1::Config::VERSION && kind.is_empty() {
        v1alpha1::Config::deserialize(NodeDe::new(root)).map(Document::from)
    } else if kind.is_empty() {
        return Err(Error::MissingKind {
            document: Box::new(doc.clone()),
        });
    } else if version.is_empty() {
        return Err(Error::MissingApiVersion {
            document: Box::new(doc.clone()),
        });
    } else {
        let found = if version == crate::types::API_VERSION_V1ALPHA1 {
            Document::decode(&kind, root)
        } else {
            None
        };
        match found {
            Some(result) => result,
            None => {
                return Err(Error::UnknownKind {
                    document: Box::new(doc.clone()),
                    kind,
                    api_version: version,
                })
            }
        }
    };
    decoded.map_err(|e| field_error(e, doc))
}

fn field_error(e: DeError, doc: &DocumentRef) -> Error {
    let path = e.path();
    let position = e.position.unwrap_or(doc.position);
    match e.unknown_field {
        Some(field) => Error::UnknownField {
            document: Box::new(doc.clone()),
            field,
            path,
            position,
        },
        None => Error::InvalidValue {
            document: Box::new(doc.clone()),
            message: e.message,
            path,
            position,
        },
    }
}

#[doc(hidden)]
pub mod internal {
    //! Hooks for fuzzing.

    /// Loads `data` and, when it loads, checks that encoding, loading and
    /// encoding again gives the same bytes. Never panics on any input except a
    /// broken round trip.
    pub fn fuzz_load(data: &[u8]) {
        let Ok(container) = super::load_bytes(data) else {
            return;
        };
        let Ok(encoded) = container.encode() else {
            return;
        };
        #[allow(clippy::panic)]
        match super::load(&encoded).map(|again| again.encode()) {
            Ok(Ok(twice)) if twice == encoded => {}
            Ok(Ok(twice)) => panic!("encoding is not stable:\n{encoded}\n---- vs ----\n{twice}"),
            Ok(Err(e)) => panic!("reloaded config does not encode: {e}"),
            Err(e) => panic!("re-encoded config does not load: {e}\n{encoded}"),
        }
    }
}
