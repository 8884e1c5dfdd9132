//! The tiny YAML writer behind meta-data and network-config: block maps and
//! lists with every string double-quoted, so no YAML 1.1 reader (cloud-init's
//! PyYAML) turns a MAC address into a sexagesimal number or `no` into false.

use std::fmt::Write as _;

/// Quotes `s` as a YAML double-quoted scalar.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Accumulates indented YAML lines.
#[derive(Default)]
pub(crate) struct Writer {
    out: String,
}

impl Writer {
    /// `key: "value"` at `indent` levels of two spaces.
    pub(crate) fn str(&mut self, indent: usize, key: &str, value: &str) {
        self.raw(indent, key, &quote(value));
    }

    /// `key: value` with `value` written as is (numbers, booleans).
    pub(crate) fn raw(&mut self, indent: usize, key: &str, value: &str) {
        let _ = writeln!(self.out, "{:w$}{key}: {value}", "", w = indent * 2);
    }

    /// `key:` opening a nested block.
    pub(crate) fn open(&mut self, indent: usize, key: &str) {
        let _ = writeln!(self.out, "{:w$}{key}:", "", w = indent * 2);
    }

    /// `key:` opening a nested block that may stay empty; pass the returned
    /// mark to [`Writer::close`] once its body is written.
    pub(crate) fn open_block(&mut self, indent: usize, key: &str) -> usize {
        self.open(indent, key);
        self.out.len()
    }

    /// Ends a block opened with [`Writer::open_block`]: an empty body
    /// becomes `key: {}` (a bare `key:` would read back as null).
    pub(crate) fn close(&mut self, mark: usize) {
        if self.out.len() == mark && self.out.ends_with('\n') {
            self.out.pop();
            self.out.push_str(" {}\n");
        }
    }

    /// `key:` followed by a block list of quoted strings.
    pub(crate) fn list<S: AsRef<str>>(&mut self, indent: usize, key: &str, items: &[S]) {
        self.open(indent, key);
        for item in items {
            let _ = writeln!(
                self.out,
                "{:w$}- {}",
                "",
                quote(item.as_ref()),
                w = indent * 2 + 2
            );
        }
    }

    /// Starts a list item (`- `) whose first line is `key: value` (raw).
    pub(crate) fn item_raw(&mut self, indent: usize, key: &str, value: &str) {
        let _ = writeln!(self.out, "{:w$}- {key}: {value}", "", w = indent * 2);
    }

    /// The text written so far.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}
