//! Go's `encoding/csv` reading one record with a default `csv.Reader`, as
//! pflag's `StringSlice` flags read every occurrence: `,`-separated
//! fields, `"`-quoted fields that may hold commas, line breaks and `""`,
//! blank lines skipped, `\r\n` read as `\n`, and Go's error positions
//! (1-based lines and byte columns) and texts.
//!
//! ```
//! use talgen_gourl::csv::{self, CsvError};
//!
//! assert_eq!(csv::read_record("a,\"b,c\"").unwrap(), ["a", "b,c"]);
//! assert_eq!(
//!     csv::read_record("a\"b").unwrap_err().to_string(),
//!     r#"parse error on line 1, column 2: bare " in non-quoted-field"#,
//! );
//! assert_eq!(csv::read_record("\n\n"), Err(CsvError::NoRecord));
//! ```

use std::fmt;

/// What is wrong at a [`CsvError::Parse`] position: Go's `csv.ErrBareQuote`
/// and `csv.ErrQuote`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsvFault {
    /// A `"` inside a field that does not start with one.
    BareQuote,
    /// A quoted field's closing `"` followed by something other than `,`,
    /// `"` or the end of the line, or a quoted field never closed.
    Quote,
}

impl fmt::Display for CsvFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BareQuote => "bare \" in non-quoted-field",
            Self::Quote => "extraneous or missing \" in quoted-field",
        })
    }
}

/// Why [`read_record`] returned no record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CsvError {
    /// The input holds no record: it is empty or only line breaks (Go's
    /// `io.EOF`, which prints as `EOF`).
    #[error("EOF")]
    NoRecord,
    /// Go's `*csv.ParseError`.
    #[error("{}", parse_error_text(*start_line, *line, *column, *fault))]
    Parse {
        /// The line the record starts on.
        start_line: usize,
        /// The line of the fault.
        line: usize,
        /// The byte column of the fault, from 1.
        column: usize,
        /// What is wrong there.
        fault: CsvFault,
    },
}

/// Go's `(*csv.ParseError).Error` for the faults one record can have.
fn parse_error_text(start_line: usize, line: usize, column: usize, fault: CsvFault) -> String {
    if start_line == line {
        format!("parse error on line {line}, column {column}: {fault}")
    } else {
        format!("record on line {start_line}; parse error on line {line}, column {column}: {fault}")
    }
}

/// The input cut into lines the way Go's reader takes them: each with its
/// `\n`, `\r\n` shortened to `\n`, a `\r` ending the input dropped.
struct Lines<'a> {
    rest: &'a [u8],
    /// Lines taken so far, counting the empty read at the end (Go's
    /// `numLine`, which a read that finds nothing still advances).
    taken: usize,
}

impl<'a> Lines<'a> {
    /// The next line; empty at the end of the input.
    fn next_line(&mut self) -> Vec<u8> {
        self.taken += 1;
        let end = self
            .rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.rest.len(), |i| i + 1);
        let (line, rest) = self.rest.split_at(end);
        self.rest = rest;
        let mut line = line.to_vec();
        if line.ends_with(b"\r\n") {
            line.truncate(line.len() - 2);
            line.push(b'\n');
        } else if !line.ends_with(b"\n") && line.ends_with(b"\r") {
            line.pop();
        }
        line
    }
}

/// Whether `line` is empty or only its line break (Go's
/// `lengthNL(line) == len(line)`).
fn only_break(line: &[u8]) -> bool {
    line.is_empty() || line == b"\n"
}

/// The first record of `text`, read as Go's `csv.NewReader(r).Read()`
/// reads it: every field of the record, the rest of the input ignored.
pub fn read_record(text: &str) -> Result<Vec<String>, CsvError> {
    let mut lines = Lines {
        rest: text.as_bytes(),
        taken: 0,
    };
    // Blank lines before the record are skipped.
    let mut line = loop {
        if lines.rest.is_empty() {
            return Err(CsvError::NoRecord);
        }
        let line = lines.next_line();
        if !only_break(&line) {
            break line;
        }
    };
    let start_line = lines.taken;
    let fault = |line: usize, column: usize, fault: CsvFault| CsvError::Parse {
        start_line,
        line,
        column,
        fault,
    };
    let mut fields: Vec<Vec<u8>> = Vec::new();
    // The unread part of `line` starts at byte `at`, which is column `col`
    // of input line `at_line` (a quoted field may run over several lines,
    // so `line` is not always the record's first).
    let mut at = 0usize;
    let mut at_line = start_line;
    let mut col = 1usize;
    loop {
        let rest = line.get(at..).unwrap_or_default();
        if rest.first() != Some(&b'"') {
            let comma = rest.iter().position(|&b| b == b',');
            let field = match comma {
                Some(i) => rest.get(..i).unwrap_or_default(),
                None => rest.strip_suffix(b"\n").unwrap_or(rest),
            };
            if let Some(j) = field.iter().position(|&b| b == b'"') {
                return Err(fault(lines.taken, col + j, CsvFault::BareQuote));
            }
            fields.push(field.to_vec());
            match comma {
                Some(i) => {
                    at += i + 1;
                    col += i + 1;
                    continue;
                }
                None => break,
            }
        }
        at += 1;
        col += 1;
        let mut field = Vec::new();
        loop {
            let rest = line.get(at..).unwrap_or_default();
            if let Some(i) = rest.iter().position(|&b| b == b'"') {
                field.extend_from_slice(rest.get(..i).unwrap_or_default());
                at += i + 1;
                col += i + 1;
                let after = line.get(at..).unwrap_or_default();
                match after.first() {
                    Some(b'"') => {
                        field.push(b'"');
                        at += 1;
                        col += 1;
                    }
                    Some(b',') => {
                        at += 1;
                        col += 1;
                        break;
                    }
                    _ if only_break(after) => {
                        fields.push(field);
                        return Ok(into_strings(fields));
                    }
                    // The closing quote itself is the fault's column.
                    _ => return Err(fault(lines.taken, col - 1, CsvFault::Quote)),
                }
            } else if !rest.is_empty() {
                // The field goes on past this line.
                field.extend_from_slice(rest);
                col += rest.len();
                line = lines.next_line();
                at = 0;
                if !line.is_empty() {
                    at_line += 1;
                    col = 1;
                }
            } else {
                // The input ended inside the quotes.
                return Err(fault(at_line, col, CsvFault::Quote));
            }
        }
        fields.push(field);
    }
    Ok(into_strings(fields))
}

/// Fields as strings: each is a run of the (valid UTF-8) input between
/// ASCII delimiters, with `"` added, so it is valid UTF-8 too.
fn into_strings(fields: Vec<Vec<u8>>) -> Vec<String> {
    fields
        .into_iter()
        .map(|f| String::from_utf8_lossy(&f).into_owned())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Vec<String> {
        read_record(text).unwrap()
    }

    fn msg(text: &str) -> String {
        read_record(text).unwrap_err().to_string()
    }

    #[test]
    fn csv_splits_on_commas_keeping_spaces_and_empties() {
        assert_eq!(ok("a,b"), ["a", "b"]);
        assert_eq!(ok(" x , y "), [" x ", " y "]);
        assert_eq!(ok("a,"), ["a", ""]);
        assert_eq!(ok(","), ["", ""]);
        assert_eq!(ok("a,,b"), ["a", "", "b"]);
    }

    #[test]
    fn csv_reads_only_the_first_record_after_blank_lines() {
        assert_eq!(ok("\n\nd,e\nf,g"), ["d", "e"]);
        assert_eq!(ok("a\n"), ["a"]);
        assert_eq!(ok("\r\na"), ["a"]);
        assert_eq!(ok("a,b\r"), ["a", "b"]);
        // Only a final `\r` goes; one inside a line stays.
        assert_eq!(ok("a\rb"), ["a\rb"]);
        for empty in ["", "\n", "\n\n", "\r", "\r\n"] {
            assert_eq!(read_record(empty), Err(CsvError::NoRecord), "{empty:?}");
        }
        assert_eq!(CsvError::NoRecord.to_string(), "EOF");
    }

    #[test]
    fn csv_quoted_fields_hold_commas_quotes_and_line_breaks() {
        assert_eq!(ok("\"a,b\",c"), ["a,b", "c"]);
        assert_eq!(ok("\"say \"\"hi\"\"\""), ["say \"hi\""]);
        assert_eq!(ok("\"\""), [""]);
        assert_eq!(ok("\"y\r\nz\""), ["y\nz"]);
        assert_eq!(ok("\"a\n\nb\",c\nd"), ["a\n\nb", "c"]);
        assert_eq!(ok("\"a\"\n"), ["a"]);
        assert_eq!(ok("é,\"ü\"\"\",ö\n"), ["é", "ü\"", "ö"]);
    }

    #[test]
    fn csv_bare_quote_is_placed_like_go() {
        assert_eq!(
            msg("a\"b"),
            "parse error on line 1, column 2: bare \" in non-quoted-field"
        );
        // Columns count bytes.
        assert_eq!(
            msg("é\""),
            "parse error on line 1, column 3: bare \" in non-quoted-field"
        );
        assert_eq!(
            msg("\n\nx,y\""),
            "parse error on line 3, column 4: bare \" in non-quoted-field"
        );
        // After a quoted field that ran over a line break.
        assert_eq!(
            msg("\"a\nb\",c\"d"),
            "record on line 1; parse error on line 2, column 5: bare \" in non-quoted-field"
        );
    }

    #[test]
    fn csv_quote_faults_are_placed_like_go() {
        assert_eq!(
            msg("\"a\"b"),
            "parse error on line 1, column 3: extraneous or missing \" in quoted-field"
        );
        assert_eq!(
            msg("\n\"é\"x"),
            "parse error on line 2, column 4: extraneous or missing \" in quoted-field"
        );
        assert_eq!(
            msg("\"a\nb\"x"),
            "record on line 1; parse error on line 2, column 2: extraneous or missing \" in quoted-field"
        );
        // Never closed: the position just past the last byte read.
        assert_eq!(
            msg("\"a"),
            "parse error on line 1, column 3: extraneous or missing \" in quoted-field"
        );
        assert_eq!(
            msg("\"a\n"),
            "parse error on line 1, column 4: extraneous or missing \" in quoted-field"
        );
        assert_eq!(
            msg("\"a\nb"),
            "record on line 1; parse error on line 2, column 2: extraneous or missing \" in quoted-field"
        );
        assert_eq!(
            read_record("x,\"a\"\"b\"c"),
            Err(CsvError::Parse {
                start_line: 1,
                line: 1,
                column: 8,
                fault: CsvFault::Quote
            })
        );
    }

    proptest::proptest! {
        #[test]
        fn csv_plain_fields_split_like_str_split(fields in proptest::collection::vec("[a-z é]{0,5}", 1..6)) {
            let text = fields.join(",");
            proptest::prop_assume!(!text.is_empty());
            proptest::prop_assert_eq!(read_record(&text).unwrap(), fields);
        }

        #[test]
        fn csv_quoting_round_trips(fields in proptest::collection::vec("[a-z,\"\n]{0,5}", 1..6)) {
            let text = fields
                .iter()
                .map(|f| std::format!("\"{}\"", f.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(",");
            proptest::prop_assert_eq!(read_record(&text).unwrap(), fields);
        }

        #[test]
        fn csv_never_panics(text in "[a\",\r\n]{0,12}") {
            let _ = read_record(&text);
        }
    }
}
