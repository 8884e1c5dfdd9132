//! The JSON shape of the OCI runtime spec (`opencontainers/runtime-spec`
//! `specs-go.Spec`), enough to tell whether CRIBaseRuntimeSpecConfig
//! overrides would decode into it. Upstream round-trips the overrides
//! through JSON into that struct; decoding fails only on a type mismatch
//! (unknown keys are ignored), so a shape check finds the same failures.
//! Below the listed fields, values are accepted as they are.

use std::collections::BTreeMap;

use talgen_config::meta::Value;

/// The JSON type a Go field expects.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// Anything (not modelled further).
    Any,
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// A signed integer.
    Int,
    /// An unsigned integer.
    Uint,
    /// An array of one shape.
    Arr(&'static Shape),
    /// A map with string keys and values of one shape.
    Map(&'static Shape),
    /// A struct with named fields (others ignored).
    Obj(&'static [(&'static str, Shape)]),
}

use Shape::{Any, Arr, Bool, Int, Map, Obj, Str, Uint};

const STRINGS: Shape = Arr(&Str);
const ID_MAPPING: Shape = Obj(&[("containerID", Uint), ("hostID", Uint), ("size", Uint)]);
const MOUNT: Shape = Obj(&[
    ("destination", Str),
    ("type", Str),
    ("source", Str),
    ("options", STRINGS),
    ("uidMappings", Arr(&ID_MAPPING)),
    ("gidMappings", Arr(&ID_MAPPING)),
]);
const HOOK: Shape = Obj(&[
    ("path", Str),
    ("args", STRINGS),
    ("env", STRINGS),
    ("timeout", Int),
]);
const HOOKS: Shape = Obj(&[
    ("prestart", Arr(&HOOK)),
    ("createRuntime", Arr(&HOOK)),
    ("createContainer", Arr(&HOOK)),
    ("startContainer", Arr(&HOOK)),
    ("poststart", Arr(&HOOK)),
    ("poststop", Arr(&HOOK)),
]);
const USER: Shape = Obj(&[
    ("uid", Uint),
    ("gid", Uint),
    ("umask", Uint),
    ("additionalGids", Arr(&Uint)),
    ("username", Str),
]);
const CAPABILITIES: Shape = Obj(&[
    ("bounding", STRINGS),
    ("effective", STRINGS),
    ("inheritable", STRINGS),
    ("permitted", STRINGS),
    ("ambient", STRINGS),
]);
const RLIMIT: Shape = Obj(&[("type", Str), ("hard", Uint), ("soft", Uint)]);
const PROCESS: Shape = Obj(&[
    ("terminal", Bool),
    ("consoleSize", Obj(&[("height", Uint), ("width", Uint)])),
    ("user", USER),
    ("args", STRINGS),
    ("commandLine", Str),
    ("env", STRINGS),
    ("cwd", Str),
    ("capabilities", CAPABILITIES),
    ("rlimits", Arr(&RLIMIT)),
    ("noNewPrivileges", Bool),
    ("apparmorProfile", Str),
    ("oomScoreAdj", Int),
    ("scheduler", Any),
    ("selinuxLabel", Str),
    ("ioPriority", Obj(&[("class", Str), ("priority", Int)])),
    ("execCPUAffinity", Obj(&[("initial", Str), ("final", Str)])),
]);
const NAMESPACE: Shape = Obj(&[("type", Str), ("path", Str)]);
const DEVICE: Shape = Obj(&[
    ("type", Str),
    ("path", Str),
    ("major", Int),
    ("minor", Int),
    ("fileMode", Uint),
    ("uid", Uint),
    ("gid", Uint),
]);
const LINUX: Shape = Obj(&[
    ("uidMappings", Arr(&ID_MAPPING)),
    ("gidMappings", Arr(&ID_MAPPING)),
    ("sysctl", Map(&Str)),
    ("resources", Any),
    ("cgroupsPath", Str),
    ("namespaces", Arr(&NAMESPACE)),
    ("devices", Arr(&DEVICE)),
    ("seccomp", Any),
    ("rootfsPropagation", Str),
    ("maskedPaths", STRINGS),
    ("readonlyPaths", STRINGS),
    ("mountLabel", Str),
    ("intelRdt", Any),
    ("personality", Any),
    ("timeOffsets", Any),
]);

/// Top level of `specs.Spec`.
pub(crate) const SPEC: Shape = Obj(&[
    ("ociVersion", Str),
    ("process", PROCESS),
    ("root", Obj(&[("path", Str), ("readonly", Bool)])),
    ("hostname", Str),
    ("domainname", Str),
    ("mounts", Arr(&MOUNT)),
    ("hooks", HOOKS),
    ("annotations", Map(&Str)),
    ("linux", LINUX),
    ("solaris", Any),
    ("windows", Any),
    ("vm", Any),
    ("zos", Any),
]);

/// Checks a mapping against an object shape; the first mismatch comes
/// back as `path: what was expected`.
pub(crate) fn check_object(
    fields: &BTreeMap<String, Value>,
    shape: Shape,
    path: &str,
) -> Result<(), String> {
    check(&Value::Map(fields.clone()), shape, path)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn check(value: &Value, shape: Shape, path: &str) -> Result<(), String> {
    // JSON null decodes into any Go type as its zero value.
    if matches!(value, Value::Null) {
        return Ok(());
    }
    let whole = |f: &f64| f.fract() == 0.0;
    let ok = match (shape, value) {
        (Any, _) | (Str, Value::String(_)) | (Bool, Value::Bool(_)) => true,
        (Int, Value::Int(_)) => true,
        (Int, Value::Float(f)) | (Uint, Value::Float(f)) => {
            whole(f) && (*f >= 0.0 || matches!(shape, Int))
        }
        (Uint, Value::Int(i)) => *i >= 0,
        (Uint, Value::Uint(_)) => true,
        (Arr(inner), Value::Seq(items)) => {
            for (i, item) in items.iter().enumerate() {
                check(item, *inner, &format!("{path}[{i}]"))?;
            }
            true
        }
        (Map(inner), Value::Map(map)) => {
            for (k, v) in map {
                check(v, *inner, &join(path, k))?;
            }
            true
        }
        (Obj(fields), Value::Map(map)) => {
            for (k, v) in map {
                // encoding/json matches keys case-insensitively.
                if let Some((_, s)) = fields.iter().find(|(name, _)| name.eq_ignore_ascii_case(k)) {
                    check(v, *s, &join(path, k))?;
                }
            }
            true
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let want = match shape {
            Any => "anything",
            Str => "a string",
            Bool => "a boolean",
            Int => "an integer",
            Uint => "a non-negative integer",
            Arr(_) => "a list",
            Map(_) | Obj(_) => "a mapping",
        };
        Err(format!("{path}: {want} is expected"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn shapes() {
        let ok = map(&[
            (
                "process",
                Value::Map(map(&[(
                    "rlimits",
                    Value::Seq(vec![Value::Map(map(&[("hard", Value::Int(1))]))]),
                )])),
            ),
            ("unknown", Value::Int(1)),
        ]);
        assert!(check_object(&ok, SPEC, "").is_ok());
        let bad = map(&[("process", Value::String("x".into()))]);
        assert_eq!(
            check_object(&bad, SPEC, "").unwrap_err(),
            "process: a mapping is expected"
        );
        let neg = map(&[(
            "process",
            Value::Map(map(&[(
                "user",
                Value::Map(map(&[("uid", Value::Int(-1))])),
            )])),
        )]);
        assert!(check_object(&neg, SPEC, "").is_err());
    }
}
