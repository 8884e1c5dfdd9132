//! [`talgen_yaml::v2`] against Go itself: `kubectl config view --raw`
//! reads a kubeconfig and writes it back through client-go, i.e. the JSON
//! form converted by `sigs.k8s.io/yaml.JSONToYAML`, whose emitter is
//! yaml.v2 v2.4.0. A cluster extension carries an arbitrary JSON object
//! through untouched, so strings put there (as values and as keys) come
//! back written by v2. Skipped when `kubectl` is not on `PATH`.

use std::process::Command;

use talgen_yaml::v2::marshal;
use talgen_yaml::Node;

/// The strings under test: the named rules' inputs, texts long enough to
/// fold at several depths, and deterministic mixtures of the characters
/// the emitter treats specially.
fn corpus() -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "hello",
        "yes",
        "No",
        "y",
        "N",
        "on",
        "OFF",
        "true",
        "False",
        "null",
        "~",
        "123",
        "-7",
        "1.0",
        "0x1F",
        "+0x1F",
        "1e3",
        "0o7",
        "08",
        "1_000",
        "0b-101",
        "-0b11",
        "0b102",
        ".5",
        "-.inf",
        ".NaN",
        "1e400",
        ".1e999",
        "0x1FFFFFFFFFFFFFFFFF",
        "0xFFFFFFFFFFFFFFFF",
        "-0x8000000000000000",
        "99999999999999999999999",
        "2024-01-31",
        "2001-2-3",
        "2001-12-14T21:59:43.10Z",
        "2001-12-14 21:59:43",
        "2023-02-29",
        "2001-12-14T21:59:43",
        "2001-13-01",
        "1.2.3",
        "10.5.0.0/16",
        "1:20",
        "1:60",
        "-1:20.5",
        "<<",
        "+",
        "-",
        " a",
        "a ",
        "- a",
        "-a",
        "a: b",
        "a:",
        "a:b",
        "https://example.com:6443",
        "https://[2001:db8::1]:6443",
        "admin@dev",
        "a #b",
        "a#b",
        "#a",
        "*a",
        "&a",
        "!a",
        "%a",
        "@a",
        "`a",
        "|a",
        "[a",
        "{a",
        "'a",
        "\"a",
        "a == \"b\"",
        "? a",
        "?a",
        "---",
        "...",
        "a,b[c]{d}",
        "a\tb",
        "héllo 日本",
        "a\u{a0}b",
        "😀x",
        "a\u{1}b",
        "\u{7f}",
        "\u{1b}[0m",
        "a\rb",
        "a\u{85}b",
        "\u{fffe}",
        "\\\t",
        "\u{feff}ab",
        "a \nb",
        "a\tb\nc",
        "a\nb",
        "x\ny\n",
        "x\n\n",
        "a\n\nb\n",
        " lead\n",
        "\na",
        "\n",
        "a\nb ",
        "'quoted' \"both\"",
        ".1_0",
        "._1",
        ".1_",
        "1_.5",
        "2001-12-14T21:59:43+25:00",
        "2001-12-14T21:59:43+24:60",
        "2001-12-14T21:59:43-24:61",
        "2001-12-14T21:59:43+99:99",
        "2001-12-14T21:59:43,5Z",
        "2001-12-14 21:59:43,5",
        "2001-12-14t21:59:43.5+01:00",
        "2001-12-14T21:59:43.Z",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for width in [70, 78, 79, 80, 81, 82, 90, 130] {
        out.push(format!("{} tail words here", "w".repeat(width)));
        out.push(format!("# {} tail", "x".repeat(width)));
        out.push(format!("\t{}  two spaces", "x".repeat(width)));
        out.push("ab ".repeat(width / 2));
    }
    // A small linear congruential generator: the same mixtures every run.
    let pieces = [
        " ",
        "  ",
        "\n",
        "\t",
        ":",
        ": ",
        "#",
        " #",
        "-",
        "- ",
        "?",
        "'",
        "\"",
        "\\",
        "a",
        "1",
        "0",
        ".",
        "e",
        "x",
        "_",
        "+",
        "[",
        "}",
        ",",
        "é",
        "😀",
        "\u{85}",
        "\u{feff}",
        "y",
        "word",
        "\r",
        "|",
        ">",
        "*",
        "&",
        "!",
        "%",
        "@",
        "`",
        "~",
        "2001-01-01",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap_or(0) % n
    };
    for _ in 0..400 {
        let len = 1 + next(6);
        out.push((0..len).map(|_| pieces[next(pieces.len())]).collect());
    }
    for _ in 0..40 {
        let len = 20 + next(30);
        out.push(
            (0..len)
                .map(|_| ["word", " ", "ab", "  "][next(4)])
                .collect(),
        );
    }
    // Go's JSON encoder writes these raw; v2's reader then refuses the
    // JSON text (DEL, C1 controls, U+FFFE/U+FFFF) or reads a U+0085 there as
    // a line break, so no `JSONToYAML` output holds them.
    let unreadable = |c: char| matches!(c, '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    out.retain(|s| !s.contains(unreadable));
    out.sort();
    out.dedup();
    out
}

/// The keys under test: the corpus strings without ASCII digits.
///
/// v2's key order is not transitive once digit runs meet letters (`08` <
/// `0b-101` < `1` < `08`); Go then sorts keys fed in its random map order
/// differently from run to run. Without digits the order is a plain
/// character order, the same for every algorithm and input order.
fn key_corpus(strings: &[String]) -> Vec<String> {
    strings
        .iter()
        .filter(|s| !s.contains(|c: char| c.is_ascii_digit()))
        .cloned()
        .collect()
}

/// Sets of keys whose digit runs decide their order, each free of cycles
/// (`a1b` sits apart: `a10` < `a1b` < `a2` < `a10`; so would `v10` beside
/// `v1alpha1` and `v2`).
const DIGIT_KEY_SETS: &[&[&str]] = &[
    &["a10", "a2", "a9", "a01", "a1", "a1_"],
    &["a1b", "a1_"],
    &["x1", "x\u{b2}", "x\u{663}", "\u{216b}", "a"],
    &["v1alpha1", "v1beta1", "v1", "v2"],
    &["10", "9", "10.0.0.1", "10.0.0.10", "10.0.0.9", "1.2.3"],
];

/// `s` as a JSON string, escaping whatever a YAML reader refuses raw.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `clusters:` block of a kubeconfig text (what follows it is
/// kubectl-version dependent: `preferences`, `null` lists).
fn clusters_block(text: &str) -> &str {
    let start = text.find("\nclusters:\n").unwrap_or(0);
    let end = text.find("\ncontexts:").unwrap_or(text.len());
    text.get(start..end).unwrap_or(text)
}

#[test]
fn strings_match_kubectl() {
    if Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_err()
    {
        eprintln!("kubectl not found: skipped");
        return;
    }
    let strings = corpus();
    let values: Vec<(String, &String)> = strings
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("s{i:04}"), s))
        .collect();
    let object = |pairs: Vec<(String, String)>| {
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}:{}", json_string(k), json_string(v)))
            .collect();
        format!("{{{}}}", body.join(","))
    };
    let by_value = object(
        values
            .iter()
            .map(|(k, s)| (k.clone(), (*s).clone()))
            .collect(),
    );
    let keys = key_corpus(&strings);
    let by_key = object(keys.iter().map(|s| (s.clone(), "v".to_string())).collect());
    let digit_sets: Vec<String> = DIGIT_KEY_SETS
        .iter()
        .enumerate()
        .map(|(i, set)| {
            let body = object(
                set.iter()
                    .map(|k| (k.to_string(), "v".to_string()))
                    .collect(),
            );
            format!(",{{\"name\":\"d{i}\",\"extension\":{body}}}")
        })
        .collect();
    let digit_sets = digit_sets.concat();
    let json = format!(
        "{{\"apiVersion\":\"v1\",\"kind\":\"Config\",\"current-context\":\"\",\
         \"contexts\":[],\"users\":[],\"clusters\":[{{\"name\":\"c\",\"cluster\":{{\
         \"server\":\"s\",\"extensions\":[{{\"name\":\"a\",\"extension\":{by_value}}},\
         {{\"name\":\"b\",\"extension\":{by_key}}}{digit_sets}]}}}}]}}"
    );
    let dir = std::env::temp_dir().join(format!("talgen-v2-kubectl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kubeconfig.json");
    std::fs::write(&path, json).unwrap();
    let out = Command::new("kubectl")
        .args(["config", "view", "--raw"])
        .env("KUBECONFIG", &path)
        .env("HOME", &dir)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let go = String::from_utf8(out.stdout).unwrap();

    let extension = |name: &str, object: Node| {
        Node::mapping([("name", Node::from(name)), ("extension", object)])
    };
    let mut extensions = vec![
        extension(
            "a",
            Node::mapping(values.iter().map(|(k, s)| (k.as_str(), s.as_str()))),
        ),
        extension("b", Node::mapping(keys.iter().map(|s| (s.as_str(), "v")))),
    ];
    for (i, set) in DIGIT_KEY_SETS.iter().enumerate() {
        let object = Node::mapping(set.iter().map(|k| (*k, "v")));
        extensions.push(extension(&format!("d{i}"), object));
    }
    let extensions = Node::Sequence(extensions);
    let cluster = Node::mapping([("server", Node::from("s")), ("extensions", extensions)]);
    let doc = Node::mapping([(
        "clusters",
        Node::sequence([Node::mapping([
            ("name", Node::from("c")),
            ("cluster", cluster),
        ])]),
    )]);
    let ours = format!("\n{}", marshal(&doc));
    let go = clusters_block(&go);
    let ours = clusters_block(&ours);
    let ours = ours.strip_suffix('\n').unwrap_or(ours);
    if go != ours {
        let first = go
            .lines()
            .zip(ours.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let around = |t: &str| -> Vec<String> {
            t.lines()
                .skip(first.saturating_sub(2))
                .take(6)
                .map(String::from)
                .collect()
        };
        panic!(
            "v2 output differs from kubectl's at line {first}:\ngo:   {:#?}\nours: {:#?}",
            around(go),
            around(ours)
        );
    }
}
