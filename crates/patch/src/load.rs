//! Reading patches the way `talosctl --patch` / `--config-patch` do.
//!
//! Ports `pkg/machinery/config/configpatcher/load.go`. Parsing ([`parse_patch`],
//! [`parse_patches`]) works on text only; [`read_patch_args`] adds talosctl's
//! argument rule (`@file`, a bare file name, or inline text) and reads files.
//! The text is tried first as a strategic
//! merge patch (config documents, `$patch: delete` allowed, no validation),
//! then as a JSON6902 patch written in JSON, then in YAML. Consecutive JSON
//! patches are joined into one.

use crate::delete::{extract, Selector};
use crate::error::{PatchError, Result};
use crate::value::{parse_documents, Value};
use talgen_yaml::Node;

/// A loaded patch.
#[derive(Debug, Clone, PartialEq)]
pub enum Patch {
    /// A strategic merge patch: config documents and delete directives.
    Strategic(StrategicPatch),
    /// An RFC 6902 JSON patch (only for single-document configs).
    Json(JsonPatch),
}

/// A strategic merge patch: partial config documents and `$patch: delete`
/// directives, applied in the order they appear.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategicPatch {
    pub(crate) items: Vec<Item>,
    pub(crate) source: String,
}

/// One step of a strategic patch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// Remove something from the config.
    Delete(Selector),
    /// Merge (or add) a document.
    Document(Doc),
}

/// A patch document with its identity.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Doc {
    pub(crate) id: String,
    pub(crate) api_version: String,
    pub(crate) kind: String,
    pub(crate) value: Value,
}

/// An RFC 6902 JSON patch: a list of operations.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPatch {
    pub(crate) ops: Vec<Op>,
    pub(crate) source: String,
}

/// One JSON patch operation object, with how it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Op {
    /// The operation object (`op`, `path`, `from`, `value`).
    pub(crate) fields: Value,
    /// Written in YAML: upstream re-marshals each field to JSON, so an
    /// explicit `null` is the JSON text `null` (not an absent field) and
    /// numbers take `encoding/json`'s form.
    pub(crate) yaml: bool,
}

impl JsonPatch {
    /// Number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the patch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

impl StrategicPatch {
    /// Number of documents plus delete directives.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// How a patch given as text (not a file) is named in errors.
const INLINE: &str = "(inline)";

impl Patch {
    /// Where the patch came from: its `@file` argument, or `(inline)`.
    pub fn source(&self) -> &str {
        match self {
            Patch::Strategic(p) => &p.source,
            Patch::Json(p) => &p.source,
        }
    }

    /// Whether the patch gives a value at `path` (mapping keys from the
    /// document's root) in a document of `kind` (`v1alpha1` for the legacy
    /// machine config): a strategic document holding a non-null value
    /// there, or a JSON `add`/`replace` of that path (JSON patches only
    /// apply to the v1alpha1 document).
    pub fn sets(&self, kind: &str, path: &[&str]) -> bool {
        match self {
            Patch::Strategic(p) => p.items.iter().any(|item| match item {
                Item::Document(doc) if doc.kind == kind => path
                    .iter()
                    .try_fold(&doc.value, |v, key| v.get(key))
                    .is_some_and(|v| *v != Value::Null),
                _ => false,
            }),
            Patch::Json(p) => {
                let pointer: String = path.iter().map(|k| format!("/{k}")).collect();
                let text = |op: &Op, key: &str| match op.fields.get(key) {
                    Some(Value::Str(s) | Value::Plain(s)) => Some(s.clone()),
                    _ => None,
                };
                kind == "v1alpha1"
                    && p.ops.iter().any(|op| {
                        matches!(text(op, "op").as_deref(), Some("add" | "replace"))
                            && text(op, "path").as_deref() == Some(pointer.as_str())
                    })
            }
        }
    }

    /// Renames the patch: the name its apply errors give.
    pub fn set_source(&mut self, source: String) {
        match self {
            Patch::Strategic(p) => p.source = source,
            Patch::Json(p) => p.source = source,
        }
    }
}

/// Parses one patch from its text, detecting its type like upstream's
/// `LoadPatch` (strategic merge first, then JSON, then JSON written in
/// YAML). Pure: nothing is read from the file system.
///
/// # Errors
/// When the text is neither a strategic merge patch nor a JSON patch; the
/// error is the strategic one unless the text starts with `[`.
pub fn parse_patch(input: &[u8]) -> Result<Patch> {
    let text = String::from_utf8_lossy(input);
    let strategic_err = match load_strategic(&text) {
        Ok(p) => return Ok(Patch::Strategic(p)),
        Err(e) => e,
    };
    // `jsonpatch.DecodePatch`: strict JSON, an array of objects (or null).
    let json_err = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(json) => match json_operations(json) {
            Ok(ops) => return Ok(json_patch(ops)),
            Err(e) => e,
        },
        Err(e) => e.to_string(),
    };
    // Then YAML: only the first document is decoded, and the decoder
    // refuses a mapping that repeats a key.
    if let Ok(docs) = talgen_yaml::from_str_documents(&text) {
        let first = docs.first().unwrap_or(&Node::Null);
        if !has_repeated_key(first) {
            if let Some(mut ops) = as_operations(&Value::from(first)) {
                // Each field is re-marshalled by `encoding/json`, which
                // refuses the generic map a non-string key decodes into.
                if has_non_string_key_below_fields(first) {
                    return Err(PatchError::Parse(
                        "json: unsupported type: map[interface {}]interface {}".to_string(),
                    ));
                }
                for op in &mut ops {
                    crate::json::json_numbers(&mut op.fields);
                }
                return Ok(json_patch(ops));
            }
        }
    }
    if text.trim().starts_with('[') {
        Err(PatchError::Parse(json_err))
    } else {
        Err(strategic_err)
    }
}

fn json_patch(ops: Vec<Op>) -> Patch {
    Patch::Json(JsonPatch {
        ops,
        source: INLINE.to_string(),
    })
}

/// A JSON document decoded as a list of operations, or Go's error.
fn json_operations(json: serde_json::Value) -> std::result::Result<Vec<Op>, String> {
    let items = match json {
        serde_json::Value::Null => return Ok(Vec::new()),
        serde_json::Value::Array(items) => items,
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                json_type(&other)
            ))
        }
    };
    items
        .into_iter()
        .map(|item| match item {
            serde_json::Value::Null => Ok(Op {
                fields: Value::Map(Vec::new()),
                yaml: false,
            }),
            serde_json::Value::Object(map) => Ok(Op {
                fields: Value::Map(
                    map.into_iter()
                        // A JSON `null` field decodes to a nil pointer: absent.
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| (k, from_json(v)))
                        .collect(),
                ),
                yaml: false,
            }),
            other => Err(format!(
                "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                json_type(&other)
            )),
        })
        .collect()
}

/// The JSON type word Go's decoder uses in its errors.
pub(crate) fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Converts decoded JSON into a [`Value`]: integers stay integers, other
/// numbers become floats.
fn from_json(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::Int(i128::from(i)),
            (_, Some(u)) => Value::Int(i128::from(u)),
            _ => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Array(items) => Value::Seq(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

/// A YAML document that is one list of operation objects (or nothing).
fn as_operations(doc: &Value) -> Option<Vec<Op>> {
    let op = |fields: Value| Op { fields, yaml: true };
    match doc {
        Value::Null => Some(Vec::new()),
        Value::Seq(items) => items
            .iter()
            .map(|item| match item {
                Value::Map(_) => Some(op(item.clone())),
                Value::Null => Some(op(Value::Map(Vec::new()))),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// True when some mapping of `node` has the same key twice (go-yaml's
/// unique-key check; keys compare as parsed values).
fn has_repeated_key(node: &Node) -> bool {
    match node {
        Node::Mapping(pairs) => {
            pairs
                .iter()
                .enumerate()
                .any(|(i, (k, _))| pairs.iter().skip(i + 1).any(|(k2, _)| k2 == k))
                || pairs
                    .iter()
                    .any(|(k, v)| has_repeated_key(k) || has_repeated_key(v))
        }
        Node::Sequence(items) => items.iter().any(has_repeated_key),
        _ => false,
    }
}

/// True when a mapping nested in the field values of the operations in
/// `doc` (a YAML sequence of mappings) has a key that is not a string.
fn has_non_string_key_below_fields(doc: &Node) -> bool {
    fn non_string_key(node: &Node) -> bool {
        match node {
            Node::Mapping(pairs) => pairs
                .iter()
                .any(|(k, v)| !matches!(k, Node::String(_) | Node::Plain(_)) || non_string_key(v)),
            Node::Sequence(items) => items.iter().any(non_string_key),
            _ => false,
        }
    }
    doc.as_sequence().is_some_and(|ops| {
        ops.iter().any(|op| {
            op.as_mapping()
                .is_some_and(|fields| fields.iter().any(|(_, v)| non_string_key(v)))
        })
    })
}

/// Identity of a config document as the decoder sees it: `(apiVersion, kind)`.
pub(crate) fn identify(doc: &Value) -> std::result::Result<(String, String), String> {
    let Value::Map(entries) = doc else {
        return Err("expected a YAML document".to_string());
    };
    let mut version = String::new();
    let mut kind = String::new();
    for (k, v) in entries {
        match k.as_str() {
            "kind" => kind = scalar_string(v).ok_or("kind decode: not a string")?,
            "apiVersion" => version = scalar_string(v).ok_or("version decode: not a string")?,
            "machine" | "cluster" | "debug" | "persist" => version = "v1alpha1".to_string(),
            _ => {}
        }
    }
    match (version.as_str(), kind.as_str()) {
        ("v1alpha1", "") => Ok((String::new(), "v1alpha1".to_string())),
        (_, "") => Err("missing kind".to_string()),
        ("", _) => Err("missing apiVersion".to_string()),
        _ => Ok((version, kind)),
    }
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) | Value::Plain(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

/// Builds a document identity string: `apiVersion/kind[/name]`.
pub(crate) fn doc_id(api_version: &str, kind: &str, doc: &Value) -> String {
    let name = doc
        .get("name")
        .and_then(scalar_string)
        .filter(|n| !n.is_empty());
    crate::apply::make_id(api_version, kind, name.as_deref())
}

fn load_strategic(text: &str) -> Result<StrategicPatch> {
    let docs = parse_documents(text).map_err(|e| PatchError::Parse(e.to_string()))?;
    let mut items = Vec::new();
    for (i, mut doc) in docs.into_iter().enumerate() {
        let (selectors, empty) = extract(&mut doc, i)?;
        items.extend(selectors.into_iter().map(Item::Delete));
        if empty {
            continue;
        }
        match doc {
            Value::Null => continue,
            Value::Map(_) => {}
            _ => {
                return Err(PatchError::Parse(format!(
                    "expected a YAML document (document {i})"
                )))
            }
        }
        let (api_version, kind) = identify(&doc)
            .map_err(|m| PatchError::Config(format!("error decoding document {i}: {m}")))?;
        crate::typed::check_patch_document(&doc)?;
        let id = doc_id(&api_version, &kind, &doc);
        items.push(Item::Document(Doc {
            id,
            api_version,
            kind,
            value: doc,
        }));
    }
    if items.is_empty() {
        return Err(PatchError::NoConfig);
    }
    Ok(StrategicPatch {
        items,
        source: INLINE.to_string(),
    })
}

/// Parses patches from their texts: every text is a patch (YAML or JSON),
/// never a file name, and nothing is read from the file system, so a
/// server can take patches from requests. Consecutive JSON patches are
/// joined into one, as `talosctl` does.
///
/// # Errors
/// When a text is not a patch; the error names it `(inline)`.
pub fn parse_patches<S: AsRef<str>>(texts: &[S]) -> Result<Vec<Patch>> {
    let mut patches = Vec::with_capacity(texts.len());
    for text in texts {
        patches.push(parse_patch_named(INLINE, text.as_ref().as_bytes())?);
    }
    Ok(join_patches(patches))
}

/// Parses one patch and names it `source` (a file name, a fleet field...)
/// in the errors of parsing and, later, of applying it. Pure: `source` is
/// only a label.
///
/// # Errors
/// When the text is not a patch ([`PatchError::Invalid`] naming `source`).
pub fn parse_patch_named(source: &str, input: &[u8]) -> Result<Patch> {
    let mut patch = parse_patch(input).map_err(|e| PatchError::Invalid {
        patch: source.to_string(),
        message: e.to_string(),
    })?;
    patch.set_source(source.to_string());
    Ok(patch)
}

/// Joins consecutive JSON patches into one, as `talosctl`'s loader does
/// (their operations run in the same order either way; the joined patch
/// names all its sources).
pub fn join_patches(patches: impl IntoIterator<Item = Patch>) -> Vec<Patch> {
    let mut out: Vec<Patch> = Vec::new();
    for patch in patches {
        match (out.last_mut(), patch) {
            (Some(Patch::Json(prev)), Patch::Json(next)) => {
                prev.ops.extend(next.ops);
                prev.source = format!("{}, {}", prev.source, next.source);
            }
            (_, patch) => out.push(patch),
        }
    }
    out
}

/// Reads patches given as `talosctl` arguments (`--config-patch`,
/// `--patch`): `@file`, a bare file name, or inline YAML/JSON. Unlike
/// [`parse_patches`] this reads files, relative to the current directory;
/// never hand it untrusted text.
///
/// # Errors
/// When a file cannot be read or a patch cannot be parsed; the error names
/// the argument.
pub fn read_patch_args<S: AsRef<str>>(args: &[S]) -> Result<Vec<Patch>> {
    read_patch_args_in(std::path::Path::new(""), args)
}

/// [`read_patch_args`] with relative file names taken from directory
/// `base` (a fleet file's directory, say); errors still name the argument
/// as written.
///
/// # Errors
/// As [`read_patch_args`].
pub fn read_patch_args_in<S: AsRef<str>>(base: &std::path::Path, args: &[S]) -> Result<Vec<Patch>> {
    let mut patches = Vec::with_capacity(args.len());
    for arg in args {
        let arg = arg.as_ref();
        let (label, contents) = match patch_file_name(arg) {
            Some(file) => (arg, read(base, file)?),
            None => (INLINE, arg.as_bytes().to_vec()),
        };
        patches.push(parse_patch_named(label, &contents)?);
    }
    Ok(join_patches(patches))
}

/// The file a `talosctl` patch argument names, if it names one: `@file`,
/// or text without a space or newline that does not start with a bracket
/// (inline patches always have one of those).
pub fn patch_file_name(arg: &str) -> Option<&str> {
    if let Some(file) = arg.strip_prefix('@') {
        Some(file)
    } else if !arg.contains(['\n', ' ']) && !arg.starts_with('[') && !arg.starts_with('{') {
        Some(arg)
    } else {
        None
    }
}

fn read(base: &std::path::Path, path: &str) -> Result<Vec<u8>> {
    std::fs::read(base.join(path)).map_err(|e| PatchError::ReadFile {
        path: path.to_string(),
        message: e.to_string(),
    })
}
