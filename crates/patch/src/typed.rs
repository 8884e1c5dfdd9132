//! The bridge to the typed config model (`talgen-config`): what Talos does
//! by decoding into Go structs and encoding them back.
//!
//! Patch documents are checked by decoding them strictly, like the config
//! loader does; config documents are decoded and re-encoded so that every
//! field sits in struct order under Go's omission rules. That round trip is
//! what makes the patched output byte-identical to Talos's.

use talgen_yaml::Node;

use crate::error::{PatchError, Result};
use crate::value::Value;

fn to_text(docs: &[Value]) -> String {
    let nodes: Vec<Node> = docs.iter().map(Node::from).collect();
    talgen_yaml::emit_documents(&nodes)
}

fn config_error(e: &talgen_config::Error) -> PatchError {
    PatchError::Config(e.to_string())
}

/// Checks that a patch document decodes as its kind (unknown fields and
/// wrong types are errors, like the strict upstream decoder).
pub(crate) fn check_patch_document(doc: &Value) -> Result<()> {
    talgen_config::load_documents(&to_text(std::slice::from_ref(doc)))
        .map(drop)
        .map_err(|e| config_error(&e))
}

/// Decodes config documents into a container, rejecting what upstream's
/// container rejects. The documents go to the typed model as trees, not
/// text; when that fails, the emitted text is decoded instead so the error
/// is the one (positions included) loading that text gives.
pub(crate) fn container(docs: &[Value]) -> Result<talgen_config::Container> {
    let nodes: Vec<Node> = docs.iter().map(Node::from).collect();
    let from_trees = talgen_config::load_nodes(nodes).and_then(talgen_config::Container::new);
    match from_trees {
        Ok(container) => Ok(container),
        Err(_) => {
            let text = to_text(docs);
            let typed = talgen_config::load_documents(&text).map_err(|e| config_error(&e))?;
            talgen_config::Container::new(typed).map_err(|e| config_error(&e))
        }
    }
}

/// [`container`] taking the documents: they are moved into the decoder,
/// without a copy. A failure reports no source position; callers that need
/// the exact error decode with [`container`] instead.
pub(crate) fn container_owned(docs: Vec<Value>) -> Result<talgen_config::Container> {
    let nodes: Vec<Node> = docs.into_iter().map(Node::from).collect();
    talgen_config::load_nodes(nodes)
        .and_then(talgen_config::Container::new)
        .map_err(|e| config_error(&e))
}

/// The documents of a container, v1alpha1 first, as the values its encoded
/// text parses to, built from the typed model's trees without the text.
pub(crate) fn documents(container: &talgen_config::Container) -> Result<Vec<Value>> {
    let nodes = container.to_nodes().map_err(|e| config_error(&e))?;
    Ok(nodes.into_iter().map(Value::from_tree).collect())
}

/// One typed document as the value its encoded text parses to (what
/// [`documents`] gives for each).
pub(crate) fn document(doc: &talgen_config::Document) -> Result<Value> {
    let node = doc.to_node().map_err(|e| config_error(&e))?;
    Ok(Value::from_tree(node))
}

/// Decodes config documents into typed documents, one for each, without
/// the container checks; like [`container_owned`], a failure reports no
/// source position.
pub(crate) fn decode_owned(docs: Vec<Value>) -> Result<Vec<talgen_config::Document>> {
    let count = docs.len();
    let nodes: Vec<Node> = docs.into_iter().map(Node::from).collect();
    let typed = talgen_config::load_nodes(nodes).map_err(|e| config_error(&e))?;
    if typed.len() != count {
        return Err(PatchError::Config(format!(
            "{count} documents decoded to {}",
            typed.len()
        )));
    }
    Ok(typed)
}

/// A container of typed documents, checked like upstream's container.
pub(crate) fn checked(docs: Vec<talgen_config::Document>) -> Result<talgen_config::Container> {
    talgen_config::Container::new(docs).map_err(|e| config_error(&e))
}

/// Encodes config documents like Talos's container with comments disabled.
pub(crate) fn encode(docs: &[Value]) -> Result<Vec<u8>> {
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    Ok(container(docs)?
        .encode()
        .map_err(|e| config_error(&e))?
        .into_bytes())
}

/// Whether `path` (all mapping keys) names a field the typed model knows in
/// `doc`: the document, with that field set to `null`, must not be rejected
/// for an unknown field of that name.
pub(crate) fn is_field(doc: &Value, path: &[String]) -> bool {
    let Some((name, parents)) = path.split_last() else {
        return true;
    };
    let mut probe = doc.clone();
    let mut cur = &mut probe;
    for p in parents {
        match cur.get_mut(p) {
            Some(next @ Value::Map(_)) => cur = next,
            _ => return true,
        }
    }
    cur.insert(name, Value::Null);
    match talgen_config::load_documents(&to_text(std::slice::from_ref(&probe))) {
        Err(talgen_config::Error::UnknownField { field, .. }) => field != *name,
        _ => true,
    }
}

/// Whether the patch's string `value` for the struct field at `path` (in a
/// document of `kind` / `api_version`) decodes to that field's Go zero
/// value, which the upstream merge skips: an enum's first name (`accept`),
/// a zero duration (`0s`)... Found by encoding a probe document with and
/// without the field: a zero value of a non-pointer field encodes like an
/// absent one. `path` segments `*` stand for a list item.
pub(crate) fn decodes_to_zero(
    api_version: &str,
    kind: &str,
    path: &[String],
    value: &Value,
) -> bool {
    let Some((field, parents)) = path.split_last() else {
        return false;
    };
    if field == "*" {
        return false;
    }
    let build = |leaf: Option<&Value>| -> Value {
        let mut inner = Value::Map(
            leaf.map(|v| vec![(field.clone(), v.clone())])
                .unwrap_or_default(),
        );
        for seg in parents.iter().rev() {
            inner = if seg == "*" {
                Value::Seq(vec![inner])
            } else {
                Value::Map(vec![(seg.clone(), inner)])
            };
        }
        if kind == "v1alpha1" {
            return inner;
        }
        let mut root = vec![
            (
                "apiVersion".to_string(),
                Value::Str(api_version.to_string()),
            ),
            ("kind".to_string(), Value::Str(kind.to_string())),
        ];
        if let Value::Map(entries) = inner {
            root.extend(entries);
        }
        Value::Map(root)
    };
    let encode_one = |doc: Value| encode(&[doc]).ok();
    let Some(with) = encode_one(build(Some(value))) else {
        return false;
    };
    // The probe without the field depends only on where the field is.
    let key = (api_version.to_owned(), kind.to_owned(), path.to_vec());
    let without = WITHOUT.with(|memo| memo.borrow().get(&key).cloned());
    let without = match without {
        Some(known) => known,
        None => {
            let encoded = encode_one(build(None));
            WITHOUT.with(|memo| {
                let mut memo = memo.borrow_mut();
                if memo.len() >= WITHOUT_ENTRIES {
                    memo.clear();
                }
                memo.insert(key, encoded.clone());
            });
            encoded
        }
    };
    without.is_some_and(|without| with == without)
}

/// Key of [`WITHOUT`]: the document's `apiVersion`, kind and the path.
type ProbeKey = (String, String, Vec<String>);

/// At most this many probes are remembered per thread (then forgotten at
/// once): a config has a few hundred string fields.
const WITHOUT_ENTRIES: usize = 1024;

thread_local! {
    /// The encoded probe without the field, per place, for
    /// [`decodes_to_zero`].
    static WITHOUT: std::cell::RefCell<std::collections::HashMap<ProbeKey, Option<Vec<u8>>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}
