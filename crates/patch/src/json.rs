//! The JSON side of a JSON6902 patch, as Talos's patcher goes through it:
//! `ghodss/yaml.YAMLToJSON` turning the config into JSON (keys become
//! strings), the `encoding/json` round trips that retype numbers, and
//! `ghodss/yaml.JSONToYAML` writing the patched JSON back, which is
//! yaml.v2's `Marshal` of the generic value ([`talgen_yaml::v2`]).

use crate::value::Value;
use talgen_yaml::Node;

/// Writes a JSON-patched document back as YAML, as `JSONToYAML` does.
pub(crate) fn json_to_yaml(doc: Value) -> String {
    talgen_yaml::v2::marshal(&Node::from(doc))
}

/// Retypes the floats of a document the way a trip through
/// `encoding/json` and back does: `encoding/json` writes an integral float
/// below 1e21 as a bare integer, which v2 then reads as an integer (or, past
/// 64 bits, as a float again).
pub(crate) fn json_numbers(v: &mut Value) {
    match v {
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e21 => *v = Value::Int(json_integer(*f)),
        Value::Seq(items) => items.iter_mut().for_each(json_numbers),
        Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| json_numbers(v)),
        _ => {}
    }
}

/// The integer `encoding/json` writes for an integral float below 1e21: its
/// shortest digits padded with zeros (2^62 becomes 4611686018427388000,
/// not 4611686018427387904).
fn json_integer(f: f64) -> i128 {
    let sci = talgen_yaml::shortest_e(f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut n: i128 = 0;
    let mut count: i32 = 0;
    for d in mantissa.chars().filter_map(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(i128::from(d));
        count += 1;
    }
    for _ in count..=exp {
        n = n.saturating_mul(10);
    }
    if f < 0.0 {
        -n
    } else {
        n
    }
}

/// The config as `ghodss/yaml.YAMLToJSON` hands it to the JSON patch: keys
/// become strings the way it converts them (floats with float32 digits,
/// infinities and NaN as YAML words); a null key or one only a uint64 holds
/// is an error.
pub(crate) fn yaml_to_json(node: &Node) -> Result<Value, String> {
    match node {
        Node::Mapping(pairs) => {
            let mut out: Vec<(String, Value)> = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let key = match k {
                    Node::String(s) | Node::Plain(s) => s.to_string(),
                    Node::Int(i) => i.to_string(),
                    Node::Bool(b) => b.to_string(),
                    Node::Float(f) => float32_key(*f),
                    Node::Uint(u) => {
                        return Err(format!("Unsupported map key of type: uint64, key: {u:#x}"))
                    }
                    Node::Null => {
                        return Err("Unsupported map key of type: %!s(<nil>), key: <nil>".into())
                    }
                    // Collection keys are beyond what a config holds; keep
                    // the crate's usual (empty) key text.
                    Node::Sequence(_) | Node::Mapping(_) => String::new(),
                };
                let value = yaml_to_json(v)?;
                // A repeated key keeps its first place and its last value.
                if let Some(slot) = out.iter_mut().find(|(existing, _)| *existing == key) {
                    slot.1 = value;
                } else {
                    out.push((key, value));
                }
            }
            Ok(Value::Map(out))
        }
        Node::Sequence(items) => items
            .iter()
            .map(yaml_to_json)
            .collect::<Result<_, _>>()
            .map(Value::Seq),
        scalar => Ok(Value::from(scalar)),
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 32)` with `+Inf`, `-Inf` and `NaN`
/// turned into `.inf`, `-.inf` and `.nan`: go-yaml's text of a `float32`.
#[allow(clippy::cast_possible_truncation)]
fn float32_key(f: f64) -> String {
    talgen_yaml::format_float32(f as f32)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The text a float of the config ends up as in the patched YAML.
    fn from_config(f: f64) -> String {
        let mut v = Value::Map(vec![("k".into(), Value::Float(f))]);
        json_numbers(&mut v);
        json_to_yaml(v)
    }

    #[test]
    fn config_floats_take_the_encoding_json_round_trip() {
        assert_eq!(from_config(3.0), "k: 3\n");
        assert_eq!(from_config(-0.0), "k: 0\n");
        assert_eq!(from_config(0.5), "k: 0.5\n");
        assert_eq!(from_config(1e20), "k: 1e+20\n");
        // Integral values in int64 range print as integers, down to -2^63;
        // past it up to u64, as unsigned integers.
        assert_eq!(from_config(-9.21e18), "k: -9210000000000000000\n");
        assert_eq!(from_config(1.8e19), "k: 18000000000000000000\n");
        // Past 64 bits v2 reads the JSON integer as a float.
        assert_eq!(from_config(1e20 * 4.0), "k: 4e+20\n");
        assert_eq!(from_config(1e21), "k: 1e+21\n");
    }

    #[test]
    fn patch_floats_stay_floats() {
        let yaml = |f: f64| json_to_yaml(Value::Map(vec![("k".into(), Value::Float(f))]));
        assert_eq!(yaml(3.0), "k: 3\n");
        assert_eq!(yaml(-0.0), "k: -0\n");
        assert_eq!(yaml(1e6), "k: 1e+06\n");
    }

    #[test]
    fn integers_keep_encoding_json_digits() {
        // 2^62 as encoding/json writes it: shortest digits, zero-padded.
        assert_eq!(
            json_integer(4_611_686_018_427_387_904.0),
            4_611_686_018_427_388_000
        );
        assert_eq!(json_integer(-3.0), -3);
    }

    #[test]
    fn float_keys_convert_with_float32_digits() {
        assert_eq!(float32_key(0.1), "0.1");
        assert_eq!(float32_key(1e7), "1e+07");
        assert_eq!(float32_key(f64::INFINITY), ".inf");
        assert_eq!(float32_key(f64::NEG_INFINITY), "-.inf");
        assert_eq!(float32_key(f64::NAN), ".nan");
    }
}
