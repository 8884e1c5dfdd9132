//! `$patch: delete` directives: finding them in a patch and applying them.
//!
//! Ports `configloader/internal/decoder/delete.go` (extraction: the directive
//! and every mapping or sequence it empties are cut out of the patch) and
//! `selector.go` (application: remove a field, a map key, a list item chosen
//! by one of its fields, or a whole document).

use crate::error::{PatchError, Result};
use crate::rules::{inside_unstructured, rule_for, Rule};
use crate::value::Value;

/// One delete directive found in a patch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selector {
    /// Path from the document root: keys, and `[i]` for a sequence item.
    pub(crate) path: Vec<String>,
    /// `apiVersion` of the targeted document (empty for v1alpha1).
    pub(crate) api_version: String,
    /// `kind` of the targeted document (`v1alpha1` for the legacy one).
    pub(crate) kind: String,
    /// For a list item: the field used to find it, and its value.
    pub(crate) key: String,
    pub(crate) value: String,
    /// The targeted document's name, for named documents.
    pub(crate) name: Option<String>,
}

impl Selector {
    /// `apiVersion/kind[/name]`, the identity of the targeted document.
    pub(crate) fn document_id(&self) -> String {
        crate::apply::make_id(&self.api_version, &self.kind, self.name.as_deref())
    }

    fn path_text(&self) -> String {
        self.path.join(".")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Parent {
    Document,
    Map,
    Seq,
}

/// Cuts every delete directive out of one patch document, returning the
/// selectors in the order upstream finds them, and whether what is left of
/// the document is empty (then it is dropped).
pub(crate) fn extract(doc: &mut Value, index: usize) -> Result<(Vec<Selector>, bool)> {
    let root = doc.clone();
    let mut found = Vec::new();
    let mut path = Vec::new();
    let deleted = process(doc, Parent::Document, &mut path, &mut found).map_err(|message| {
        PatchError::DeleteDirective {
            document: index,
            message,
        }
    })?;
    let mut selectors = Vec::with_capacity(found.len());
    for (path, parent, item) in found {
        let selector = match parent {
            Parent::Seq => sequence_selector(path, &root, item.as_ref()),
            _ => make_selector(path, &root, String::new(), String::new()),
        }
        .map_err(|message| PatchError::DeleteDirective {
            document: index,
            message,
        })?;
        selectors.push(selector);
    }
    let empty = deleted || is_empty_doc(doc);
    Ok((selectors, empty))
}

type Found = (Vec<String>, Parent, Option<Value>);

fn is_delete_directive(key: &str, value: &Value) -> bool {
    key == "$patch" && matches!(value, Value::Str(s) if s == "delete")
}

/// Walks a node; returns whether the node must be removed from its parent.
fn process(
    v: &mut Value,
    parent: Parent,
    path: &mut Vec<String>,
    found: &mut Vec<Found>,
) -> std::result::Result<bool, String> {
    match v {
        Value::Map(entries) => {
            let mut i = 0;
            while i < entries.len() {
                let Some((key, value)) = entries.get_mut(i) else {
                    break;
                };
                if is_delete_directive(key, value) {
                    if parent != Parent::Seq && path.iter().any(|p| p.starts_with('[')) {
                        return Err(format!(
                            "cannot delete an inner key in '{}'",
                            path.join(".")
                        ));
                    }
                    let item = (parent == Parent::Seq).then(|| Value::Map(entries.clone()));
                    found.push((path.clone(), parent, item));
                    return Ok(true);
                }
                path.push(key.clone());
                let remove = process(value, Parent::Map, path, found)?;
                path.pop();
                if remove {
                    entries.remove(i);
                    if entries.is_empty() {
                        return Ok(true);
                    }
                } else {
                    i += 1;
                }
            }
            Ok(false)
        }
        Value::Seq(items) => {
            let mut i = 0;
            while i < items.len() {
                let Some(item) = items.get_mut(i) else { break };
                path.push(format!("[{i}]"));
                let remove = process(item, Parent::Seq, path, found)?;
                path.pop();
                if remove {
                    items.remove(i);
                    if items.is_empty() {
                        return Ok(true);
                    }
                } else {
                    i += 1;
                }
            }
            Ok(false)
        }
        _ => Ok(false),
    }
}

/// A document left with nothing but `version`, `kind` and `name` scalars is
/// dropped from the patch.
fn is_empty_doc(doc: &Value) -> bool {
    match doc {
        Value::Map(entries) => entries.iter().all(|(k, v)| {
            !matches!(v, Value::Map(_) | Value::Seq(_))
                && (k == "version" || k == "kind" || k == "name")
        }),
        _ => false,
    }
}

/// The text of a scalar as the YAML node holds it (empty for collections).
fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) | Value::Plain(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => String::new(),
    }
}

fn find_value(root: &Value, key: &str, required: bool) -> std::result::Result<String, String> {
    let Value::Map(entries) = root else {
        return Err("expected a mapping node".to_string());
    };
    match entries.iter().find(|(k, _)| k == key) {
        Some((_, v)) => Ok(scalar_text(v)),
        None if required => Err(format!(
            "missing {key} in document for which $patch: delete is used"
        )),
        None => Ok(String::new()),
    }
}

fn sequence_selector(
    path: Vec<String>,
    root: &Value,
    item: Option<&Value>,
) -> std::result::Result<Selector, String> {
    let Some(Value::Map(entries)) = item else {
        return Err("expected a mapping node".to_string());
    };
    let (key, value) = entries
        .iter()
        .find(|(k, v)| !is_delete_directive(k, v))
        .ok_or_else(|| {
            format!(
                "no key:val found in sequence node for path {}",
                path.join(".")
            )
        })?;
    make_selector(path, root, key.clone(), scalar_text(value))
}

fn make_selector(
    path: Vec<String>,
    root: &Value,
    key: String,
    value: String,
) -> std::result::Result<Selector, String> {
    let required = path.is_empty();
    let api_version = find_value(root, "apiVersion", required)?;
    let mut kind = find_value(root, "kind", required)?;
    match (kind.is_empty(), api_version.is_empty()) {
        (true, true) => kind = "v1alpha1".to_string(),
        (false, false) => {}
        _ => {
            return Err(format!(
                "kind and apiVersion must be both set for path {}",
                path.join(".")
            ))
        }
    }
    let name = find_value(root, "name", false)?;
    Ok(Selector {
        path,
        api_version,
        kind,
        key,
        value,
        name: (!name.is_empty()).then_some(name),
    })
}

/// What applying a selector did to its document.
#[derive(Debug, PartialEq)]
pub(crate) enum Applied {
    /// Something inside the document was removed.
    Changed,
    /// The whole document must go.
    DocumentDeleted,
}

/// Applies one selector to the document it targets.
pub(crate) fn apply_selector(sel: &Selector, doc: &mut Value) -> Result<Applied> {
    let document = format!("{}/{}", sel.api_version, sel.kind);
    let fail = |message: String| {
        let inner = format!("failed to delete path '{}': {message}", sel.path_text());
        match &sel.name {
            Some(_) => PatchError::DeleteFailed {
                path: sel.path_text(),
                document: document.clone(),
                message: format!("named patch delete: document {document}: {inner}"),
            },
            None => PatchError::DeleteFailed {
                path: sel.path_text(),
                document: document.clone(),
                message: format!(
                    "patch delete: path '{}' in document '{document}': {inner}",
                    sel.path_text()
                ),
            },
        }
    };
    if sel.path.is_empty() {
        return Ok(Applied::DocumentDeleted);
    }
    let mut walked = Vec::new();
    let unset =
        delete_path(&sel.kind, doc, &sel.path, &mut walked, &sel.key, &sel.value).map_err(&fail)?;
    if unset && !crate::typed::is_field(doc, &sel.path) {
        // Upstream walks the struct's fields: a name that is none of them
        // is a failed lookup even though nothing is set.
        return Err(fail(LOOKUP_FAILED.to_string()));
    }
    Ok(Applied::Changed)
}

const LOOKUP_FAILED: &str = "lookup failed";

fn is_go_map(kind: &str, path: &[String]) -> bool {
    matches!(
        rule_for(kind, path),
        Some(Rule::Map | Rule::Args | Rule::Unstructured)
    ) || inside_unstructured(kind, path)
}

/// Removes what `path` names below `v`. Returns `true` when the path ends at
/// an unset struct field (nothing to remove, provided the field exists).
fn delete_path(
    kind: &str,
    v: &mut Value,
    path: &[String],
    walked: &mut Vec<String>,
    key: &str,
    value: &str,
) -> std::result::Result<bool, String> {
    let Some((first, rest)) = path.split_first() else {
        return Err("path is empty".to_string());
    };
    match v {
        Value::Map(_) => {
            let go_map = is_go_map(kind, walked);
            let present = v.get(first).is_some();
            if present && rest.is_empty() {
                v.remove(first);
                return Ok(false);
            }
            match v.get_mut(first) {
                Some(Value::Null) | None if !rest.is_empty() => Err(LOOKUP_FAILED.to_string()),
                Some(child) => {
                    walked.push(first.clone());
                    delete_path(kind, child, rest, walked, key, value)
                }
                // A struct field that is already unset: zeroing it succeeds
                // if the field exists (checked by the caller).
                None if !go_map => Ok(true),
                None => Err(LOOKUP_FAILED.to_string()),
            }
        }
        Value::Seq(items) => {
            if !rest.is_empty() {
                return Err("searching for complex paths in slices is not supported".to_string());
            }
            if first.is_empty() {
                return Err("searching for '' in a slice is not supported".to_string());
            }
            if !first.starts_with('[') {
                return Err("searching for non-integer keys in slices is not supported".to_string());
            }
            walked.push("*".to_string());
            // Items of Go maps (unstructured lists) are never matched.
            let structs = !inside_unstructured(kind, walked);
            let pos = items.iter().position(|item| {
                structs
                    && matches!(item, Value::Map(_))
                    && item.get(key).and_then(Value::as_str) == Some(value)
            });
            match pos {
                Some(i) => {
                    items.remove(i);
                    Ok(false)
                }
                None => Err(LOOKUP_FAILED.to_string()),
            }
        }
        _ => Err(LOOKUP_FAILED.to_string()),
    }
}
