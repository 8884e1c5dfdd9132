//! The JSON Schema of the fleet file, derived from [`crate::file`]'s types.

/// The fleet file's JSON Schema (draft 2020-12), pretty-printed with a
/// trailing newline, as `schemas/fleet.schema.json` holds it.
///
/// # Errors
/// Never in practice; serialising the schema is fallible in type only.
pub fn generate() -> Result<String, serde_json::Error> {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<crate::file::FleetFile>();
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    Ok(text)
}
