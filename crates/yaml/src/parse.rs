//! Reading YAML text into [`Node`]s with Go's typing of plain scalars.
//!
//! Uses the event parser that serde-saphyr re-exports (`granit_parser`),
//! because serde's data model hides whether a scalar was quoted, and Go
//! types `"1"` and `1` differently.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::error::Error;
use crate::node::Node;
use crate::resolve::{resolve_plain, Resolved};

/// Alias expansion budget (nodes copied), against "billion laughs" input.
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Parses a single YAML document into a [`Node`].
///
/// Mapping order is kept. Plain scalars are typed like Go's resolver does
/// (`true`, `42`, `0x1F`, `1e3`, `null`, `~`...), quoted and block scalars
/// are strings; plain timestamps stay strings (their text). An empty input
/// gives [`Node::Null`]; more than one document is an error (see
/// [`from_str_documents`]).
pub fn from_str(input: &str) -> Result<Node, Error> {
    let mut docs = from_str_documents(input)?;
    match docs.len() {
        0 => Ok(Node::Null),
        1 => Ok(docs.pop().unwrap_or_default()),
        found => Err(Error::DocumentCount { found }),
    }
}

/// Parses a stream of `---`-separated documents, one [`Node`] each (an empty
/// document is [`Node::Null`]).
///
/// Anchors and aliases are expanded into copies; comments are dropped;
/// explicit core tags (`!!str`, `!!int`...) are honoured, other tags make a
/// scalar a string and are otherwise ignored.
pub fn from_str_documents(input: &str) -> Result<Vec<Node>, Error> {
    let mut b = Builder::default();
    for item in Parser::new_from_str(input) {
        let (event, span) = item.map_err(syntax)?;
        b.event(event, span)?;
    }
    Ok(b.docs)
}

fn syntax(e: ScanError) -> Error {
    Error::Syntax {
        line: e.marker().line(),
        column: e.marker().col(),
        message: e.info(),
    }
}

fn at(mark: &Marker) -> (usize, usize) {
    (mark.line(), mark.col())
}

/// An open collection.
enum Frame {
    Seq(Vec<Node>, usize),
    Map(Vec<(Node, Node)>, Option<Node>, usize),
}

/// Assembles documents from parser events without recursion.
#[derive(Default)]
struct Builder {
    docs: Vec<Node>,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, (Node, usize)>,
    copied: usize,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Error> {
        match event {
            Event::DocumentStart(..) => {
                self.root = None;
                self.anchors.clear();
            }
            Event::DocumentEnd => {
                self.docs.push(self.root.take().unwrap_or_default());
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = scalar(value, style, tag.as_deref(), &span.start)?;
                self.value(node, anchor);
            }
            Event::SequenceStart(_, anchor, _) => self.stack.push(Frame::Seq(Vec::new(), anchor)),
            Event::MappingStart(_, anchor, _) => {
                self.stack.push(Frame::Map(Vec::new(), None, anchor));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(items, anchor)) => (Node::Sequence(items), anchor),
                    Some(Frame::Map(pairs, _, anchor)) => (Node::Mapping(pairs), anchor),
                    None => return Ok(()),
                };
                self.value(node, anchor);
            }
            Event::Alias(id) => {
                let (line, column) = at(&span.start);
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(Error::Unsupported {
                        line,
                        column,
                        feature: "alias to an anchor that is not complete".to_owned(),
                    });
                };
                self.copied += size;
                if self.copied > MAX_ALIAS_NODES {
                    return Err(Error::Unsupported {
                        line,
                        column,
                        feature: "aliases expanding to too many nodes".to_owned(),
                    });
                }
                let node = node.clone();
                self.value(node, 0);
            }
            // Stream markers, comments and anchor metadata carry no data.
            _ => {}
        }
        Ok(())
    }

    /// Places a finished node into its parent (or as the document root).
    fn value(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let size = count_nodes(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(items, _)) => items.push(node),
            Some(Frame::Map(pairs, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => pairs.push((k, node)),
            },
        }
    }
}

/// Number of nodes in a tree, counted without recursion.
fn count_nodes(node: &Node) -> usize {
    let mut count = 0;
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        count += 1;
        match n {
            Node::Sequence(items) => todo.extend(items),
            Node::Mapping(pairs) => {
                for (k, v) in pairs {
                    todo.push(k);
                    todo.push(v);
                }
            }
            _ => {}
        }
    }
    count
}

/// Types one scalar event like Go's resolver.
fn scalar(
    value: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    mark: &Marker,
) -> Result<Node, Error> {
    let plain = matches!(style, ScalarStyle::Plain);
    let Some(tag) = tag else {
        return Ok(if plain {
            typed(resolve_plain(&value), value)
        } else {
            Node::String(Cow::Owned(value.into_owned()))
        });
    };
    let Some(core) = tag.core_suffix() else {
        // Custom and non-specific tags: Go keeps the text.
        return Ok(Node::String(Cow::Owned(value.into_owned())));
    };
    let resolved = resolve_plain(&value);
    let node = match (core, resolved) {
        ("str", _) => Some(Node::String(Cow::Owned(value.to_string()))),
        ("null", _) => Some(Node::Null),
        ("bool", Resolved::Bool(b)) => Some(Node::Bool(b)),
        ("int", Resolved::Int(i)) => Some(Node::Int(i)),
        ("int", Resolved::Uint(u)) => Some(Node::Uint(u)),
        ("float", Resolved::Float(f)) => Some(Node::Float(f)),
        ("float", Resolved::Int(i)) => Some(Node::Float(i as f64)),
        ("float", Resolved::Uint(u)) => Some(Node::Float(u as f64)),
        _ => None,
    };
    node.ok_or_else(|| {
        let (line, column) = at(mark);
        Error::TagMismatch {
            text: value.into_owned(),
            tag: format!("!!{core}"),
            line,
            column,
        }
    })
}

/// The node for a plain scalar Go resolved as `resolved`.
fn typed(resolved: Resolved, text: Cow<'_, str>) -> Node {
    match resolved {
        Resolved::Null => Node::Null,
        Resolved::Bool(b) => Node::Bool(b),
        Resolved::Int(i) => Node::Int(i),
        Resolved::Uint(u) => Node::Uint(u),
        Resolved::Float(f) => Node::Float(f),
        Resolved::Timestamp | Resolved::Merge | Resolved::Str => {
            Node::String(Cow::Owned(text.into_owned()))
        }
    }
}

/// The node a plain scalar with this text parses to.
pub(crate) fn plain_node(text: String) -> Node {
    typed(resolve_plain(&text), Cow::Owned(text))
}
