//! A small YAML parse tree with positions, built from the event parser.
//!
//! The loader needs what go-yaml's `yaml.Node` gives Talos: every document of
//! a stream, the kind of its root, its keys in order, and line/column for
//! messages. Aliases are expanded on the spot (go-yaml resolves them when
//! decoding), under a budget so hostile input cannot blow up memory.

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span};
use talgen_gourl::strconv;

use crate::error::{Error, Position};

/// Deepest nesting accepted; config documents are far shallower, and the
/// deserializer recurses once per level.
const MAX_DEPTH: usize = 200;

/// Most nodes a stream may expand to, aliases included (go-yaml has a
/// similar alias-ratio guard against "billion laughs" input).
const MAX_NODES: usize = 2_000_000;

/// How a scalar was written, which decides how it resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Unquoted: resolves to null, bool, int, float or string.
    Plain,
    /// Quoted or block: always a string.
    Quoted,
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A scalar with its text, style and explicit core tag suffix (`str`, `int`...), if any.
    Scalar {
        value: String,
        style: Style,
        tag: Option<String>,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, entries in source order.
    Map(Vec<(Node, Node)>),
}

/// A node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) pos: Position,
}

/// What a scalar resolves to under go-yaml's rules for untyped decoding.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a str),
}

impl Node {
    /// Is this a scalar that resolves to null (`~`, `null`, empty, or `!!null`)?
    pub(crate) fn is_null(&self) -> bool {
        matches!(self.resolve(), Some(Resolved::Null))
    }

    /// The scalar text, for scalars.
    pub(crate) fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value of key `key` in a mapping node.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The go-yaml tag name of this node, for type-mismatch messages (`!!str`, `!!map`...).
    pub(crate) fn tag_name(&self) -> &'static str {
        match &self.kind {
            Kind::Seq(_) => "!!seq",
            Kind::Map(_) => "!!map",
            Kind::Scalar { .. } => match self.resolve() {
                Some(Resolved::Null) => "!!null",
                Some(Resolved::Bool(_)) => "!!bool",
                Some(Resolved::Int(_) | Resolved::Uint(_)) => "!!int",
                Some(Resolved::Float(_)) => "!!float",
                _ => "!!str",
            },
        }
    }

    /// Resolves a scalar the way go-yaml does for a value decoded into `any`.
    pub(crate) fn resolve(&self) -> Option<Resolved<'_>> {
        let Kind::Scalar { value, style, tag } = &self.kind else {
            return None;
        };
        match tag.as_deref() {
            Some("str") | Some("binary") => return Some(Resolved::Str(value)),
            Some("null") => return Some(Resolved::Null),
            _ => {}
        }
        if *style == Style::Quoted && tag.is_none() {
            return Some(Resolved::Str(value));
        }
        Some(resolve_plain(value))
    }
}

/// go-yaml's `resolve` for plain scalars (YAML 1.2 core schema as go-yaml
/// implements it: `true`/`false` in three casings, `0x`/`0o`/`0b` ints,
/// `.inf`/`.nan` floats, and `_` separators tolerated in numbers).
fn resolve_plain(value: &str) -> Resolved<'_> {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let first = value.as_bytes().first().copied().unwrap_or(b' ');
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Resolved::Str(value);
    }
    let plain = value.replace('_', "");
    if let Some(int) = parse_go_int(&plain) {
        return int;
    }
    if is_yaml_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            return Resolved::Float(f);
        }
    }
    Resolved::Str(value)
}

/// An integer as go-yaml reads one: Go's `strconv.ParseInt(s, 0, 64)`,
/// then `ParseUint` for what only fits unsigned.
fn parse_go_int(s: &str) -> Option<Resolved<'static>> {
    if let Ok(i) = strconv::try_parse_int(s, 0, 64) {
        return Some(Resolved::Int(i));
    }
    strconv::try_parse_uint(s, 0, 64).ok().map(Resolved::Uint)
}

/// go-yaml's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let int_start = i;
    while digit_at(i) {
        i += 1;
    }
    let int_digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while digit_at(i) {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_start = i;
        while digit_at(i) {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// One document of a stream: its root node, or `None` when it is empty.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawDocument {
    pub(crate) root: Option<Node>,
    pub(crate) pos: Position,
}

fn position(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

/// The tree [`parse_stream`] would build from `talgen_yaml::emit`'s text of
/// `node`, built without the text (and without copying its strings):
/// scalars keep the text the emitter writes and whether it is written
/// plain. Positions are unknown (zero). Deeper than the parser accepts is
/// refused the same way.
pub(crate) fn from_yaml_node(node: talgen_yaml::Node) -> Result<Node, Error> {
    fn convert(node: talgen_yaml::Node, key: bool, depth: usize) -> Result<Node, Error> {
        if depth > MAX_DEPTH {
            return Err(Error::Syntax {
                message: format!("document nested deeper than {MAX_DEPTH} levels"),
                position: Position::default(),
            });
        }
        let kind = match node {
            talgen_yaml::Node::Sequence(items) => Kind::Seq(
                items
                    .into_iter()
                    .map(|n| convert(n, false, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            talgen_yaml::Node::Mapping(entries) => Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| Ok((convert(k, true, depth + 1)?, convert(v, false, depth + 1)?)))
                    .collect::<Result<_, Error>>()?,
            ),
            // The emitter writes a string plain only when it reads back as
            // that same string, so the loader resolves it exactly as if it
            // were quoted: skip the emitter's analysis.
            talgen_yaml::Node::String(value) => Kind::Scalar {
                value: value.into_owned(),
                style: Style::Quoted,
                tag: None,
            },
            scalar => {
                let (text, plain) = match talgen_yaml::scalar_reading(&scalar, key) {
                    Some((text, plain)) => (text.into_owned(), plain),
                    None => (String::new(), false),
                };
                Kind::Scalar {
                    value: text,
                    style: if plain { Style::Plain } else { Style::Quoted },
                    tag: None,
                }
            }
        };
        Ok(Node {
            kind,
            pos: Position::default(),
        })
    }
    convert(node, false, 0)
}

/// A collection being built.
enum Open {
    Seq(Vec<Node>, Position, usize),
    Map(Vec<(Node, Node)>, Option<Node>, Position, usize),
}

/// Parses a whole stream into its documents.
pub(crate) fn parse_stream(input: &str) -> Result<Vec<RawDocument>, Error> {
    let mut docs = Vec::new();
    let mut anchors: std::collections::HashMap<usize, Node> = std::collections::HashMap::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut doc_pos = Position::default();
    let mut budget = MAX_NODES;

    for item in Parser::new_from_str(input) {
        let (event, span) = item.map_err(|e| Error::Syntax {
            message: e.info().to_string(),
            position: Position {
                line: e.marker().line(),
                column: e.marker().col() + 1,
            },
        })?;
        let pos = position(&span);
        let (node, anchor) = match event {
            Event::DocumentStart(..) => {
                anchors.clear();
                root = None;
                doc_pos = pos;
                continue;
            }
            Event::DocumentEnd => {
                docs.push(RawDocument {
                    root: root.take(),
                    pos: doc_pos,
                });
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    _ => Style::Quoted,
                };
                let tag = tag.and_then(|t| t.core_suffix().map(str::to_owned));
                (
                    Node {
                        kind: Kind::Scalar {
                            value: value.into_owned(),
                            style,
                            tag,
                        },
                        pos,
                    },
                    anchor,
                )
            }
            Event::SequenceStart(_, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(pos));
                }
                stack.push(Open::Seq(Vec::new(), pos, anchor));
                continue;
            }
            Event::MappingStart(_, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(pos));
                }
                stack.push(Open::Map(Vec::new(), None, pos, anchor));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(items, pos, anchor)) => (
                    Node {
                        kind: Kind::Seq(items),
                        pos,
                    },
                    anchor,
                ),
                Some(Open::Map(entries, _, pos, anchor)) => (
                    Node {
                        kind: Kind::Map(entries),
                        pos,
                    },
                    anchor,
                ),
                None => continue,
            },
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(Error::Syntax {
                        message: "unknown anchor".into(),
                        position: pos,
                    });
                };
                let size = count(target);
                if size > budget {
                    return Err(Error::TooComplex {
                        message: "aliases expand to too many nodes".into(),
                        position: pos,
                    });
                }
                budget -= size;
                let mut node = target.clone();
                node.pos = pos;
                (node, 0)
            }
            _ => continue,
        };
        budget = budget.checked_sub(1).ok_or(Error::TooComplex {
            message: "too many nodes".into(),
            position: pos,
        })?;
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        attach(&mut stack, &mut root, node)?;
    }
    Ok(docs)
}

fn too_deep(position: Position) -> Error {
    Error::TooComplex {
        message: format!("nesting deeper than {MAX_DEPTH} levels"),
        position,
    }
}

/// Counts the nodes of a subtree, iteratively.
fn count(node: &Node) -> usize {
    let mut n = 0;
    let mut todo = vec![node];
    while let Some(node) = todo.pop() {
        n += 1;
        match &node.kind {
            Kind::Scalar { .. } => {}
            Kind::Seq(items) => todo.extend(items.iter()),
            Kind::Map(entries) => {
                for (k, v) in entries {
                    todo.push(k);
                    todo.push(v);
                }
            }
        }
    }
    n
}

/// Hands a finished node to its parent collection, or makes it the document root.
fn attach(stack: &mut [Open], root: &mut Option<Node>, node: Node) -> Result<(), Error> {
    match stack.last_mut() {
        None => *root = Some(node),
        Some(Open::Seq(items, ..)) => items.push(node),
        Some(Open::Map(entries, pending, ..)) => match pending.take() {
            None => *pending = Some(node),
            Some(key) => {
                if let Some(k) = key.scalar() {
                    if let Some((first, _)) = entries.iter().find(|(e, _)| e.scalar() == Some(k)) {
                        return Err(Error::Syntax {
                            message: format!(
                                "mapping key {k:?} already defined at line {}",
                                first.pos.line
                            ),
                            position: key.pos,
                        });
                    }
                }
                entries.push((key, node));
            }
        },
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Resolved<'_> {
        resolve_plain(s)
    }

    #[test]
    fn resolves_like_go_yaml() {
        assert_eq!(plain(""), Resolved::Null);
        assert_eq!(plain("~"), Resolved::Null);
        assert_eq!(plain("True"), Resolved::Bool(true));
        assert_eq!(plain("yes"), Resolved::Str("yes"));
        assert_eq!(plain("0x1F"), Resolved::Int(31));
        assert_eq!(plain("0o17"), Resolved::Int(15));
        assert_eq!(plain("017"), Resolved::Int(15));
        assert_eq!(plain("-12"), Resolved::Int(-12));
        assert_eq!(plain("1_000"), Resolved::Int(1000));
        assert_eq!(plain("18446744073709551615"), Resolved::Uint(u64::MAX));
        assert_eq!(plain("1.5"), Resolved::Float(1.5));
        assert_eq!(plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(plain("1.2.3"), Resolved::Str("1.2.3"));
        assert_eq!(plain("10.0.0.0/8"), Resolved::Str("10.0.0.0/8"));
        assert_eq!(plain("168h0m0s"), Resolved::Str("168h0m0s"));
    }

    #[test]
    fn splits_documents_and_keeps_empty_ones() {
        let docs = parse_stream("a: 1\n---\n---\nb: [x, y]\n").unwrap();
        assert_eq!(docs.len(), 3);
        assert!(docs[1].root.as_ref().is_none_or(Node::is_null));
        assert_eq!(docs[2].root.as_ref().unwrap().pos.line, 4);
    }

    #[test]
    fn expands_aliases_and_rejects_bombs() {
        let docs = parse_stream("a: &x [1, 2]\nb: *x\n").unwrap();
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(root.get("a").unwrap().kind, root.get("b").unwrap().kind);

        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(matches!(parse_stream(&bomb), Err(Error::TooComplex { .. })));
    }

    #[test]
    fn rejects_deep_nesting_and_duplicate_keys() {
        let deep = "[".repeat(10_000);
        assert!(parse_stream(&deep).is_err());
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        assert!(parse_stream(&deep).is_err());
        let ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(parse_stream(&ok).is_ok());
        assert!(matches!(
            parse_stream("a: 1\na: 2\n"),
            Err(Error::Syntax { .. })
        ));
    }
}
