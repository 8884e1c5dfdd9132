//! Talos config patches: strategic merge and RFC 6902 JSON patches, applied
//! exactly as `talosctl` applies them (`--config-patch`, `machineconfig patch`).
//!
//! Ports `pkg/machinery/config/configpatcher` (loading and applying patches),
//! `pkg/machinery/config/merge` (the strategic merge rules) and the
//! `$patch: delete` directives of `configloader/internal/decoder`. It does
//! not generate configs (see `talgen-generate`) nor validate them beyond
//! what loading does; decoding and encoding go through `talgen-config`.
//!
//! # How it works
//! Talos decodes a strategic patch into its typed config and merges Go
//! structs by reflection. This crate merges the encoded document trees
//! instead, with a table of the fields whose Go type changes the rule, then
//! decodes the result strictly and encodes it again, which restores struct
//! order and Go's omission rules byte for byte.
//!
//! # Merge rules
//! Mappings merge key by key; lists append, except the lists Talos merges by
//! key (network interfaces by name or selector, VLANs by id, admission
//! plugins by name, extension config files by mount path) and those it
//! replaces wholesale (pod and service subnets, audit policy...); a patch
//! scalar equal to its type's zero value is ignored (booleans always apply,
//! pointer fields take zeros); endpoint URLs merge component by component.
//!
//! When a JSON patch is the last one applied, the output is what upstream's
//! `ghodss/yaml` conversion writes through `gopkg.in/yaml.v2`: sorted keys,
//! 2-space indent, sequences flush with their key, v2's quoting, and long
//! scalars folded at 80 columns (`talosctl machineconfig patch` prints those
//! bytes; `gen config` re-encodes them through the typed model). That
//! dialect lives in [`talgen_yaml::v2`]; this crate only builds the generic
//! value it writes.
//!
//! # Known differences
//! - Before a JSON patch the config is parsed with YAML 1.2-style typing,
//!   not yaml.v2's YAML 1.1 rules: an unquoted `on` or `yes` in a
//!   hand-written config stays a string (upstream turns it into `true`).
//! - `test` compares strings by value; upstream compares JSON texts, so a
//!   JSON-written string with escapes Go writes differently (`"\u0041"`,
//!   or `<`, `>`, `&`, which Go escapes) compares unequal there. Numbers do
//!   follow upstream: JSON-written `1.0` differs from `1`, YAML-written
//!   `1.0` (re-marshalled by `encoding/json`) equals it.
//! - An unquoted timestamp in a YAML-written JSON patch value stays its
//!   text; upstream turns it into an RFC 3339 string.
//! - `test` compares floats by value; upstream compares the config's
//!   `encoding/json` text (`2.5e-05`) with the patch's own (`2.5E-5`).
//! - A JSON-written `-0` in a patch is read as the float `-0` (printed
//!   `-0`); upstream's v2 reads that text as the integer `0`.
//! - Upstream converts the patched JSON back with a YAML 1.1 reader, which
//!   chokes on or rewrites some text it meets raw: `U+0085` in strings is a
//!   line break (folded to a space in values, an error in keys), C1 controls,
//!   `U+FFFE`/`U+FFFF` and DEL fail, as do `\uD800`-`\uDFFF` escapes in a
//!   JSON patch (surrogate pairs) and keys over 1024 characters of JSON
//!   text. None of these is reproduced.
//! - Inputs that make upstream panic (a `null` merged into an unstructured
//!   value, `replace` past the end of an array) are errors here.
//!
//! ```
//! let config = b"version: v1alpha1\nmachine:\n    type: worker\n";
//! // Text is always parsed as a patch, never taken for a file name.
//! let patches = talgen_patch::parse_patches(&["machine: {env: {A: b}}"]).unwrap();
//! let out = talgen_patch::apply(config, &patches).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("A: b"));
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod apply;
mod delete;
mod error;
mod json;
mod json6902;
mod load;
mod merge;
mod rules;
mod typed;
mod url;
mod value;

pub use apply::{apply, apply_to_container, apply_to_documents};
pub use error::{PatchError, Result};
pub use load::{
    join_patches, parse_patch, parse_patch_named, parse_patches, patch_file_name, read_patch_args,
    read_patch_args_in, JsonPatch, Patch, StrategicPatch,
};
pub use value::Value;

/// Entry points for fuzzing; not a stable API.
#[doc(hidden)]
pub mod internal {
    /// Splits `data` at its first NUL byte into a patch and a config (a small
    /// built-in config when there is no NUL), loads the patch and applies it.
    /// Must never panic, whatever the input.
    pub fn fuzz_load_and_apply(data: &[u8]) {
        const BASE: &[u8] = b"version: v1alpha1\nmachine:\n    type: worker\n    network:\n        interfaces:\n            - interface: eth0\n";
        let (patch, config) = match data.iter().position(|b| *b == 0) {
            Some(i) => (
                data.get(..i).unwrap_or_default(),
                data.get(i + 1..).unwrap_or_default(),
            ),
            None => (data, BASE),
        };
        if let Ok(p) = crate::parse_patch(patch) {
            let _ = crate::apply(config, &[p]);
        }
    }
}
