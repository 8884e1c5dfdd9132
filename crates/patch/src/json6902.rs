//! RFC 6902 JSON patches with the semantics of `github.com/evanphx/json-patch`
//! (the version Talos links), including its departures from the RFC:
//! negative array indices count from the end, `replace` of a missing object
//! key adds it, and a missing `value` means `null`.

use crate::load::Op;
use crate::value::Value;

/// Applies `ops` in order to `doc`; the first failing operation aborts
/// with upstream's message.
pub(crate) fn apply_ops(doc: &mut Value, ops: &[Op]) -> Result<(), String> {
    for op in ops {
        match kind(op).as_str() {
            "add" => add(doc, op)?,
            "remove" => remove(doc, op)?,
            "replace" => replace(doc, op)?,
            "move" => move_op(doc, op)?,
            "test" => test(doc, op)?,
            "copy" => copy(doc, op)?,
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(())
}

/// `Operation.Kind`: the `op` string, `unknown` when absent or not a string.
fn kind(op: &Op) -> String {
    match string_field(op, "op") {
        Ok(s) => s,
        Err(_) => "unknown".to_string(),
    }
}

/// Why a string field could not be read.
enum FieldError {
    /// Absent (or a JSON `null`, which decodes to a nil pointer).
    Missing,
    /// Present but not a string: Go's `json.Unmarshal` error.
    Type(String),
}

/// Reads `path`, `from` or `op` the way `json.Unmarshal` into a Go string
/// does: a YAML-written `null` is the JSON text `null`, which leaves the
/// string empty.
fn string_field(op: &Op, name: &str) -> Result<String, FieldError> {
    match op.fields.get(name) {
        None => Err(FieldError::Missing),
        Some(Value::Null) if op.yaml => Ok(String::new()),
        Some(Value::Null) => Err(FieldError::Missing),
        Some(Value::Str(s)) => Ok(s.clone()),
        Some(other) => Err(FieldError::Type(format!(
            "json: cannot unmarshal {} into Go value of type string",
            json_kind(other)
        ))),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) | Value::Plain(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// `Operation.Path`, with its error as the message.
fn path_field(op: &Op) -> Result<String, String> {
    string_field(op, "path").map_err(|e| match e {
        FieldError::Missing => "operation missing path field: missing value".to_string(),
        FieldError::Type(m) => m,
    })
}

/// `Operation.From`, with its error as the message.
fn from_field(op: &Op) -> Result<String, String> {
    string_field(op, "from").map_err(|e| match e {
        FieldError::Missing => "operation, missing from field: missing value".to_string(),
        FieldError::Type(m) => m,
    })
}

/// The operation's `value` as upstream's lazy node sees it for `test`.
enum OpValue {
    /// No `value` field, or a JSON `null` (a nil raw message): both pass
    /// against a missing value and fail against anything else.
    Absent,
    /// Any other value, including a YAML-written `null` (the text `null`).
    Raw(Value),
}

fn op_value(op: &Op) -> OpValue {
    match op.fields.get("value") {
        None => OpValue::Absent,
        Some(Value::Null) if !op.yaml => OpValue::Absent,
        Some(v) => OpValue::Raw(v.clone()),
    }
}

/// The operation's `value`; absent and `null` are the same.
fn value_of(op: &Op) -> Value {
    op.fields.get("value").cloned().unwrap_or(Value::Null)
}

fn decode_key(k: &str) -> String {
    k.replace("~1", "/").replace("~0", "~")
}

/// Go's `strconv.Atoi` error for `key`.
fn atoi_error(key: &str, e: &std::num::ParseIntError) -> String {
    use std::num::IntErrorKind;
    let why = match e.kind() {
        IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "value out of range",
        _ => "invalid syntax",
    };
    format!("strconv.Atoi: parsing \"{key}\": {why}")
}

/// Parses an array index, applying the library's negative-index rule with
/// `len` as the bound.
fn index(key: &str, len: usize) -> Result<usize, String> {
    let idx: i64 = key.parse().map_err(|e| atoi_error(key, &e))?;
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let idx = if idx < 0 {
        if idx < -len_i {
            return Err(format!(
                "Unable to access invalid index: {idx}: invalid index referenced"
            ));
        }
        idx + len_i
    } else {
        idx
    };
    usize::try_from(idx)
        .map_err(|_| format!("Unable to access invalid index: {idx}: invalid index referenced"))
}

/// Walks to the container holding the last path segment (`findObject`).
fn find_object<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return None;
    }
    let (last, parts) = split.split_last()?;
    let mut cur = doc;
    for part in parts.iter().skip(1) {
        let part = decode_key(part);
        let next = match cur {
            Value::Map(_) => cur.get_mut(&part)?,
            Value::Seq(items) => {
                let len = items.len();
                let i = index(&part, len).ok()?;
                items.get_mut(i)?
            }
            _ => return None,
        };
        if !matches!(next, Value::Map(_) | Value::Seq(_)) {
            return None;
        }
        cur = next;
    }
    matches!(cur, Value::Map(_) | Value::Seq(_)).then(|| (cur, decode_key(last)))
}

fn container_get(con: &Value, key: &str) -> Result<Value, String> {
    match con {
        Value::Seq(items) => {
            let i = index(key, items.len())?;
            items.get(i).cloned().ok_or_else(|| {
                format!("Unable to access invalid index: {i}: invalid index referenced")
            })
        }
        _ => Ok(con.get(key).cloned().unwrap_or(Value::Null)),
    }
}

fn container_add(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Seq(items) => {
            if key == "-" {
                items.push(val);
                return Ok(());
            }
            let raw: i64 = key.parse().map_err(|e| {
                format!(
                    "value was not a proper array index: '{key}': {}",
                    atoi_error(key, &e)
                )
            })?;
            let size = items.len() + 1;
            if raw >= i64::try_from(size).unwrap_or(i64::MAX) {
                return Err(format!(
                    "Unable to access invalid index: {raw}: invalid index referenced"
                ));
            }
            let i = index(key, size)?;
            items.insert(i.min(items.len()), val);
            Ok(())
        }
        _ => {
            con.insert(key, val);
            Ok(())
        }
    }
}

fn container_remove(con: &mut Value, key: &str) -> Result<(), String> {
    match con {
        Value::Seq(items) => {
            let raw: i64 = key.parse().map_err(|e| atoi_error(key, &e))?;
            if raw >= i64::try_from(items.len()).unwrap_or(i64::MAX) {
                return Err(format!(
                    "Unable to access invalid index: {raw}: invalid index referenced"
                ));
            }
            let i = index(key, items.len())?;
            if i < items.len() {
                items.remove(i);
            }
            Ok(())
        }
        _ => {
            if con.remove(key) {
                Ok(())
            } else {
                Err(format!(
                    "Unable to remove nonexistent key: {key}: missing value"
                ))
            }
        }
    }
}

fn add(doc: &mut Value, op: &Op) -> Result<(), String> {
    let path = path_field(op).map_err(|_| "add operation failed to decode path: missing value")?;
    let (con, key) = find_object(doc, &path).ok_or_else(|| {
        format!("add operation does not apply: doc is missing path: \"{path}\": missing value")
    })?;
    container_add(con, &key, value_of(op))
        .map_err(|e| format!("error in add for path: '{path}': {e}"))
}

fn remove(doc: &mut Value, op: &Op) -> Result<(), String> {
    let path =
        path_field(op).map_err(|_| "remove operation failed to decode path: missing value")?;
    let (con, key) = find_object(doc, &path).ok_or_else(|| {
        format!("remove operation does not apply: doc is missing path: \"{path}\": missing value")
    })?;
    container_remove(con, &key).map_err(|e| format!("error in remove for path: '{path}': {e}"))
}

fn replace(doc: &mut Value, op: &Op) -> Result<(), String> {
    let path =
        path_field(op).map_err(|e| format!("replace operation failed to decode path: {e}"))?;
    let val = value_of(op);
    if path.is_empty() {
        // A YAML-written `null` reaches the library as the JSON text `null`,
        // which decodes as an empty object; the document then prints `null`.
        if op.yaml && matches!(op.fields.get("value"), Some(Value::Null)) {
            *doc = Value::Null;
            return Ok(());
        }
        if !matches!(val, Value::Map(_) | Value::Seq(_)) {
            return Err("replace operation value must be object or array".to_string());
        }
        *doc = val;
        return Ok(());
    }
    let (con, key) = find_object(doc, &path).ok_or_else(|| {
        format!("replace operation does not apply: doc is missing path: {path}: missing value")
    })?;
    container_get(con, &key).map_err(|_| {
        format!("replace operation does not apply: doc is missing key: {path}: missing value")
    })?;
    match con {
        Value::Seq(items) => {
            let i = index(&key, items.len())?;
            match items.get_mut(i) {
                Some(slot) => *slot = val,
                None => {
                    return Err(format!(
                        "Unable to access invalid index: {i}: invalid index referenced"
                    ))
                }
            }
        }
        _ => con.insert(&key, val),
    }
    Ok(())
}

fn move_op(doc: &mut Value, op: &Op) -> Result<(), String> {
    let from = from_field(op).map_err(|e| format!("move operation failed to decode from: {e}"))?;
    let (con, key) = find_object(doc, &from).ok_or_else(|| {
        format!("move operation does not apply: doc is missing from path: {from}: missing value")
    })?;
    let val =
        container_get(con, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
    container_remove(con, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
    let path = path_field(op).map_err(|e| format!("move operation failed to decode path: {e}"))?;
    let (con, key) = find_object(doc, &path).ok_or_else(|| {
        format!(
            "move operation does not apply: doc is missing destination path: {path}: missing value"
        )
    })?;
    container_add(con, &key, val).map_err(|e| format!("error in move for path: '{path}': {e}"))
}

fn copy(doc: &mut Value, op: &Op) -> Result<(), String> {
    let from = from_field(op).map_err(|e| format!("copy operation failed to decode from: {e}"))?;
    let (con, key) = find_object(doc, &from).ok_or_else(|| {
        format!("copy operation does not apply: doc is missing from path: {from}: missing value")
    })?;
    let val =
        container_get(con, &key).map_err(|e| format!("error in copy for from: '{from}': {e}"))?;
    let path = path_field(op).map_err(|_| "copy operation failed to decode path: missing value")?;
    let (con, key) = find_object(doc, &path).ok_or_else(|| {
        format!(
            "copy operation does not apply: doc is missing destination path: {path}: missing value"
        )
    })?;
    container_add(con, &key, val).map_err(|e| format!("error while adding value during copy: {e}"))
}

fn test(doc: &mut Value, op: &Op) -> Result<(), String> {
    let path = path_field(op).map_err(|e| format!("test operation failed to decode path: {e}"))?;
    let want = op_value(op);
    let failed = || format!("testing value {path} failed: test failed");
    let passed = if path.is_empty() {
        // The whole document against the value (upstream dereferences a
        // missing value and crashes; here it just fails).
        match &want {
            OpValue::Absent => Some(false),
            OpValue::Raw(v) => lazy_equal(doc, v),
        }
    } else {
        let (con, key) = find_object(doc, &path).ok_or_else(|| {
            format!("test operation does not apply: is missing path: {path}: missing value")
        })?;
        let got = container_get(con, &key)
            .map_err(|e| format!("error in test for path: '{path}': {e}"))?;
        match (&got, &want) {
            // A missing (or null) value only matches a missing value.
            (Value::Null, want) => Some(matches!(want, OpValue::Absent)),
            (_, OpValue::Absent) => Some(false),
            (got, OpValue::Raw(v)) => lazy_equal(got, v),
        }
    };
    match passed {
        Some(true) => Ok(()),
        Some(false) => Err(failed()),
        None => Err(format!(
            "testing value {path} crashes upstream: a null array element is compared"
        )),
    }
}

/// `lazyNode.equal` of the config's value `got` (never null here) against
/// the patch's `want`, or `None` where the library dereferences a null
/// array element (`[]*lazyNode` holds nil for it) and crashes.
fn lazy_equal(got: &Value, want: &Value) -> Option<bool> {
    match got {
        // A JSON null decodes as an empty object or array.
        Value::Map(m) => match want {
            Value::Null => Some(m.is_empty()),
            Value::Map(w) if w.len() == m.len() => {
                let mut result = Some(true);
                for (k, v) in m {
                    let Some((_, wv)) = w.iter().find(|(k2, _)| k2 == k) else {
                        return Some(false);
                    };
                    // Null members are checked before recursing.
                    let outcome = match (v, wv) {
                        (Value::Null, Value::Null) => Some(true),
                        (Value::Null, _) | (_, Value::Null) => Some(false),
                        _ => lazy_equal(v, wv),
                    };
                    match outcome {
                        Some(false) => return Some(false),
                        None => result = None,
                        Some(true) => {}
                    }
                }
                result
            }
            _ => Some(false),
        },
        Value::Seq(items) => match want {
            Value::Null => Some(items.is_empty()),
            Value::Seq(w) if w.len() == items.len() => {
                for (v, wv) in items.iter().zip(w) {
                    if matches!(v, Value::Null) || matches!(wv, Value::Null) {
                        return None;
                    }
                    if !lazy_equal(v, wv)? {
                        return Some(false);
                    }
                }
                Some(true)
            }
            _ => Some(false),
        },
        _ => Some(json_equal(got, want)),
    }
}

/// Structural JSON equality: object key order does not matter, numbers
/// compare by their written form (so `1` and `1.0` differ).
pub(crate) fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| k2 == k)
                        .is_some_and(|(_, v2)| json_equal(v, v2))
                })
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        _ => a == b,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        crate::value::parse(s)
    }

    /// An operation as if written in JSON.
    fn o(s: &str) -> Op {
        Op {
            fields: v(s),
            yaml: false,
        }
    }

    #[test]
    fn add_into_object_and_array() {
        let mut doc = v("{a: {b: [1, 2]}}");
        apply_ops(
            &mut doc,
            &[
                o("{op: add, path: /a/b/1, value: 9}"),
                o("{op: add, path: /a/c, value: x}"),
            ],
        )
        .unwrap();
        assert_eq!(doc, v("{a: {b: [1, 9, 2], c: x}}"));
        apply_ops(&mut doc, &[o("{op: add, path: /a/b/-, value: 3}")]).unwrap();
        assert_eq!(doc, v("{a: {b: [1, 9, 2, 3], c: x}}"));
    }

    #[test]
    fn negative_index_and_bounds() {
        let mut doc = v("[1, 2, 3]");
        apply_ops(&mut doc, &[o("{op: remove, path: /-1}")]).unwrap();
        assert_eq!(doc, v("[1, 2]"));
        assert!(apply_ops(&mut doc, &[o("{op: add, path: /5, value: 1}")]).is_err());
        assert!(apply_ops(&mut doc, &[o("{op: remove, path: /2}")]).is_err());
    }

    #[test]
    fn replace_missing_object_key_adds_it() {
        let mut doc = v("{a: 1}");
        apply_ops(&mut doc, &[o("{op: replace, path: /b, value: 2}")]).unwrap();
        assert_eq!(doc, v("{a: 1, b: 2}"));
    }

    #[test]
    fn remove_missing_key_fails() {
        let mut doc = v("{a: 1}");
        let err = apply_ops(&mut doc, &[o("{op: remove, path: /b}")]).unwrap_err();
        assert_eq!(
            err,
            "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value"
        );
    }

    #[test]
    fn test_op_compares_structurally() {
        let mut doc = v("{a: {x: 1, y: [true]}}");
        apply_ops(
            &mut doc,
            &[o("{op: test, path: /a, value: {y: [true], x: 1}}")],
        )
        .unwrap();
        assert!(apply_ops(&mut doc, &[o("{op: test, path: /a/x, value: 1.0}")]).is_err());
        apply_ops(&mut doc, &[o("{op: test, path: /missing}")]).unwrap();
        assert!(apply_ops(&mut doc, &[o("{op: test, path: /missing, value: 1}")]).is_err());
    }

    #[test]
    fn move_and_copy() {
        let mut doc = v("{a: {b: 1}, c: {}}");
        apply_ops(
            &mut doc,
            &[
                o("{op: copy, from: /a/b, path: /c/d}"),
                o("{op: move, from: /a, path: /e}"),
            ],
        )
        .unwrap();
        assert_eq!(doc, v("{c: {d: 1}, e: {b: 1}}"));
    }

    #[test]
    fn unknown_op() {
        let mut doc = v("{}");
        assert_eq!(
            apply_ops(&mut doc, &[o("{path: /a}")]).unwrap_err(),
            "Unexpected kind: unknown"
        );
    }
}
