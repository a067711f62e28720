//! The motion as OpenDocument text (ODF 1.3, `.odt`), for the services that edit what they receive:
//! the same content as the PDF — title page, numbered text, annexes, integrity — with the very line
//! numbers of the app.
//!
//! Owns the ODT package (`mimetype`, `META-INF/manifest.xml`, `content.xml`, `styles.xml`,
//! `meta.xml`) and the XML escaping of user text. Each numbered line of the document is one ODF
//! paragraph, its number first then a tab, with a hanging indent: our line breaks are kept and the
//! word processor never renumbers (ODF's automatic line numbering is switched off). Depends only on
//! the document model and the crate's deterministic ZIP writer; pure, same document → same bytes.

use std::fmt::Write as _;

use domain::ballot::number_fr;
use domain::document::{
    DocAmendment, DocBallot, DocParagraph, MotionDocument, Person, counts_fr, outcome_fr,
};

use crate::DossierError;
use crate::bundle::{Entry, deterministic_zip};

/// The media type of an OpenDocument text, stored first and uncompressed in the package.
pub const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

const NS: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/" "#,
    r#"office:version="1.3""#,
);

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Renders the document as an OpenDocument text package.
///
/// The bytes depend on the document only (fixed ZIP timestamps and entry order).
///
/// # Errors
///
/// [`DossierError::Archive`] if the ZIP writer fails (it writes to memory, so only on a bug).
pub fn render_odt(doc: &MotionDocument) -> Result<Vec<u8>, DossierError> {
    let content = content_xml(doc);
    let styles = styles_xml(doc);
    let meta = meta_xml(doc);
    let manifest = manifest_xml();
    deterministic_zip(&[
        Entry::stored("mimetype", MIMETYPE.as_bytes()),
        Entry::deflated("META-INF/manifest.xml", manifest.as_bytes()),
        Entry::deflated("content.xml", content.as_bytes()),
        Entry::deflated("styles.xml", styles.as_bytes()),
        Entry::deflated("meta.xml", meta.as_bytes()),
    ])
}

// ---------------------------------------------------------------------------------------------
// Escaping

/// Whether XML 1.0 allows `c` in a document (production `Char`); the others are dropped.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` escaped for an attribute value in double quotes: markup characters as entities,
/// tab and line breaks as character references (so a parser does not turn them into spaces), and
/// the characters XML 1.0 forbids dropped.
pub(crate) fn escape_attr(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Appends `text` as the character content of an ODF paragraph: markup characters as entities,
/// forbidden characters dropped, and the white space ODF would collapse written as elements — a tab
/// as `<text:tab/>`, a line break (`\n`, `\r\n` or `\r`) as `<text:line-break/>`, repeated spaces
/// (and a space at the start, or after a tab or break) as `<text:s/>`.
///
/// `at_start` says whether the text begins a paragraph (or follows a tab or a break).
fn odf_text(out: &mut String, text: &str, at_start: bool) {
    let mut after_space_or_start = at_start;
    let mut pending_spaces = 0usize;
    let mut chars = text.chars().peekable();
    let flush = |out: &mut String, pending: &mut usize, at_start: bool| {
        if *pending == 0 {
            return;
        }
        let (literal, elements) = if at_start {
            (0, *pending)
        } else {
            (1, *pending - 1)
        };
        if literal == 1 {
            out.push(' ');
        }
        match elements {
            0 => {}
            1 => out.push_str("<text:s/>"),
            n => {
                let _ = write!(out, "<text:s text:c=\"{n}\"/>");
            }
        }
        *pending = 0;
    };
    while let Some(c) = chars.next() {
        if c == ' ' {
            pending_spaces += 1;
            continue;
        }
        flush(out, &mut pending_spaces, after_space_or_start);
        after_space_or_start = false;
        match c {
            '\t' => {
                out.push_str("<text:tab/>");
                after_space_or_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<text:line-break/>");
                after_space_or_start = true;
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    flush(out, &mut pending_spaces, after_space_or_start);
}

/// A paragraph `<text:p>` of style `style` holding `text`.
fn para(out: &mut String, style: &str, text: &str) {
    let _ = write!(out, "<text:p text:style-name=\"{style}\">");
    odf_text(out, text, true);
    out.push_str("</text:p>");
}

/// A heading of outline level `level`.
fn heading(out: &mut String, style: &str, level: u8, text: &str) {
    let _ = write!(
        out,
        "<text:h text:style-name=\"{style}\" text:outline-level=\"{level}\">"
    );
    odf_text(out, text, true);
    out.push_str("</text:h>");
}

/// A paragraph with a bold lead then a value ("Exposé des motifs" …); an empty value leaves
/// the lead alone.
fn labelled(out: &mut String, style: &str, label: &str, value: &str) {
    let _ = write!(
        out,
        "<text:p text:style-name=\"{style}\"><text:span text:style-name=\"Strong_20_Emphasis\">"
    );
    odf_text(out, label, true);
    out.push_str("</text:span>");
    if !value.is_empty() {
        out.push(' ');
        odf_text(out, value, false);
    }
    out.push_str("</text:p>");
}

// ---------------------------------------------------------------------------------------------
// content.xml

/// An annex table: its style name and column widths in millimetres (they add up to the 165 mm of
/// the text area).
struct TableSpec {
    name: &'static str,
    widths_mm: &'static [u32],
}

const AMENDMENTS: TableSpec = TableSpec {
    name: "Amendements",
    widths_mm: &[10, 48, 34, 35, 38],
};
const BALLOTS: TableSpec = TableSpec {
    name: "Scrutins",
    widths_mm: &[10, 43, 14, 14, 14, 22, 15, 33],
};
const CONTRIBUTORS: TableSpec = TableSpec {
    name: "Contributeurs",
    widths_mm: &[81, 42, 42],
};
const INTEGRITY: TableSpec = TableSpec {
    name: "Integrite",
    widths_mm: &[45, 120],
};
const TABLES: [&TableSpec; 4] = [&AMENDMENTS, &BALLOTS, &CONTRIBUTORS, &INTEGRITY];

/// Column letters of ODF automatic style names (`Table.A`, `Table.B`, …).
const COLUMNS: &[u8] = b"ABCDEFGHIJ";

fn column_name(index: usize) -> char {
    COLUMNS.get(index).map_or('Z', |b| char::from(*b))
}

fn automatic_styles(out: &mut String) {
    out.push_str("<office:automatic-styles>");
    out.push_str(concat!(
        // The title page has its own page style (no header); the text starts on a new page.
        r#"<style:style style:name="TitlePageStart" style:family="paragraph" style:parent-style-name="Edition" style:master-page-name="First_20_Page"/>"#,
        r#"<style:style style:name="TextStart" style:family="paragraph" style:parent-style-name="Heading_20_1" style:master-page-name="Standard"/>"#,
        r#"<style:style style:name="AnnexesHeading" style:family="paragraph" style:parent-style-name="Heading_20_1">"#,
        r#"<style:paragraph-properties fo:break-before="page"/></style:style>"#,
        r#"<style:style style:name="Cell" style:family="table-cell">"#,
        r#"<style:table-cell-properties fo:padding="0.08cm" fo:border-left="none" fo:border-right="none" "#,
        r#"fo:border-top="none" fo:border-bottom="0.5pt solid #b3b3b3"/></style:style>"#,
        r#"<style:style style:name="HeadCell" style:family="table-cell">"#,
        r#"<style:table-cell-properties fo:padding="0.08cm" fo:border-left="none" fo:border-right="none" "#,
        r#"fo:border-top="0.8pt solid #1b2a41" fo:border-bottom="0.6pt solid #1b2a41"/></style:style>"#,
        r#"<style:style style:name="PlainCell" style:family="table-cell">"#,
        r##"<style:table-cell-properties fo:padding="0.08cm" fo:border="none" fo:background-color="#f2f2f2"/></style:style>"##,
    ));
    for spec in TABLES {
        let total: u32 = spec.widths_mm.iter().sum();
        let _ = write!(
            out,
            "<style:style style:name=\"{}\" style:family=\"table\"><style:table-properties \
             style:width=\"{total}mm\" table:align=\"margins\" fo:margin-top=\"0.2cm\" \
             fo:margin-bottom=\"0.4cm\"/></style:style>",
            spec.name
        );
        for (index, width) in spec.widths_mm.iter().enumerate() {
            let _ = write!(
                out,
                "<style:style style:name=\"{}.{}\" style:family=\"table-column\">\
                 <style:table-column-properties style:column-width=\"{width}mm\"/></style:style>",
                spec.name,
                column_name(index)
            );
        }
    }
    out.push_str("</office:automatic-styles>");
}

/// What a table cell holds: paragraphs, each with an optional bold lead; it may span columns or
/// rows.
#[derive(Default)]
struct Cell {
    paragraphs: Vec<(Option<String>, String)>,
    columns: usize,
    rows: usize,
}

impl Cell {
    fn text(text: impl Into<String>) -> Self {
        Cell::default().line(text)
    }

    fn bold(text: impl Into<String>) -> Self {
        Cell::default().labelled(text, "")
    }

    fn line(mut self, text: impl Into<String>) -> Self {
        self.paragraphs.push((None, text.into()));
        self
    }

    fn labelled(mut self, label: impl Into<String>, text: impl Into<String>) -> Self {
        self.paragraphs.push((Some(label.into()), text.into()));
        self
    }

    fn spanning(mut self, columns: usize, rows: usize) -> Self {
        self.columns = columns;
        self.rows = rows;
        self
    }
}

/// A table row: its cells; `covered` cells of a span above come first.
struct Row {
    covered: usize,
    cells: Vec<Cell>,
}

impl Row {
    fn new(cells: Vec<Cell>) -> Self {
        Row { covered: 0, cells }
    }
}

fn write_cell(out: &mut String, style: &str, paragraph_style: &str, cell: &Cell) {
    let _ = write!(
        out,
        "<table:table-cell table:style-name=\"{style}\" office:value-type=\"string\""
    );
    if cell.columns > 1 {
        let _ = write!(out, " table:number-columns-spanned=\"{}\"", cell.columns);
    }
    if cell.rows > 1 {
        let _ = write!(out, " table:number-rows-spanned=\"{}\"", cell.rows);
    }
    out.push('>');
    if cell.paragraphs.is_empty() {
        let _ = write!(out, "<text:p text:style-name=\"{paragraph_style}\"/>");
    }
    for (label, text) in &cell.paragraphs {
        match label {
            Some(label) => labelled(out, paragraph_style, label, text),
            None => para(out, paragraph_style, text),
        }
    }
    out.push_str("</table:table-cell>");
    for _ in 1..cell.columns {
        out.push_str("<table:covered-table-cell/>");
    }
}

fn table(out: &mut String, spec: &TableSpec, header: &[&str], rows: Vec<Row>) {
    let _ = write!(
        out,
        "<table:table table:name=\"{0}\" table:style-name=\"{0}\">",
        spec.name
    );
    for index in 0..spec.widths_mm.len() {
        let _ = write!(
            out,
            "<table:table-column table:style-name=\"{}.{}\"/>",
            spec.name,
            column_name(index)
        );
    }
    let cell_style = if header.is_empty() {
        "PlainCell"
    } else {
        "Cell"
    };
    if !header.is_empty() {
        out.push_str("<table:table-header-rows><table:table-row>");
        for title in header {
            write_cell(out, "HeadCell", "Table_20_Heading", &Cell::text(*title));
        }
        out.push_str("</table:table-row></table:table-header-rows>");
    }
    for row in rows {
        out.push_str("<table:table-row>");
        for _ in 0..row.covered {
            out.push_str("<table:covered-table-cell/>");
        }
        for cell in &row.cells {
            write_cell(out, cell_style, "Table_20_Contents", cell);
        }
        out.push_str("</table:table-row>");
    }
    out.push_str("</table:table>");
}

/// "n° 1, n° 4" (as the PDF), or "—".
fn numbers_fr(numbers: &[u32]) -> String {
    if numbers.is_empty() {
        return "—".to_owned();
    }
    let list: Vec<String> = numbers.iter().map(|n| format!("n°\u{a0}{n}")).collect();
    list.join(", ")
}

fn names(people: &[Person]) -> String {
    people
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One numbered line: the number in its character style, a tab, the line.
fn numbered_line(out: &mut String, style: &str, number: u32, line: &str) {
    let _ = write!(
        out,
        "<text:p text:style-name=\"{style}\"><text:span text:style-name=\"Line_20_number\">{number}</text:span><text:tab/>"
    );
    odf_text(out, line, true);
    out.push_str("</text:p>");
}

fn paragraph_lines(out: &mut String, paragraph: &DocParagraph) {
    if paragraph.lines.is_empty() {
        // Not numbered (should not happen for a current paragraph): still shown, never lost.
        para(out, "Line_20_first", &paragraph.text);
        return;
    }
    for (index, (number, line)) in paragraph.numbered_lines().enumerate() {
        let style = if index == 0 { "Line_20_first" } else { "Line" };
        numbered_line(out, style, number, line);
    }
}

/// Free text (preamble, proposed texts, rationales): one paragraph per line of input.
fn free_text(out: &mut String, style: &str, text: &str) {
    for chunk in text.lines().map(str::trim).filter(|c| !c.is_empty()) {
        para(out, style, chunk);
    }
}

fn amendment_row(amendment: &DocAmendment) -> Row {
    let mut authors = Cell::text(person_line(&amendment.author));
    if !amendment.cosigners.is_empty() {
        authors = authors.line(format!("avec {}", names(&amendment.cosigners)));
    }
    let ballot = match &amendment.ballot {
        Some(ballot) => Cell::text(format!(
            "n°\u{a0}{}\u{a0}: {}",
            ballot.number,
            counts_fr(ballot.pour, ballot.contre, ballot.abstention)
        ))
        .line(ballot.rule_fr.clone()),
        None => Cell::text("sans scrutin"),
    };
    Row::new(vec![
        Cell::bold(amendment.number.to_string()),
        authors,
        Cell::text(amendment.target_fr.clone()),
        Cell::text(amendment.status_fr.clone()),
        ballot,
    ])
}

/// "Nom, mandat" (as the PDF), or "Nom".
fn person_line(person: &Person) -> String {
    if person.mandate.is_empty() {
        person.name.clone()
    } else {
        format!("{}, {}", person.name, person.mandate)
    }
}

fn amendment_text(out: &mut String, amendment: &DocAmendment) {
    out.push_str("<text:p text:style-name=\"Amendment_20_heading\"><text:span text:style-name=\"Strong_20_Emphasis\">");
    odf_text(
        out,
        &format!("Amendement n°\u{a0}{}", amendment.number),
        true,
    );
    out.push_str("</text:span>");
    odf_text(out, &format!(" · {} · ", amendment.target_fr), false);
    out.push_str("<text:span text:style-name=\"Emphasis\">");
    odf_text(out, &amendment.status_fr, false);
    out.push_str("</text:span></text:p>");
    let mut filed_by = format!("Déposé par {}", amendment.author.name);
    if !amendment.cosigners.is_empty() {
        let _ = write!(filed_by, ", cosigné par {}", names(&amendment.cosigners));
    }
    para(out, "Small", &filed_by);
    if let Some(text) = &amendment.proposed_text {
        free_text(out, "Quotation", text);
    }
    if !amendment.rationale.is_empty() {
        para(out, "Small_20_heading", "Exposé des motifs");
        free_text(out, "Rationale", &amendment.rationale);
    }
}

fn ballot_rows(ballot: &DocBallot) -> [Row; 2] {
    let mut subject = ballot.title.clone();
    if !ballot.subject_fr.is_empty() {
        let _ = write!(subject, " ({})", ballot.subject_fr);
    }
    // The explanation states the verdict, the counts, the hall votes and the rule.
    let explanation = ballot.explanation_fr.clone();
    [
        Row::new(vec![
            Cell::bold(ballot.number.to_string()).spanning(1, 2),
            Cell::text(subject),
            Cell::text(number_fr(ballot.pour)),
            Cell::text(number_fr(ballot.contre)),
            Cell::text(number_fr(ballot.abstention)),
            Cell::text(format!(
                "{} / {}",
                number_fr(ballot.present),
                number_fr(ballot.registered)
            )),
            Cell::text(number_fr(ballot.required)),
            Cell::bold(outcome_fr(&ballot.outcome)),
        ]),
        Row {
            covered: 1,
            cells: vec![Cell::text(explanation).spanning(7, 1)],
        },
    ]
}

fn count_fr(n: usize) -> String {
    number_fr(u32::try_from(n).unwrap_or(u32::MAX))
}

fn title_page(out: &mut String, doc: &MotionDocument) {
    para(out, "TitlePageStart", &doc.edition.title.to_uppercase());
    let place_and_dates: Vec<&str> = [&doc.edition.place, &doc.edition.dates_fr]
        .into_iter()
        .map(String::as_str)
        .filter(|part| !part.is_empty())
        .collect();
    para(out, "Edition_20_place", &place_and_dates.join(", "));
    para(out, "Motion_20_label", "MOTION");
    para(out, "Title", &doc.title);
    para(out, "Status", doc.status.label_fr());
    if !doc.status.is_final() {
        para(
            out,
            "Warning",
            "Version de travail\u{a0}: ce document n’est pas le texte adopté.",
        );
    }
    let paragraphs: Vec<&DocParagraph> = doc.sections.iter().flat_map(|s| &s.paragraphs).collect();
    let lines: usize = paragraphs.iter().map(|p| p.lines.len()).sum();
    para(
        out,
        "Title_20_page_20_facts",
        &format!(
            "Texte numéroté de {} lignes en {} paragraphes · {} amendements · {} scrutins",
            count_fr(lines),
            count_fr(paragraphs.len()),
            count_fr(doc.amendments.len()),
            count_fr(doc.ballots.len())
        ),
    );
    out.push_str("<text:p text:style-name=\"Title_20_page_20_facts\">");
    odf_text(out, "Empreinte SHA-256 du texte\u{a0}: ", true);
    out.push_str("<text:span text:style-name=\"Hash\">");
    odf_text(out, &doc.integrity.text_sha256, false);
    out.push_str("</text:span></text:p>");
    para(
        out,
        "Title_20_page_20_facts",
        &format!(
            "Journal arrêté à l’événement n°\u{a0}{}",
            seq_fr(doc.integrity.seq)
        ),
    );
}

/// A log position with French digit groups.
fn seq_fr(seq: u64) -> String {
    u32::try_from(seq).map_or_else(|_| seq.to_string(), number_fr)
}

fn none_sentence(out: &mut String, text: &str) {
    para(out, "None_20_sentence", text);
}

fn annexes(out: &mut String, doc: &MotionDocument) {
    heading(out, "AnnexesHeading", 1, "Annexes");

    heading(out, "Heading_20_2", 2, "Annexe 1 · Tableau des amendements");
    if doc.amendments.is_empty() {
        none_sentence(out, "Aucun amendement n’a été déposé.");
    } else {
        table(
            out,
            &AMENDMENTS,
            &crate::AMENDMENT_COLUMNS,
            doc.amendments.iter().map(amendment_row).collect(),
        );
    }

    heading(out, "Heading_20_2", 2, "Annexe 2 · Texte des amendements");
    if doc.amendments.is_empty() {
        none_sentence(out, "Aucun amendement n’a été déposé.");
    }
    for amendment in &doc.amendments {
        amendment_text(out, amendment);
    }

    heading(out, "Heading_20_2", 2, "Annexe 3 · Scrutins");
    if doc.ballots.is_empty() {
        none_sentence(out, "Aucun scrutin n’a été clos.");
    } else {
        table(
            out,
            &BALLOTS,
            &crate::BALLOT_COLUMNS,
            doc.ballots.iter().flat_map(ballot_rows).collect(),
        );
    }

    heading(out, "Heading_20_2", 2, "Annexe 4 · Paragraphes supprimés");
    if doc.removed_paragraphs.is_empty() {
        none_sentence(out, "Aucun paragraphe du projet n’a été supprimé.");
    }
    for removed in &doc.removed_paragraphs {
        para(
            out,
            "Small_20_heading",
            &format!("{} · {}", removed.section, removed.why_fr),
        );
        free_text(out, "Quotation", &removed.text);
    }

    heading(
        out,
        "Heading_20_2",
        2,
        "Annexe 5 · Auteurs et cosignataires des amendements",
    );
    if doc.contributors.is_empty() {
        none_sentence(out, "Aucun amendement n’a été déposé.");
    } else {
        table(
            out,
            &CONTRIBUTORS,
            &[
                "Nom et mandat",
                "Amendements déposés",
                "Amendements cosignés",
            ],
            doc.contributors
                .iter()
                .map(|c| {
                    let mut person = Cell::bold(c.person.name.clone());
                    if !c.person.mandate.is_empty() {
                        person = person.line(c.person.mandate.clone());
                    }
                    Row::new(vec![
                        person,
                        Cell::text(numbers_fr(&c.filed)),
                        Cell::text(numbers_fr(&c.cosigned)),
                    ])
                })
                .collect(),
        );
    }

    heading(out, "Heading_20_2", 2, "Annexe 6 · Intégrité du texte");
    let rows = vec![
        Row::new(vec![
            Cell::text("Empreinte SHA-256 du texte"),
            Cell::text(doc.integrity.text_sha256.clone()),
        ]),
        Row::new(vec![
            Cell::text("Tête du journal"),
            Cell::text(doc.integrity.log_head_hash.clone()),
        ]),
        Row::new(vec![
            Cell::text("Événement du journal"),
            Cell::text(format!("n°\u{a0}{}", seq_fr(doc.integrity.seq))),
        ]),
        Row::new(vec![
            Cell::text("Motion"),
            Cell::text(format!(
                "n°\u{a0}{} · largeur de ligne\u{a0}: {} caractères · format {}",
                doc.motion_id, doc.line_width, doc.format
            )),
        ]),
    ];
    table(out, &INTEGRITY, &[], rows);
    para(
        out,
        "Text_20_body",
        "L’empreinte du texte est le condensat SHA-256, écrit en hexadécimal, de la forme \
         canonique JSON (clés triées, chaînes en Unicode NFC, sans espace superflu) de l’objet \
         {\"title\", \"preamble\", \"sections\"}, où chaque section donne son titre et ses \
         paragraphes courants (id, text) dans l’ordre de lecture, avec les textes tels \
         qu’enregistrés dans le journal.",
    );
    para(
        out,
        "Text_20_body",
        &format!(
            "La tête du journal est l’empreinte de l’événement n°\u{a0}{} du journal de la \
             motion\u{202f}; chaque événement y est chaîné au précédent par son empreinte. Rejouer \
             le journal jusqu’à cet événement redonne exactement ce texte, donc la même \
             empreinte\u{a0}: toute modification d’un événement ou du texte se voit.",
            seq_fr(doc.integrity.seq)
        ),
    );
}

fn content_xml(doc: &MotionDocument) -> String {
    let text_bytes: usize = doc
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(|p| p.lines.iter().map(String::len).sum::<usize>() + 130 * p.lines.len())
        .sum();
    let mut out = String::with_capacity(text_bytes + 2500 * doc.amendments.len() + 16_384);
    out.push_str(XML_DECL);
    let _ = write!(out, "<office:document-content {NS}>");
    automatic_styles(&mut out);
    out.push_str("<office:body><office:text>");
    title_page(&mut out, doc);
    heading(&mut out, "TextStart", 1, &doc.title);
    free_text(&mut out, "Preamble", &doc.preamble);
    for section in &doc.sections {
        if !section.title.is_empty() {
            heading(&mut out, "Heading_20_2", 2, &section.title);
        }
        for paragraph in &section.paragraphs {
            paragraph_lines(&mut out, paragraph);
        }
    }
    para(&mut out, "End_20_of_20_text", "* * *");
    annexes(&mut out, doc);
    out.push_str("</office:text></office:body></office:document-content>");
    out
}

// ---------------------------------------------------------------------------------------------
// styles.xml, meta.xml, manifest.xml

/// Paragraph style `name` (display name `display`), child of `parent`, with the given paragraph and
/// text properties (attribute lists, may be empty).
macro_rules! paragraph_style {
    ($name:literal, $display:literal, $parent:literal, $para:literal, $text:literal) => {
        concat!(
            r#"<style:style style:name=""#,
            $name,
            r#"" style:display-name=""#,
            $display,
            r#"" style:family="paragraph" style:parent-style-name=""#,
            $parent,
            r#"" style:class="text">"#,
            r#"<style:paragraph-properties "#,
            $para,
            r#"/><style:text-properties "#,
            $text,
            r#"/>"#,
            "</style:style>"
        )
    };
}

const STYLES: &str = concat!(
    "<office:font-face-decls>",
    r#"<style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman" style:font-pitch="variable"/>"#,
    r#"<style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss" style:font-pitch="variable"/>"#,
    r#"<style:font-face style:name="Liberation Mono" svg:font-family="'Liberation Mono'" style:font-family-generic="modern" style:font-pitch="fixed"/>"#,
    "</office:font-face-decls>",
    "<office:styles>",
    r#"<style:default-style style:family="paragraph">"#,
    r#"<style:paragraph-properties style:writing-mode="lr-tb" fo:hyphenation-ladder-count="no-limit" text:number-lines="false"/>"#,
    r#"<style:text-properties style:font-name="Liberation Serif" fo:font-size="10.5pt" fo:language="fr" fo:country="FR" "#,
    r##"style:font-size-asian="10.5pt" style:font-size-complex="10.5pt" fo:hyphenate="false" fo:color="#000000"/>"##,
    "</style:default-style>",
    r#"<style:style style:name="Standard" style:family="paragraph" style:class="text"/>"#,
    paragraph_style!(
        "Text_20_body",
        "Text body",
        "Standard",
        r#"fo:margin-top="0cm" fo:margin-bottom="0.2cm" fo:line-height="115%" fo:text-align="justify""#,
        r#"fo:hyphenate="true""#
    ),
    paragraph_style!(
        "Preamble",
        "Préambule",
        "Text_20_body",
        r#"fo:margin-bottom="0.3cm""#,
        r#"fo:font-style="italic""#
    ),
    paragraph_style!(
        "Heading",
        "Heading",
        "Standard",
        r#"fo:margin-top="0.5cm" fo:margin-bottom="0.3cm" fo:keep-with-next="always""#,
        r##"style:font-name="Liberation Sans" fo:font-weight="bold" fo:color="#1b2a41""##
    ),
    r#"<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text">"#,
    r#"<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.5cm" fo:padding-bottom="0.1cm" fo:border-bottom="0.6pt solid #1b2a41"/><style:text-properties fo:font-size="15pt"/></style:style>"#,
    r#"<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">"#,
    r#"<style:paragraph-properties fo:margin-top="0.55cm"/><style:text-properties fo:font-size="12pt"/></style:style>"#,
    paragraph_style!(
        "Edition",
        "Édition",
        "Standard",
        r#"fo:text-align="center" fo:margin-top="1.2cm" fo:margin-bottom="0.2cm""#,
        r##"fo:font-size="11pt" fo:letter-spacing="0.66pt" fo:color="#1b2a41""##
    ),
    paragraph_style!(
        "Edition_20_place",
        "Lieu et dates",
        "Standard",
        r#"fo:text-align="center" fo:margin-bottom="5cm""#,
        r##"fo:color="#616161""##
    ),
    paragraph_style!(
        "Motion_20_label",
        "Mention « motion »",
        "Standard",
        r#"fo:text-align="center" fo:margin-bottom="0.5cm""#,
        r##"fo:font-size="11pt" fo:letter-spacing="2.2pt" fo:color="#616161""##
    ),
    paragraph_style!(
        "Title",
        "Title",
        "Standard",
        r#"fo:text-align="center" fo:margin-left="1cm" fo:margin-right="1cm" fo:margin-bottom="0.9cm""#,
        r##"style:font-name="Liberation Sans" fo:font-size="22pt" fo:font-weight="bold" fo:color="#1b2a41""##
    ),
    paragraph_style!(
        "Status",
        "Statut",
        "Standard",
        r#"fo:text-align="center" fo:margin-bottom="0.4cm""#,
        r#"fo:font-size="12pt" fo:font-style="italic""#
    ),
    paragraph_style!(
        "Warning",
        "Avertissement",
        "Status",
        r#"fo:margin-bottom="0.4cm""#,
        r##"fo:font-style="normal" fo:font-weight="bold" fo:color="#a00000""##
    ),
    paragraph_style!(
        "Title_20_page_20_facts",
        "Faits de la page de titre",
        "Standard",
        r#"fo:text-align="center" fo:margin-top="0.15cm""#,
        r##"fo:font-size="8.5pt" fo:color="#616161""##
    ),
    r#"<style:style style:name="Line" style:display-name="Ligne numérotée" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Line" style:class="text">"#,
    r#"<style:paragraph-properties fo:margin-left="1.2cm" fo:margin-right="0cm" fo:text-indent="-1.2cm" fo:margin-top="0cm" fo:margin-bottom="0cm" "#,
    r#"fo:line-height="125%" fo:text-align="start" style:auto-text-indent="false" text:number-lines="false" fo:orphans="0" fo:widows="0">"#,
    r#"<style:tab-stops><style:tab-stop style:position="0cm"/></style:tab-stops></style:paragraph-properties>"#,
    r#"<style:text-properties fo:hyphenate="false"/></style:style>"#,
    r#"<style:style style:name="Line_20_first" style:display-name="Première ligne d’un paragraphe" style:family="paragraph" style:parent-style-name="Line" style:next-style-name="Line" style:class="text">"#,
    r#"<style:paragraph-properties fo:margin-top="0.22cm"/></style:style>"#,
    paragraph_style!(
        "End_20_of_20_text",
        "Fin du texte",
        "Standard",
        r#"fo:text-align="center" fo:margin-top="0.6cm""#,
        r##"fo:color="#616161""##
    ),
    paragraph_style!(
        "None_20_sentence",
        "Rien à signaler",
        "Standard",
        r#"fo:margin-bottom="0.2cm""#,
        r##"fo:font-style="italic" fo:color="#616161""##
    ),
    paragraph_style!(
        "Amendment_20_heading",
        "Titre d’amendement",
        "Standard",
        r#"fo:margin-top="0.4cm" fo:keep-with-next="always""#,
        ""
    ),
    paragraph_style!(
        "Small",
        "Petit",
        "Standard",
        r#"fo:margin-bottom="0.15cm" fo:keep-with-next="always""#,
        r##"fo:font-size="8.5pt" fo:color="#616161""##
    ),
    paragraph_style!(
        "Small_20_heading",
        "Petit titre",
        "Small",
        r#"fo:margin-top="0.25cm""#,
        r#"fo:font-weight="bold""#
    ),
    paragraph_style!(
        "Quotation",
        "Texte cité",
        "Standard",
        r#"fo:margin-left="0.5cm" fo:padding-left="0.2cm" fo:border-left="0.8pt solid #b3b3b3" fo:margin-bottom="0.1cm" fo:text-align="justify""#,
        r#"fo:hyphenate="true""#
    ),
    paragraph_style!(
        "Rationale",
        "Exposé des motifs",
        "Standard",
        r#"fo:margin-bottom="0.1cm" fo:text-align="justify""#,
        r#"fo:font-size="9.5pt" fo:hyphenate="true""#
    ),
    paragraph_style!(
        "Table_20_Contents",
        "Table Contents",
        "Standard",
        r#"fo:margin-bottom="0.08cm""#,
        r#"fo:font-size="8.5pt" fo:hyphenate="true""#
    ),
    paragraph_style!(
        "Table_20_Heading",
        "Table Heading",
        "Table_20_Contents",
        "",
        r##"fo:font-weight="bold" fo:color="#1b2a41""##
    ),
    r#"<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">"#,
    r#"<style:paragraph-properties fo:padding-bottom="0.08cm" fo:border-bottom="0.4pt solid #b3b3b3"><style:tab-stops><style:tab-stop style:position="16.5cm" style:type="right"/></style:tab-stops></style:paragraph-properties>"#,
    r##"<style:text-properties fo:font-size="8.5pt" fo:color="#616161" fo:font-variant="small-caps"/></style:style>"##,
    paragraph_style!(
        "Footer",
        "Footer",
        "Standard",
        r#"fo:text-align="center""#,
        r##"fo:font-size="8.5pt" fo:color="#616161""##
    ),
    r#"<style:style style:name="Line_20_number" style:display-name="Numéro de ligne" style:family="text">"#,
    r##"<style:text-properties style:font-name="Liberation Sans" fo:font-size="7.5pt" fo:color="#616161"/></style:style>"##,
    r#"<style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text">"#,
    r#"<style:text-properties fo:font-weight="bold"/></style:style>"#,
    r#"<style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>"#,
    r#"<style:style style:name="Hash" style:display-name="Empreinte" style:family="text">"#,
    r#"<style:text-properties style:font-name="Liberation Mono" fo:font-size="86%"/></style:style>"#,
    r#"<text:linenumbering-configuration text:number-lines="false" text:increment="5" style:num-format="1" text:number-position="left" text:offset="0.5cm"/>"#,
    "</office:styles>",
    "<office:automatic-styles>",
    r#"<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" "#,
    r#"style:num-format="1" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/>"#,
    r#"<style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>"#,
    r#"<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout>"#,
    "</office:automatic-styles>",
);

fn styles_xml(doc: &MotionDocument) -> String {
    let mut footer = String::with_capacity(400);
    footer.push_str(
        "<style:footer><text:p text:style-name=\"Footer\">Page <text:page-number \
         text:select-page=\"current\">1</text:page-number> sur <text:page-count>1</text:page-count> · \
         empreinte <text:span text:style-name=\"Hash\">",
    );
    odf_text(&mut footer, doc.integrity.short_text_hash(), false);
    footer.push_str("</text:span></text:p></style:footer>");

    let mut out = String::with_capacity(STYLES.len() + 2000);
    out.push_str(XML_DECL);
    let _ = write!(out, "<office:document-styles {NS}>");
    out.push_str(STYLES);
    out.push_str("<office:master-styles>");
    let _ = write!(
        out,
        "<style:master-page style:name=\"First_20_Page\" style:display-name=\"First Page\" \
         style:page-layout-name=\"A4\" style:next-style-name=\"Standard\">{footer}</style:master-page>"
    );
    out.push_str(
        "<style:master-page style:name=\"Standard\" style:page-layout-name=\"A4\"><style:header>\
         <text:p text:style-name=\"Header\">",
    );
    odf_text(&mut out, &doc.title, true);
    out.push_str("<text:tab/>");
    let state = if doc.status.is_final() {
        "Texte adopté"
    } else {
        "Version de travail"
    };
    odf_text(&mut out, state, true);
    let _ = write!(
        out,
        "</text:p></style:header>{footer}</style:master-page></office:master-styles></office:document-styles>"
    );
    out
}

fn meta_xml(doc: &MotionDocument) -> String {
    let mut out = String::with_capacity(1500);
    out.push_str(XML_DECL);
    let _ = write!(out, "<office:document-meta {NS}><office:meta>");
    out.push_str("<meta:generator>Hémicycle</meta:generator><dc:title>");
    escape_attr(&mut out, &doc.title);
    out.push_str("</dc:title><dc:subject>");
    escape_attr(&mut out, &doc.edition.title);
    out.push_str("</dc:subject><dc:description>");
    escape_attr(&mut out, doc.status.label_fr());
    out.push_str("</dc:description><dc:language>fr-FR</dc:language>");
    let properties: [(&str, &str, String); 4] = [
        ("motion_id", "float", doc.motion_id.to_string()),
        ("seq", "float", doc.integrity.seq.to_string()),
        ("text_sha256", "string", doc.integrity.text_sha256.clone()),
        (
            "log_head_hash",
            "string",
            doc.integrity.log_head_hash.clone(),
        ),
    ];
    for (name, kind, value) in properties {
        let _ = write!(
            out,
            "<meta:user-defined meta:name=\"{name}\" meta:value-type=\"{kind}\">"
        );
        escape_attr(&mut out, &value);
        out.push_str("</meta:user-defined>");
    }
    out.push_str("</office:meta></office:document-meta>");
    out
}

fn manifest_xml() -> String {
    let mut out = String::from(XML_DECL);
    out.push_str(concat!(
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">"#,
        r#"<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>"#,
        r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
        r#"<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>"#,
        r#"<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>"#,
        "</manifest:manifest>",
    ));
    out
}

#[cfg(test)]
mod tests;
