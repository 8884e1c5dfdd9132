//! yaml.v2's emitter for the event streams its `Marshal` produces from
//! generic values: block collections, `{}`/`[]` for empty ones, scalars in
//! the style v2's `stringv` requests and its emitter settles on, folded at
//! spaces past column 80.
//!
//! Scalar analysis, style selection, escapes and simple-key checks are the
//! v4 emitter's ([`crate::emit`]): libyaml's code there is the same in both
//! versions except for tabs (v2 counts a tab as a special character).

use crate::emit::{
    analyze, escape_sequence, is_break, is_printable, is_simple_key, scalar_text, select_style,
    Analysis, Style,
};
use crate::node::Node;
use crate::sort::{key_less_in, merge_sort_by, KeyOrder};

use super::resolve::can_use_plain;

/// The column after which v2 folds a flow scalar at a space.
const BEST_WIDTH: usize = 80;
/// v2's indentation step.
const BEST_INDENT: isize = 2;

/// See [`super::marshal`].
pub(super) fn marshal(doc: &Node) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: -1,
        indents: Vec::new(),
    };
    e.node(doc, Ctx::ROOT);
    // The implicit document end. `Marshal` drops the open-ended flag before
    // the stream end, so no `...` ever follows, even after a `|+` block.
    e.write_indent();
    e.out
}

/// What v2's emitter knows about where a node sits.
#[derive(Clone, Copy)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

impl Ctx {
    const ROOT: Ctx = Ctx {
        mapping: false,
        simple_key: false,
    };
    const SEQ_ITEM: Ctx = Ctx {
        mapping: false,
        simple_key: false,
    };
    const MAP_VALUE: Ctx = Ctx {
        mapping: true,
        simple_key: false,
    };
    const SIMPLE_KEY: Ctx = Ctx {
        mapping: true,
        simple_key: true,
    };
}

/// The output and the state bits of v2's emitter that decide layout.
struct Emitter {
    out: String,
    /// Column of the next character, counted in characters.
    column: usize,
    /// The last thing written was whitespace (or nothing).
    whitespace: bool,
    /// Only indentation has been written on the current line.
    indention: bool,
    indent: isize,
    indents: Vec<isize>,
}

/// v2's scalar analysis: v4's, except that a tab is a special character
/// there, which also rules out a literal block.
fn analyze_v2(text: &str) -> Analysis {
    let mut a = analyze(text);
    if text.contains('\t') {
        a.block_allowed = false;
    }
    a
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

    fn node(&mut self, node: &Node, ctx: Ctx) {
        match node {
            Node::Mapping(pairs) if !pairs.is_empty() => self.block_mapping(pairs),
            Node::Sequence(items) if !items.is_empty() => self.block_sequence(items, ctx),
            Node::Mapping(_) => self.empty_flow("{", "}"),
            Node::Sequence(_) => self.empty_flow("[", "]"),
            Node::String(s) => self.string(s, ctx),
            scalar => {
                if let Some((text, _)) = scalar_text(scalar) {
                    self.scalar(&text, Style::Plain, ctx);
                }
            }
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.decrease_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_mapping(&mut self, pairs: &[(Node, Node)]) {
        self.increase_indent(false, false);
        let sorted = merge_sort_by(pairs.iter().collect(), &|a: &&(Node, Node), b| {
            key_less_in(KeyOrder::V2, &a.0, &b.0)
        });
        for (key, value) in sorted {
            self.write_indent();
            if is_simple_key(key) {
                self.node(key, Ctx::SIMPLE_KEY);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.node(key, Ctx::MAP_VALUE);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(value, Ctx::MAP_VALUE);
        }
        self.decrease_indent();
    }

    fn block_sequence(&mut self, items: &[Node], ctx: Ctx) {
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, Ctx::SEQ_ITEM);
        }
        self.decrease_indent();
    }

    /// A Go string: the style v2's `stringv` requests for it.
    fn string(&mut self, s: &str, ctx: Ctx) {
        let requested = if s.contains('\n') {
            Style::Literal
        } else if can_use_plain(s) {
            Style::Plain
        } else {
            Style::DoubleQuoted
        };
        self.scalar(s, requested, ctx);
    }

    fn scalar(&mut self, text: &str, requested: Style, ctx: Ctx) {
        let style = select_style(
            requested,
            &analyze_v2(text),
            text.is_empty(),
            ctx.simple_key,
            0,
        );
        self.increase_indent(true, false);
        let breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(text, breaks),
            Style::SingleQuoted => self.write_single(text, breaks),
            Style::DoubleQuoted => self.write_double(text, breaks),
            Style::Literal => self.write_literal(text),
        }
        self.decrease_indent();
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
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
        // As in v4, a byte-order mark is looked for at the start of the value
        // rather than at each character: a leading one escapes everything.
        let bom_start = text.starts_with('\u{FEFF}');
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || bom_start || is_break(c) || c == '"' || c == '\\' {
                for e in escape_sequence(c) {
                    self.put(e);
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
        let mut rev = text.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (None, _) => Some("-"),
            (Some(c), _) if !is_break(c) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(p)) if is_break(p) => Some("+"),
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
