//! Talos config patches: strategic merge and RFC 6902 JSON patches, applied
//! exactly as `talosctl` applies them.
//!
//! Ports `pkg/machinery/config/configpatcher` (loading and applying patches),
//! `pkg/machinery/config/merge` (the strategic merge rules, see
//! [`rules`](crate#merge-rules)) and the `$patch: delete` directives of
//! `configloader/internal/decoder`. It does not generate configs (see
//! `talgen-generate`) nor validate them.
//!
//! # Merge rules
//! Mappings merge key by key; lists append, except the lists Talos merges by
//! key (network interfaces by name or selector, VLANs by id, admission
//! plugins by name, extension config files by mount path) and those it
//! replaces wholesale (pod and service subnets, audit policy...); a patch
//! scalar equal to its type's zero value is ignored (booleans always apply).
//!
//! ```
//! let config = b"version: v1alpha1\nmachine:\n    type: worker\n";
//! let patches = talgen_patch::load_patches(&["machine: {env: {A: b}}"]).unwrap();
//! let out = talgen_patch::apply(config, &patches).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("A: b"));
//! ```
#![forbid(unsafe_code)]

mod apply;
mod delete;
mod error;
mod json6902;
mod load;
mod merge;
mod rules;
mod typed;
mod url;
mod value;
mod yaml_v2;

pub use apply::{apply, apply_to_documents};
pub use error::{PatchError, Result};
pub use load::{load_patch, load_patches, JsonPatch, Patch, StrategicPatch};
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
        if let Ok(p) = crate::load_patch(patch) {
            let _ = crate::apply(config, &[p]);
        }
    }
}
