//! The motion as open data: the [`MotionDocument`] as pretty JSON, keys in the order of the model,
//! and the JSON Schema (draft 2020-12) that describes it ([`SCHEMA`], documented for people in
//! `docs/open-data.md`).
//!
//! Owns the JSON file of the dossier and its schema; the model itself belongs to
//! `domain::document`, whose serde derives decide every key. Pure.

use domain::document::MotionDocument;

use crate::DossierError;

/// The JSON Schema (draft 2020-12) of [`render_json`]'s output.
pub const SCHEMA: &str = include_str!("../open-data.schema.json");

/// The document as pretty JSON (two-space indent, keys in the order of the model, final newline).
///
/// Cannot fail in practice: the model holds only strings, integers, lists and structs; should
/// serialization ever fail, the result is empty (and [`crate::bundle::build_dossier`], which uses
/// the fallible form, reports it).
#[must_use]
pub fn render_json(doc: &MotionDocument) -> Vec<u8> {
    try_render_json(doc).unwrap_or_default()
}

/// [`render_json`], with serialization errors reported.
///
/// # Errors
///
/// [`DossierError::Archive`] if serde refuses the document (not expected: see [`render_json`]).
pub(crate) fn try_render_json(doc: &MotionDocument) -> Result<Vec<u8>, DossierError> {
    let mut bytes = serde_json::to_vec_pretty(doc)
        .map_err(|e| DossierError::Archive(format!("motion.json: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests;
