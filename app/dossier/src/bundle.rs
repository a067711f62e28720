//! The sealed dossier: a ZIP holding the rendered files and a `manifest.json` that lists each with
//! its SHA-256 and size, together with the document's integrity (motion, log position, log head hash,
//! text hash); and the check of such a dossier against itself ([`verify_dossier`]).
//!
//! Owns the manifest format (`hemicycle-dossier/1`), the crate's deterministic ZIP writer (fixed
//! timestamps, permissions and order, so the same files give the same bytes) and the list of ways a
//! dossier can be found tampered with. Renders through the other writers of the crate; no IO, no
//! clock.

use std::collections::BTreeSet;
use std::io::{Cursor, Read as _, Write as _};

use domain::document::{FORMAT, MotionDocument};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::DossierError;

/// The name of the manifest inside the dossier.
pub const MANIFEST: &str = "manifest.json";

/// The manifest's format name and version (`format`).
pub const MANIFEST_FORMAT: &str = "hemicycle-dossier/1";

/// The file of the dossier that carries the document as data, checked against the manifest.
pub const DOCUMENT_FILE: &str = "motion.json";

/// What the dossier holds and what it proves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`].
    pub format: String,
    /// The motion's id.
    pub motion_id: i32,
    /// The log position the document was built at.
    pub seq: u64,
    /// The hash of the log's event at `seq`.
    pub log_head_hash: String,
    /// SHA-256 (hex) of the motion's canonical text.
    pub text_sha256: String,
    /// Every other file of the archive, in archive order.
    pub files: Vec<ManifestFile>,
}

/// One file of the dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Its name in the archive (`motion.pdf`).
    pub name: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// A sealed dossier: the ZIP's bytes and the manifest written into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dossier {
    /// The archive.
    pub zip: Vec<u8>,
    /// Its manifest (also stored in the archive as [`MANIFEST`]).
    pub manifest: Manifest,
}

/// A dossier that checked out: its manifest and the document read from [`DOCUMENT_FILE`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The manifest.
    pub manifest: Manifest,
    /// The document, as `motion.json` has it.
    pub document: MotionDocument,
}

/// Why a dossier does not check out. Each variant is a fact found in the archive.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Tampering {
    /// The bytes are not a readable ZIP archive.
    #[error("Ce fichier n’est pas une archive ZIP lisible / this is not a readable ZIP archive")]
    NotAnArchive,
    /// The archive has no `manifest.json`.
    #[error("L’archive ne contient pas de manifest.json / the archive has no manifest.json")]
    NoManifest,
    /// `manifest.json` does not parse, is of another format, or lists a file twice.
    #[error(
        "Le manifest.json est illisible ou d’un format inconnu / manifest.json is unreadable or of an unknown format"
    )]
    BadManifest,
    /// A file the manifest lists is not in the archive (or `motion.json` is not listed at all).
    #[error(
        "Le fichier {name} listé au manifeste est absent de l’archive / {name}, listed in the manifest, is missing"
    )]
    MissingFile {
        /// The file's name.
        name: String,
    },
    /// The archive holds a file the manifest does not list.
    #[error(
        "Le fichier {name} ne figure pas au manifeste (ajouté) / {name} is not listed in the manifest (added)"
    )]
    UnlistedFile {
        /// The file's name.
        name: String,
    },
    /// A file's bytes do not have the SHA-256 or size the manifest gives.
    #[error("Le fichier {name} a été modifié (empreinte différente) / {name} was modified")]
    HashMismatch {
        /// The file's name.
        name: String,
    },
    /// `motion.json` is not a document of this format, or its integrity says something else than
    /// the manifest (`field`: `format`, `motion_id`, `seq`, `log_head_hash` or `text_sha256`), or its
    /// text does not have the text hash it claims (`field`: `text`).
    #[error(
        "Le document motion.json ne correspond pas au manifeste (champ {field}) / motion.json disagrees with the manifest (field {field})"
    )]
    DocumentDisagrees {
        /// The field that differs.
        field: &'static str,
    },
}

/// Seals already rendered files with the document's integrity into a ZIP with `manifest.json`
/// (first entry), then the files in the order given.
///
/// # Errors
///
/// [`DossierError::Archive`] if a name is empty, a path (`/`, `\`, `..`), repeated, or
/// [`MANIFEST`] itself, or if the ZIP writer fails.
pub fn seal(doc: &MotionDocument, files: Vec<(String, Vec<u8>)>) -> Result<Dossier, DossierError> {
    let mut seen = BTreeSet::new();
    for (name, _) in &files {
        let is_path = name.contains('/') || name.contains('\\') || name.contains("..");
        if name.is_empty() || is_path || name == MANIFEST {
            return Err(DossierError::Archive(format!("invalid file name {name:?}")));
        }
        if !seen.insert(name.as_str()) {
            return Err(DossierError::Archive(format!("file {name:?} given twice")));
        }
    }
    let manifest = Manifest {
        format: MANIFEST_FORMAT.to_owned(),
        motion_id: doc.motion_id,
        seq: doc.integrity.seq,
        log_head_hash: doc.integrity.log_head_hash.clone(),
        text_sha256: doc.integrity.text_sha256.clone(),
        files: files
            .iter()
            .map(|(name, bytes)| ManifestFile {
                name: name.clone(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len() as u64,
            })
            .collect(),
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| DossierError::Archive(format!("manifest: {e}")))?;
    manifest_json.push(b'\n');
    let mut entries = Vec::with_capacity(files.len() + 1);
    entries.push(Entry::deflated(MANIFEST, &manifest_json));
    entries.extend(
        files
            .iter()
            .map(|(name, bytes)| Entry::deflated(name, bytes)),
    );
    let zip = deterministic_zip(&entries)?;
    Ok(Dossier { zip, manifest })
}

/// Renders PDF, ODT, JSON and Markdown (`motion.pdf`, `motion.odt`, `motion.json`, `motion.md`) and
/// seals them.
///
/// # Errors
///
/// Whatever a writer returns ([`DossierError::Typeset`], [`DossierError::Pdf`],
/// [`DossierError::Archive`]).
pub fn build_dossier(doc: &MotionDocument) -> Result<Dossier, DossierError> {
    let pdf = crate::pdf::render_pdf(doc)?;
    let odt = crate::odt::render_odt(doc)?;
    let json = crate::open_data::try_render_json(doc)?;
    let markdown = crate::markdown::render_markdown(doc).into_bytes();
    seal(
        doc,
        vec![
            ("motion.pdf".to_owned(), pdf),
            ("motion.odt".to_owned(), odt),
            (DOCUMENT_FILE.to_owned(), json),
            ("motion.md".to_owned(), markdown),
        ],
    )
}

/// Checks a dossier against itself: every file listed with the right SHA-256 and size, nothing
/// extra or missing, and `motion.json` parses as a [`MotionDocument`] whose integrity (text hash,
/// head hash, seq, motion id) equals the manifest's.
///
/// This proves the archive is whole and consistent, not who made it: someone who rewrites a file
/// and its manifest entry passes, unless the hashes are compared with those published elsewhere
/// (the log head hash is public, see `docs/open-data.md`).
///
/// # Errors
///
/// The first [`Tampering`] found, checking in this order: archive, manifest, files present and
/// listed, hashes and sizes (a file whose ZIP checksum fails counts as modified), the document.
pub fn verify_dossier(zip: &[u8]) -> Result<Verified, Tampering> {
    let mut archive = ZipArchive::new(Cursor::new(zip)).map_err(|_| Tampering::NotAnArchive)?;
    let mut names = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let name = archive
            .name_for_index(index)
            .and_then(Result::ok)
            .ok_or(Tampering::NotAnArchive)?;
        names.push(name.into_owned());
    }
    let manifest_index = names
        .iter()
        .position(|n| n == MANIFEST)
        .ok_or(Tampering::NoManifest)?;
    let manifest_bytes =
        read_entry(&mut archive, manifest_index, MANIFEST_LIMIT).ok_or(Tampering::BadManifest)?;
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|_| Tampering::BadManifest)?;
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    if manifest.format != MANIFEST_FORMAT
        || listed.len() != manifest.files.len()
        || listed.contains(MANIFEST)
    {
        return Err(Tampering::BadManifest);
    }

    let mut present = BTreeSet::new();
    for (index, name) in names.iter().enumerate() {
        if index != manifest_index && !present.insert(name.as_str()) {
            // A second entry of the same name: whichever a reader picks, one is not the sealed one.
            return Err(Tampering::UnlistedFile { name: name.clone() });
        }
        if index != manifest_index && !listed.contains(name.as_str()) {
            return Err(Tampering::UnlistedFile { name: name.clone() });
        }
    }
    for file in &manifest.files {
        if !present.contains(file.name.as_str()) {
            return Err(Tampering::MissingFile {
                name: file.name.clone(),
            });
        }
    }

    let mut document_bytes = None;
    for file in &manifest.files {
        let index =
            names
                .iter()
                .position(|n| *n == file.name)
                .ok_or_else(|| Tampering::MissingFile {
                    name: file.name.clone(),
                })?;
        let modified = || Tampering::HashMismatch {
            name: file.name.clone(),
        };
        let bytes = read_entry(&mut archive, index, file.bytes).ok_or_else(modified)?;
        if bytes.len() as u64 != file.bytes || sha256_hex(&bytes) != file.sha256 {
            return Err(modified());
        }
        if file.name == DOCUMENT_FILE {
            document_bytes = Some(bytes);
        }
    }

    let document_bytes = document_bytes.ok_or_else(|| Tampering::MissingFile {
        name: DOCUMENT_FILE.to_owned(),
    })?;
    let document: MotionDocument = serde_json::from_slice(&document_bytes)
        .map_err(|_| Tampering::DocumentDisagrees { field: "format" })?;
    let disagrees = |field| Err(Tampering::DocumentDisagrees { field });
    if document.format != FORMAT {
        return disagrees("format");
    }
    if document.motion_id != manifest.motion_id {
        return disagrees("motion_id");
    }
    if document.integrity.seq != manifest.seq {
        return disagrees("seq");
    }
    if document.integrity.log_head_hash != manifest.log_head_hash {
        return disagrees("log_head_hash");
    }
    if document.integrity.text_sha256 != manifest.text_sha256 {
        return disagrees("text_sha256");
    }
    // The open data carries the stored text: its hash must be the one the dossier claims.
    if domain::document::document_text_hash(&document) != manifest.text_sha256 {
        return disagrees("text");
    }
    Ok(Verified { manifest, document })
}

/// The largest `manifest.json` read (a real one is a few hundred bytes).
const MANIFEST_LIMIT: u64 = 1 << 20;

/// Reads one entry whole, but never more than `limit + 1` bytes (so that a forged archive cannot
/// make the check decompress gigabytes); `None` if it cannot be read (bad compressed data or
/// checksum: the ZIP reader checks the CRC-32 at the end of the entry).
fn read_entry(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    limit: u64,
) -> Option<Vec<u8>> {
    let file = archive.by_index(index).ok()?;
    let capacity = usize::try_from(file.size().min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// SHA-256 of `bytes`, lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// One file of a ZIP written by [`deterministic_zip`].
pub(crate) struct Entry<'a> {
    name: &'a str,
    bytes: &'a [u8],
    method: CompressionMethod,
}

impl<'a> Entry<'a> {
    /// An entry stored as is (ODF's `mimetype`).
    pub(crate) fn stored(name: &'a str, bytes: &'a [u8]) -> Self {
        Entry {
            name,
            bytes,
            method: CompressionMethod::Stored,
        }
    }

    /// An entry compressed with Deflate.
    pub(crate) fn deflated(name: &'a str, bytes: &'a [u8]) -> Self {
        Entry {
            name,
            bytes,
            method: CompressionMethod::Deflated,
        }
    }
}

/// Writes `entries` into a ZIP in that order, every entry dated 1980-01-01 00:00 (the ZIP epoch)
/// with permissions 0644 and no extra field, so the bytes depend on the entries only.
pub(crate) fn deterministic_zip(entries: &[Entry<'_>]) -> Result<Vec<u8>, DossierError> {
    let total: usize = entries.iter().map(|e| e.bytes.len()).sum();
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(total / 2 + 1024)));
    for entry in entries {
        let options = SimpleFileOptions::default()
            .compression_method(entry.method)
            .last_modified_time(DateTime::DEFAULT)
            .unix_permissions(0o644);
        writer
            .start_file(entry.name, options)
            .map_err(|e| DossierError::Archive(format!("{}: {e}", entry.name)))?;
        writer
            .write_all(entry.bytes)
            .map_err(|e| DossierError::Archive(format!("{}: {e}", entry.name)))?;
    }
    let cursor = writer
        .finish()
        .map_err(|e| DossierError::Archive(e.to_string()))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests;
