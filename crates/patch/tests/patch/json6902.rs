//! JSON6902 patches: the yaml.v2 layout of their output (ghodss/yaml over
//! gopkg.in/yaml.v2 v2.4.0) and the corner cases of evanphx/json-patch.
//! Expected texts were derived by hand from the v2 emitter's rules.

fn json(config: &str, ops: &str) -> Result<String, String> {
    let patches = talgen_patch::parse_patches(&[ops]).map_err(|e| e.to_string())?;
    talgen_patch::apply(config.as_bytes(), &patches)
        .map(|b| String::from_utf8(b).unwrap())
        .map_err(|e| e.to_string())
}

fn ok(config: &str, ops: &str) -> String {
    json(config, ops).unwrap_or_else(|e| panic!("{ops}: {e}"))
}

fn err(config: &str, ops: &str) -> String {
    match json(config, ops) {
        Ok(out) => panic!("{ops}: expected an error, got\n{out}"),
        Err(e) => e,
    }
}

/// v2 breaks a plain scalar at the first space once the column passes 80;
/// the continuation is indented one step deeper than the key.
#[test]
fn long_plain_strings_fold_at_80_columns() {
    let words = ["abcd"; 20].join(" ");
    let out = ok(
        "{}",
        &format!(r#"[{{"op":"add","path":"/k","value":"{words}"}}]"#),
    );
    let first = ["abcd"; 16].join(" ");
    let rest = ["abcd"; 4].join(" ");
    assert_eq!(out, format!("k: {first}\n  {rest}\n"));
    // Nested deeper, the continuation follows the scalar's own indent.
    let out = ok(
        "{}",
        &format!(r#"[{{"op":"add","path":"/a","value":{{"b":["{words}"]}}}}]"#),
    );
    // The item starts at column 4 ("  - "), and so does its continuation.
    let first = ["abcd"; 16];
    assert_eq!(
        out,
        format!("a:\n  b:\n  - {}\n    {rest}\n", first.join(" "))
    );
}

/// Quoted scalars fold too; a run of spaces is never broken.
#[test]
fn quoted_strings_fold_and_keep_space_runs() {
    // A leading `*` forbids plain style: single quotes.
    let words = format!("*{}", ["abcd"; 20].join(" "));
    let out = ok(
        "{}",
        &format!(r#"[{{"op":"add","path":"/k","value":"{words}"}}]"#),
    );
    // Column after "k: '*" is 5, each word adds 5: breaks after 16 words.
    let first = format!("*{}", ["abcd"; 16].join(" "));
    assert_eq!(out, format!("k: '{first}\n  abcd abcd abcd abcd'\n"));
    // A tab forces double quotes, folded the same way.
    let words = format!("\\t{}", ["abcd"; 20].join(" "));
    let out = ok(
        "{}",
        &format!(r#"[{{"op":"add","path":"/k","value":"{words}"}}]"#),
    );
    let first = format!("\\t{}", ["abcd"; 16].join(" "));
    assert_eq!(out, format!("k: \"{first}\n  abcd abcd abcd abcd\"\n"));
    // Short strings are not folded at all.
    assert_eq!(
        ok("{}", r#"[{"op":"add","path":"/k","value":"a  b"}]"#),
        "k: a  b\n"
    );
}

/// v2 sorts non-letters before letters and digit runs by value (a
/// non-digit counts as the number 0 against a digit run).
#[test]
fn keys_sort_like_yaml_v2() {
    let out = ok(
        "{}",
        r#"[{"op":"add","path":"/m","value":{"ab":1,"a1":2,"a_b":3,"aB":4,"a10":5,"a9":6}}]"#,
    );
    assert_eq!(
        out,
        "m:\n  a_b: 3\n  a1: 2\n  a9: 6\n  a10: 5\n  aB: 4\n  ab: 1\n"
    );
}

/// Numbers go through encoding/json: integral floats come back as
/// integers, other floats in Go's `%g` form.
#[test]
fn floats_take_the_json_round_trip() {
    let out = ok(
        "a: 1.0\nb: 0.5\n",
        r#"[{"op":"add","path":"/c","value":1234567.5},{"op":"add","path":"/d","value":0.00001}]"#,
    );
    assert_eq!(out, "a: 1\nb: 0.5\nc: 1.2345675e+06\nd: 1e-05\n");
}

/// A number in the patch itself keeps the text it was written with until
/// v2 reads it: with a fraction or an exponent it is a float and prints in
/// `%g` form even when integral (`1e6` is `1e+06`), while the same value in
/// the config went through `encoding/json` and prints as an integer.
#[test]
fn patch_numbers_keep_their_float_form() {
    let out = ok(
        "a: 1e6\nb: 1.5e20\n",
        r#"[{"op":"add","path":"/c","value":1e6},{"op":"add","path":"/d","value":1.5e10},
            {"op":"add","path":"/e","value":100.0},{"op":"add","path":"/f","value":1e19},
            {"op":"add","path":"/g","value":-0.0}]"#,
    );
    assert_eq!(
        out,
        "a: 1000000\nb: 1.5e+20\nc: 1e+06\nd: 1.5e+10\ne: 100\nf: 1e+19\ng: -0\n"
    );
}

/// `encoding/json` writes an integral float with its shortest digits padded
/// with zeros, so a big one comes back as a different integer (2^62 as
/// ...388000), or as a float when that text overflows int64 and uint64.
#[test]
fn big_config_floats_come_back_from_their_shortest_digits() {
    let out = ok(
        "a: 4611686018427387904.0\nb: -9223372036854775809\nc: 1e19\n",
        "[]",
    );
    assert_eq!(
        out,
        "a: 4611686018427388000\nb: -9.223372036854776e+18\nc: 10000000000000000000\n"
    );
}

/// Decimal texts in a patch are read to the nearest double (a best-effort
/// parse lands one step off for some of them, changing the printed digits).
#[test]
fn patch_floats_are_read_exactly() {
    let out = ok(
        "{}",
        r#"[{"op":"add","path":"/a","value":5.835922568981712e-231},
            {"op":"add","path":"/b","value":-3.346468255097294e-220}]"#,
    );
    assert_eq!(
        out,
        "a: 5.835922568981712e-231\nb: -3.346468255097294e-220\n"
    );
}

/// The patched document must be a JSON object or array: a config that is a
/// lone scalar is rejected even by an empty patch.
#[test]
fn scalar_config_is_rejected() {
    let e = err("just text\n", "[]");
    assert!(e.contains("cannot unmarshal string"), "{e}");
    let e = err("12\n", "[]");
    assert!(e.contains("cannot unmarshal number"), "{e}");
}

/// Characters outside the BMP are escaped (v2 deems them unprintable).
#[test]
fn astral_characters_are_escaped() {
    assert_eq!(
        ok("{}", r#"[{"op":"add","path":"/k","value":"x😀"}]"#),
        "k: \"x\\U0001F600\"\n"
    );
    assert_eq!(
        ok("{}", r#"[{"op":"add","path":"/k","value":"é\u00a0z"}]"#),
        "k: é\u{a0}z\n"
    );
}

/// v2 checks for a byte-order mark at the start of the whole value, not at
/// the current character: a double-quoted value starting with one has every
/// character escaped, plain ASCII included.
#[test]
fn leading_byte_order_mark_escapes_every_character() {
    assert_eq!(
        ok(
            "{}",
            r#"[{"op":"add","path":"/k","value":"\ufeffa b\\\n"}]"#
        ),
        "k: \"\\uFEFF\\x61\\x20\\x62\\\\\\n\"\n"
    );
}

/// A key longer than 128 bytes is written as a complex key.
#[test]
fn long_keys_are_complex_keys() {
    let key = "k".repeat(129);
    let out = ok(
        "{}",
        &format!(r#"[{{"op":"add","path":"/{key}","value":"v"}}]"#),
    );
    assert_eq!(out, format!("? {key}\n: v\n"));
}

/// A literal block keeping several trailing newlines gets the `+` chomping
/// hint; the emitter then marks the document open-ended, but v2.4.0's
/// `Marshal` clears that mark before the stream end (encode.go `finish`),
/// so no `...` follows.
#[test]
fn keep_chomping_literal_ends_the_document() {
    assert_eq!(
        ok("{}", r#"[{"op":"add","path":"/k","value":"x\n\n"}]"#),
        "k: |+\n  x\n\n"
    );
    assert_eq!(
        ok(
            "{}",
            r#"[{"op":"add","path":"/k","value":"\n"},{"op":"add","path":"/l","value":1}]"#
        ),
        "k: |2+\n\nl: 1\n"
    );
    assert_eq!(
        ok("{}", r#"[{"op":"add","path":"/k","value":" x\ny"}]"#),
        "k: |2-\n   x\n  y\n"
    );
    // Trailing spaces forbid a block scalar.
    assert_eq!(
        ok("{}", r#"[{"op":"add","path":"/k","value":"x \ny"}]"#),
        "k: \"x \\ny\"\n"
    );
}

#[test]
fn dash_appends_and_escapes_decode() {
    let out = ok(
        "a: [1]\n",
        r#"[{"op":"add","path":"/a/-","value":2},{"op":"add","path":"/b~1c","value":3},{"op":"add","path":"/d~0e","value":4},{"op":"add","path":"/f~01","value":5}]"#,
    );
    assert_eq!(out, "a:\n- 1\n- 2\nb/c: 3\nd~e: 4\nf~1: 5\n");
}

#[test]
fn dash_is_not_an_index_for_remove_or_replace() {
    let e = err("a: [1]\n", r#"[{"op":"remove","path":"/a/-"}]"#);
    assert!(e.contains("invalid syntax"), "{e}");
    let e = err("a: [1]\n", r#"[{"op":"replace","path":"/a/-","value":1}]"#);
    assert!(e.contains("doc is missing key"), "{e}");
}

#[test]
fn add_under_a_missing_parent_fails() {
    let e = err("a: {}\n", r#"[{"op":"add","path":"/x/y","value":1}]"#);
    assert!(
        e.contains("add operation does not apply: doc is missing path: \"/x/y\""),
        "{e}"
    );
    // A null parent counts as missing.
    let e = err("a: null\n", r#"[{"op":"add","path":"/a/y","value":1}]"#);
    assert!(e.contains("doc is missing path"), "{e}");
}

#[test]
fn remove_of_a_missing_key_or_index_fails() {
    let e = err("a: {}\n", r#"[{"op":"remove","path":"/a/b"}]"#);
    assert!(e.contains("Unable to remove nonexistent key: b"), "{e}");
    let e = err("a: [1]\n", r#"[{"op":"remove","path":"/a/1"}]"#);
    assert!(e.contains("Unable to access invalid index: 1"), "{e}");
}

#[test]
fn move_and_copy_between_containers() {
    let out = ok(
        "a: [1, 2]\nb: {}\n",
        r#"[{"op":"move","from":"/a/0","path":"/b/x"},{"op":"copy","from":"/b/x","path":"/a/-"}]"#,
    );
    assert_eq!(out, "a:\n- 2\n- 1\nb:\n  x: 1\n");
    let e = err(
        "a: {}\n",
        r#"[{"op":"move","from":"/nope/x","path":"/a/x"}]"#,
    );
    assert!(e.contains("move operation does not apply"), "{e}");
}

/// `test` compares JSON texts: a string never equals a number.
#[test]
fn test_with_a_type_mismatch_fails() {
    let e = err("a: \"1\"\n", r#"[{"op":"test","path":"/a","value":1}]"#);
    assert!(e.contains("testing value /a failed"), "{e}");
    let e = err("a: 1\n", r#"[{"op":"test","path":"/a","value":"1"}]"#);
    assert!(e.contains("testing value /a failed"), "{e}");
    // YAML's 1.0 is JSON's 1 once the document went through encoding/json.
    ok("a: 1.0\n", r#"[{"op":"test","path":"/a","value":1}]"#);
}

/// The library compares arrays element by element and dereferences a null
/// element (on either side) without a check, which crashes it: such a
/// `test` is an error here, whatever the other elements hold, once the
/// comparison gets that far. Before a null is reached a mismatch still
/// fails the usual way, and a null as an object member is fine.
#[test]
fn test_reaching_a_null_array_element_is_an_error() {
    for (config, value) in [
        ("x: [null]", "[null]"),
        ("x: [null]", "[1]"),
        ("x: [1]", "[null]"),
        ("x: [1, [null]]", "[1, [null]]"),
    ] {
        let e = err(
            config,
            &format!(r#"[{{"op":"test","path":"/x","value":{value}}}]"#),
        );
        assert!(e.contains("null array element"), "{config} {value}: {e}");
    }
    let e = err(
        "x: [null]",
        r#"[{"op":"test","path":"","value":{"x":[null]}}]"#,
    );
    assert!(e.contains("null array element"), "{e}");
    // A mismatch found first, or a different length, is a plain failure.
    let e = err(
        "x: [1, null]",
        r#"[{"op":"test","path":"/x","value":[2, null]}]"#,
    );
    assert!(e.contains("test failed"), "{e}");
    let e = err(
        "x: [null]",
        r#"[{"op":"test","path":"/x","value":[null, 1]}]"#,
    );
    assert!(e.contains("test failed"), "{e}");
    // Nulls as object members compare fine.
    ok(
        "x: [{a: null}]",
        r#"[{"op":"test","path":"/x","value":[{"a":null}]}]"#,
    );
}

/// Before a JSON patch the config goes through `ghodss/yaml.YAMLToJSON`:
/// number and boolean keys become strings (floats with float32 digits,
/// infinities as `.inf`), and a null key or one above int64 is an error.
#[test]
fn config_keys_are_converted_like_yaml_to_json() {
    let out = ok(
        "1.5: a\n0.30000000000000004: b\n1e21: c\n2: d\ntrue: e\n.inf: f\n-0.0: g\n16777217.0: h\n",
        "[]",
    );
    assert_eq!(
        out,
        concat!(
            "\"-0\": g\n\".inf\": f\n\"0.3\": b\n\"1.5\": a\n\"1.6777216e+07\": h\n",
            "\"1e+21\": c\n\"2\": d\n\"true\": e\n"
        )
    );
    for config in ["~: a\n", "x:\n  null: 1\n", "9223372036854775808: a\n"] {
        let e = err(config, "[]");
        assert!(e.contains("Unsupported map key of type"), "{config}: {e}");
    }
}

/// `replace` of the whole document with a YAML-written `null`: the library
/// reads the JSON text `null` as an empty object and the result prints as
/// `null`. A JSON-written `null` carries no text and is refused.
#[test]
fn replacing_the_document_with_yaml_null() {
    assert_eq!(
        ok("a: 1\n", "- op: replace\n  path: \"\"\n  value: null\n"),
        "null\n"
    );
    let e = err("a: 1\n", r#"[{"op":"replace","path":"","value":null}]"#);
    assert!(e.contains("must be object or array"), "{e}");
}

/// v2's key order is not a total order once digit runs overflow int64
/// (`[` < `1` < `18446744073709551615` < `[`); Go's sort copes with that, and
/// so must ours: a large mapping of such keys is written, not a crash.
#[test]
fn inconsistent_key_order_does_not_crash() {
    let prefixes = ["", "a", "0", "1", "x", "[", "0X"].iter().cycle();
    let suffixes = ["", "_", "e", "0", "__0"].iter().cycle();
    let exponents = (18..26u32).cycle();
    let mut value = String::from("{");
    for (((i, p), s), e) in (0..200u128).zip(prefixes).zip(suffixes).zip(exponents) {
        if i > 0 {
            value.push(',');
        }
        // Small numbers and numbers past 64 bits, between a few prefixes and
        // suffixes.
        let n = if i % 2 == 0 {
            i
        } else {
            10u128.pow(e) + i * 7919
        };
        value.push_str(&format!("\"{p}{n}{s}\":{i}"));
    }
    value.push('}');
    let out = ok(
        "{}",
        &format!(r#"[{{"op":"add","path":"/v","value":{value}}}]"#),
    );
    assert_eq!(out.lines().count(), 201, "{out}");
}
