//! Go's `strconv.Quote` (the `%q` verb) for the strings error messages
//! quote, so messages read exactly as Go's do.

/// Quotes `s` as Go's `%q` does: double quotes, backslash
/// escapes for quotes, backslashes and control characters; other
/// printable characters kept as they are.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if !go_printable(c) && (c as u32) < 0x10000 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if !go_printable(c) => out.push_str(&format!("\\U{:08x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint` for the characters it most often refuses: other
/// controls, separators other than the ASCII space, the common format
/// characters and private-use code points. (Unassigned code points, which
/// Go also escapes, are not tracked.)
fn go_printable(c: char) -> bool {
    let cp = c as u32;
    let refused = c.is_control()
        || matches!(
            cp,
            0xA0 | 0xAD
                | 0x600..=0x605
                | 0x61C
                | 0x6DD
                | 0x70F
                | 0x1680
                | 0x180E
                | 0x2000..=0x200F
                | 0x2028..=0x202F
                | 0x205F..=0x2064
                | 0x2066..=0x206F
                | 0x3000
                | 0xD800..=0xF8FF
                | 0xFEFF
                | 0xFFF9..=0xFFFB
                | 0xF0000..
        );
    !refused
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::go_quote;

    #[test]
    fn go_quote_escapes_like_go() {
        assert_eq!(go_quote("/dev/sda"), "\"/dev/sda\"");
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
        assert_eq!(go_quote("é"), "\"é\"");
        // Characters Go's IsPrint refuses are escaped as \u or \U.
        assert_eq!(go_quote("a\u{a0}b"), "\"a\\u00a0b\"");
        assert_eq!(go_quote("\u{85}\u{200b}"), "\"\\u0085\\u200b\"");
        assert_eq!(go_quote("\u{f0000}"), "\"\\U000f0000\"");
        assert_eq!(go_quote("/dev/disk/by-id/ä"), "\"/dev/disk/by-id/ä\"");
    }
}
