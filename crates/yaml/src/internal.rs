//! Hooks for fuzzing; not part of the supported API.

use crate::emit::emit;
use crate::float::go_float;
use crate::node::Node;
use crate::parse::{from_str, plain_node};

/// Parses `data`; when it is one valid YAML document, emits it and checks
/// that the text reads back to the same value and that emitting again gives
/// the same text.
///
/// # Panics
/// When a round trip changes the value or the text, except for inputs
/// holding strings go-yaml itself cannot round-trip (see [`go_quirk`]).
// A fuzz hook reports a broken round trip by panicking.
#[allow(clippy::panic)]
pub fn fuzz_roundtrip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(first) = from_str(text) else {
        return;
    };
    if go_quirk(&first) {
        return;
    }
    let written = emit(&first);
    let second = match from_str(&written) {
        Ok(node) => node,
        Err(e) => panic!("emitted text does not parse: {e}\n{written}"),
    };
    assert!(
        same(&normalized(&first), &second),
        "value changed:\n{first:?}\n{second:?}\n{written}"
    );
    assert_eq!(emit(&second), written, "emitting is not a fixed point");
}

/// True when `node` holds a string go-yaml writes in a form that does not
/// read back unchanged: line/paragraph separators (which break quoted
/// scalars), and multi-line text starting with a space or with a break and
/// then a space (the literal block's indentation hint is fixed at 4 or
/// missing).
pub fn go_quirk(node: &Node) -> bool {
    let bad = |s: &str| {
        s.contains(['\u{2028}', '\u{2029}'])
            || (s.starts_with(' ') && s.contains('\n'))
            || (s.starts_with('\n') && s.trim_start_matches('\n').starts_with(' '))
    };
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        match n {
            Node::String(s) | Node::Plain(s) if bad(s) => return true,
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
    false
}

/// What `node` reads back as after emitting: floats become whatever their
/// Go text resolves to (an integral float prints as an integer).
fn normalized(node: &Node) -> Node {
    match node {
        Node::Float(f) => plain_node(go_float(*f)),
        Node::Sequence(items) => Node::Sequence(items.iter().map(normalized).collect()),
        Node::Mapping(pairs) => Node::Mapping(
            pairs
                .iter()
                .map(|(k, v)| (normalized(k), normalized(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Equality where NaN equals NaN.
fn same(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Float(x), Node::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Node::Sequence(x), Node::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Node::Mapping(x), Node::Mapping(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ak, av), (bk, bv))| same(ak, bk) && same(av, bv))
        }
        _ => a == b,
    }
}
