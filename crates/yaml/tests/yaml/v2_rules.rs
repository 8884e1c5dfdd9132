//! One named test per rule of the yaml.v2 dialect ([`talgen_yaml::v2`]),
//! the YAML of `JSONToYAML` (JSON6902-patched configs, client-go's
//! kubeconfig files). Expected bytes are what Go writes: where in doubt
//! they were checked against `kubectl config view`, which writes through
//! the same code (see `v2_kubectl.rs`).

use talgen_yaml::v2::marshal;
use talgen_yaml::Node;

/// `k: <value>` as v2 writes a one-entry map holding `value`.
fn field(value: impl Into<Node>) -> String {
    marshal(&Node::mapping([("k", value.into())]))
}

macro_rules! string_rules {
    ($($name:ident: $input:expr => $want:expr;)*) => {
        $(#[test]
        fn $name() {
            assert_eq!(field($input), concat!("k: ", $want, "\n"), "input {:?}", $input);
        })*
    };
}

string_rules! {
    plain_word: "hello" => "hello";
    empty_string_is_double_quoted: "" => "\"\"";
    yes_is_double_quoted: "yes" => "\"yes\"";
    no_is_double_quoted: "no" => "\"no\"";
    on_is_double_quoted: "on" => "\"on\"";
    off_capitalised_is_double_quoted: "Off" => "\"Off\"";
    single_letter_y_is_double_quoted: "y" => "\"y\"";
    single_letter_n_is_double_quoted: "N" => "\"N\"";
    true_is_double_quoted: "true" => "\"true\"";
    false_capitalised_is_double_quoted: "False" => "\"False\"";
    null_word_is_double_quoted: "null" => "\"null\"";
    tilde_is_double_quoted: "~" => "\"~\"";
    integer_text_is_double_quoted: "123" => "\"123\"";
    negative_integer_text_is_double_quoted: "-7" => "\"-7\"";
    float_text_is_double_quoted: "1.0" => "\"1.0\"";
    hex_text_is_double_quoted: "0x1F" => "\"0x1F\"";
    signed_hex_text_is_double_quoted: "+0x1F" => "\"+0x1F\"";
    exponent_text_is_double_quoted: "1e3" => "\"1e3\"";
    octal_o_text_is_double_quoted: "0o7" => "\"0o7\"";
    leading_zero_octal_looking_text_is_double_quoted: "08" => "\"08\"";
    underscored_number_is_double_quoted: "1_000" => "\"1_000\"";
    binary_with_signed_digits_is_double_quoted: "0b-101" => "\"0b-101\"";
    dot_float_is_double_quoted: ".5" => "\".5\"";
    dot_inf_is_double_quoted: "-.inf" => "\"-.inf\"";
    dot_nan_is_double_quoted: ".NaN" => "\".NaN\"";
    overflowing_float_stays_plain: "1e400" => "1e400";
    overflowing_dot_float_stays_plain: ".1e999" => ".1e999";
    hex_past_64_bits_stays_plain: "0x1FFFFFFFFFFFFFFFFF" => "0x1FFFFFFFFFFFFFFFFF";
    decimal_past_64_bits_is_a_float: "99999999999999999999999" => "\"99999999999999999999999\"";
    date_is_double_quoted: "2024-01-31" => "\"2024-01-31\"";
    short_date_is_double_quoted: "2001-2-3" => "\"2001-2-3\"";
    datetime_is_double_quoted: "2001-12-14T21:59:43.10Z" => "\"2001-12-14T21:59:43.10Z\"";
    space_separated_datetime_is_double_quoted: "2001-12-14 21:59:43" => "\"2001-12-14 21:59:43\"";
    comma_fraction_datetime_is_double_quoted: "2001-12-14T21:59:43,5Z" => "\"2001-12-14T21:59:43,5Z\"";
    datetime_with_zone_out_of_range_stays_plain: "2001-12-14T21:59:43+25:00" => "2001-12-14T21:59:43+25:00";
    dot_float_with_underscore_is_double_quoted: ".1_0" => "\".1_0\"";
    dot_float_with_trailing_underscore_stays_plain: ".1_" => ".1_";
    impossible_date_stays_plain: "2023-02-29" => "2023-02-29";
    datetime_without_zone_stays_plain: "2001-12-14T21:59:43" => "2001-12-14T21:59:43";
    version_string_stays_plain: "1.2.3" => "1.2.3";
    cidr_stays_plain: "10.5.0.0/16" => "10.5.0.0/16";
    base60_number_is_double_quoted: "1:20" => "\"1:20\"";
    base60_rejects_sixty: "1:60" => "1:60";
    merge_key_stays_plain: "<<" => "<<";
    lone_plus_stays_plain: "+" => "+";
    leading_space_is_single_quoted: " a" => "' a'";
    trailing_space_is_single_quoted: "a " => "'a '";
    dash_space_prefix_is_single_quoted: "- a" => "'- a'";
    lone_dash_is_single_quoted: "-" => "'-'";
    dash_without_space_stays_plain: "-a" => "-a";
    colon_space_inside_is_single_quoted: "a: b" => "'a: b'";
    trailing_colon_is_single_quoted: "a:" => "'a:'";
    colon_without_space_stays_plain: "a:b" => "a:b";
    url_stays_plain: "https://example.com:6443" => "https://example.com:6443";
    bracketed_ipv6_url_stays_plain: "https://[2001:db8::1]:6443" => "https://[2001:db8::1]:6443";
    at_sign_inside_stays_plain: "admin@dev" => "admin@dev";
    space_hash_inside_is_single_quoted: "a #b" => "'a #b'";
    hash_without_space_stays_plain: "a#b" => "a#b";
    leading_hash_is_single_quoted: "#a" => "'#a'";
    leading_star_is_single_quoted: "*a" => "'*a'";
    leading_ampersand_is_single_quoted: "&a" => "'&a'";
    leading_bang_is_single_quoted: "!a" => "'!a'";
    leading_percent_is_single_quoted: "%a" => "'%a'";
    leading_at_is_single_quoted: "@a" => "'@a'";
    leading_backtick_is_single_quoted: "`a" => "'`a'";
    leading_pipe_is_single_quoted: "|a" => "'|a'";
    leading_bracket_is_single_quoted: "[a" => "'[a'";
    leading_brace_is_single_quoted: "{a" => "'{a'";
    leading_single_quote_is_doubled: "'a" => "'''a'";
    leading_double_quote_is_single_quoted: "\"a" => "'\"a'";
    inner_quotes_stay_plain: "a == \"b\"" => "a == \"b\"";
    question_space_is_single_quoted: "? a" => "'? a'";
    question_without_space_stays_plain: "?a" => "?a";
    document_marker_is_single_quoted: "---" => "'---'";
    document_end_is_single_quoted: "..." => "'...'";
    flow_indicators_inside_stay_plain: "a,b[c]{d}" => "a,b[c]{d}";
    tab_is_double_quoted: "a\tb" => "\"a\\tb\"";
    unicode_stays_plain: "héllo 日本" => "héllo 日本";
    no_break_space_stays_plain: "a\u{a0}b" => "a\u{a0}b";
    astral_char_is_escaped: "😀x" => "\"\\U0001F600x\"";
    control_char_is_escaped: "a\u{1}b" => "\"a\\x01b\"";
    delete_char_is_escaped: "\u{7f}" => "\"\\x7F\"";
    escape_char_is_escaped: "\u{1b}[0m" => "\"\\e[0m\"";
    nul_is_escaped: "\0" => "\"\\0\"";
    carriage_return_is_escaped: "a\rb" => "\"a\\rb\"";
    next_line_is_escaped: "a\u{85}b" => "\"a\\Nb\"";
    noncharacter_is_escaped: "\u{fffe}" => "\"\\uFFFE\"";
    backslash_in_double_quotes_is_escaped: "\\\t" => "\"\\\\\\t\"";
    leading_bom_escapes_every_character: "\u{feff}ab" => "\"\\uFEFF\\x61\\x62\"";
    space_before_break_is_double_quoted: "a \nb" => "\"a \\nb\"";
    tab_in_multi_line_text_is_double_quoted: "a\tb\nc" => "\"a\\tb\\nc\"";
}

#[test]
fn multi_line_without_trailing_newline_is_strip_literal() {
    assert_eq!(field("a\nb"), "k: |-\n  a\n  b\n");
}

#[test]
fn multi_line_with_trailing_newline_is_clip_literal() {
    assert_eq!(field("x\ny\n"), "k: |\n  x\n  y\n");
}

#[test]
fn multi_line_with_trailing_blank_lines_is_keep_literal() {
    assert_eq!(field("x\n\n"), "k: |+\n  x\n\n");
}

/// A keep literal at the end of the document gets no `...` marker.
#[test]
fn keep_literal_at_document_end_has_no_end_marker() {
    assert_eq!(marshal(&Node::from("x\n\n")), "|+\n  x\n\n");
}

#[test]
fn literal_with_blank_line_inside_has_no_trailing_spaces() {
    assert_eq!(field("a\n\nb\n"), "k: |\n  a\n\n  b\n");
}

#[test]
fn literal_starting_with_space_gets_indent_hint_two() {
    assert_eq!(field(" lead\n"), "k: |2\n   lead\n");
}

#[test]
fn literal_starting_with_break_gets_indent_hint_two() {
    assert_eq!(field("\na"), "k: |2-\n\n  a\n");
}

#[test]
fn lone_newline_is_a_keep_literal() {
    assert_eq!(field("\n"), "k: |2+\n\n");
}

#[test]
fn literal_with_trailing_space_is_double_quoted() {
    assert_eq!(field("a\nb "), "k: \"a\\nb \"\n");
}

#[test]
fn literal_in_a_sequence_is_indented_past_the_dash() {
    let n = Node::mapping([("k", Node::sequence(["a\nb\n"]))]);
    assert_eq!(marshal(&n), "k:\n- |\n  a\n  b\n");
}

#[test]
fn literal_followed_by_next_key() {
    let n = Node::mapping([("a", "x\ny"), ("b", "z")]);
    assert_eq!(marshal(&n), "a: |-\n  x\n  y\nb: z\n");
}

#[test]
fn multi_line_key_is_a_literal_complex_key() {
    let n = Node::mapping([("a\nb", "v")]);
    assert_eq!(marshal(&n), "? |-\n  a\n  b\n: v\n");
}

#[test]
fn key_longer_than_128_bytes_is_a_complex_key() {
    let key = "k".repeat(129);
    let n = Node::mapping([(key.as_str(), "v")]);
    assert_eq!(marshal(&n), format!("? {key}\n: v\n"));
    let key = "k".repeat(128);
    let n = Node::mapping([(key.as_str(), "v")]);
    assert_eq!(marshal(&n), format!("{key}: v\n"));
}

#[test]
fn empty_key_is_double_quoted() {
    let n = Node::mapping([("", "v")]);
    assert_eq!(marshal(&n), "\"\": v\n");
}

#[test]
fn keys_that_resolve_otherwise_are_double_quoted() {
    let n = Node::mapping([("n", 1i64), ("on", 2i64), ("1", 3i64)]);
    assert_eq!(marshal(&n), "\"1\": 3\n\"n\": 1\n\"on\": 2\n");
}

#[test]
fn long_plain_text_is_folded_after_column_80() {
    let words = "word ".repeat(20) + "end";
    let want = format!(
        "k: {}\n  {}\n",
        "word ".repeat(16).trim_end(),
        "word ".repeat(4) + "end"
    );
    assert_eq!(field(words.as_str()), want);
}

#[test]
fn folding_skips_runs_of_spaces() {
    // A space followed by another one is never a fold point.
    let text = format!("{}  b c", "a".repeat(80));
    assert_eq!(
        field(text.as_str()),
        format!("k: {}  b\n  c\n", "a".repeat(80))
    );
}

#[test]
fn long_single_quoted_text_is_folded() {
    let text = format!("# {} tail", "x".repeat(80));
    assert_eq!(
        field(text.as_str()),
        format!("k: '# {}\n  tail'\n", "x".repeat(80))
    );
}

#[test]
fn long_double_quoted_text_is_folded() {
    let text = format!("\t{} tail", "x".repeat(80));
    assert_eq!(
        field(text.as_str()),
        format!("k: \"\\t{}\n  tail\"\n", "x".repeat(80))
    );
}

#[test]
fn double_quoted_fold_before_a_second_space_escapes_it() {
    let text = format!("\t{}  tail", "x".repeat(80));
    assert_eq!(
        field(text.as_str()),
        format!("k: \"\\t{}\n  \\ tail\"\n", "x".repeat(80))
    );
}

#[test]
fn keys_are_never_folded() {
    let key = "word ".repeat(20) + "end";
    let n = Node::mapping([(key.as_str(), "v")]);
    assert_eq!(marshal(&n), format!("{key}: v\n"));
}

#[test]
fn long_text_without_spaces_is_not_folded() {
    let text = "x".repeat(300);
    assert_eq!(field(text.as_str()), format!("k: {text}\n"));
}

#[test]
fn sequence_under_a_key_is_not_indented() {
    let n = Node::mapping([("k", Node::sequence(["a", "b"]))]);
    assert_eq!(marshal(&n), "k:\n- a\n- b\n");
}

#[test]
fn nested_mapping_is_indented_by_two() {
    let n = Node::mapping([("a", Node::mapping([("b", Node::mapping([("c", "d")]))]))]);
    assert_eq!(marshal(&n), "a:\n  b:\n    c: d\n");
}

#[test]
fn mapping_in_a_sequence_starts_on_the_dash_line() {
    let n = Node::sequence([Node::mapping([("k", "v"), ("a", "b")])]);
    assert_eq!(marshal(&n), "- a: b\n  k: v\n");
}

#[test]
fn sequence_in_a_sequence_starts_on_the_dash_line() {
    let n = Node::sequence([Node::sequence(["a", "b"]), Node::sequence(["c"])]);
    assert_eq!(marshal(&n), "- - a\n  - b\n- - c\n");
}

#[test]
fn sequence_in_a_mapping_in_a_sequence() {
    let n = Node::sequence([Node::mapping([("k", Node::sequence(["a"]))])]);
    assert_eq!(marshal(&n), "- k:\n  - a\n");
}

#[test]
fn layout_of_a_nested_document() {
    let n = Node::mapping([
        (
            "b",
            Node::mapping([
                (
                    "x",
                    Node::sequence([
                        Node::Int(1),
                        Node::mapping([("k", Node::from("v")), ("a", Node::Int(2))]),
                    ]),
                ),
                ("e", Node::Mapping(vec![])),
                ("l", Node::Sequence(vec![])),
            ]),
        ),
        ("a", Node::from("yes")),
        ("c", Node::from("1")),
        ("d", Node::from("x y")),
    ]);
    assert_eq!(
        marshal(&n),
        "a: \"yes\"\nb:\n  e: {}\n  l: []\n  x:\n  - 1\n  - a: 2\n    k: v\nc: \"1\"\nd: x y\n"
    );
}

#[test]
fn empty_collections_are_flow() {
    let n = Node::mapping([("m", Node::Mapping(vec![])), ("s", Node::Sequence(vec![]))]);
    assert_eq!(marshal(&n), "m: {}\ns: []\n");
    let n = Node::sequence([Node::Mapping(vec![]), Node::Sequence(vec![])]);
    assert_eq!(marshal(&n), "- {}\n- []\n");
}

#[test]
fn empty_root_collections() {
    assert_eq!(marshal(&Node::Mapping(vec![])), "{}\n");
    assert_eq!(marshal(&Node::Sequence(vec![])), "[]\n");
}

#[test]
fn root_scalars() {
    assert_eq!(marshal(&Node::Null), "null\n");
    assert_eq!(marshal(&Node::from("yes")), "\"yes\"\n");
    assert_eq!(marshal(&Node::from("a\nb")), "|-\n  a\n  b\n");
}

#[test]
fn scalars_of_other_kinds_are_plain() {
    let n = Node::mapping([
        ("z", Node::Null),
        ("t", Node::Bool(true)),
        ("f", Node::Bool(false)),
        ("i", Node::Int(-5)),
        ("u", Node::Uint(u64::MAX)),
    ]);
    assert_eq!(
        marshal(&n),
        "f: false\ni: -5\nt: true\nu: 18446744073709551615\nz: null\n"
    );
}

#[test]
fn plain_nodes_keep_their_text_unless_it_cannot_be_plain() {
    let n = Node::mapping([
        ("a", Node::Plain("0o644".into())),
        ("b", Node::Plain(" x".into())),
    ]);
    assert_eq!(marshal(&n), "a: 0o644\nb: ' x'\n");
}

#[test]
fn floats_use_go_shortest_g_format() {
    let cases: &[(f64, &str)] = &[
        (0.5, "0.5"),
        (3.0, "3"),
        (-0.0, "-0"),
        (1e6, "1e+06"),
        (1234567.5, "1.2345675e+06"),
        (123456.5, "123456.5"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2.5e-300, "-2.5e-300"),
        (1e21, "1e+21"),
        (f64::INFINITY, ".inf"),
        (f64::NEG_INFINITY, "-.inf"),
        (f64::NAN, ".nan"),
    ];
    for (f, want) in cases {
        assert_eq!(field(*f), format!("k: {want}\n"), "{f}");
    }
}

#[test]
// The literals are exact doubles, digit for digit.
#[allow(clippy::excessive_precision)]
fn float_ties_between_shortest_texts_keep_the_even_digit() {
    // Exactly halfway between ...392e+14 and ...393e+14, both of which read
    // back as the same double: Go keeps the even digit.
    assert_eq!(
        field(-711_571_303_729_539.25),
        "k: -7.115713037295392e+14\n"
    );
    assert_eq!(field(711_571_303_729_539.75), "k: 7.115713037295398e+14\n");
}

/// Keys of `n`'s top-level mapping in the order v2 writes them.
fn key_order(keys: &[&str]) -> Vec<String> {
    let n = Node::mapping(keys.iter().map(|k| (*k, Node::Null)));
    marshal(&n)
        .lines()
        .map(|l| l.trim_end_matches(": null").trim_matches('"').to_string())
        .collect()
}

#[test]
fn keys_are_sorted_whatever_their_order() {
    assert_eq!(key_order(&["b", "c", "a"]), ["a", "b", "c"]);
}

#[test]
fn numeric_runs_in_keys_sort_by_value() {
    assert_eq!(key_order(&["a10", "a2", "b"]), ["a2", "a10", "b"]);
    assert_eq!(key_order(&["a10", "a9"]), ["a9", "a10"]);
}

#[test]
fn leading_zeros_in_keys_sort_the_shorter_run_first() {
    // Equal values: the shorter digit run first; a larger value wins.
    assert_eq!(key_order(&["a01", "a1"]), ["a1", "a01"]);
    assert_eq!(key_order(&["a2", "a01"]), ["a01", "a2"]);
}

#[test]
fn non_letters_sort_before_letters() {
    assert_eq!(key_order(&["ab", "a-b"]), ["a-b", "ab"]);
}

/// v2 puts the non-letter first even right after a digit run (v3 and v4
/// put the letter first there); kubectl writes `a1_` before `a1b`.
#[test]
fn non_letters_sort_before_letters_even_after_digits() {
    assert_eq!(key_order(&["a1b", "a1_"]), ["a1_", "a1b"]);
}

#[test]
fn contexts_sort_before_current_context() {
    assert_eq!(
        key_order(&["current-context", "contexts", "kind", "apiVersion"]),
        ["apiVersion", "contexts", "current-context", "kind"]
    );
}

#[test]
fn non_ascii_keys_sort_by_go_letter_and_digit_categories() {
    // Go's `unicode.IsLetter` (category L) and `IsDigit` (Nd): a Roman
    // numeral is no letter and sorts first; an Arabic-Indic three is a digit
    // worth its code point minus '0', after `x1`.
    let n = Node::mapping([
        ("a", Node::Int(0)),
        ("\u{216B}", Node::Int(1)),
        ("x1", Node::Int(2)),
        ("x\u{B2}", Node::Int(3)),
        ("x\u{663}", Node::Int(4)),
    ]);
    assert_eq!(
        marshal(&n),
        "\u{216B}: 1\na: 0\nx\u{B2}: 3\nx1: 2\nx\u{663}: 4\n"
    );
}

#[test]
fn numbers_sort_before_strings_and_by_value() {
    let n = Node::mapping([
        (Node::from("a"), Node::Null),
        (Node::Int(10), Node::Null),
        (Node::Float(2.5), Node::Null),
        (Node::Bool(true), Node::Null),
    ]);
    assert_eq!(marshal(&n), "true: null\n2.5: null\n10: null\na: null\n");
}
