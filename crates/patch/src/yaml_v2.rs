//! The YAML that a JSON patch leaves behind: `ghodss/yaml.JSONToYAML`, i.e.
//! the patched JSON read back into generic Go values and marshalled by
//! `gopkg.in/yaml.v2` (v2.4.0).
//!
//! This is a small port of that emitter restricted to what a JSON document
//! can produce: block mappings with sorted keys, block sequences not indented
//! under their key, `{}`/`[]` for empty collections, and v2's scalar styles.
//! Plain, single- and double-quoted scalars are folded at spaces once the
//! column passes 80, like v2 does; strings with a line break are literal
//! blocks unless the emitter must fall back to double quotes.

use crate::value::Value;
use talgen_yaml::go_unicode::{is_digit, is_letter};
use talgen_yaml::Node;

/// The column after which v2 folds a flow scalar at a space.
const BEST_WIDTH: usize = 80;
/// v2's indentation step.
const BEST_INDENT: isize = 2;
/// Keys longer than this (in bytes) are written as `? key` complex keys.
const MAX_SIMPLE_KEY: usize = 128;

/// Marshals one document like yaml.v2 marshals the generic value.
pub(crate) fn marshal(doc: &Value) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        open_ended: false,
        indent: -1,
        indents: Vec::new(),
    };
    e.node(doc, Ctx::ROOT);
    // Document end (implicit). `Marshal` clears the open-ended flag before
    // the stream end (encode.go `finish`), so no `...` marker ever follows,
    // even after a keep-chomping literal block.
    e.write_indent();
    e.out
}

/// Where a node sits, as v2's emitter tracks it.
#[derive(Clone, Copy)]
struct Ctx {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

impl Ctx {
    const ROOT: Ctx = Ctx {
        root: true,
        mapping: false,
        simple_key: false,
    };
    const SEQ_ITEM: Ctx = Ctx {
        root: false,
        mapping: false,
        simple_key: false,
    };
    const MAP_VALUE: Ctx = Ctx {
        root: false,
        mapping: true,
        simple_key: false,
    };
    const SIMPLE_KEY: Ctx = Ctx {
        root: false,
        mapping: true,
        simple_key: true,
    };
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// The output and the few state bits of v2's emitter that decide layout.
struct Emitter {
    out: String,
    /// Column of the next character, counted in characters.
    column: usize,
    /// The last thing written was whitespace (or nothing).
    whitespace: bool,
    /// The last thing written was indentation.
    indention: bool,
    /// The document ends in a way that needs an explicit `...`.
    open_ended: bool,
    indent: isize,
    indents: Vec<isize>,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn decrease_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = usize::try_from(self.indent).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn node(&mut self, v: &Value, ctx: Ctx) {
        match v {
            Value::Map(entries) if !entries.is_empty() => self.block_mapping(entries),
            Value::Seq(items) if !items.is_empty() => self.block_sequence(items, ctx),
            Value::Map(_) => self.empty_flow("{", "}"),
            Value::Seq(_) => self.empty_flow("[", "]"),
            Value::Str(s) => self.string(s, ctx),
            other => self.scalar(&scalar_text(other), Style::Plain, ctx),
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.decrease_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_mapping(&mut self, entries: &[(String, Value)]) {
        self.increase_indent(false, false);
        let sorted = sort_keys(entries.iter().collect());
        for (key, value) in sorted {
            self.write_indent();
            let simple = key.len() <= MAX_SIMPLE_KEY && !analyze(key).multiline;
            if simple {
                self.string(key, Ctx::SIMPLE_KEY);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.string(key, Ctx::MAP_VALUE);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(value, Ctx::MAP_VALUE);
        }
        self.decrease_indent();
    }

    fn block_sequence(&mut self, items: &[Value], ctx: Ctx) {
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, Ctx::SEQ_ITEM);
        }
        self.decrease_indent();
    }

    /// A string value: v2's `stringv` picks the requested style.
    fn string(&mut self, s: &str, ctx: Ctx) {
        let requested = if s.contains('\n') {
            Style::Literal
        } else if can_use_plain(s) {
            Style::Plain
        } else {
            Style::Double
        };
        self.scalar(s, requested, ctx);
    }

    fn scalar(&mut self, text: &str, requested: Style, ctx: Ctx) {
        let a = analyze(text);
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain || (text.is_empty() && ctx.simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block || ctx.simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(text, breaks, ctx.root),
            Style::Single => self.write_single(text, breaks),
            Style::Double => self.write_double(text, breaks),
            Style::Literal => self.write_literal(text),
        }
        self.decrease_indent();
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool, root: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            let next_space = chars.get(i + 1) == Some(&' ');
            if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
        if root {
            self.open_ended = true;
        }
    }

    fn write_single(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let last = chars.len().saturating_sub(1);
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            let next_space = chars.get(i + 1) == Some(&' ');
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < last
                    && !next_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let last = chars.len().saturating_sub(1);
        let mut spaces = false;
        // v2 looks for a byte-order mark at the start of the value instead of
        // at the current character, so a leading one escapes everything.
        let bom_start = text.starts_with('\u{FEFF}');
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || bom_start || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match escape(c) {
                    Some(e) => self.put(e),
                    None => {
                        let v = u32::from(c);
                        let (letter, width) = match v {
                            0..=0xFF => ('x', 2),
                            0x100..=0xFFFF => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(letter);
                        for digit in format!("{v:0width$X}").chars() {
                            self.put(digit);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i < last {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, text: &str) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator when the text starts
        // with a space or a break, then the chomping indicator.
        if text.starts_with(' ') || text.starts_with(is_break) {
            self.write_indicator("2", false, false, false);
        }
        self.open_ended = false;
        let mut rev = text.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (None, _) => Some("-"),
            (Some(c), _) if !is_break(c) => Some("-"),
            (Some(_), None) => {
                self.open_ended = true;
                Some("+")
            }
            (Some(_), Some(p)) if is_break(p) => {
                self.open_ended = true;
                Some("+")
            }
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in text.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// The short escape v2 writes for a character inside double quotes.
fn escape(c: char) -> Option<char> {
    Some(match c {
        '\0' => '0',
        '\u{7}' => 'a',
        '\u{8}' => 'b',
        '\t' => 't',
        '\n' => 'n',
        '\u{b}' => 'v',
        '\u{c}' => 'f',
        '\r' => 'r',
        '\u{1b}' => 'e',
        '"' => '"',
        '\\' => '\\',
        '\u{85}' => 'N',
        '\u{a0}' => '_',
        '\u{2028}' => 'L',
        '\u{2029}' => 'P',
        _ => return None,
    })
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// v2's `is_printable`: characters outside the Basic Multilingual Plane
/// count as unprintable (and are escaped).
fn is_printable(c: char) -> bool {
    matches!(u32::from(c), 0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD) && c != '\u{feff}'
}

/// What v2's scalar analysis allows for a text.
struct Analysis {
    multiline: bool,
    block_plain: bool,
    single_quoted: bool,
    block: bool,
}

fn analyze(text: &str) -> Analysis {
    if text.is_empty() {
        return Analysis {
            multiline: false,
            block_plain: true,
            single_quoted: true,
            block: false,
        };
    }
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let chars: Vec<char> = text.chars().collect();
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| is_blank(n));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain: true,
        single_quoted: true,
        block: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single_quoted = false;
    }
    if space_break || special {
        a.block_plain = false;
        a.single_quoted = false;
        a.block = false;
    }
    if line_breaks || block_indicators {
        a.block_plain = false;
    }
    a
}

/// The plain text of a non-string scalar after the JSON round trip.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
            (Ok(i), _) => i.to_string(),
            (_, Ok(u)) => u.to_string(),
            // Too big for Go's integers: v2 reads the JSON number as a float.
            _ => go_float_g(*i as f64),
        },
        Value::Float(f) => json_float(*f),
        Value::Plain(p) | Value::Str(p) => p.clone(),
        Value::Seq(_) => "[]".to_string(),
        Value::Map(_) => "{}".to_string(),
    }
}

/// A float as v2 prints it. Floats of the config went through
/// `encoding/json` first ([`json_numbers`] turned the integral ones into
/// integers); those left, and every float written in the patch itself
/// (whose JSON text reaches v2 unchanged, `1e6` included), read back as
/// floats and print with `%g`.
fn json_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    go_float_g(f)
}

/// Retypes the floats of a document the way a trip through
/// `encoding/json` and back does: `encoding/json` writes an integral float
/// below 1e21 as a bare integer, which v2 then reads as an integer (or, past
/// 64 bits, as a float again).
pub(crate) fn json_numbers(v: &mut Value) {
    match v {
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e21 => *v = Value::Int(json_integer(*f)),
        Value::Seq(items) => items.iter_mut().for_each(json_numbers),
        Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| json_numbers(v)),
        _ => {}
    }
}

/// The integer `encoding/json` writes for an integral float below 1e21: its
/// shortest digits padded with zeros (2^62 becomes 4611686018427388000,
/// not 4611686018427387904).
fn json_integer(f: f64) -> i128 {
    let sci = talgen_yaml::shortest_e(f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut n: i128 = 0;
    let mut count: i32 = 0;
    for d in mantissa.chars().filter_map(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(i128::from(d));
        count += 1;
    }
    for _ in count..=exp {
        n = n.saturating_mul(10);
    }
    if f < 0.0 {
        -n
    } else {
        n
    }
}

/// The config as `ghodss/yaml.YAMLToJSON` hands it to the JSON patch: keys
/// become strings the way it converts them (floats with float32 digits,
/// infinities and NaN as YAML words); a null key or one only a uint64 holds
/// is an error.
pub(crate) fn yaml_to_json(node: &Node) -> Result<Value, String> {
    match node {
        Node::Mapping(pairs) => {
            let mut out: Vec<(String, Value)> = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let key = match k {
                    Node::String(s) | Node::Plain(s) => s.clone(),
                    Node::Int(i) => i.to_string(),
                    Node::Bool(b) => b.to_string(),
                    Node::Float(f) => float32_key(*f),
                    Node::Uint(u) => {
                        return Err(format!("Unsupported map key of type: uint64, key: {u:#x}"))
                    }
                    Node::Null => {
                        return Err("Unsupported map key of type: %!s(<nil>), key: <nil>".into())
                    }
                    // Collection keys are beyond what a config holds; keep
                    // the crate's usual (empty) key text.
                    Node::Sequence(_) | Node::Mapping(_) => String::new(),
                };
                let value = yaml_to_json(v)?;
                // A repeated key keeps its first place and its last value.
                if let Some(slot) = out.iter_mut().find(|(existing, _)| *existing == key) {
                    slot.1 = value;
                } else {
                    out.push((key, value));
                }
            }
            Ok(Value::Map(out))
        }
        Node::Sequence(items) => items
            .iter()
            .map(yaml_to_json)
            .collect::<Result<_, _>>()
            .map(Value::Seq),
        scalar => Ok(Value::from(scalar)),
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 32)` with `+Inf`, `-Inf` and `NaN`
/// turned into `.inf`, `-.inf` and `.nan`.
fn float32_key(f: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let g = f as f32;
    if g.is_nan() {
        ".nan".to_string()
    } else if g.is_infinite() {
        if g > 0.0 { ".inf" } else { "-.inf" }.to_string()
    } else {
        g_format(&format!("{g:e}"))
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
fn go_float_g(f: f64) -> String {
    // Go's shortest round-tripping digits, as `{:e}` writes them.
    g_format(&talgen_yaml::shortest_e(f))
}

/// `%g` layout of shortest digits given in Rust's `{:e}` form.
fn g_format(sci: &str) -> String {
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..6).contains(&exp) {
        let (head, tail) = digits.split_at(1.min(digits.len()));
        let frac = if tail.is_empty() {
            String::new()
        } else {
            format!(".{tail}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{head}{frac}e{esign}{:02}", exp.unsigned_abs());
    }
    // Fixed notation with exactly the significant digits.
    let point = exp + 1;
    let nd = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point >= nd {
        format!("{digits}{}", "0".repeat((point - nd) as usize))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{body}")
}

/// Sorts mapping entries by [`key_less`] with a plain merge sort. v2's
/// order is not total (digit runs past 64 bits wrap around), and std's sorts
/// may panic on such an order; this one just produces some order, as Go's
/// `sort.Sort` does.
fn sort_keys(entries: Vec<&(String, Value)>) -> Vec<&(String, Value)> {
    if entries.len() <= 1 {
        return entries;
    }
    let mut left = entries;
    let right = left.split_off(left.len() / 2);
    let (left, right) = (sort_keys(left), sort_keys(right));
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_right = match (left.peek(), right.peek()) {
            (Some(a), Some(b)) => key_less(&b.0, &a.0),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => break,
        };
        out.extend(if take_right {
            right.next()
        } else {
            left.next()
        });
    }
    out
}

/// go-yaml v2's `keyList.Less` for two string keys, as an ordering: letters
/// sort after other characters, digit runs compare by value.
#[cfg(test)]
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    if key_less(a, b) {
        Ordering::Less
    } else if key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let digit = |c: Option<&char>| c.is_some_and(|&c| is_digit(c));
    for (i, (&ac, &bc)) in ar.iter().zip(&br).enumerate() {
        if ac == bc {
            continue;
        }
        let al = is_letter(ac);
        let bl = is_letter(bc);
        if al && bl {
            return ac < bc;
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ac == '0' || bc == '0' {
            // A zero inside a number (not a leading one) counts.
            let mut j = i;
            while j > 0 && digit(ar.get(j - 1)) {
                j -= 1;
                if ar.get(j) != Some(&'0') {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        // Any decimal digit counts, worth its code point minus '0'.
        let value = |c: Option<&char>| {
            c.filter(|&&c| is_digit(c))
                .map(|&c| i64::from(u32::from(c)) - i64::from(u32::from('0')))
        };
        let mut ai = i;
        while let Some(d) = value(ar.get(ai)) {
            an = an.wrapping_mul(10).wrapping_add(d);
            ai += 1;
        }
        let mut bi = i;
        while let Some(d) = value(br.get(bi)) {
            bn = bn.wrapping_mul(10).wrapping_add(d);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ac < bc;
    }
    ar.len() < br.len()
}

/// yaml.v2's `stringv` test: a string may be written plain only when its
/// unquoted form reads back as a string under v2's YAML 1.1 resolver.
fn can_use_plain(s: &str) -> bool {
    const NON_STRINGS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N",
        "no", "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF",
    ];
    if NON_STRINGS.contains(&s) {
        return false;
    }
    if is_base60_float(s) {
        return false;
    }
    let Some(first) = s.chars().next() else {
        return false;
    };
    match first {
        // `strconv.ParseFloat` on the text as is.
        '.' => !go_parse_float(s),
        '0'..='9' | '+' | '-' => {
            let plain = s.replace('_', "");
            !(timestamp(s)
                || go_int(&plain)
                || (yaml_float(&plain) && go_parse_float(&plain))
                || plain
                    .strip_prefix("0b")
                    .is_some_and(|b| go_int_radix(b, 2, true))
                || plain
                    .strip_prefix("-0b")
                    .is_some_and(|b| go_int_radix(&format!("-{b}"), 2, true)))
        }
        _ => true,
    }
}

/// `strconv.ParseFloat(s, 64)` succeeding for a decimal text: the syntax
/// of v2's float pattern, and no overflow (Go reports a range error, and v2
/// then keeps the text as a string).
fn go_parse_float(s: &str) -> bool {
    yaml_float(s) && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// `strconv.ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` succeeding,
/// range included (an out-of-range hexadecimal text is a string to v2).
fn go_int(s: &str) -> bool {
    let (sign, body) = match s.strip_prefix(['+', '-']) {
        Some(rest) => (s.get(..1).unwrap_or(""), rest),
        None => ("", s),
    };
    let (digits, radix) = match body.get(..2) {
        Some("0x" | "0X") => (body.get(2..).unwrap_or(""), 16),
        Some("0o" | "0O") => (body.get(2..).unwrap_or(""), 8),
        Some("0b" | "0B") => (body.get(2..).unwrap_or(""), 2),
        _ if body.len() > 1 && body.starts_with('0') => (body.get(1..).unwrap_or(""), 8),
        _ => (body, 10),
    };
    // The prefix is already consumed: a second sign is not allowed.
    !digits.starts_with(['+', '-'])
        && go_int_radix(&format!("{sign}{digits}"), radix, sign.is_empty())
}

/// `strconv.ParseInt(s, radix, 64)` succeeding, or `ParseUint` too when
/// `unsigned` (no sign allowed there).
fn go_int_radix(s: &str, radix: u32, unsigned: bool) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return false;
    }
    i64::from_str_radix(s, radix).is_ok()
        || (unsigned && !s.starts_with(['+', '-']) && u64::from_str_radix(s, radix).is_ok())
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

/// The timestamp layouts yaml.v2 tries (`2006-1-2`, optionally followed by
/// `T`/`t`/space and `15:4:5[.frac]`, then a zone for `T`/`t`), with Go's
/// range checks on the date and clock.
fn timestamp(s: &str) -> bool {
    let num = |t: &str, min: usize, max: usize| {
        (min..=max).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit())
    };
    if !(s.len() > 4 && s.get(..4).is_some_and(|y| num(y, 4, 4)) && s.get(4..5) == Some("-")) {
        return false;
    }
    let (date, sep, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (
            s.get(..i).unwrap_or(""),
            s.get(i..=i).unwrap_or(""),
            Some(s.get(i + 1..).unwrap_or("")),
        ),
        None => (s, "", None),
    };
    let d: Vec<&str> = date.split('-').collect();
    let date_ok = match d.as_slice() {
        [y, m, dd] if num(y, 4, 4) && num(m, 1, 2) && num(dd, 1, 2) => {
            let (y, m, dd): (u32, u32, u32) = (
                y.parse().unwrap_or(0),
                m.parse().unwrap_or(0),
                dd.parse().unwrap_or(0),
            );
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => 0,
            };
            (1..=days).contains(&dd)
        }
        _ => false,
    };
    let Some(time) = time else { return date_ok };
    let (clock, zone) = if sep == " " {
        (time, "")
    } else {
        match time.find(['Z', '+', '-']) {
            Some(i) => time.split_at(i),
            None => return false,
        }
    };
    let zone_ok = zone == "Z" || zone.is_empty() && sep == " " || {
        let z = zone.get(1..).unwrap_or("");
        matches!(z.split_once(':'), Some((h, m)) if num(h, 2, 2) && num(m, 2, 2))
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let t: Vec<&str> = hms.split(':').collect();
    let clock_ok = match t.as_slice() {
        [h, m, sec] if num(h, 1, 2) && num(m, 1, 2) && num(sec, 1, 2) => {
            h.parse::<u32>().unwrap_or(99) < 24
                && m.parse::<u32>().unwrap_or(99) < 60
                && sec.parse::<u32>().unwrap_or(99) < 60
        }
        _ => false,
    };
    date_ok && zone_ok && clock_ok && !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit())
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
    fn floats_format_like_go_g() {
        for (f, want) in [
            (0.5, "0.5"),
            (1234567.5, "1.2345675e+06"),
            (123456.5, "123456.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e-300, "-2.5e-300"),
            (1e21, "1e+21"),
        ] {
            assert_eq!(go_float_g(f), want, "{f}");
        }
        // A float of the config takes the encoding/json round trip first.
        let from_config = |f: f64| {
            let mut v = Value::Float(f);
            json_numbers(&mut v);
            scalar_text(&v)
        };
        assert_eq!(from_config(3.0), "3");
        assert_eq!(from_config(-0.0), "0");
        assert_eq!(from_config(1e20), "1e+20");
        // Integral values in int64 range print as integers, down to -2^63.
        assert_eq!(from_config(-9.21e18), "-9210000000000000000");
        assert_eq!(from_config(1.8e19), "18000000000000000000");
        assert_eq!(from_config(1e21), "1e+21");
        // A float written in the patch stays a float.
        assert_eq!(json_float(3.0), "3");
        assert_eq!(json_float(-0.0), "-0");
        assert_eq!(json_float(1e6), "1e+06");
    }

    #[test]
    // The literals are exact doubles, digit for digit.
    #[allow(clippy::excessive_precision)]
    fn float_ties_between_shortest_texts_keep_the_even_digit() {
        // Exactly halfway between ...392e+14 and ...393e+14, both of which
        // read back as the same double: Go keeps the even digit.
        assert_eq!(
            json_float(-711_571_303_729_539.25),
            "-7.115713037295392e+14"
        );
        assert_eq!(json_float(711_571_303_729_539.75), "7.115713037295398e+14");
    }

    #[test]
    fn timestamps_need_valid_dates_and_clocks() {
        for s in [
            "2001-12-14",
            "2001-2-3",
            "2001-12-14T21:59:43.10Z",
            "2001-12-14 21:59:43",
        ] {
            assert!(timestamp(s), "{s}");
        }
        for s in [
            "2001-13-01",
            "2001-02-30",
            "2001-12-14T25:00:00Z",
            "2001-12-14T21:59:43",
        ] {
            assert!(!timestamp(s), "{s}");
        }
        // Not a timestamp, but still a number-like text: plain only if
        // nothing else claims it.
        assert!(can_use_plain("2001-13-01"));
        assert!(can_use_plain("<<"));
    }

    /// resolve.go: numbers Go cannot parse (overflowing floats, hexadecimal
    /// past 64 bits) resolve to strings and stay plain; `0b` followed by a
    /// signed binary number is an integer.
    #[test]
    fn unparsable_numbers_stay_plain() {
        for s in [
            "1e999",
            ".1e999",
            "0x1FFFFFFFFFFFFFFFFF",
            "0o77777777777777777777777",
            "0x",
        ] {
            assert!(can_use_plain(s), "{s}");
        }
        for s in [
            "0xFFFFFFFFFFFFFFFF",
            "-0x8000000000000000",
            "0b-101",
            "99999999999999999999999",
            "-0b11",
            "+0x1F",
        ] {
            assert!(!can_use_plain(s), "{s}");
        }
    }

    #[test]
    fn leading_zeros_in_keys_follow_v2() {
        // v2 compares digit runs by value, then the shorter run first.
        assert_eq!(key_order("a1", "a01"), std::cmp::Ordering::Less);
        assert_eq!(key_order("a01", "a1"), std::cmp::Ordering::Greater);
        assert_eq!(key_order("a2", "a01"), std::cmp::Ordering::Greater);
        assert_eq!(key_order("a10", "a9"), std::cmp::Ordering::Greater);
        assert_eq!(key_order("a-b", "ab"), std::cmp::Ordering::Less);
    }

    #[test]
    fn non_ascii_keys_sort_by_go_letter_and_digit_categories() {
        // v2 asks Go's `unicode.IsLetter` (category L) and `IsDigit` (Nd):
        // a Roman numeral is no letter and sorts first; an Arabic-Indic
        // three is a digit worth its code point minus '0', after `x1`.
        let doc = parse("{a: 0, \u{216B}: 1, x1: 2, x\u{B2}: 3, x\u{663}: 4}");
        assert_eq!(
            marshal(&doc),
            "\u{216B}: 1\na: 0\nx\u{B2}: 3\nx1: 2\nx\u{663}: 4\n"
        );
    }

    #[test]
    fn numeric_keys_sort_naturally() {
        let doc = parse("{a10: 1, a2: 2, b: 3}");
        assert_eq!(marshal(&doc), "a2: 2\na10: 1\nb: 3\n");
    }
}
