//! Strategic merge of one patch document into one config document.
//!
//! Ports `pkg/machinery/config/merge/merge.go` to document trees: mappings
//! merge key by key, sequences append, scalars are overwritten unless the
//! patch holds a zero value (`""`, `0`) and booleans are always copied; the
//! exceptions by field are in [`crate::rules`].

use crate::error::{PatchError, Result};
use crate::rules::{always_replace_children, inside_unstructured, rule_for, Rule};
use crate::value::Value;

/// Merges `right` (a patch document) into `left` (a config document of the
/// same identity) in place.
pub(crate) fn merge_document(
    document: &str,
    kind: &str,
    left: &mut Value,
    right: &Value,
) -> Result<()> {
    let ctx = Ctx { document, kind };
    merge_value(&ctx, left, right, &mut Vec::new())
}

struct Ctx<'a> {
    document: &'a str,
    kind: &'a str,
}

impl Ctx<'_> {
    /// The document's `apiVersion` (the label is `apiVersion/kind`).
    fn api_version(&self) -> &str {
        self.document
            .rsplit_once('/')
            .map_or("", |(version, _)| version)
    }
}

/// Whether the value at `path` is an entry of a Go map (or inside an
/// unstructured value), where only `""` counts as zero.
fn in_go_map(kind: &str, path: &[String]) -> bool {
    inside_unstructured(kind, path)
        || path.split_last().is_some_and(|(_, parent)| {
            matches!(rule_for(kind, parent), Some(Rule::Map | Rule::Args))
        })
}

fn merge_value(
    ctx: &Ctx<'_>,
    left: &mut Value,
    right: &Value,
    path: &mut Vec<String>,
) -> Result<()> {
    match rule_for(ctx.kind, path) {
        Some(Rule::Replace) => {
            if *right != Value::Null {
                *left = right.clone();
            }
            return Ok(());
        }
        Some(Rule::AlwaysReplace) => {
            *left = right.clone();
            return Ok(());
        }
        Some(Rule::PointerScalar) => {
            if *right != Value::Null {
                *left = right.clone();
            }
            return Ok(());
        }
        Some(Rule::Size) => {
            let left_bytes = match &*left {
                Value::Str(l) => !l.is_empty() && !l.contains('%'),
                Value::Int(_) | Value::Plain(_) => true,
                _ => false,
            };
            if left_bytes && matches!(right, Value::Str(r) if r.contains('%')) {
                // Both pointers end up set and the byte size is encoded.
                return Ok(());
            }
        }
        Some(Rule::Url) => {
            if let (Value::Str(l), Value::Str(r)) = (&*left, right) {
                *left = Value::Str(crate::url::merge(l, r));
                return Ok(());
            }
        }
        Some(Rule::Args) => {
            if let Value::Map(entries) = right {
                if entries.is_empty() {
                    return Ok(());
                }
                if !matches!(left, Value::Map(_)) {
                    *left = Value::Map(Vec::new());
                }
                for (k, v) in entries {
                    left.insert(k, v.clone());
                }
                return Ok(());
            }
        }
        Some(rule @ (Rule::KeyedMerge(_) | Rule::KeyedReplace(_) | Rule::DeviceList)) => {
            if let Value::Seq(items) = right {
                return merge_keyed(ctx, rule, left, items, path);
            }
        }
        Some(Rule::Unstructured | Rule::Map) | None => {}
    }
    match (&mut *left, right) {
        (_, Value::Null) => {}
        (Value::Null, r) => *left = r.clone(),
        (Value::Map(_), Value::Map(r_entries)) => {
            let unstructured = inside_unstructured(ctx.kind, path);
            for (k, rv) in r_entries {
                path.push(k.clone());
                match left.get_mut(k) {
                    Some(lv) if *lv != Value::Null => {
                        if unstructured && !same_go_type(lv, rv) {
                            return Err(PatchError::MergeTypeMismatch {
                                document: ctx.document.to_string(),
                                path: path.join("."),
                                left: lv.type_name().to_string(),
                                right: rv.type_name().to_string(),
                            });
                        }
                        merge_value(ctx, lv, rv, path)?;
                    }
                    _ => left.insert(k, rv.clone()),
                }
                path.pop();
            }
            for field in always_replace_children(ctx.kind, path) {
                if right.get(field).is_none() {
                    left.remove(field);
                }
            }
        }
        (Value::Seq(l), Value::Seq(r)) => l.extend(r.iter().cloned()),
        (_, r @ Value::Bool(_)) => *left = r.clone(),
        (l, r) if is_zero_for(l, r) => {}
        // A non-empty text can still decode to the field's zero value (an
        // enum's first name, `0s`), which Go's merge skips as well.
        (Value::Str(_) | Value::Plain(_), r @ Value::Str(_))
            if !in_go_map(ctx.kind, path)
                && crate::typed::decodes_to_zero(ctx.api_version(), ctx.kind, path, r) => {}
        (_, r) => *left = r.clone(),
    }
    Ok(())
}

/// Whether the patch scalar `r` is the zero value of the Go type behind the
/// config's value `l`. The config is in its encoded form, so a string field
/// holds a string scalar: the patch's `0` then decodes to the non-zero
/// string "0" and does overwrite.
fn is_zero_for(l: &Value, r: &Value) -> bool {
    match l {
        Value::Str(_) => matches!(r, Value::Str(s) if s.is_empty()),
        _ => r.is_zero_scalar(),
    }
}

/// Go's `map[string]any` merge requires both values to hold the same type.
fn same_go_type(a: &Value, b: &Value) -> bool {
    a.type_name() == b.type_name()
}

fn merge_keyed(
    ctx: &Ctx<'_>,
    rule: Rule,
    left: &mut Value,
    items: &[Value],
    path: &mut Vec<String>,
) -> Result<()> {
    if !matches!(left, Value::Seq(_)) {
        *left = Value::Seq(Vec::new());
    }
    let Value::Seq(existing) = left else {
        return Ok(());
    };
    path.push("*".to_string());
    // `ImageVerificationRules.Merge` indexes the config's rules once, before
    // merging (the last of equal patterns wins), so rules appended by the
    // patch are never matched; the other lists search the growing list and
    // take the first match.
    let original = existing.len();
    for item in items {
        let found = match rule {
            Rule::KeyedReplace(_) => existing
                .get(..original)
                .and_then(|orig| orig.iter().rposition(|e| same_item(rule, e, item))),
            _ => existing.iter().position(|e| same_item(rule, e, item)),
        };
        match (found, rule) {
            (Some(i), Rule::KeyedReplace(_)) => {
                if let Some(slot) = existing.get_mut(i) {
                    *slot = item.clone();
                }
            }
            (Some(i), _) => {
                if let Some(slot) = existing.get_mut(i) {
                    merge_value(ctx, slot, item, path)?;
                }
            }
            (None, _) => existing.push(item.clone()),
        }
    }
    path.pop();
    Ok(())
}

/// Whether a config list item and a patch list item are "the same" for a
/// keyed list merge.
fn same_item(rule: Rule, existing: &Value, item: &Value) -> bool {
    match rule {
        // Go compares the key fields by value: absent means the zero value.
        Rule::KeyedMerge(key) | Rule::KeyedReplace(key) => {
            go_scalar_eq(existing.get(key), item.get(key), key == "vlanId")
        }
        Rule::DeviceList => {
            // v1alpha1.NetworkDeviceList: the interface name wins; otherwise an
            // equal device selector. Go compares the selector structs by
            // value, and their `physical` field is a pointer, so a selector
            // setting it never equals another.
            match item.get_str("interface") {
                Some(name) if !name.is_empty() => existing.get_str("interface") == Some(name),
                _ => match (item.get("deviceSelector"), existing.get("deviceSelector")) {
                    (Some(a @ Value::Map(_)), Some(b @ Value::Map(_))) => same_selector(a, b),
                    _ => false,
                },
            }
        }
        _ => false,
    }
}

/// The string fields of `v1alpha1.NetworkDeviceSelector`.
const SELECTOR_FIELDS: &[&str] = &[
    "busPath",
    "hardwareAddr",
    "permanentAddr",
    "pciID",
    "driver",
];

/// Go's `==` on two `NetworkDeviceSelector` structs: every string field
/// equal (absent is `""`, key order irrelevant), and `physical` unset on
/// both (it is a pointer, and two decoded pointers are never equal).
fn same_selector(a: &Value, b: &Value) -> bool {
    let unset = |v: &Value| matches!(v.get("physical"), None | Some(Value::Null));
    unset(a)
        && unset(b)
        && SELECTOR_FIELDS
            .iter()
            .all(|f| go_scalar_eq(a.get(f), b.get(f), false))
}

/// Compares two scalar fields the way Go compares the decoded values:
/// absent or `null` is the zero value, and the comparison is on the text
/// (a patch may write `100` where the config holds `100`, or `""` where the
/// config omits the field). For a `numeric` field `0` is the zero value too.
fn go_scalar_eq(a: Option<&Value>, b: Option<&Value>, numeric: bool) -> bool {
    fn text(v: Option<&Value>) -> Option<String> {
        match v {
            None | Some(Value::Null) => Some(String::new()),
            Some(Value::Str(s) | Value::Plain(s)) => Some(s.clone()),
            Some(Value::Int(i)) => Some(i.to_string()),
            Some(Value::Float(f)) => Some(f.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            Some(Value::Seq(_) | Value::Map(_)) => None,
        }
    }
    let zero = |t: String| {
        if numeric && t == "0" {
            String::new()
        } else {
            t
        }
    };
    match (text(a), text(b)) {
        (Some(x), Some(y)) => zero(x) == zero(y),
        _ => a == b,
    }
}
