//! Go's map key order: port of go-yaml's `keyList.Less` (representer.go).
//!
//! Numbers and booleans sort numerically before everything else, strings
//! sort "naturally" (digit runs compared as numbers, letters before other
//! symbols after a letter run), and other kinds sort by Go's `reflect.Kind`
//! number. yaml.v2 differs in one point only: where a letter meets a
//! non-letter, the non-letter sorts first even right after a digit run
//! (v3 and v4 then put the letter first), see [`KeyOrder`].

use crate::node::Node;

/// Go's `reflect.Kind` numbers for the Go types a [`Node`] stands for.
fn kind(n: &Node) -> u8 {
    match n {
        Node::Bool(_) => 1,
        Node::Int(_) => 2,
        Node::Uint(_) => 11,
        Node::Float(_) => 14,
        // A nil interface stays an interface.
        Node::Null => 20,
        Node::Mapping(_) => 21,
        Node::Sequence(_) => 23,
        Node::String(_) => 24,
        // A `*yaml.Node` key dereferences to a struct.
        Node::Plain(_) => 25,
    }
}

/// Port of `keyFloat`: the numeric view of numbers and booleans.
fn key_float(n: &Node) -> Option<f64> {
    match n {
        Node::Int(i) => Some(*i as f64),
        Node::Uint(u) => Some(*u as f64),
        Node::Float(f) => Some(*f),
        Node::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

/// Port of `numLess` for two keys of the same kind.
fn num_less(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Int(x), Node::Int(y)) => x < y,
        (Node::Uint(x), Node::Uint(y)) => x < y,
        (Node::Float(x), Node::Float(y)) => x < y,
        (Node::Bool(x), Node::Bool(y)) => !x && *y,
        _ => false,
    }
}

/// Go's `unicode.IsDigit`.
fn is_digit(c: char) -> bool {
    crate::go_unicode::is_digit(c)
}

/// Go's `unicode.IsLetter`.
fn is_letter(c: char) -> bool {
    crate::go_unicode::is_letter(c)
}

/// Which go-yaml's `keyList.Less` to follow.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyOrder {
    /// gopkg.in/yaml.v2 (v2.4.0): a non-letter always sorts before a letter.
    V2,
    /// go-yaml v3 and v4: after a digit run, a letter sorts first.
    V4,
}

/// Port of v4's `keyList.Less`.
pub(crate) fn key_less(a: &Node, b: &Node) -> bool {
    key_less_in(KeyOrder::V4, a, b)
}

/// Port of `keyList.Less` of the given go-yaml major version.
pub(crate) fn key_less_in(order: KeyOrder, a: &Node, b: &Node) -> bool {
    let (ak, bk) = (kind(a), kind(b));
    if let (Some(af), Some(bf)) = (key_float(a), key_float(b)) {
        if af != bf {
            return af < bf;
        }
        if ak != bk {
            return ak < bk;
        }
        return num_less(a, b);
    }
    let (Node::String(a), Node::String(b)) = (a, b) else {
        return ak < bk;
    };
    // ASCII keys (all of Talos's) compare byte by byte, with no copy; a
    // byte converts to the same `char` as its rune.
    if a.is_ascii() && b.is_ascii() {
        return runes_less(order, a.as_bytes(), b.as_bytes());
    }
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    runes_less(order, &ar, &br)
}

/// The string part of `keyList.Less`, over the runes of both keys.
fn runes_less<T: Copy + PartialEq + PartialOrd + Into<char>>(
    order: KeyOrder,
    ar: &[T],
    br: &[T],
) -> bool {
    let is_digit = |c: T| is_digit(c.into());
    let is_letter = |c: T| is_letter(c.into());
    let mut digits = false;
    for (i, (&a, &b)) in ar.iter().zip(br).enumerate() {
        if a == b {
            digits = is_digit(a);
            continue;
        }
        let al = is_letter(a);
        let bl = is_letter(b);
        if al && bl {
            return a < b;
        }
        if al || bl {
            return if digits && order == KeyOrder::V4 {
                al
            } else {
                bl
            };
        }
        // Compare the digit runs starting here as numbers; a leading zero
        // after a non-zero digit run keeps counting from that run.
        let start: i64 = if a.into() == '0' || b.into() == '0' {
            let before = ar.iter().take(i).rev().copied();
            let run_is_nonzero = before.take_while(|&c| is_digit(c)).any(|c| c.into() != '0');
            i64::from(run_is_nonzero)
        } else {
            0
        };
        let (an, a_len) = digit_run(ar.iter().skip(i).copied(), start, is_digit);
        let (bn, b_len) = digit_run(br.iter().skip(i).copied(), start, is_digit);
        if an != bn {
            return an < bn;
        }
        if a_len != b_len {
            return a_len < b_len;
        }
        return a < b;
    }
    ar.len() < br.len()
}

/// Reads the digit run at the front of `runes` into `start` like Go does
/// (wrapping, each rune counting as its code point minus `'0'`), returning
/// the value and the run's length.
fn digit_run<T: Copy + Into<char>>(
    runes: impl Iterator<Item = T>,
    start: i64,
    is_digit: impl Fn(T) -> bool,
) -> (i64, usize) {
    let mut n = start;
    let mut len = 0;
    for c in runes {
        if !is_digit(c) {
            break;
        }
        n = n
            .wrapping_mul(10)
            .wrapping_add(i64::from(u32::from(c.into())) - 48);
        len += 1;
    }
    (n, len)
}

/// Sorts mapping pairs by their keys in Go's (v4) order.
pub(crate) fn sort_pairs(pairs: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    merge_sort_by(pairs, &|(a, _), (b, _)| key_less(a, b))
}

/// Sorts `items` by `less`, keeping equal items in their order.
///
/// A hand-written merge sort: `keyList.Less` is not a total order for every
/// input (NaN keys, mixed kinds, digit runs past 64 bits that wrap), and
/// std's sorts may panic on such orders; this one just produces some order,
/// as Go's `sort.Sort` does.
pub(crate) fn merge_sort_by<T>(items: Vec<T>, less: &impl Fn(&T, &T) -> bool) -> Vec<T> {
    if items.len() <= 1 {
        return items;
    }
    let mut left = items;
    let right = left.split_off(left.len() / 2);
    let (left, right) = (merge_sort_by(left, less), merge_sort_by(right, less));
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_right = match (left.peek(), right.peek()) {
            (Some(a), Some(b)) => less(b, a),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => break,
        };
        let next = if take_right {
            right.next()
        } else {
            left.next()
        };
        out.extend(next);
    }
    out
}
