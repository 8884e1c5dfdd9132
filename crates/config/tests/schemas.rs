//! JSON Schema checks (needs the `schema` feature):
//!
//! 1. the checked-in `schemas/config.schema.json` is what the model generates;
//! 2. every upstream config (stability suite and CLI goldens) validates,
//!    document by document, against talgen's schema and against the upstream
//!    schema of its Talos version;
//! 3. documents broken on purpose (wrong type, unknown field, missing
//!    required key) are rejected by both schemas.
//!
//! `TALGEN_RECORD=1 cargo test -p talgen-config --features schema --test schemas`
//! rewrites the checked-in schema.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value};
use talgen_config::schema;
use talgen_testutil::Tally;
use talgen_yaml::Node;

/// Where the checked-in schema lives.
fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas")
        .join(schema::FILE_NAME)
}

#[test]
fn checked_in_schema_is_current() {
    let want = schema::render();
    let path = schema_path();
    if std::env::var_os("TALGEN_RECORD").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "{} is stale; regenerate it with\n  TALGEN_RECORD=1 cargo test -p talgen-config \
         --features schema --test schemas\n{}",
        path.display(),
        talgen_testutil::diff(&got, &want)
    );
}

/// A YAML tree as the JSON value a schema validator reads.
fn to_json(node: &Node) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::Number((*i).into()),
        Node::Uint(u) => Value::Number((*u).into()),
        Node::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Node::String(s) => Value::String(s.to_string()),
        Node::Plain(s) => plain_int(s).map_or_else(|| Value::String(s.to_string()), Value::from),
        Node::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Node::Mapping(pairs) => {
            let mut m = Map::new();
            for (k, v) in pairs {
                let key = match k {
                    Node::String(s) | Node::Plain(s) => s.to_string(),
                    other => talgen_yaml::emit(other).trim_end().to_owned(),
                };
                m.insert(key, to_json(v));
            }
            Value::Object(m)
        }
    }
}

/// A plain scalar read as YAML 1.1 reads an integer (`420`, `0o644`, `0x1a4`).
fn plain_int(text: &str) -> Option<i64> {
    if let Some(oct) = text.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if let Some(hex) = text.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else {
        text.parse().ok()
    }
}

/// The `kind` of a document as JSON (`v1alpha1` for the legacy document).
fn kind_of(doc: &Value) -> String {
    doc.get("kind")
        .and_then(Value::as_str)
        .unwrap_or("v1alpha1")
        .to_owned()
}

/// Validators for one schema file, one per document kind: the file's
/// `$defs` under a root `$ref` to the kind's definition, so errors name
/// the field rather than the whole `oneOf`.
struct Validators {
    schema: Value,
    find: fn(&Value, &str) -> Option<String>,
    cache: HashMap<String, Option<jsonschema::Validator>>,
}

impl Validators {
    fn own() -> Self {
        Validators {
            schema: schema::generate(),
            find: schema::definition_for_kind,
            cache: HashMap::new(),
        }
    }

    fn upstream(path: &Path) -> Self {
        let text = std::fs::read_to_string(path).unwrap();
        Validators {
            schema: serde_json::from_str(&text).unwrap(),
            find: upstream_definition,
            cache: HashMap::new(),
        }
    }

    fn for_kind(&mut self, kind: &str) -> Option<&jsonschema::Validator> {
        let schema = &self.schema;
        let find = self.find;
        self.cache
            .entry(kind.to_owned())
            .or_insert_with(|| {
                let name = find(schema, kind)?;
                let mut root = Map::new();
                root.insert("$schema".into(), schema["$schema"].clone());
                root.insert("$defs".into(), schema["$defs"].clone());
                root.insert("$ref".into(), Value::String(format!("#/$defs/{name}")));
                Some(jsonschema::validator_for(&Value::Object(root)).unwrap())
            })
            .as_ref()
    }

    /// The errors of `doc` against its kind's definition (one error when
    /// the schema has no such kind).
    fn errors(&mut self, doc: &Value) -> Vec<String> {
        self.errors_as(&kind_of(doc), doc)
    }

    /// The errors of `doc` against the definition of `kind`.
    fn errors_as(&mut self, kind: &str, doc: &Value) -> Vec<String> {
        match self.for_kind(kind) {
            None => vec![format!("kind {kind} is not in the schema")],
            Some(v) => v
                .iter_errors(doc)
                .map(|e| {
                    let msg: String = e.to_string().chars().take(160).collect();
                    format!("at {:?}: {msg}", e.instance_path().as_str())
                })
                .collect(),
        }
    }
}

/// Upstream's definition for `kind`: the one whose `kind` property is that
/// single value (`v1alpha1.Config` for the legacy document).
fn upstream_definition(schema: &Value, kind: &str) -> Option<String> {
    let kind = match kind {
        "v1alpha1" => return Some("v1alpha1.Config".to_owned()),
        // spelled `UnattendedInstall` in the v1.14+ schemas (see the gaps below)
        "UnattendedInstallConfig" => "UnattendedInstall",
        other => other,
    };
    schema["$defs"]
        .as_object()?
        .iter()
        .find(|(_, def)| {
            def.pointer("/properties/kind/enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.len() == 1 && e[0] == kind)
        })
        .map(|(name, _)| name.clone())
}

/// Ways Talos's own output departs from Talos's published schemas, so
/// talgen's (identical) output does too: `(file fragment, kind, instance
/// path, message fragment)`. Only the upstream check forgives them.
const UPSTREAM_SCHEMA_GAPS: &[(&str, &str, &str, &str)] = &[
    // `persist` is written by Talos but hidden from its schema.
    ("", "v1alpha1", "", "'persist' was unexpected"),
    // the schema lists controlplane and worker; init configs say `init`.
    ("", "v1alpha1", "/machine/type", "\"init\" is not one of"),
    // the v1.12/v1.13 schemas dropped install.extraKernelArgs, still written when set.
    (
        "",
        "v1alpha1",
        "/machine/install",
        "'extraKernelArgs' was unexpected",
    ),
    // the v1.14+ schemas spell this kind `UnattendedInstall`.
    ("", "UnattendedInstallConfig", "/kind", "is not one of"),
    // the `patch` goldens set deprecated machine fields (network, kubelet,
    // node labels) through a user patch; newer schemas hide those fields.
    ("/patch/", "v1alpha1", "/machine", "unexpected)"),
    (
        "/patch/",
        "v1alpha1",
        "/machine/network",
        "'nameservers' was unexpected",
    ),
];

fn forgiven(file: &str, kind: &str, error: &str) -> bool {
    UPSTREAM_SCHEMA_GAPS.iter().any(|(f, k, path, frag)| {
        file.contains(f)
            && *k == kind
            && error.starts_with(&format!("at {path:?}:"))
            && error.contains(frag)
    })
}

/// Every upstream config file: `(Talos minor as "v1.X", path relative to the data dir)`.
fn corpus(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for top in ["stability", "golden"] {
        let mut versions: Vec<_> = std::fs::read_dir(dir.join(top))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|v| v.starts_with("v1."))
            .collect();
        versions.sort();
        for v in versions {
            let vdir = dir.join(top).join(&v);
            if top == "stability" {
                let mut names: Vec<_> = std::fs::read_dir(&vdir)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".yaml"))
                    .collect();
                names.sort();
                files.extend(
                    names
                        .into_iter()
                        .map(|n| (v.clone(), format!("{top}/{v}/{n}"))),
                );
            } else {
                let mut variants: Vec<_> = std::fs::read_dir(&vdir)
                    .unwrap()
                    .map(|e| e.unwrap())
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                variants.sort();
                for variant in variants {
                    for t in ["controlplane", "worker", "init"] {
                        let rel = format!("{top}/{v}/{variant}/{t}.yaml");
                        if dir.join(&rel).is_file() {
                            files.push((v.clone(), rel));
                        }
                    }
                }
            }
        }
    }
    files
}

/// The documents of one YAML file as JSON values.
fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    talgen_yaml::from_str_documents(&text)
        .unwrap()
        .iter()
        .map(to_json)
        .filter(|d| !d.is_null())
        .collect()
}

/// Talos minors that publish the all-kinds `config.schema.json`.
fn upstream_schema(dir: &Path, version: &str) -> Option<PathBuf> {
    let path = dir.join(format!("schemas/{version}/config.schema.json"));
    path.is_file().then_some(path)
}

#[test]
fn upstream_configs_validate_against_both_schemas() {
    let dir = talgen_testutil::upstream_or_skip!();
    let own_root = jsonschema::validator_for(&schema::generate()).unwrap();
    let mut own = Validators::own();
    let mut upstream: HashMap<String, Validators> = HashMap::new();
    let mut own_tally = Tally::new();
    let mut upstream_tally = Tally::new();
    let mut files = 0;
    for (version, rel) in corpus(&dir) {
        files += 1;
        for doc in documents(&dir.join(&rel)) {
            let kind = kind_of(&doc);
            let case = format!("{rel} {kind}");
            let mut errors = own.errors(&doc);
            if errors.is_empty() && !own_root.is_valid(&doc) {
                errors.push("rejected by the root oneOf".to_owned());
            }
            if errors.is_empty() {
                own_tally.pass();
            } else {
                own_tally.fail(&case, errors.join("; "));
            }
            let Some(path) = upstream_schema(&dir, &version) else {
                continue;
            };
            let validators = upstream
                .entry(version.clone())
                .or_insert_with(|| Validators::upstream(&path));
            let errors: Vec<_> = validators
                .errors(&doc)
                .into_iter()
                .filter(|e| !forgiven(&rel, &kind, e))
                .collect();
            if errors.is_empty() {
                upstream_tally.pass();
            } else {
                upstream_tally.fail(&case, errors.join("; "));
            }
        }
    }
    assert!(files >= 100, "only {files} upstream config files found");
    own_tally.finish("upstream configs against talgen's schema");
    upstream_tally.finish("upstream configs against upstream schemas (v1.7+)");
}

/// One document broken on purpose, with what was done to it.
struct Mutation {
    what: String,
    doc: Value,
}

/// JSON pointers of every value in `doc`, the root included.
fn pointers(doc: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_owned());
    match doc {
        Value::Object(m) => {
            for (k, v) in m {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(v, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A value of a type the original is not: scalars swap kinds, containers
/// become a number.
fn wrong_type(v: &Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(_) => Some(Value::Bool(true)),
        Value::Bool(_) => Some(Value::String("yes".into())),
        Value::Number(_) => Some(Value::String("not-a-number".into())),
        Value::Array(_) | Value::Object(_) => Some(Value::from(7)),
    }
}

/// The mutation corpus for one document: an unknown key in every mapping,
/// a wrong-typed value at every non-null node below the root, and each
/// header key (`apiVersion`, `kind`, `name`) removed in turn.
fn mutations(doc: &Value) -> Vec<Mutation> {
    let mut paths = Vec::new();
    pointers(doc, "", &mut paths);
    let mut out = Vec::new();
    for path in &paths {
        let target = doc.pointer(path).unwrap();
        if target.is_object() {
            let mut m = doc.clone();
            m.pointer_mut(path)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert("talgenUnknownField".into(), Value::from("x"));
            out.push(Mutation {
                what: format!("unknown field at {path:?}"),
                doc: m,
            });
        }
        // The header keys are checked below; changing them changes the kind.
        if path.is_empty() || ["/apiVersion", "/kind", "/version"].contains(&path.as_str()) {
            continue;
        }
        if let Some(bad) = wrong_type(target) {
            let mut m = doc.clone();
            *m.pointer_mut(path).unwrap() = bad;
            out.push(Mutation {
                what: format!("wrong type at {path:?}"),
                doc: m,
            });
        }
    }
    if doc.get("kind").is_some() {
        for key in ["apiVersion", "kind", "name"] {
            let mut m = doc.clone();
            if m.as_object_mut().unwrap().remove(key).is_some() {
                out.push(Mutation {
                    what: format!("missing {key}"),
                    doc: m,
                });
            }
        }
    }
    out
}

/// Both schemas judge the mutation corpus of every stability config (v1.7+)
/// the same way, but for the explained differences noted below.
#[test]
fn mutations_are_rejected_by_both_schemas() {
    let dir = talgen_testutil::upstream_or_skip!();
    let mut own = Validators::own();
    let (mut total, mut upstream_rejected, mut own_rejected, mut own_only) = (0, 0, 0, 0);
    let mut tally = Tally::new();
    for (version, rel) in corpus(&dir) {
        if !rel.starts_with("stability/") {
            continue;
        }
        let Some(path) = upstream_schema(&dir, &version) else {
            continue;
        };
        let mut upstream = Validators::upstream(&path);
        for doc in documents(&dir.join(&rel)) {
            let kind = kind_of(&doc);
            for m in mutations(&doc) {
                total += 1;
                // a document that lost its `kind` is judged by its kind's rules
                let upstream_errors = upstream.errors_as(&kind, &m.doc);
                let up = upstream_errors.iter().any(|e| !forgiven(&rel, &kind, e));
                let ours = !own.errors_as(&kind, &m.doc).is_empty();
                upstream_rejected += usize::from(up);
                own_rejected += usize::from(ours);
                let case = format!("{rel} {kind}: {}", m.what);
                if up && !ours {
                    tally.fail(&case, "rejected by upstream, accepted by talgen's schema");
                } else if ours && !up {
                    own_only += 1;
                    // Explained differences: talgen requires `name` on every
                    // named kind, and does not forgive the upstream gaps.
                    let explained = m.what == "missing name" || !upstream_errors.is_empty();
                    if explained {
                        tally.pass();
                    } else {
                        tally.fail(&case, "rejected by talgen's schema, accepted by upstream");
                    }
                } else {
                    tally.pass();
                }
            }
        }
    }
    println!(
        "{total} mutations: {upstream_rejected} rejected by upstream, {own_rejected} by talgen \
         ({own_only} by talgen only)"
    );
    tally.finish("mutation corpus, upstream and talgen verdicts");
}
