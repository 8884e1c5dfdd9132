//! Generated configs validate against the upstream JSON Schema of their
//! Talos version (`schemas/v1.X/config.schema.json` from v1.7, the
//! v1alpha1-only `v1alpha1_config.schema.json` for v1.4 to v1.6), document
//! by document, for every machine type and both a default and a
//! flag-heavy set of options.

use serde_json::{Map, Number, Value};
use talgen_contract::Contract;
use talgen_generate::{Input, MachineType, Options};
use talgen_testutil::Tally;
use talgen_yaml::Node;

/// A YAML tree as the JSON value a schema validator reads.
fn to_json(node: &Node) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::Number((*i).into()),
        Node::Uint(u) => Value::Number((*u).into()),
        Node::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Node::String(s) => Value::String(s.to_string()),
        Node::Plain(s) => s.parse::<i64>().map_or_else(
            |_| Value::String(s.to_string()),
            |i| Value::Number(i.into()),
        ),
        Node::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Node::Mapping(pairs) => {
            let mut m = Map::new();
            for (k, v) in pairs {
                let key = match k {
                    Node::String(s) => s.to_string(),
                    other => talgen_yaml::emit(other).trim_end().to_owned(),
                };
                m.insert(key, to_json(v));
            }
            Value::Object(m)
        }
    }
}

/// Keys Talos writes but leaves out of its published schema, per document
/// kind: the v1alpha1 `persist` field (hidden from docs upstream, so the
/// schema's `additionalProperties: false` rejects Talos's own goldens too).
const NOT_IN_UPSTREAM_SCHEMA: &[(&str, &str)] = &[("v1alpha1", "persist")];

/// The document as JSON, without the keys the schema does not know.
fn schema_view(kind: &str, node: &Node) -> Value {
    let mut json = to_json(node);
    if let Value::Object(map) = &mut json {
        for (k, key) in NOT_IN_UPSTREAM_SCHEMA {
            if *k == kind {
                map.remove(*key);
            }
        }
    }
    json
}

fn option_sets(contract: Contract) -> Vec<(&'static str, Options)> {
    let mut defaults = Options::default();
    defaults.contract = contract;
    defaults.install_disk = "/dev/sda".into();
    defaults.install_image = "ghcr.io/siderolabs/installer:v1.9.1".into();
    defaults.discovery_enabled = Some(true);

    let mut flags = defaults.clone();
    flags.additional_sans = vec!["lab-alt.example.com".into()];
    flags.dns_domain = "lab.local".into();
    flags.install_disk = "/dev/sdb".into();
    flags.add_registry_mirror("quay.io", &["https://quay-mirror.example.com"]);
    flags.kubespan_enabled = Some(true);
    flags.add_sysctls([("net.core.somaxconn", "65535")]);
    flags.cni_custom_url = "https://example.com/cni.yaml".into();
    flags.local_api_server_port = 5443;
    flags.allow_scheduling_on_control_planes = true;
    flags.install_extra_kernel_args = vec!["console=ttyS0".into()];
    vec![("defaults", defaults), ("flags", flags)]
}

/// Schema errors that upstream's own output has too, each with the reason;
/// `(kind, instance path, message fragment, reason)`. The test over the
/// upstream goldens below shows Talos's files hit exactly these.
const ACCEPTED: &[(&str, &str, &str, &str)] = &[
    (
        "v1alpha1",
        "/machine/type",
        "\"init\" is not one of",
        "the schema lists controlplane and worker only; Talos writes `init` for init configs",
    ),
    (
        "v1alpha1",
        "/machine/install",
        "'extraKernelArgs' was unexpected",
        "the v1.12/v1.13 schemas drop install.extraKernelArgs, which Talos still writes when set \
         (stability overrides goldens of v1.12 and v1.13 carry it)",
    ),
    (
        "UnattendedInstallConfig",
        "/kind",
        "is not one of \"UnattendedInstall\"",
        "the v1.14+ schemas spell the kind `UnattendedInstall`; Talos writes `UnattendedInstallConfig`",
    ),
];

/// Errors of `json` (a `kind` document) that are not in [`ACCEPTED`].
fn unaccepted_errors(validators: &mut KindValidators, kind: &str, json: &Value) -> Vec<String> {
    let Some(validator) = validators.get(kind) else {
        return vec![format!("kind {kind} not in the upstream schema")];
    };
    validator
        .iter_errors(json)
        .filter_map(|e| {
            let path = e.instance_path().as_str().to_owned();
            let msg = e.to_string();
            let accepted = ACCEPTED
                .iter()
                .any(|(k, p, frag, _)| *k == kind && *p == path && msg.contains(frag));
            (!accepted).then(|| {
                let short: String = msg.chars().take(200).collect();
                format!("at {path:?}: {short}")
            })
        })
        .collect()
}

/// The schema of `contract`: the multi-document one from v1.7, the
/// v1alpha1-only one for v1.4 to v1.6, none before.
fn schema_for(dir: &std::path::Path, contract: Contract) -> Option<Value> {
    ["config.schema.json", "v1alpha1_config.schema.json"]
        .iter()
        .map(|f| dir.join(format!("schemas/{contract}/{f}")))
        .find(|p| p.is_file())
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
}

/// The `$defs` entry describing documents of `kind`.
fn def_name(kind: &str) -> String {
    match kind {
        "v1alpha1" => "v1alpha1.Config".to_owned(),
        other => format!(".{other}V1Alpha1"),
    }
}

/// One validator per document kind: the schema's `$defs` with a root
/// reference to that kind's definition, so failures name the field.
struct KindValidators {
    schema: Value,
    cache: std::collections::HashMap<String, jsonschema::Validator>,
}

impl KindValidators {
    fn new(schema: Value) -> Self {
        Self {
            schema,
            cache: std::collections::HashMap::new(),
        }
    }

    fn get(&mut self, kind: &str) -> Option<&jsonschema::Validator> {
        if !self.cache.contains_key(kind) {
            let suffix = def_name(kind);
            let defs = self.schema.get("$defs")?.as_object()?;
            // v1.4 to v1.6 publish the v1alpha1 document alone, as `Config`.
            let key = defs
                .keys()
                .find(|k| *k == &suffix || k.ends_with(&suffix))
                .or_else(|| defs.keys().find(|k| kind == "v1alpha1" && *k == "Config"))?
                .clone();
            let mut root = Map::new();
            root.insert("$schema".into(), self.schema["$schema"].clone());
            root.insert("$defs".into(), Value::Object(defs.clone()));
            root.insert("$ref".into(), Value::String(format!("#/$defs/{key}")));
            let v = jsonschema::validator_for(&Value::Object(root)).unwrap();
            self.cache.insert(kind.to_owned(), v);
        }
        self.cache.get(kind)
    }
}

/// Validates every document of a config text, one tally entry per document.
fn check_text(validators: &mut KindValidators, text: &str, case: &str, tally: &mut Tally) {
    for node in talgen_yaml::from_str_documents(text).unwrap() {
        let json = to_json(&node);
        let kind = json
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("v1alpha1")
            .to_owned();
        let errors = unaccepted_errors(validators, &kind, &schema_view(&kind, &node));
        if errors.is_empty() {
            tally.pass();
        } else {
            tally.fail(&format!("{case} {kind}"), errors.join("; "));
        }
    }
}

#[test]
fn generated_configs_validate_against_upstream_schemas() {
    let dir = talgen_testutil::upstream_or_skip!();
    let secrets = talgen_secrets::Bundle::from_yaml(
        &std::fs::read_to_string(dir.join("stability/secrets.yaml")).unwrap(),
    )
    .unwrap();
    let mut tally = Tally::new();
    for contract in Contract::ALL.into_iter().filter(|c| *c >= Contract::V1_4) {
        let schema = schema_for(&dir, contract).expect("a schema for every contract since v1.4");
        let mut validators = KindValidators::new(schema);
        for (set, mut opts) in option_sets(contract) {
            opts.secrets = Some(secrets.clone());
            let input = Input::new("lab", "https://lab.example.com:6443", "1.32.0", opts).unwrap();
            for t in [
                MachineType::Init,
                MachineType::ControlPlane,
                MachineType::Worker,
            ] {
                let text = input.render(t).unwrap();
                let case = format!("{contract} {set} {}", t.as_str());
                check_text(&mut validators, &text, &case, &mut tally);
            }
        }
    }
    tally.finish("schema validation");
}

#[test]
fn upstream_goldens_show_only_the_accepted_schema_deviations() {
    let dir = talgen_testutil::upstream_or_skip!();
    let mut tally = Tally::new();
    for contract in Contract::ALL.into_iter().filter(|c| *c >= Contract::V1_4) {
        let schema = schema_for(&dir, contract).expect("a schema for every contract since v1.4");
        let mut validators = KindValidators::new(schema);
        for variant in ["defaults", "flags"] {
            for file in ["init.yaml", "controlplane.yaml", "worker.yaml"] {
                let rel = format!("golden/{contract}/{variant}/{file}");
                let text = std::fs::read_to_string(dir.join(&rel)).unwrap();
                check_text(&mut validators, &text, &rel, &mut tally);
            }
        }
    }
    tally.finish("upstream goldens against upstream schemas");
}
