//! The motion as PDF/A-2b, typeset in-process by Typst with the template `typst/motion.typ`.
//!
//! Owns the Typst world of the dossier (the template, the document as `/data.json`, the fonts of
//! `typst-assets` compiled into the binary) and the PDF export settings. It must not depend on the
//! file system, the network, a package registry, the system's fonts or the clock: the same document
//! always gives the same bytes.
//!
//! User text reaches Typst only as data: the document is serialized to JSON and the template reads
//! it with `json("data.json")`, printing every string as a string. Before that, control characters
//! and characters that no embedded font can draw (which PDF/A forbids) are replaced by a visible
//! "�" (U+FFFD), so that nothing of the text is silently hidden, and line breaks inside a printed
//! line become spaces, so that a line stays one line.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

use domain::ballot::number_fr;
use domain::document::{DocumentStatus, MotionDocument, counts_fr, outcome_fr};
use domain::typography::french;
use serde::Serialize;
use serde_json::Value;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::DossierError;

/// The template, compiled into the binary.
const TEMPLATE: &str = include_str!("../typst/motion.typ");

/// Where the template and the data live in Typst's virtual file system.
const TEMPLATE_PATH: &str = "/motion.typ";
const DATA_PATH: &str = "/data.json";

/// Printed instead of a character that no embedded font has.
const REPLACEMENT: char = '\u{FFFD}';

/// A rendered PDF and what the writer knows about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedPdf {
    /// The PDF/A-2b file.
    pub bytes: Vec<u8>,
    /// Its number of pages.
    pub pages: usize,
}

/// Renders the document as PDF/A-2b.
///
/// Deterministic: the same document gives the same bytes (the PDF's identifier is derived from
/// the motion and its hashes, its date from the document's status).
///
/// # Errors
/// [`DossierError::Typeset`] when Typst refuses the template or the data (with Typst's message),
/// [`DossierError::Pdf`] when the export to PDF/A fails or the status date is not an ISO date.
pub fn render_pdf(doc: &MotionDocument) -> Result<Vec<u8>, DossierError> {
    typeset_pdf(doc).map(|rendered| rendered.bytes)
}

/// Renders the document as PDF/A-2b, and says how many pages it has.
///
/// # Errors
/// As [`render_pdf`].
pub fn typeset_pdf(doc: &MotionDocument) -> Result<RenderedPdf, DossierError> {
    typeset_with(TEMPLATE, doc)
}

/// [`typeset_pdf`] with another template (tests give broken ones).
fn typeset_with(template: &str, doc: &MotionDocument) -> Result<RenderedPdf, DossierError> {
    let date = status_date(&doc.status)?;
    let data = template_data(doc)?;
    let world = DossierWorld::new(template, data, date)?;
    let options = pdf_options(doc, date)?;
    // Typst is not expected to panic; if it does, the caller gets an error, not a dead thread.
    let outcome = catch_unwind(AssertUnwindSafe(|| compile_and_export(&world, &options)));
    // Typst memoizes across compilations in process-wide caches: clear them, so that a server
    // that renders many dossiers does not keep every one of them in memory.
    typst::comemo::evict(0);
    outcome.unwrap_or_else(|_| {
        Err(DossierError::Typeset(
            "Typst stopped on an internal error".to_owned(),
        ))
    })
}

fn compile_and_export(
    world: &DossierWorld,
    options: &PdfOptions,
) -> Result<RenderedPdf, DossierError> {
    let document = typst::compile(world)
        .output
        .map_err(|errors| DossierError::Typeset(diagnostics(&errors)))?;
    let bytes = typst_pdf::pdf(&document, options)
        .map_err(|errors| DossierError::Pdf(diagnostics(&errors)))?;
    Ok(RenderedPdf {
        bytes,
        pages: document.pages().len(),
    })
}

/// Typst's errors as one message: each error with its hints.
fn diagnostics(errors: &EcoVec<SourceDiagnostic>) -> String {
    errors
        .iter()
        .map(|error| {
            let mut message = error.message.to_string();
            for hint in &error.hints {
                message.push_str(" (");
                message.push_str(&hint.v);
                message.push(')');
            }
            message
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The date of the document's status (adoption or working version), as the PDF's date.
fn status_date(status: &DocumentStatus) -> Result<Datetime, DossierError> {
    let iso = match status {
        DocumentStatus::Final { date, .. } | DocumentStatus::Working { date, .. } => date,
    };
    parse_iso_date(iso)
        .ok_or_else(|| DossierError::Pdf(format!("the status date {iso:?} is not YYYY-MM-DD")))
}

fn parse_iso_date(iso: &str) -> Option<Datetime> {
    let mut parts = iso.get(..10)?.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Datetime::from_ymd(year, month, day)
}

fn pdf_options(doc: &MotionDocument, date: Datetime) -> Result<PdfOptions, DossierError> {
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|error| DossierError::Pdf(error.message().to_string()))?;
    Ok(PdfOptions {
        // Stable across renders of the same document, different for another text or log.
        ident: Smart::Custom(format!(
            "hemicycle/motion/{}/{}/{}/{}",
            doc.motion_id,
            doc.integrity.seq,
            doc.integrity.text_sha256,
            doc.integrity.log_head_hash
        )),
        creator: Smart::Custom(Some("Hémicycle".to_owned())),
        timestamp: Some(Timestamp::new_utc(date)),
        standards,
        ..PdfOptions::default()
    })
}

// ---------------------------------------------------------------------------------------------
// The data handed to the template.

/// `/data.json`: the document as serialized, and the few things the template would otherwise have
/// to compute (French numbers, the short hash), computed by the domain's own functions.
#[derive(Serialize)]
struct TemplateData {
    doc: Value,
    view: Value,
}

#[derive(Serialize)]
struct View {
    short_text_hash: String,
    seq_fr: String,
    line_count_fr: String,
    amendment_count_fr: String,
    ballot_count_fr: String,
    /// Parallel to `doc.amendments`.
    amendments: Vec<AmendmentView>,
    /// Parallel to `doc.ballots`.
    ballots: Vec<BallotView>,
    /// Parallel to `doc.removed_paragraphs`: their stored texts, in French typography.
    removed_texts_fr: Vec<String>,
}

#[derive(Serialize)]
struct AmendmentView {
    counts_fr: Option<String>,
}

#[derive(Serialize)]
struct BallotView {
    pour: String,
    contre: String,
    abstention: String,
    registered: String,
    present: String,
    required: String,
    outcome: &'static str,
}

fn count_fr(n: usize) -> String {
    number_fr(u32::try_from(n).unwrap_or(u32::MAX))
}

fn template_data(doc: &MotionDocument) -> Result<Bytes, DossierError> {
    let line_count: usize = doc
        .sections
        .iter()
        .flat_map(|section| &section.paragraphs)
        .map(|paragraph| paragraph.lines.len())
        .sum();
    let view = View {
        short_text_hash: doc.integrity.short_text_hash().to_owned(),
        seq_fr: doc.integrity.seq.to_string(),
        line_count_fr: count_fr(line_count),
        amendment_count_fr: count_fr(doc.amendments.len()),
        ballot_count_fr: count_fr(doc.ballots.len()),
        amendments: doc
            .amendments
            .iter()
            .map(|a| AmendmentView {
                counts_fr: a
                    .ballot
                    .as_ref()
                    .map(|b| counts_fr(b.pour, b.contre, b.abstention)),
            })
            .collect(),
        ballots: doc
            .ballots
            .iter()
            .map(|b| BallotView {
                pour: number_fr(b.pour),
                contre: number_fr(b.contre),
                abstention: number_fr(b.abstention),
                registered: number_fr(b.registered),
                present: number_fr(b.present),
                required: number_fr(b.required),
                outcome: outcome_fr(&b.outcome),
            })
            .collect(),
        removed_texts_fr: doc
            .removed_paragraphs
            .iter()
            .map(|removed| french(&removed.text))
            .collect(),
    };
    let mut value = serde_json::to_value(doc)
        .map_err(|error| DossierError::Typeset(format!("serializing the document: {error}")))?;
    let mut printable = Printable::new(&FONTS.fonts);
    printable.clean_value(&mut value, false);
    let mut view = serde_json::to_value(view)
        .map_err(|error| DossierError::Typeset(format!("serializing the document: {error}")))?;
    printable.clean_value(&mut view, false);
    let data = TemplateData { doc: value, view };
    let json = serde_json::to_vec(&data)
        .map_err(|error| DossierError::Typeset(format!("serializing the document: {error}")))?;
    Ok(Bytes::new(json))
}

/// Makes strings printable with the embedded fonts, as PDF/A requires (every glyph drawn).
struct Printable<'a> {
    fonts: &'a [Font],
    /// Whether some embedded font has a glyph for a (non-ASCII) character.
    known: BTreeMap<char, bool>,
}

impl<'a> Printable<'a> {
    fn new(fonts: &'a [Font]) -> Self {
        Printable {
            fonts,
            known: BTreeMap::new(),
        }
    }

    /// Cleans every string of `value`; the strings of a `lines` array are printed lines, where a
    /// line break would make two lines of one.
    fn clean_value(&mut self, value: &mut Value, single_line: bool) {
        match value {
            Value::String(s) => {
                if let Some(clean) = self.clean(s, single_line) {
                    *s = clean;
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.clean_value(item, single_line);
                }
            }
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    self.clean_value(item, single_line || key == "lines");
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// The printable form of `s`, or `None` when it is already printable.
    fn clean(&mut self, s: &str, single_line: bool) -> Option<String> {
        let printable = |c: char| (' '..='~').contains(&c);
        if s.chars().all(printable) {
            return None;
        }
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                c if printable(c) => out.push(c),
                '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        continue;
                    }
                    out.push(if single_line { ' ' } else { '\n' });
                }
                '\t' => out.push(' '),
                // Bidirectional embeddings, overrides and isolates could print the characters in
                // another order than the stored one: the document prints them in stored order.
                '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
                // Invisible by nature, and drawn as nothing by Typst.
                '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FE00}'..='\u{FE0F}' => {
                    out.push(c);
                }
                '\u{FEFF}' => out.push('\u{2060}'),
                // Control characters have no glyph (nor do their Unicode pictures, ␇, in the
                // embedded fonts): they are shown, not dropped.
                c if c.is_control() => out.push(self.replacement()),
                c if self.has_glyph(c) => out.push(c),
                _ => out.push(self.replacement()),
            }
        }
        (out != s).then_some(out)
    }

    /// "�", or "?" should no embedded font have it.
    fn replacement(&mut self) -> char {
        if self.has_glyph(REPLACEMENT) {
            REPLACEMENT
        } else {
            '?'
        }
    }

    fn has_glyph(&mut self, c: char) -> bool {
        let fonts = self.fonts;
        *self.known.entry(c).or_insert_with(|| {
            let code = u32::from(c);
            fonts.iter().any(|font| font.info().coverage.contains(code))
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The Typst world.

/// The embedded fonts, parsed once.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// Everything Typst can see: the template, `/data.json` and the embedded fonts. Nothing else.
struct DossierWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Datetime,
}

impl DossierWorld {
    fn new(template: &str, data: Bytes, today: Datetime) -> Result<Self, DossierError> {
        let main = file_id(TEMPLATE_PATH)?;
        Ok(DossierWorld {
            main: Source::new(main, template.to_owned()),
            data_id: file_id(DATA_PATH)?,
            data,
            today,
        })
    }
}

fn file_id(path: &str) -> Result<FileId, DossierError> {
    let vpath = VirtualPath::new(path)
        .map_err(|error| DossierError::Typeset(format!("{path}: {error}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

impl World for DossierWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// The document's own date, never the clock's.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::process::Command;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use domain::document::{DocumentStatus, MotionDocument, Person};

    use super::{FONTS, Printable, RenderedPdf, render_pdf, typeset_pdf, typeset_with};
    use crate::DossierError;
    use crate::sample;

    /// A PDF written to a temporary file, removed when dropped.
    struct TempPdf(PathBuf);

    impl TempPdf {
        fn new(bytes: &[u8]) -> TempPdf {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "dossier-pdf-test-{}-{}.pdf",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst)
            ));
            std::fs::write(&path, bytes).expect("write the PDF to a temporary file");
            TempPdf(path)
        }

        fn run(&self, tool: &str, args: &[&str]) -> String {
            let output = Command::new(tool)
                .args(args)
                .arg(&self.0)
                .args(if tool == "pdftotext" {
                    &["-"][..]
                } else {
                    &[][..]
                })
                .output()
                .unwrap_or_else(|e| panic!("{tool} must be installed (poppler-utils): {e}"));
            assert!(
                output.status.success(),
                "{tool} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8(output.stdout).expect("poppler writes UTF-8")
        }
    }

    impl Drop for TempPdf {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// The text as laid out on the page: one line of text per printed line.
    fn text_of(bytes: &[u8]) -> String {
        TempPdf::new(bytes).run("pdftotext", &["-layout", "-enc", "UTF-8"])
    }

    /// The text in reading order: the text of a table cell is not interleaved with its row's.
    fn reading_text_of(bytes: &[u8]) -> String {
        TempPdf::new(bytes).run("pdftotext", &["-enc", "UTF-8"])
    }

    /// For free text, which Typst hyphenates: without spaces, hyphens or soft hyphens.
    fn loose(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{AD}')
            .collect()
    }

    /// Without any kind of space: justification, narrow no-break spaces and the layout mode of
    /// `pdftotext` all change spaces, never the other characters or their order.
    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    fn sample_doc() -> MotionDocument {
        sample::motion(14, 6)
    }

    /// The sample, rendered once for the tests that only read it.
    fn sample_pdf() -> &'static (RenderedPdf, String) {
        static PDF: OnceLock<(RenderedPdf, String)> = OnceLock::new();
        PDF.get_or_init(|| {
            let rendered = typeset_pdf(&sample_doc()).expect("the sample renders");
            let text = text_of(&rendered.bytes);
            (rendered, text)
        })
    }

    fn sample_reading_text() -> &'static str {
        static TEXT: OnceLock<String> = OnceLock::new();
        TEXT.get_or_init(|| reading_text_of(&sample_pdf().0.bytes))
    }

    /// Asserts that every line of every paragraph is printed on one line of its own, preceded by
    /// its number, with all its characters.
    fn assert_numbered_lines_printed(doc: &MotionDocument, text: &str) {
        let printed: Vec<String> = text.lines().map(squeeze).collect();
        for paragraph in doc.sections.iter().flat_map(|s| &s.paragraphs) {
            for (i, line) in paragraph.lines.iter().enumerate() {
                let number = paragraph.first_line + u32::try_from(i).expect("few lines");
                let expected = format!("{number}{}", squeeze(line));
                assert!(
                    printed.contains(&expected),
                    "line {number} not printed as one numbered line: {line:?}\n--- text ---\n{text}"
                );
            }
        }
    }

    #[test]
    fn every_line_of_the_motion_is_printed_once_with_its_number_and_its_accents() {
        let doc = sample_doc();
        let (rendered, text) = sample_pdf();
        assert!(rendered.bytes.starts_with(b"%PDF-"));
        assert_numbered_lines_printed(&doc, text);
        for accent in ['é', 'à', '’', '·', 'É'] {
            assert!(text.contains(accent), "{accent} missing");
        }
        assert!(text.contains("Adoptée le 10 décembre 2026"));
        assert!(text.contains(&doc.edition.title));
        assert!(text.contains("Paris, du 9 au 10 décembre 2026"));
        for section in &doc.sections {
            assert!(
                squeeze(text).contains(&squeeze(&section.title)),
                "{}",
                section.title
            );
        }
        assert!(loose(sample_reading_text()).contains(&loose(&doc.preamble)));
    }

    #[test]
    fn every_page_has_the_running_header_and_the_footer_with_the_hash() {
        let doc = sample_doc();
        let (rendered, text) = sample_pdf();
        assert!(rendered.pages >= 3, "{} pages", rendered.pages);
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert_eq!(pages.len(), rendered.pages);
        for (index, page) in pages.iter().enumerate() {
            let footer = format!(
                "Page {} sur {} · empreinte {}",
                index + 1,
                rendered.pages,
                doc.integrity.short_text_hash()
            );
            assert!(page.contains(&footer), "page {}: no {footer:?}", index + 1);
            if index > 0 {
                // The header is in small capitals: compare letters case-insensitively.
                let head = squeeze(page.lines().next().unwrap_or_default()).to_lowercase();
                assert!(
                    head.contains(&squeeze(&doc.title).to_lowercase()),
                    "page {}: {head}",
                    index + 1
                );
            }
        }
    }

    #[test]
    fn the_annexes_list_amendments_ballots_removed_paragraphs_contributors_and_hashes() {
        let doc = sample_doc();
        let text = sample_reading_text();
        let flat = loose(text);
        for heading in [
            "Annexe 1 · Tableau des amendements",
            "Annexe 2 · Texte des amendements adoptés",
            "Annexe 3 · Scrutins",
            "Annexe 4 · Paragraphes supprimés",
            "Annexe 5 · Auteurs et cosignataires des amendements",
            "Annexe 6 · Intégrité du texte",
        ] {
            assert!(text.contains(heading), "{heading}");
        }
        for amendment in &doc.amendments {
            assert!(flat.contains(&loose(&amendment.author.name)));
            assert!(
                flat.contains(&loose(&amendment.target_fr)),
                "{}",
                amendment.target_fr
            );
            assert!(
                flat.contains(&loose(&amendment.status_fr)),
                "{}",
                amendment.status_fr
            );
            // The text and rationale are printed for the amendments that changed the motion.
            if amendment.status == "adopted" {
                assert!(
                    flat.contains(&loose(&amendment.rationale)),
                    "{}",
                    amendment.rationale
                );
                let proposed = amendment.proposed_text.as_deref().unwrap_or_default();
                assert!(flat.contains(&loose(proposed)), "{proposed}");
            }
        }
        assert!(flat.contains(&loose("212 pour, 48 contre, 17 abst.")));
        assert!(flat.contains(&loose("majorité des suffrages exprimés")));
        for ballot in &doc.ballots {
            assert!(
                flat.contains(&loose(&ballot.explanation_fr)),
                "{}",
                ballot.explanation_fr
            );
        }
        assert!(flat.contains(&loose(&doc.removed_paragraphs[0].text)));
        assert!(flat.contains(&loose(&doc.removed_paragraphs[0].why_fr)));
        for contributor in &doc.contributors {
            assert!(flat.contains(&loose(&contributor.person.mandate)));
        }
        // The hashes are printed whole (a table cell may break them, never change them).
        assert!(flat.contains(&doc.integrity.text_sha256));
        assert!(flat.contains(&doc.integrity.log_head_hash));
        assert!(text.contains(&format!("n° {}", doc.integrity.seq)));
        assert!(text.contains("SHA-256"));
    }

    #[test]
    fn every_font_is_embedded() {
        let (rendered, _) = sample_pdf();
        let fonts = TempPdf::new(&rendered.bytes).run("pdffonts", &[]);
        let rows: Vec<&str> = fonts
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!rows.is_empty(), "{fonts}");
        for row in rows {
            // name, type, encoding, emb, sub, uni, object ID: read from the right.
            let columns: Vec<&str> = row.split_whitespace().collect();
            let emb = columns[columns.len() - 5];
            assert_eq!(emb, "yes", "not embedded: {row}");
        }
    }

    #[test]
    fn the_same_document_gives_the_same_bytes_and_declares_pdf_a_2b() {
        let doc = sample::motion(3, 2);
        let first = render_pdf(&doc).expect("renders");
        let second = render_pdf(&doc).expect("renders again");
        assert!(first == second, "two renders differ");
        let raw = String::from_utf8_lossy(&first);
        assert!(
            raw.contains("<pdfaid:part>2</pdfaid:part>"),
            "no PDF/A part in the XMP"
        );
        assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));

        let mut other = doc.clone();
        other.integrity.text_sha256 = "4e".repeat(32);
        assert!(render_pdf(&other).expect("renders") != first);
    }

    /// Everything an author could type to try to reach Typst's markup, HTML or the terminal.
    const HOSTILE: [&str; 9] = [
        "#set page(width: 1cm)",
        "$x$ et $ y $",
        "*gras* _penché_ `code`",
        "<lbl> et @ref",
        "\\ barre \\\\ oblique \\n",
        "<script>alert(1)</script>",
        "#import \"@preview/x:0.1.0\": *",
        "])} #{ panic() } // /* ]",
        "= Titre ? - liste + énum / terme : ~ -- ---",
    ];

    #[test]
    fn typst_syntax_html_and_control_characters_in_user_text_are_printed_literally() {
        let mut doc = sample::motion(2, 1);
        let paragraph = &mut doc.sections[0].paragraphs[0];
        paragraph.lines = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
        paragraph
            .lines
            .push("sonnerie\u{7}échappement\u{1b}[31m nul\u{0} suppr\u{7f} fin".to_owned());
        doc.sections[0].title = "#set text(size: 40pt) <titre>".to_owned();
        doc.title = "Motion $pi$ #emph[titre] \\ fin".to_owned();
        doc.preamble = "Préambule #pagebreak() @ref <lbl>\nseconde ligne\u{8}".to_owned();
        let amendment = &mut doc.amendments[0];
        amendment.status = "adopted".to_owned();
        amendment.status_fr = "adopté".to_owned();
        amendment.rationale =
            "Exposé *gras* #set page(width: 1cm) <script>alert(1)</script>".to_owned();
        amendment.proposed_text = Some("Texte proposé $x$ \\ @ref".to_owned());
        amendment.author = Person {
            name: "Nom <b>gras</b> #strong[x]".to_owned(),
            mandate: "Mandat `raw` \u{9}tab".to_owned(),
        };
        doc.contributors[0].person = amendment.author.clone();

        let rendered = typeset_pdf(&doc).expect("hostile text renders");
        let text = text_of(&rendered.bytes);
        let flat = loose(&reading_text_of(&rendered.bytes));
        let first_line = doc.sections[0].paragraphs[0].first_line;
        let printed: Vec<String> = text.lines().map(squeeze).collect();
        for (i, hostile) in HOSTILE.iter().enumerate() {
            let number = first_line + u32::try_from(i).expect("few");
            let expected = format!("{number}{}", squeeze(hostile));
            assert!(
                printed.contains(&expected),
                "{hostile:?} not literal\n{text}"
            );
        }
        // Control characters are shown (no embedded font has their Unicode pictures), between the
        // intact words.
        assert!(
            flat.contains("sonnerie�échappement�[31mnul�suppr�fin"),
            "{flat}"
        );
        for literal in [
            "#set text(size: 40pt) <titre>",
            "Motion $pi$ #emph[titre] \\ fin",
            "Préambule #pagebreak() @ref <lbl>",
            "seconde ligne�",
            "Exposé *gras* #set page(width: 1cm) <script>alert(1)</script>",
            "Texte proposé $x$ \\ @ref",
            "Nom <b>gras</b> #strong[x]",
            "Mandat `raw` tab",
        ] {
            assert!(
                flat.contains(&loose(literal)),
                "{literal:?} not literal\n{flat}"
            );
        }
        // `#set page(width: 1cm)` did not apply: the pages are A4 (595 × 842 pt).
        let info = TempPdf::new(&rendered.bytes).run("pdfinfo", &[]);
        assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    }

    #[test]
    fn characters_no_font_can_draw_are_replaced_and_the_pdf_is_still_pdf_a() {
        let mut printable = Printable::new(&FONTS.fonts);
        let cleaned = printable.clean("vote 👍 Ελλάδα", false).expect("changed");
        assert_eq!(cleaned, "vote \u{FFFD} Ελλάδα");
        assert_eq!(printable.clean("déjà vu · l’été « Ελλάδα »", false), None);
        assert_eq!(printable.clean("a\nb\r\nc", true).as_deref(), Some("a b c"));
        assert_eq!(
            printable.clean("a\nb\r\nc", false).as_deref(),
            Some("a\nb\nc")
        );
        assert_eq!(
            printable.clean("abc \u{202E}cba", false).as_deref(),
            Some("abc cba")
        );

        let mut doc = sample::motion(2, 1);
        doc.sections[0].paragraphs[0].lines[0] =
            "emoji 🗳️ 👍🏽, cjk 議会, invisibles a\u{200B}b\u{AD}c\u{FEFF}d\u{200D}e".to_owned();
        let text = text_of(&render_pdf(&doc).expect("renders"));
        assert!(text.contains("emoji �"), "{text}");
        assert!(text.contains("cjk ��"), "{text}");
    }

    #[test]
    fn the_amendments_table_breaks_across_pages_and_repeats_its_header() {
        let doc = sample::motion(2, 40);
        let rendered = typeset_pdf(&doc).expect("renders");
        let text = text_of(&rendered.bytes);
        let with_header = text
            .split('\u{c}')
            .filter(|page| page.contains("Auteur et cosignataires"))
            .count();
        assert!(with_header >= 2, "the table fits one page: make it longer");
        let reading = loose(&reading_text_of(&rendered.bytes));
        for amendment in &doc.amendments {
            assert!(
                reading.contains(&loose(&amendment.target_fr)),
                "{}",
                amendment.target_fr
            );
        }
    }

    #[test]
    fn a_line_wider_than_the_measure_is_not_rewrapped() {
        let mut doc = sample::motion(2, 0);
        let wide = "MWMWMWMWMW".repeat(8);
        doc.sections[0].paragraphs[0].lines[1] = wide.clone();
        let text = text_of(&render_pdf(&doc).expect("renders"));
        assert_numbered_lines_printed(&doc, &text);
    }

    #[test]
    fn a_working_version_says_so_on_its_title_page_and_headers() {
        let mut doc = sample::motion(2, 0);
        doc.status = DocumentStatus::Working {
            label_fr: "Version de travail du 10 décembre 2026 à 15 h 42 (journal n° 120)"
                .to_owned(),
            date: "2026-12-10".to_owned(),
        };
        doc.removed_paragraphs.clear();
        let text = text_of(&render_pdf(&doc).expect("renders"));
        assert!(text.contains("Version de travail du 10 décembre 2026 à 15 h 42 (journal n° 120)"));
        assert!(text.contains("Aucun amendement n’a été déposé."));
        assert!(text.contains("Aucun paragraphe du projet n’a été supprimé."));
        let second_page = text.split('\u{c}').nth(1).unwrap_or_default();
        assert!(second_page.contains("Version de travail"), "{second_page}");
    }

    #[test]
    fn typst_errors_come_back_as_typeset_errors_with_typst_message() {
        let doc = sample::motion(1, 0);
        let broken = "#let data = json(\"data.json\")\n#data.doc.no_such_field";
        match typeset_with(broken, &doc) {
            Err(DossierError::Typeset(message)) => {
                assert!(message.contains("no_such_field"), "{message}");
            }
            other => panic!("expected a typesetting error, got {other:?}"),
        }
        // The template cannot reach anything but its data: no other file, no package.
        for reach in [
            "#read(\"/etc/passwd\")",
            "#import \"@preview/cetz:0.3.0\": *",
        ] {
            assert!(
                matches!(typeset_with(reach, &doc), Err(DossierError::Typeset(_))),
                "{reach}"
            );
        }
    }

    #[test]
    fn a_status_date_that_is_not_iso_is_an_error() {
        let mut doc = sample::motion(1, 0);
        doc.status = DocumentStatus::Final {
            label_fr: "Adoptée".to_owned(),
            date: "hier".to_owned(),
        };
        assert!(matches!(render_pdf(&doc), Err(DossierError::Pdf(_))));
    }
}
