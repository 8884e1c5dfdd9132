//! Applying a list of patches to a config, in order.
//!
//! Ports `configpatcher/apply.go` and `strategic.go`: the config travels
//! either as bytes or as documents, converting only when the next patch
//! needs the other form. JSON patches work on the bytes (through JSON),
//! strategic patches on the documents: documents with the same
//! `apiVersion/kind/name` merge, delete directives remove, and a patch
//! document matching nothing is appended.

use crate::delete::{apply_selector, Applied};
use crate::error::{PatchError, Result};
use crate::json6902::apply_ops;
use crate::load::{doc_id, identify, Item, JsonPatch, Patch, StrategicPatch};
use crate::merge::merge_document;
use crate::typed;
use crate::value::{parse_documents, Value};

/// `apiVersion/kind[/name]`, the key documents are matched by.
pub(crate) fn make_id(api_version: &str, kind: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{api_version}/{kind}/{name}"),
        None => format!("{api_version}/{kind}"),
    }
}

/// The config between two patches: raw bytes, decoded documents, or the
/// typed container a strategic merge leaves (turned into bytes or
/// documents only when the next step needs them, so a run of strategic
/// patches never goes through YAML text).
enum State {
    Bytes(Vec<u8>),
    Docs(Vec<Value>),
    Typed(talgen_config::Container),
}

/// How documents are decoded into the typed model between patches.
#[derive(Clone, Copy)]
enum Decode {
    /// Documents are moved into the decoder; a failure says only that
    /// decoding failed (no source position), and the caller starts over
    /// with [`Decode::Exact`] for the error to report.
    Fast,
    /// Documents are kept so that a failure is the one loading their
    /// emitted text reports, positions included.
    Exact,
}

impl Decode {
    fn container(self, docs: Vec<Value>) -> Result<talgen_config::Container> {
        match self {
            Decode::Fast => typed::container_owned(docs),
            Decode::Exact => typed::container(&docs),
        }
    }
}

/// Runs `run` fast and, if it fails, again in exact mode: errors are rare,
/// and only the exact run knows their precise wording.
fn fast_then_exact<T>(run: impl Fn(Decode) -> Result<T>) -> Result<T> {
    run(Decode::Fast).or_else(|_| run(Decode::Exact))
}

impl State {
    fn bytes(self) -> Result<Vec<u8>> {
        match self {
            State::Bytes(b) => Ok(b),
            State::Docs(d) => typed::encode(&d),
            State::Typed(c) => Ok(c.encode()?.into_bytes()),
        }
    }

    fn docs(self, decode: Decode) -> Result<Vec<Value>> {
        match self {
            State::Docs(d) => Ok(d),
            State::Bytes(b) => load_config(&b, decode),
            State::Typed(c) => typed::documents(&c),
        }
    }

    /// Applies `patches` in order.
    fn apply(mut self, patches: &[Patch], decode: Decode) -> Result<State> {
        for patch in patches {
            self = match patch {
                Patch::Json(p) => {
                    State::Bytes(apply_json(&self.bytes()?, p).map_err(|e| blame(patch, e))?)
                }
                Patch::Strategic(p) => {
                    let merged = match (self, decode) {
                        // Documents no item of the patch names stay typed.
                        (State::Typed(c), Decode::Fast) => {
                            strategic_merge_typed(c.into_documents(), p)
                        }
                        (state, _) => strategic_merge(state.docs(decode)?, p, decode),
                    };
                    State::Typed(merged.map_err(|e| blame(patch, e))?)
                }
            };
        }
        Ok(self)
    }
}

/// Loads config bytes into canonical documents.
fn load_config(bytes: &[u8], decode: Decode) -> Result<Vec<Value>> {
    let text = String::from_utf8_lossy(bytes);
    let docs: Vec<Value> = parse_documents(&text)
        .map_err(|e| PatchError::Parse(e.to_string()))?
        .into_iter()
        .filter(|d| *d != Value::Null)
        .collect();
    if docs.is_empty() {
        return Err(PatchError::NoConfig);
    }
    for (i, d) in docs.iter().enumerate() {
        identify(d).map_err(|m| PatchError::Config(format!("error decoding document {i}: {m}")))?;
    }
    typed::documents(&decode.container(docs)?)
}

/// Applies `patches` in order to the config `bytes`, returning the patched
/// config as Talos writes it.
///
/// With no patches the input comes back unchanged; after a strategic patch
/// the output is the re-encoded config.
///
/// # Errors
/// When the config cannot be loaded or a patch does not apply.
pub fn apply(bytes: &[u8], patches: &[Patch]) -> Result<Vec<u8>> {
    fast_then_exact(|decode| State::Bytes(bytes.to_vec()).apply(patches, decode)?.bytes())
}

/// Applies `patches` in order to a loaded config and returns the patched
/// config loaded again, as upstream's patcher hands it on. Strategic
/// patches work on the documents directly: the config is never encoded to
/// YAML text and parsed back between them (only a JSON patch needs the
/// text). Encoding the result gives the bytes [`apply`] returns for the
/// encoded input.
///
/// # Errors
/// When a patch does not apply, or the result of a JSON patch no longer
/// loads ([`PatchError::Load`]).
pub fn apply_to_container(
    container: &talgen_config::Container,
    patches: &[Patch],
) -> Result<talgen_config::Container> {
    if patches.is_empty() {
        return Ok(container.clone());
    }
    fast_then_exact(|decode| {
        // A JSON patch needs the text; a strategic one takes the documents.
        let start = match patches.first() {
            Some(Patch::Json(_)) => State::Bytes(container.encode()?.into_bytes()),
            _ => State::Typed(container.clone()),
        };
        match start.apply(patches, decode)? {
            State::Typed(c) => Ok(c),
            State::Bytes(b) => Ok(talgen_config::load_bytes(&b)?),
            State::Docs(d) => decode.container(d),
        }
    })
}

/// Applies `patches` to config documents already parsed into [`Value`]s
/// (the `WithConfig` input of upstream), returning the patched documents.
/// An empty list of documents is an empty config, to which a strategic
/// patch adds its documents.
///
/// # Errors
/// When a patch does not apply.
pub fn apply_to_documents(docs: Vec<Value>, patches: &[Patch]) -> Result<Vec<Value>> {
    fast_then_exact(|decode| {
        State::Docs(docs.clone())
            .apply(patches, decode)?
            .docs(decode)
    })
}

/// Names the patch in an error raised while applying it.
fn blame(patch: &Patch, err: PatchError) -> PatchError {
    PatchError::Apply {
        patch: patch.source().to_string(),
        source: Box::new(err),
    }
}

fn apply_json(bytes: &[u8], patch: &JsonPatch) -> Result<Vec<u8>> {
    let text = String::from_utf8_lossy(bytes);
    let docs = talgen_yaml::from_str_documents(&text)
        .map_err(|e| PatchError::Parse(format!("failure decoding talos machine config: {e}")))?;
    let [doc] =
        <[talgen_yaml::Node; 1]>::try_from(docs).map_err(|_| PatchError::JsonPatchMultiDoc)?;
    let doc = crate::json::yaml_to_json(&doc).map_err(|e| {
        PatchError::Parse(format!(
            "failure converting talos machine config to json: {e}"
        ))
    })?;
    let mut doc = if doc == Value::Null {
        Value::Map(Vec::new())
    } else {
        doc
    };
    // The library decodes the document into an object or an array first.
    let scalar = match doc {
        Value::Map(_) | Value::Seq(_) => None,
        Value::Str(_) | Value::Plain(_) => Some("string"),
        Value::Int(_) | Value::Float(_) => Some("number"),
        Value::Bool(_) => Some("bool"),
        Value::Null => None,
    };
    if let Some(kind) = scalar {
        return Err(PatchError::JsonPatch(format!(
            "json: cannot unmarshal {kind} into Go value of type jsonpatch.partialDoc"
        )));
    }
    // The document reaches the patch as JSON text.
    crate::json::json_numbers(&mut doc);
    apply_ops(&mut doc, &patch.ops).map_err(PatchError::JsonPatch)?;
    // Written back as `ghodss/yaml.JSONToYAML` does (keys sorted; the next
    // load restores struct order).
    Ok(crate::json::json_to_yaml(doc).into_bytes())
}

struct LeftDoc {
    id: String,
    kind: String,
    value: Value,
}

/// A config document during a strategic merge: taken apart for merging,
/// or left typed because no item of the patch names its kind (an item
/// only ever matches a document of its own kind, so such a document comes
/// out as it went in).
// Slots live in one short-lived list; boxing the typed documents would cost
// an allocation each for nothing.
#[allow(clippy::large_enum_variant)]
enum Slot {
    Tree(LeftDoc),
    Typed(talgen_config::Document),
}

impl Slot {
    fn tree(value: Value) -> Result<Slot> {
        let (api_version, kind) = identify(&value).map_err(PatchError::Config)?;
        let id = doc_id(&api_version, &kind, &value);
        Ok(Slot::Tree(LeftDoc { id, kind, value }))
    }

    fn has_id(&self, id: &str) -> bool {
        matches!(self, Slot::Tree(d) if d.id == id)
    }
}

/// Strategic merge of one patch into a list of documents; returns them
/// decoded into the typed model.
fn strategic_merge(
    docs: Vec<Value>,
    patch: &StrategicPatch,
    decode: Decode,
) -> Result<talgen_config::Container> {
    let slots = docs.into_iter().map(Slot::tree).collect::<Result<_>>()?;
    let merged = merge_slots(slots, patch)?;
    decode.container(
        merged
            .into_iter()
            .filter_map(|slot| match slot {
                Slot::Tree(d) => Some(d.value),
                Slot::Typed(_) => None,
            })
            .collect(),
    )
}

/// [`strategic_merge`] of typed documents (the fast decode): only the
/// documents of a kind the patch names are taken apart and decoded again,
/// the others are kept as they are, as upstream's merge of typed documents
/// leaves them.
fn strategic_merge_typed(
    docs: Vec<talgen_config::Document>,
    patch: &StrategicPatch,
) -> Result<talgen_config::Container> {
    let named = |kind: &str| {
        patch.items.iter().any(|item| match item {
            Item::Delete(sel) => sel.kind == kind,
            Item::Document(doc) => doc.kind == kind,
        })
    };
    let mut slots = Vec::with_capacity(docs.len());
    for doc in docs {
        slots.push(if named(doc.kind()) {
            Slot::tree(typed::document(&doc)?)?
        } else {
            Slot::Typed(doc)
        });
    }
    // The typed documents keep their places; the trees are decoded at once
    // and fill the others in order.
    let mut kept = Vec::with_capacity(slots.len());
    let mut trees = Vec::new();
    for slot in merge_slots(slots, patch)? {
        match slot {
            Slot::Typed(doc) => kept.push(Some(doc)),
            Slot::Tree(d) => {
                kept.push(None);
                trees.push(d.value);
            }
        }
    }
    let mut decoded = typed::decode_owned(trees)?.into_iter();
    let docs = kept
        .into_iter()
        .map(|doc| {
            doc.or_else(|| decoded.next())
                .ok_or_else(|| PatchError::Config("a document did not decode".to_string()))
        })
        .collect::<Result<Vec<_>>>()?;
    typed::checked(docs)
}

/// The items of one strategic patch applied to the documents in order.
fn merge_slots(mut left: Vec<Slot>, patch: &StrategicPatch) -> Result<Vec<Slot>> {
    for item in &patch.items {
        match item {
            Item::Delete(sel) => {
                let id = sel.document_id();
                // The last document with an identity wins, like upstream's index.
                let Some(pos) = left.iter().rposition(|d| d.has_id(&id)) else {
                    // Deleting from a document that is not there is a no-op.
                    continue;
                };
                let Some(Slot::Tree(target)) = left.get_mut(pos) else {
                    continue;
                };
                if apply_selector(sel, &mut target.value)? == Applied::DocumentDeleted {
                    left.remove(pos);
                }
            }
            Item::Document(doc) => match left.iter().rposition(|d| d.has_id(&doc.id)) {
                Some(pos) => {
                    if let Some(Slot::Tree(target)) = left.get_mut(pos) {
                        let label = format!("{}/{}", doc.api_version, doc.kind);
                        merge_document(&label, &target.kind, &mut target.value, &doc.value)?;
                    }
                }
                None => left.push(Slot::Tree(LeftDoc {
                    id: doc.id.clone(),
                    kind: doc.kind.clone(),
                    value: doc.value.clone(),
                })),
            },
        }
    }
    Ok(left)
}
