//! Go integer enums the model keeps as their text.
//!
//! Several fields hold an enumer-generated Go enum (`nethelpers.RoutingTable`,
//! `block.FilesystemType`, ...). The model keeps the text so that
//! `talgen-validate` can report a bad value with the user's spelling, but on
//! encode Talos writes the enum's own name: the lookup is case-insensitive
//! (`MAIN` is written back as `main`), an absent value is the enum's zero
//! name, and `omitempty` drops that zero name. Each module below names one
//! enum and exposes the two serde hooks its fields use.

use std::borrow::Cow;

use serde::Serializer;

/// The name a value is written back with: the enum's own spelling when it
/// matches one case-insensitively, the zero name when empty, else unchanged
/// (validation rejects it later).
fn canonical<'a>(names: &[&'static str], text: &'a str) -> Cow<'a, str> {
    if text.is_empty() {
        return Cow::Borrowed(names.first().copied().unwrap_or(""));
    }
    match names.iter().find(|name| name.eq_ignore_ascii_case(text)) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Borrowed(text),
    }
}

/// Declares one module per enum with `is_zero` (for `skip_serializing_if`)
/// and `serialize` (for `serialize_with`) over its names, zero name first.
macro_rules! text_enums {
    ($($(#[$meta:meta])* $module:ident = [$($name:literal),+ $(,)?];)+) => {
        $(
            $(#[$meta])*
            pub(crate) mod $module {
                /// The enum's names, Go's zero value first.
                pub(crate) const NAMES: &[&str] = &[$($name),+];

                /// go-yaml's `omitempty` test: absent or the zero name.
                #[allow(clippy::ptr_arg, dead_code)] // `&String` from serde; not every enum is `omitempty`
                pub(crate) fn is_zero(text: &String) -> bool {
                    NAMES
                        .first()
                        .is_some_and(|zero| super::canonical(NAMES, text) == *zero)
                }

                /// Writes the enum's own name for `text`.
                #[allow(clippy::ptr_arg)]
                pub(crate) fn serialize<S: serde::Serializer>(
                    text: &String,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(&super::canonical(NAMES, text))
                }
            }
        )+
    };
}

text_enums! {
    /// `nethelpers.RoutingRuleAction`.
    rule_action = ["unspec", "unicast", "blackhole", "unreachable", "prohibit"];
    /// `block.FilesystemType`; enumer names the swap type `swapi`.
    filesystem_type = ["none", "xfs", "vfat", "ext4", "iso9660", "swapi", "virtiofs", "btrfs"];
    /// `block.EncryptionProviderType`.
    encryption_provider = ["none", "luks2"];
    /// `storage.MDLevel`.
    md_level = ["raid1"];
    /// `storage.MDMetadata`.
    md_metadata = ["1.0", "1.2"];
    /// `storage.LVMLogicalVolumeType`.
    lvm_volume_type = ["linear", "raid1", "raid0", "raid10"];
}

/// `nethelpers.RoutingTable`: `unspec` (zero), the numbered tables `1` to
/// `252` by their decimal text, then `default`, `main` and `local`.
pub(crate) mod routing_table {
    use std::borrow::Cow;

    /// The named tables; the numbered ones are matched by value.
    const NAMED: &[&str] = &["unspec", "default", "main", "local"];

    /// The name a table is written back with (see [`super::canonical`]).
    fn canonical(text: &str) -> Cow<'_, str> {
        // enumer's name map holds "1".."252" verbatim, so "1" is a name and
        // "01" is not: such text falls through unchanged.
        if text.bytes().all(|b| b.is_ascii_digit()) && !text.is_empty() {
            return Cow::Borrowed(text);
        }
        super::canonical(NAMED, text)
    }

    /// go-yaml's `omitempty` test: absent or `unspec`.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn is_zero(text: &String) -> bool {
        canonical(text) == "unspec"
    }

    /// Writes the table's own name for `text`.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn serialize<S: serde::Serializer>(
        text: &String,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&canonical(text))
    }
}

/// Writes an optional enum's text lower-cased, as enumer's case-insensitive
/// lookup followed by `MarshalText` does for enums whose names are all lower
/// case (the `nethelpers` bond, ARP and VLAN settings).
#[allow(clippy::ref_option)] // serde hands the field as `&Option<String>`
pub(crate) fn serialize_lower_opt<S: Serializer>(
    text: &Option<String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match text {
        Some(text) => serializer.serialize_some(&text.to_ascii_lowercase()),
        None => serializer.serialize_none(),
    }
}

/// Writes each enum text of a list lower-cased (`nethelpers.WOLMode`).
#[allow(clippy::ptr_arg)] // serde hands the field as `&Vec<String>`
pub(crate) fn serialize_lower_vec<S: Serializer>(
    texts: &Vec<String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(texts.iter().map(|text| text.to_ascii_lowercase()))
}
