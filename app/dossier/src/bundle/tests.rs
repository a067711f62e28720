use std::io::{Cursor, Read};

use super::*;
use crate::sample;

/// The four files, with fake PDF bytes (the PDF writer has its own tests; typesetting in a debug
/// build is slow).
fn files(doc: &MotionDocument) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "motion.pdf".to_owned(),
            b"%PDF-1.7 fake for the bundle tests\n".repeat(40),
        ),
        (
            "motion.odt".to_owned(),
            crate::odt::render_odt(doc).expect("odt"),
        ),
        (DOCUMENT_FILE.to_owned(), crate::open_data::render_json(doc)),
        (
            "motion.md".to_owned(),
            crate::markdown::render_markdown(doc).into_bytes(),
        ),
    ]
}

fn sealed() -> (MotionDocument, Dossier) {
    let doc = sample::motion(30, 20);
    let dossier = seal(&doc, files(&doc)).expect("seals");
    (doc, dossier)
}

/// Every entry of a ZIP, in order.
fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = ZipArchive::new(Cursor::new(zip)).expect("a ZIP");
    (0..archive.len())
        .map(|index| {
            let mut file = archive.by_index(index).expect("an entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("readable");
            (file.name().expect("a name").into_owned(), bytes)
        })
        .collect()
}

/// The dossier rewritten with `change` applied to its entries, as someone holding it could.
fn repack(zip: &[u8], change: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut all = entries(zip);
    change(&mut all);
    let list: Vec<Entry<'_>> = all
        .iter()
        .map(|(name, bytes)| Entry::deflated(name, bytes))
        .collect();
    deterministic_zip(&list).expect("repacks")
}

fn bytes_of<'a>(all: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut all
        .iter_mut()
        .find(|(n, _)| n == name)
        .expect("the entry")
        .1
}

/// Rewrites the manifest (as a forger would after changing a file).
fn edit_manifest(all: &mut [(String, Vec<u8>)], edit: impl FnOnce(&mut Manifest)) {
    let bytes = bytes_of(all, MANIFEST);
    let mut manifest: Manifest = serde_json::from_slice(bytes).expect("the manifest");
    edit(&mut manifest);
    *bytes = serde_json::to_vec_pretty(&manifest).expect("serializes");
}

fn reseal_entry(manifest: &mut Manifest, name: &str, bytes: &[u8]) {
    let file = manifest
        .files
        .iter_mut()
        .find(|f| f.name == name)
        .expect("listed");
    file.sha256 = sha256_hex(bytes);
    file.bytes = bytes.len() as u64;
}

#[test]
fn a_sealed_dossier_verifies_and_gives_back_the_document() {
    let (doc, dossier) = sealed();
    let verified = verify_dossier(&dossier.zip).expect("verifies");
    assert_eq!(verified.document, doc);
    assert_eq!(verified.manifest, dossier.manifest);
    let manifest = &dossier.manifest;
    assert_eq!(manifest.format, "hemicycle-dossier/1");
    assert_eq!(manifest.motion_id, doc.motion_id);
    assert_eq!(manifest.seq, doc.integrity.seq);
    assert_eq!(manifest.text_sha256, doc.integrity.text_sha256);
    assert_eq!(manifest.log_head_hash, doc.integrity.log_head_hash);
    let names: Vec<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["motion.pdf", "motion.odt", "motion.json", "motion.md"]
    );

    // The archive holds the manifest first, then the files with the hashes and sizes it states.
    let all = entries(&dossier.zip);
    assert_eq!(all[0].0, MANIFEST);
    let stored: Manifest = serde_json::from_slice(&all[0].1).expect("manifest.json parses");
    assert_eq!(&stored, manifest);
    for (file, (name, bytes)) in manifest.files.iter().zip(&all[1..]) {
        assert_eq!(&file.name, name);
        assert_eq!(file.bytes, bytes.len() as u64);
        assert_eq!(file.sha256, sha256_hex(bytes));
    }
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn sealing_is_deterministic() {
    let (doc, first) = sealed();
    let second = seal(&doc, files(&doc)).expect("seals");
    assert_eq!(first.zip, second.zip);
    let mut archive = ZipArchive::new(Cursor::new(&first.zip)).expect("a ZIP");
    for index in 0..archive.len() {
        let file = archive.by_index(index).expect("entry");
        assert_eq!(
            file.last_modified(),
            Some(DateTime::DEFAULT),
            "fixed timestamps"
        );
    }
}

#[test]
fn a_modified_byte_in_a_file_is_detected() {
    let (_, dossier) = sealed();
    let tampered = repack(&dossier.zip, |all| bytes_of(all, "motion.md")[100] ^= 0x20);
    assert_eq!(
        verify_dossier(&tampered).map(|_| ()),
        Err(Tampering::HashMismatch {
            name: "motion.md".to_owned()
        })
    );
}

#[test]
fn a_flipped_byte_in_the_archive_itself_is_detected() {
    let (_, dossier) = sealed();
    let mut archive = ZipArchive::new(Cursor::new(&dossier.zip)).expect("a ZIP");
    let (start, length) = {
        let file = archive.by_name("motion.odt").expect("entry");
        (
            file.data_start().expect("known offset"),
            file.compressed_size(),
        )
    };
    let mut zip = dossier.zip.clone();
    let offset = usize::try_from(start + length / 2).expect("fits");
    zip[offset] ^= 0x01;
    assert_eq!(
        verify_dossier(&zip).map(|_| ()),
        Err(Tampering::HashMismatch {
            name: "motion.odt".to_owned()
        })
    );
}

#[test]
fn a_dropped_file_is_detected() {
    let (_, dossier) = sealed();
    let tampered = repack(&dossier.zip, |all| {
        all.retain(|(name, _)| name != "motion.pdf")
    });
    assert_eq!(
        verify_dossier(&tampered).map(|_| ()),
        Err(Tampering::MissingFile {
            name: "motion.pdf".to_owned()
        })
    );
}

#[test]
fn an_added_file_is_detected() {
    let (_, dossier) = sealed();
    let tampered = repack(&dossier.zip, |all| {
        all.push(("lisez-moi.txt".to_owned(), b"ajout".to_vec()));
    });
    assert_eq!(
        verify_dossier(&tampered).map(|_| ()),
        Err(Tampering::UnlistedFile {
            name: "lisez-moi.txt".to_owned()
        })
    );
}

#[test]
fn a_changed_hash_or_size_in_the_manifest_is_detected() {
    let (_, dossier) = sealed();
    let tampered = repack(&dossier.zip, |all| {
        edit_manifest(all, |m| m.files[1].sha256 = "0".repeat(64));
    });
    assert_eq!(
        verify_dossier(&tampered).map(|_| ()),
        Err(Tampering::HashMismatch {
            name: "motion.odt".to_owned()
        })
    );
    let resized = repack(&dossier.zip, |all| {
        edit_manifest(all, |m| m.files[0].bytes += 1);
    });
    assert_eq!(
        verify_dossier(&resized).map(|_| ()),
        Err(Tampering::HashMismatch {
            name: "motion.pdf".to_owned()
        })
    );
}

#[test]
fn a_changed_text_hash_in_motion_json_is_detected() {
    let (doc, dossier) = sealed();
    let mut forged = doc.clone();
    forged.integrity.text_sha256 = "ab".repeat(32);
    let forged_json = crate::open_data::render_json(&forged);

    // Only motion.json changed: its hash no longer matches the manifest.
    let swapped = repack(&dossier.zip, |all| {
        *bytes_of(all, DOCUMENT_FILE) = forged_json.clone();
    });
    assert_eq!(
        verify_dossier(&swapped).map(|_| ()),
        Err(Tampering::HashMismatch {
            name: DOCUMENT_FILE.to_owned()
        })
    );

    // The manifest entry rewritten to match: the document now disagrees with the manifest.
    let forged_everywhere = repack(&dossier.zip, |all| {
        *bytes_of(all, DOCUMENT_FILE) = forged_json.clone();
        edit_manifest(all, |m| reseal_entry(m, DOCUMENT_FILE, &forged_json));
    });
    assert_eq!(
        verify_dossier(&forged_everywhere).map(|_| ()),
        Err(Tampering::DocumentDisagrees {
            field: "text_sha256"
        })
    );

    // Same for the manifest's own integrity fields.
    for (field, edit) in [
        (
            "motion_id",
            (|m: &mut Manifest| m.motion_id += 1) as fn(&mut Manifest),
        ),
        ("seq", |m| m.seq += 1),
        ("log_head_hash", |m| m.log_head_hash = "cd".repeat(32)),
        ("text_sha256", |m| m.text_sha256 = "ef".repeat(32)),
    ] {
        let tampered = repack(&dossier.zip, |all| edit_manifest(all, edit));
        assert_eq!(
            verify_dossier(&tampered).map(|_| ()),
            Err(Tampering::DocumentDisagrees { field }),
            "{field}"
        );
    }
}

#[test]
fn a_missing_or_unreadable_manifest_is_detected() {
    let (_, dossier) = sealed();
    let without = repack(&dossier.zip, |all| all.retain(|(name, _)| name != MANIFEST));
    assert_eq!(
        verify_dossier(&without).map(|_| ()),
        Err(Tampering::NoManifest)
    );

    let garbled = repack(&dossier.zip, |all| {
        *bytes_of(all, MANIFEST) = b"{ pas du JSON".to_vec()
    });
    assert_eq!(
        verify_dossier(&garbled).map(|_| ()),
        Err(Tampering::BadManifest)
    );

    let other_format = repack(&dossier.zip, |all| {
        edit_manifest(all, |m| m.format = "hemicycle-dossier/2".to_owned());
    });
    assert_eq!(
        verify_dossier(&other_format).map(|_| ()),
        Err(Tampering::BadManifest)
    );

    let listed_twice = repack(&dossier.zip, |all| {
        edit_manifest(all, |m| {
            let first = m.files[0].clone();
            m.files.push(first);
        });
    });
    assert_eq!(
        verify_dossier(&listed_twice).map(|_| ()),
        Err(Tampering::BadManifest)
    );

    let unlisted_json = repack(&dossier.zip, |all| {
        all.retain(|(name, _)| name != DOCUMENT_FILE);
        edit_manifest(all, |m| m.files.retain(|f| f.name != DOCUMENT_FILE));
    });
    assert_eq!(
        verify_dossier(&unlisted_json).map(|_| ()),
        Err(Tampering::MissingFile {
            name: DOCUMENT_FILE.to_owned()
        })
    );

    assert_eq!(
        verify_dossier(b"PK pas une archive").map(|_| ()),
        Err(Tampering::NotAnArchive)
    );
    assert_eq!(
        verify_dossier(&[]).map(|_| ()),
        Err(Tampering::NotAnArchive)
    );
}

#[test]
fn seal_refuses_names_that_would_be_ambiguous() {
    let doc = sample::motion(3, 2);
    for names in [
        vec!["a.txt", "a.txt"],
        vec![MANIFEST],
        vec!["../a.txt"],
        vec!["dossier/a.txt"],
        vec![""],
    ] {
        let files = names
            .iter()
            .map(|n| ((*n).to_owned(), b"x".to_vec()))
            .collect();
        assert!(
            matches!(seal(&doc, files), Err(DossierError::Archive(_))),
            "{names:?}"
        );
    }
}

#[test]
fn tampering_messages_are_in_french_then_english() {
    assert_eq!(
        Tampering::HashMismatch {
            name: "motion.pdf".to_owned()
        }
        .to_string(),
        "Le fichier motion.pdf a été modifié (empreinte différente) / motion.pdf was modified"
    );
    assert_eq!(
        Tampering::DocumentDisagrees { field: "seq" }.to_string(),
        "Le document motion.json ne correspond pas au manifeste (champ seq) / motion.json disagrees with the manifest (field seq)"
    );
}

/// The real thing, PDF included, on a small motion (typesetting is slow in debug builds).
#[test]
fn build_dossier_renders_the_four_files_and_verifies() {
    let doc = sample::motion(4, 3);
    let dossier = build_dossier(&doc).expect("builds");
    let verified = verify_dossier(&dossier.zip).expect("verifies");
    assert_eq!(verified.document, doc);
    let all = entries(&dossier.zip);
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            MANIFEST,
            "motion.pdf",
            "motion.odt",
            "motion.json",
            "motion.md"
        ]
    );
    assert!(all[1].1.starts_with(b"%PDF-"));
    assert!(all[2].1.starts_with(b"PK\x03\x04"));
}
