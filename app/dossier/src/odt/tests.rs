use std::io::{Cursor, Read};
use std::process::Command;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use zip::{CompressionMethod, ZipArchive};

use super::*;
use crate::sample;

fn entry(odt: &[u8], name: &str) -> String {
    let mut archive = ZipArchive::new(Cursor::new(odt)).expect("an ODT is a ZIP");
    let mut file = archive.by_name(name).expect("the part exists");
    let mut text = String::new();
    file.read_to_string(&mut text).expect("the part is UTF-8");
    text
}

const PARTS: [&str; 4] = [
    "META-INF/manifest.xml",
    "content.xml",
    "styles.xml",
    "meta.xml",
];

/// Parses `xml` fully: well-formed (matching tags, no duplicate attribute, valid references) and
/// every element and attribute prefix declared. Panics with the position otherwise.
fn assert_well_formed(name: &str, xml: &str) {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{name}: declaration"
    );
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        let position = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .unwrap_or_else(|e| panic!("{name}: not well-formed at byte {position}: {e}"));
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                assert!(
                    !matches!(ns, ResolveResult::Unknown(_)),
                    "{name}: undeclared prefix on <{}> at byte {position}",
                    String::from_utf8_lossy(e.name().as_ref())
                );
                for attribute in e.attributes() {
                    let attribute = attribute
                        .unwrap_or_else(|err| panic!("{name}: bad attribute at {position}: {err}"));
                    let key = attribute.key;
                    if key.as_ref().starts_with(b"xmlns") {
                        continue;
                    }
                    let (ns, _) = reader.resolve_attribute(key);
                    assert!(
                        !matches!(ns, ResolveResult::Unknown(_)),
                        "{name}: undeclared prefix on attribute {} at byte {position}",
                        String::from_utf8_lossy(key.as_ref())
                    );
                    attribute
                        .unescape_value()
                        .unwrap_or_else(|err| panic!("{name}: bad attribute value: {err}"));
                }
                if depth == 0 {
                    roots += 1;
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth -= 1,
            Event::Text(ref t) => {
                t.unescape()
                    .unwrap_or_else(|err| panic!("{name}: bad text at {position}: {err}"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{name}: unclosed elements");
    assert_eq!(roots, 1, "{name}: one root element");
    let forbidden = xml
        .chars()
        .find(|c| !super::is_xml_char(*c))
        .map(|c| format!("{:#x}", u32::from(c)));
    assert_eq!(forbidden, None, "{name}: a character XML 1.0 forbids");
}

/// The paragraphs of `content.xml` (style name, text as a reader sees it: `<text:tab/>` as `\t`,
/// `<text:s/>` as spaces, `<text:line-break/>` as `\n`), in order, headings included.
fn paragraphs(content: &str) -> Vec<(String, String)> {
    let mut reader = NsReader::from_str(content);
    let mut out: Vec<(String, String)> = Vec::new();
    let mut inside = 0usize;
    loop {
        match reader.read_event().expect("content.xml parses") {
            Event::Start(e) if matches!(e.name().as_ref(), b"text:p" | b"text:h") => {
                let style = e
                    .try_get_attribute("text:style-name")
                    .ok()
                    .flatten()
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                    .unwrap_or_default();
                out.push((style, String::new()));
                inside += 1;
            }
            Event::End(e) if matches!(e.name().as_ref(), b"text:p" | b"text:h") => inside -= 1,
            Event::Empty(e) if inside > 0 => {
                let text = &mut out.last_mut().expect("inside a paragraph").1;
                match e.name().as_ref() {
                    b"text:tab" => text.push('\t'),
                    b"text:line-break" => text.push('\n'),
                    b"text:s" => {
                        let count = e.try_get_attribute("text:c").ok().flatten().map_or(1, |a| {
                            String::from_utf8_lossy(&a.value).parse().expect("a count")
                        });
                        text.push_str(&" ".repeat(count));
                    }
                    _ => {}
                }
            }
            Event::Text(t) if inside > 0 => {
                let text = &mut out.last_mut().expect("inside a paragraph").1;
                text.push_str(&t.unescape().expect("text unescapes"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The numbered lines of `content.xml`, as "number<TAB>line".
fn numbered_lines(content: &str) -> Vec<String> {
    paragraphs(content)
        .into_iter()
        .filter(|(style, _)| style == "Line" || style == "Line_20_first")
        .map(|(_, text)| text)
        .collect()
}

fn expected_lines(doc: &MotionDocument) -> Vec<String> {
    doc.sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| p.numbered_lines().map(|(n, line)| format!("{n}\t{line}")))
        .collect()
}

#[test]
fn mimetype_is_the_first_entry_stored_uncompressed_with_the_odf_media_type() {
    let odt = render_odt(&sample::motion(30, 20)).expect("renders");
    // The raw bytes, as ODF requires them: a local header at 0, named "mimetype", method 0, no
    // extra field, the media type right after.
    assert_eq!(&odt[..4], b"PK\x03\x04");
    assert_eq!(u16::from_le_bytes([odt[8], odt[9]]), 0, "stored");
    assert_eq!(u16::from_le_bytes([odt[26], odt[27]]), 8, "name length");
    assert_eq!(u16::from_le_bytes([odt[28], odt[29]]), 0, "no extra field");
    assert_eq!(&odt[30..38], b"mimetype");
    assert_eq!(&odt[38..38 + MIMETYPE.len()], MIMETYPE.as_bytes());
    assert_eq!(MIMETYPE, "application/vnd.oasis.opendocument.text");

    let mut archive = ZipArchive::new(Cursor::new(&odt)).expect("a ZIP");
    let first = archive.by_index(0).expect("an entry");
    assert_eq!(first.name().expect("a name"), "mimetype");
    assert_eq!(first.compression(), CompressionMethod::Stored);
    drop(first);
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("name").into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "mimetype",
            "META-INF/manifest.xml",
            "content.xml",
            "styles.xml",
            "meta.xml"
        ]
    );
}

#[test]
fn every_part_is_well_formed_xml_with_declared_namespaces() {
    let odt = render_odt(&sample::motion(30, 20)).expect("renders");
    for name in PARTS {
        assert_well_formed(name, &entry(&odt, name));
    }
}

#[test]
fn every_line_is_one_paragraph_with_its_number_in_order() {
    let doc = sample::motion(30, 20);
    let content = entry(&render_odt(&doc).expect("renders"), "content.xml");
    let expected = expected_lines(&doc);
    assert!(expected.len() > 100, "the sample has many lines");
    assert_eq!(numbered_lines(&content), expected);
}

#[test]
fn headings_title_page_and_annexes_hold_the_document() {
    let doc = sample::motion(30, 20);
    let content = entry(&render_odt(&doc).expect("renders"), "content.xml");
    let all: Vec<String> = paragraphs(&content).into_iter().map(|(_, t)| t).collect();
    let has = |needle: &str| all.iter().any(|t| t.contains(needle));
    assert!(has(&doc.title));
    assert!(has(&doc.edition.title.to_uppercase()));
    assert!(has(doc.status.label_fr()));
    assert!(has(&doc.preamble));
    for section in &doc.sections {
        assert!(has(&section.title), "section {}", section.title);
    }
    for amendment in &doc.amendments {
        assert!(has(&amendment.rationale), "amendment {}", amendment.number);
        assert!(has(&amendment.status_fr));
    }
    for ballot in &doc.ballots {
        assert!(has(&ballot.explanation_fr), "ballot {}", ballot.number);
    }
    for removed in &doc.removed_paragraphs {
        assert!(has(&removed.text));
        assert!(has(&removed.why_fr));
    }
    for contributor in &doc.contributors {
        assert!(has(&contributor.person.mandate));
    }
    assert!(has(&doc.integrity.text_sha256));
    assert!(has(&doc.integrity.log_head_hash));
    for annex in [
        "Annexe 1 · ",
        "Annexe 3 · Scrutins",
        "Annexe 6 · Intégrité du texte",
    ] {
        assert!(has(annex), "{annex}");
    }
}

#[test]
fn styles_set_french_a4_a_page_footer_and_no_automatic_line_numbering() {
    let doc = sample::motion(30, 20);
    let odt = render_odt(&doc).expect("renders");
    let styles = entry(&odt, "styles.xml");
    let content = entry(&odt, "content.xml");
    assert!(styles.contains(r#"fo:language="fr" fo:country="FR""#));
    assert!(styles.contains(r#"fo:page-width="21cm" fo:page-height="29.7cm""#));
    assert!(styles.contains(r#"<text:page-number text:select-page="current">"#));
    assert!(styles.contains("<style:footer>"));
    assert!(styles.contains(doc.integrity.short_text_hash()));
    assert!(styles.contains(r#"<text:linenumbering-configuration text:number-lines="false""#));
    assert!(!styles.contains(r#"text:number-lines="true""#));
    // ODF lengths have no `em` unit (LibreOffice would drop such a property).
    for part in [&styles, &content] {
        let em = part
            .match_indices("em\"")
            .filter(|(i, _)| part[..*i].ends_with(|c: char| c.is_ascii_digit()))
            .count();
        assert_eq!(em, 0, "a length in em");
    }
    assert!(!content.contains("text:number-lines=\"true\""));
    assert!(!content.contains("<text:line-number"));
    let meta = entry(&odt, "meta.xml");
    assert!(meta.contains("<dc:language>fr-FR</dc:language>"));
    assert!(meta.contains(&doc.integrity.text_sha256));
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let doc = sample::motion(30, 20);
    assert_eq!(
        render_odt(&doc).expect("renders"),
        render_odt(&doc).expect("renders")
    );
}

/// User text full of markup of every kind, and characters XML cannot hold.
fn hostile(mut doc: MotionDocument) -> (MotionDocument, String) {
    let nasty = "<script>alert(\"x\")</script> & &amp; ]]> #set page(width: 1cm) $x^2$ *gras* _it_ \
                 [lien](https://exemple.fr) `code` | \\ \u{1}\u{7}\u{1b}\u{b}\u{c}\u{fffe}fin";
    let clean: String = nasty.chars().filter(|c| super::is_xml_char(*c)).collect();
    doc.title = format!("Titre {nasty}");
    doc.preamble = format!("Ligne un\nLigne  deux avec   espaces\tet tab {nasty}");
    doc.sections[0].title = nasty.to_owned();
    doc.sections[0].paragraphs[0].lines[0] = nasty.to_owned();
    doc.sections[0].paragraphs[0].lines[1] = "  deux espaces devant,\tune tab,   trois".to_owned();
    doc.amendments[0].rationale = nasty.to_owned();
    doc.amendments[0].author.name = nasty.to_owned();
    doc.contributors[0].person.mandate = nasty.to_owned();
    doc.edition.title = nasty.to_owned();
    (doc, clean)
}

#[test]
fn user_text_is_escaped_kept_literally_and_the_xml_still_parses() {
    let (doc, clean) = hostile(sample::motion(30, 20));
    let odt = render_odt(&doc).expect("renders");
    for name in PARTS {
        assert_well_formed(name, &entry(&odt, name));
    }
    let content = entry(&odt, "content.xml");
    assert!(!content.contains("<script>"));
    assert!(content.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &amp;amp; ]]&gt;"));

    let lines = numbered_lines(&content);
    let first = doc.sections[0].paragraphs[0].first_line;
    assert_eq!(lines[0], format!("{first}\t{clean}"));
    assert_eq!(
        lines[1],
        format!("{}\t  deux espaces devant,\tune tab,   trois", first + 1)
    );
    let all: Vec<String> = paragraphs(&content).into_iter().map(|(_, t)| t).collect();
    let count = |needle: &str| all.iter().filter(|t| t.contains(needle)).count();
    assert!(
        count(&clean) >= 5,
        "title, section, rationale, author, mandate"
    );
    assert!(
        all.iter().any(|t| t == "Ligne un"),
        "one paragraph per preamble line"
    );
    assert!(
        all.iter()
            .any(|t| *t == format!("Ligne  deux avec   espaces\tet tab {clean}"))
    );
    // The title reaches the header and the metadata as text too.
    let styles = entry(&odt, "styles.xml");
    assert!(styles.contains("Titre &lt;script&gt;"));
    let meta = entry(&odt, "meta.xml");
    assert!(meta.contains("<dc:title>Titre &lt;script&gt;alert(&quot;x&quot;)"));
}

#[test]
fn the_escapers_drop_what_xml_forbids_and_keep_white_space() {
    let mut attr = String::new();
    escape_attr(
        &mut attr,
        "a\"b'c<d>&e\tf\ng\rh\u{0}\u{1f}\u{fffe}\u{ffff}\u{10000}",
    );
    assert_eq!(
        attr,
        "a&quot;b&apos;c&lt;d&gt;&amp;e&#9;f&#10;g&#13;h\u{10000}"
    );

    let mut text = String::new();
    odf_text(&mut text, " a  b\tc\r\nd\re\n  f \u{2}", true);
    assert_eq!(
        text,
        "<text:s/>a <text:s/>b<text:tab/>c<text:line-break/>d<text:line-break/>e\
         <text:line-break/><text:s text:c=\"2\"/>f "
    );
}

/// Renders through LibreOffice when it is installed, and reads the PDF back: each line keeps its
/// number and its words, on one line.
#[test]
fn libreoffice_keeps_every_numbered_line_when_it_is_installed() {
    let available = |program: &str, version_flag: &str| {
        Command::new(program)
            .arg(version_flag)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !available("soffice", "--version") || !available("pdftotext", "-v") {
        println!("note: soffice or pdftotext not on PATH; LibreOffice conversion not checked");
        return;
    }
    let doc = sample::motion(30, 20);
    let dir = std::env::temp_dir().join(format!("dossier-odt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let odt_path = dir.join("motion.odt");
    std::fs::write(&odt_path, render_odt(&doc).expect("renders")).expect("writes");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&odt_path)
        .status()
        .expect("soffice runs");
    assert!(status.success(), "soffice converts");
    let output = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(dir.join("motion.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let normalize = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let printed: Vec<String> = text.lines().map(normalize).collect();
    for line in expected_lines(&doc) {
        let wanted = normalize(&line.replace('\t', " "));
        assert!(
            printed.iter().any(|p| p == &wanted),
            "LibreOffice printed {wanted:?} on one line"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
