//! The YAML that a JSON patch leaves behind, written like
//! `github.com/ghodss/yaml.JSONToYAML`: a generic map marshalled by
//! `gopkg.in/yaml.v2` (keys sorted, 2-space indent, block sequences not
//! indented under their key, and v2's own rules for quoting strings).
//!
//! Scalar layout reuses `talgen-yaml`'s emitter analysis (plain versus
//! single-quoted), which go-yaml v2 and v3 share; the differences of v2 are
//! applied here: strings YAML 1.1 would read as another type (`yes`, `on`,
//! `2001-12-14`...) are double-quoted, multi-line strings are always literal
//! blocks. Not reproduced: v2 folds plain and quoted strings longer than 80
//! columns at spaces.

use talgen_yaml::Node;

use crate::value::Value;

/// Marshals one document like yaml.v2 marshals a `map[string]interface{}`.
pub(crate) fn marshal(doc: &Value) -> String {
    let mut out = String::new();
    match doc {
        Value::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        Value::Seq(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn sorted(entries: &[(String, Value)]) -> Vec<&(String, Value)> {
    let mut v: Vec<&(String, Value)> = entries.iter().collect();
    v.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    v
}

/// go-yaml's `keyList.Less` for string keys: runs of digits compare by
/// value, other characters by code point (letters before non-letters).
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        let (Some(&ac), Some(&bc)) = (ar.get(i), br.get(i)) else {
            break;
        };
        if ac == bc {
            i += 1;
            continue;
        }
        let al = ac.is_alphabetic();
        let bl = bc.is_alphabetic();
        if al && bl {
            return ac.cmp(&bc);
        }
        if al || bl {
            return if al {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        // Compare digit runs numerically (after any shared prefix).
        let (mut an, mut bn) = (0u128, 0u128);
        let mut ad = false;
        let mut bd = false;
        let mut j = i;
        while let Some(c) = ar.get(j).and_then(|c| c.to_digit(10)) {
            an = an.saturating_mul(10).saturating_add(u128::from(c));
            ad = true;
            j += 1;
        }
        let mut k = i;
        while let Some(c) = br.get(k).and_then(|c| c.to_digit(10)) {
            bn = bn.saturating_mul(10).saturating_add(u128::from(c));
            bd = true;
            k += 1;
        }
        if ad && bd && an != bn {
            return an.cmp(&bn);
        }
        return ac.cmp(&bc);
    }
    ar.len().cmp(&br.len())
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn write_map(out: &mut String, entries: &[(String, Value)], indent: usize) {
    for (i, (k, v)) in sorted(entries).into_iter().enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        out.push_str(&scalar(&Value::Str(k.clone()), indent));
        out.push(':');
        write_value_after_key(out, v, indent);
    }
}

fn write_value_after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            pad(out, indent + 2);
            write_map(out, entries, indent + 2);
        }
        // yaml.v2 does not indent a block sequence under a mapping key.
        Value::Seq(items) if !items.is_empty() => {
            out.push('\n');
            pad(out, indent);
            write_seq(out, items, indent);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], indent: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        out.push_str("- ");
        match item {
            Value::Map(entries) if !entries.is_empty() => write_map(out, entries, indent + 2),
            Value::Seq(inner) if !inner.is_empty() => write_seq(out, inner, indent + 2),
            other => {
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => {
            if f.is_nan() {
                ".nan".to_string()
            } else if f.is_infinite() {
                if *f > 0.0 { ".inf" } else { "-.inf" }.to_string()
            } else {
                talgen_yaml::emit(&Node::Float(*f)).trim_end().to_string()
            }
        }
        Value::Plain(p) => p.clone(),
        Value::Seq(_) => "[]".to_string(),
        Value::Map(_) => "{}".to_string(),
        Value::Str(s) => string(s, indent),
    }
}

fn string(s: &str, indent: usize) -> String {
    if s.contains('\n') {
        return literal(s, indent);
    }
    if !can_use_plain(s) {
        return double_quoted(s);
    }
    let v3 = talgen_yaml::emit(&Node::String(s.to_string()));
    let v3 = v3.trim_end_matches('\n');
    if v3.starts_with('"') {
        double_quoted(s)
    } else {
        v3.to_string()
    }
}

fn literal(s: &str, indent: usize) -> String {
    let mut out = String::from("|");
    if s.starts_with(' ') || s.starts_with('\n') {
        out.push('2');
    }
    let trailing = s.len() - s.trim_end_matches('\n').len();
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
    }
    out
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// yaml.v2's `stringv` test: a string may be written plain only when its
/// unquoted form reads back as a string under v2's YAML 1.1 resolver.
fn can_use_plain(s: &str) -> bool {
    const NON_STRINGS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N",
        "no", "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if NON_STRINGS.contains(&s) {
        return false;
    }
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit() || first == '+' || first == '-' || first == '.') {
        return true;
    }
    let plain = s.replace('_', "");
    !(go_int(&plain)
        || yaml_float(&plain)
        || is_base60_float(s)
        || (first.is_ascii_digit() && timestamp(s)))
}

/// `strconv.ParseInt(s, 0, 64)` / `ParseUint` succeeding (range ignored).
fn go_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, radix) = match body.get(..2) {
        Some("0x" | "0X") => (body.get(2..).unwrap_or(""), 16),
        Some("0o" | "0O") => (body.get(2..).unwrap_or(""), 8),
        Some("0b" | "0B") => (body.get(2..).unwrap_or(""), 2),
        _ if body.len() > 1 && body.starts_with('0') => (body.get(1..).unwrap_or(""), 8),
        _ => (body, 10),
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))
}

/// v2's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (s.get(..i).unwrap_or(""), Some(s.get(i + 1..).unwrap_or(""))),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exp_ok
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, frac) = s.split_once('.').unwrap_or((s, ""));
    if !frac.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return false;
    }
    let mut parts = main.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    let head_ok = head.chars().next().is_some_and(|c| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '_');
    let rest: Vec<&str> = parts.collect();
    head_ok
        && !rest.is_empty()
        && rest.iter().all(|p| match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
            _ => false,
        })
}

/// The timestamp layouts yaml.v2 tries on unquoted scalars.
fn timestamp(s: &str) -> bool {
    let num = |t: &str, min: usize, max: usize| {
        (min..=max).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit())
    };
    let (date, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (s.get(..i).unwrap_or(""), Some(s.get(i + 1..).unwrap_or(""))),
        None => (s, None),
    };
    let d: Vec<&str> = date.split('-').collect();
    let date_ok =
        matches!(d.as_slice(), [y, m, dd] if num(y, 4, 4) && num(m, 1, 2) && num(dd, 1, 2));
    let Some(time) = time else { return date_ok };
    let (clock, _zone) = match time.find(['Z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let t: Vec<&str> = hms.split(':').collect();
    date_ok
        && matches!(t.as_slice(), [h, m, sec] if num(h, 1, 2) && num(m, 1, 2) && num(sec, 1, 2))
        && frac.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::value::parse;

    #[test]
    fn layout_matches_yaml_v2() {
        let doc = parse("{b: {x: [1, {k: v, a: 2}], e: {}, l: []}, a: yes, c: '1', d: \"x y\"}");
        assert_eq!(
            marshal(&doc),
            "a: \"yes\"\nb:\n  e: {}\n  l: []\n  x:\n  - 1\n  - a: 2\n    k: v\nc: \"1\"\nd: x y\n"
        );
    }

    #[test]
    fn yaml11_words_and_numbers_are_double_quoted() {
        for s in [
            "yes",
            "off",
            "0x1F",
            "1_000",
            "08",
            "1e3",
            "2001-12-14",
            "1:20",
            "",
        ] {
            assert!(!can_use_plain(s), "{s}");
        }
        for s in ["foo", "1.2.3", "v1alpha1", "+", "-", "10.0.0.1/24"] {
            assert!(can_use_plain(s), "{s}");
        }
    }

    #[test]
    fn multi_line_strings_are_literal_blocks() {
        let doc = parse("{a: \"x\\ny\\n\", b: \"x\\ny\"}");
        assert_eq!(marshal(&doc), "a: |\n  x\n  y\nb: |-\n  x\n  y\n");
    }

    #[test]
    fn numeric_keys_sort_naturally() {
        let doc = parse("{a10: 1, a2: 2, b: 3}");
        assert_eq!(marshal(&doc), "a2: 2\na10: 1\nb: 3\n");
    }
}
