//! The order-preserving document tree the patcher works on.
//!
//! Scalars keep the type Go's YAML decoder resolves them to (string, integer,
//! float, bool, null): the merge rules depend on it, because Go ignores a
//! patch value equal to its type's zero value.

use talgen_yaml::Node;

/// One node of a YAML (or JSON) document, with mapping keys in input order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer scalar.
    Int(i128),
    /// A floating-point scalar.
    Float(f64),
    /// A string scalar.
    Str(String),
    /// A non-string scalar kept as its text (a typed model's custom form,
    /// such as a file mode written `0o644`).
    Plain(String),
    /// A sequence.
    Seq(Vec<Value>),
    /// A mapping, keys in document order.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Mutable access to the value under `key` when this is a mapping.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string under `key` when this is a mapping and the value a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Sets `key` in a mapping, replacing in place or appending at the end.
    pub(crate) fn insert(&mut self, key: &str, value: Value) {
        if let Value::Map(entries) = self {
            if let Some(slot) = entries.iter_mut().find(|(k, _)| k == key) {
                slot.1 = value;
            } else {
                entries.push((key.to_string(), value));
            }
        }
    }

    /// Removes `key` from a mapping, returning whether it was there.
    pub(crate) fn remove(&mut self, key: &str) -> bool {
        if let Value::Map(entries) = self {
            if let Some(pos) = entries.iter().position(|(k, _)| k == key) {
                entries.remove(pos);
                return true;
            }
        }
        false
    }

    /// Whether Go would see this scalar as its type's zero value (`""`, `0`,
    /// `0.0`); booleans never count, because the Go merge always copies them.
    pub(crate) fn is_zero_scalar(&self) -> bool {
        match self {
            Value::Str(s) => s.is_empty(),
            Value::Int(i) => *i == 0,
            Value::Float(f) => *f == 0.0,
            Value::Plain(p) => p == "0",
            _ => false,
        }
    }

    /// A short name of the value's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Str(_) | Value::Plain(_) => "string",
            Value::Seq(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
        }
    }

    /// The text Go's reflection-free `String()` would give a string field, or
    /// `None` for non-strings (upstream compares selector values only
    /// against string-typed fields).
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

fn key_text(node: &Node) -> String {
    match node {
        Node::Null => String::new(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Uint(u) => u.to_string(),
        Node::Float(f) => f.to_string(),
        Node::String(s) | Node::Plain(s) => s.to_string(),
        Node::Sequence(_) | Node::Mapping(_) => String::new(),
    }
}

impl Value {
    /// The value a typed model's tree reads back as once emitted and
    /// parsed: like `From<&Node>`, except that a [`Node::Plain`] scalar
    /// (a custom form such as the file mode `0o644`) is resolved as the
    /// parser resolves its text.
    pub(crate) fn from_tree(node: Node) -> Value {
        match node {
            Node::Plain(_) => {
                let read_plain =
                    matches!(talgen_yaml::scalar_reading(&node, false), Some((_, true)));
                let Node::Plain(text) = node else {
                    return Value::Null;
                };
                if read_plain {
                    talgen_yaml::from_str(&text)
                        .map_or(Value::Str(text.into_owned()), |n| Value::from(&n))
                } else {
                    Value::Str(text.into_owned())
                }
            }
            Node::Sequence(items) => Value::Seq(items.into_iter().map(Value::from_tree).collect()),
            Node::Mapping(pairs) => Value::Map(
                pairs
                    .into_iter()
                    .map(|(k, v)| (key_string(k), Value::from_tree(v)))
                    .collect(),
            ),
            Node::String(s) => Value::Str(s.into_owned()),
            scalar => Value::from(&scalar),
        }
    }
}

/// [`key_text`] of an owned key, moving a string key's text.
fn key_string(node: Node) -> String {
    match node {
        Node::String(s) | Node::Plain(s) => s.into_owned(),
        other => key_text(&other),
    }
}

impl From<&Node> for Value {
    fn from(node: &Node) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::Int(i128::from(*i)),
            Node::Uint(u) => Value::Int(i128::from(*u)),
            Node::Float(f) => Value::Float(*f),
            Node::String(s) => Value::Str(s.to_string()),
            Node::Plain(s) => Value::Plain(s.to_string()),
            Node::Sequence(items) => Value::Seq(items.iter().map(Value::from).collect()),
            Node::Mapping(pairs) => {
                let mut out: Vec<(String, Value)> = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let key = key_text(k);
                    let value = Value::from(v);
                    // A repeated key keeps its first place and its last value.
                    if let Some(slot) = out.iter_mut().find(|(existing, _)| *existing == key) {
                        slot.1 = value;
                    } else {
                        out.push((key, value));
                    }
                }
                Value::Map(out)
            }
        }
    }
}

impl From<Value> for Node {
    fn from(value: Value) -> Node {
        match value {
            Value::Str(s) => Node::String(s.into()),
            Value::Plain(s) => Node::Plain(s.into()),
            Value::Seq(items) => Node::Sequence(items.into_iter().map(Node::from).collect()),
            Value::Map(entries) => Node::Mapping(
                entries
                    .into_iter()
                    .map(|(k, v)| (Node::String(k.into()), Node::from(v)))
                    .collect(),
            ),
            scalar => Node::from(&scalar),
        }
    }
}

impl From<&Value> for Node {
    fn from(value: &Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Int(i) => match i64::try_from(*i) {
                Ok(i) => Node::Int(i),
                Err(_) => u64::try_from(*i).map_or(Node::Float(*i as f64), Node::Uint),
            },
            Value::Float(f) => Node::Float(*f),
            Value::Str(s) => Node::String(s.clone().into()),
            Value::Plain(s) => Node::Plain(s.clone().into()),
            Value::Seq(items) => Node::Sequence(items.iter().map(Node::from).collect()),
            Value::Map(entries) => Node::Mapping(
                entries
                    .iter()
                    .map(|(k, v)| (Node::String(k.clone().into()), Node::from(v)))
                    .collect(),
            ),
        }
    }
}

/// Parses a YAML (or JSON) stream into documents, typing scalars like Go.
pub(crate) fn parse_documents(text: &str) -> Result<Vec<Value>, talgen_yaml::Error> {
    Ok(talgen_yaml::from_str_documents(text)?
        .iter()
        .map(Value::from)
        .collect())
}

/// Parses text holding at most one YAML document (none gives `Null`).
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Value {
    parse_documents(text)
        .ok()
        .and_then(|mut d| d.pop())
        .unwrap_or(Value::Null)
}
