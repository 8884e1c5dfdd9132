//! JSON6902 patches: the yaml.v2 layout of their output (ghodss/yaml over
//! gopkg.in/yaml.v2 v2.4.0) and the corner cases of evanphx/json-patch.
//! Expected texts were derived by hand from the v2 emitter's rules.

fn json(config: &str, ops: &str) -> Result<String, String> {
    let patches = talgen_patch::load_patches(&[ops]).map_err(|e| e.to_string())?;
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
