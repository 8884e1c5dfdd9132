//! Serde helpers that give struct fields go-yaml's decoding and `omitempty`
//! rules; used by every typed document in this crate.

use serde::{Deserialize, Deserializer};

/// Decodes a non-pointer Go field: an explicit `null` leaves the zero value,
/// as go-yaml does, where serde would otherwise reject it.
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// go-yaml's `omitempty` test for a value field: the Go zero value. Empty
/// strings, slices and maps, zero numbers, `false`, and structs whose every
/// field is zero all compare equal to `Default`.
pub(crate) fn is_zero<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}
