//! The hand-over dossier: writers that turn a [`domain::document::MotionDocument`] into the files
//! handed to the government, and the dossier that seals them.
//!
//! - [`pdf`]: the motion as PDF/A-2b, typeset by Typst compiled into the binary (fonts embedded);
//! - [`odt`]: the same content as OpenDocument text (ODF), with the same line numbers;
//! - [`markdown`]: the same content as Markdown;
//! - [`open_data`]: the JSON open data (schema in `docs/open-data.md`);
//! - [`bundle`]: the ZIP with every file and a `manifest.json` of SHA-256 hashes, and its check.
//!
//! Pure: every function takes the document and returns bytes; no file, network, clock or randomness,
//! so the same document always gives the same bytes. Rendering is CPU work of up to a few seconds:
//! async callers run it on a blocking thread.

pub mod bundle;
pub mod markdown;
pub mod odt;
pub mod open_data;
pub mod pdf;
#[doc(hidden)]
pub mod sample;

/// The columns of the amendments annex, the same in every writer.
pub(crate) const AMENDMENT_COLUMNS: [&str; 5] =
    ["N°", "Auteur et cosignataires", "Objet", "Sort", "Scrutin"];

/// The columns of the ballots annex, the same in every writer.
pub(crate) const BALLOT_COLUMNS: [&str; 8] = [
    "N°",
    "Objet",
    "Pour",
    "Contre",
    "Abst.",
    "Présents / inscrits",
    "Requis",
    "Résultat",
];

/// Why a file of the dossier could not be produced or checked.
#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    /// Typst refused the document (a bug of the template: user text never reaches markup).
    #[error("typesetting failed: {0}")]
    Typeset(String),
    /// The PDF writer failed.
    #[error("PDF export failed: {0}")]
    Pdf(String),
    /// Writing or reading a ZIP archive failed.
    #[error("archive: {0}")]
    Archive(String),
}
