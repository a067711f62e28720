use super::*;
use crate::sample;

/// Removes CommonMark backslash escapes (a backslash before ASCII punctuation), as a renderer does.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The numbered lines of the Markdown: (number, text as rendered), in order.
fn numbered_lines(markdown: &str) -> Vec<(u32, String)> {
    markdown
        .lines()
        .filter_map(|line| {
            let (number, rest) = line.split_once(" | ")?;
            let number: u32 = number.trim_end().parse().ok()?;
            // An odd number of final backslashes: the last one is the hard line break.
            let trailing = rest.chars().rev().take_while(|c| *c == '\\').count();
            let text = if trailing % 2 == 1 {
                &rest[..rest.len() - 1]
            } else {
                rest
            };
            Some((number, unescape(text)))
        })
        .collect()
}

fn expected_lines(doc: &MotionDocument) -> Vec<(u32, String)> {
    doc.sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| p.numbered_lines().map(|(n, line)| (n, line.to_owned())))
        .collect()
}

#[test]
fn every_line_keeps_its_number_and_a_hard_break_except_the_last_of_a_paragraph() {
    let doc = sample::motion(30, 20);
    let markdown = render_markdown(&doc);
    assert_eq!(numbered_lines(&markdown), expected_lines(&doc));
    // The bars align: numbers are padded to the widest.
    let width = expected_lines(&doc)
        .last()
        .map(|(n, _)| n.to_string().len())
        .unwrap_or(0);
    for line in markdown
        .lines()
        .filter(|l| l.contains(" | ") && l.starts_with(char::is_numeric))
    {
        assert_eq!(line.find(" | "), Some(width), "{line}");
    }
    let paragraph = &doc.sections[0].paragraphs[0];
    let rendered: Vec<&str> = markdown
        .lines()
        .skip_while(|l| !l.starts_with(&format!("{:<width$} | ", paragraph.first_line)))
        .take(paragraph.lines.len() + 1)
        .collect();
    let (last, others) = rendered[..paragraph.lines.len()]
        .split_last()
        .expect("lines");
    assert!(
        others.iter().all(|l| l.ends_with('\\')),
        "hard breaks keep our lines"
    );
    assert!(!last.ends_with('\\'));
    assert_eq!(
        rendered[paragraph.lines.len()],
        "",
        "a blank line ends the paragraph"
    );
}

#[test]
fn title_status_sections_annexes_and_integrity_are_there() {
    let doc = sample::motion(30, 20);
    let markdown = render_markdown(&doc);
    let rendered = unescape(&markdown);
    assert!(markdown.starts_with(&format!("# {}\n", doc.title)));
    assert!(rendered.contains(&doc.edition.title));
    assert!(rendered.contains(doc.status.label_fr()));
    assert!(rendered.contains(&doc.preamble));
    for section in &doc.sections {
        assert!(markdown.contains(&format!("\n## {}\n", section.title)));
    }
    for heading in [
        "## Annexes",
        "### Annexe 1 · Tableau des amendements",
        "### Annexe 2 · Texte des amendements",
        "### Annexe 3 · Scrutins",
        "### Annexe 4 · Paragraphes supprimés",
        "### Annexe 5 · Auteurs et cosignataires des amendements",
        "### Annexe 6 · Intégrité du texte",
    ] {
        assert!(markdown.contains(&format!("\n{heading}\n")), "{heading}");
    }
    for amendment in &doc.amendments {
        assert!(rendered.contains(&amendment.rationale));
        assert!(rendered.contains(amendment.proposed_text.as_deref().unwrap_or_default()));
    }
    for ballot in &doc.ballots {
        assert!(rendered.contains(&ballot.explanation_fr));
    }
    assert!(rendered.contains(&doc.removed_paragraphs[0].text));
    assert!(markdown.contains(&format!("`{}`", doc.integrity.text_sha256)));
    assert!(markdown.contains(&format!("`{}`", doc.integrity.log_head_hash)));
}

/// The table rows of the section titled `heading`: cells split on unescaped bars.
fn table_rows(markdown: &str, heading: &str) -> Vec<Vec<String>> {
    markdown
        .split(&format!("\n{heading}\n"))
        .nth(1)
        .expect("the section")
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .map(|row| {
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut chars = row.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        cell.push(c);
                        if let Some(n) = chars.next() {
                            cell.push(n);
                        }
                    }
                    '|' => cells.push(unescape(cell.trim())),
                    _ => cell.push(c),
                }
                if c == '|' {
                    cell.clear();
                }
            }
            cells.remove(0);
            cells
        })
        .collect()
}

#[test]
fn annex_tables_have_one_row_per_item_and_the_same_number_of_cells() {
    let mut doc = sample::motion(30, 20);
    doc.contributors[0].person.name = "A | B".to_owned();
    let markdown = render_markdown(&doc);
    let amendments = table_rows(&markdown, "### Annexe 1 · Tableau des amendements");
    assert_eq!(
        amendments.len(),
        doc.amendments.len() + 2,
        "header, rule, rows"
    );
    assert!(amendments.iter().all(|row| row.len() == 5));
    let contributors = table_rows(
        &markdown,
        "### Annexe 5 · Auteurs et cosignataires des amendements",
    );
    assert_eq!(contributors.len(), doc.contributors.len() + 2);
    assert!(
        contributors.iter().all(|row| row.len() == 3),
        "an escaped | stays in its cell"
    );
    assert!(contributors[2][0].starts_with("A | B, "));
    let ballots = table_rows(&markdown, "### Annexe 3 · Scrutins");
    assert_eq!(ballots.len(), doc.ballots.len() + 2);
    assert!(ballots.iter().all(|row| row.len() == 8));
    assert_eq!(ballots[2][7], doc.ballots[0].explanation_fr);
}

#[test]
fn user_text_reads_literally_and_never_becomes_markup() {
    let mut doc = sample::motion(30, 20);
    let nasty = "<script>alert(1)</script> & &amp; *gras* _it_ [lien](https://x.fr) ![i](x) `c` \
                 $x$ ~~barré~~ #set page(width: 1cm) | \\ fin\u{1}\u{7}\u{1b}";
    let clean = nasty.replace(['\u{1}', '\u{7}', '\u{1b}'], "");
    doc.sections[0].paragraphs[0].lines[0] = nasty.to_owned();
    doc.sections[0].title = nasty.to_owned();
    doc.title = "# pas un titre".to_owned();
    doc.preamble = "- pas une liste\n1. pas une liste\n2026) non plus\n=== ni ceci\n+ ni cela\n> ni une citation\n    ni du code".to_owned();
    doc.amendments[0].rationale = nasty.to_owned();
    let markdown = render_markdown(&doc);

    assert!(!markdown.contains("<script>"));
    assert!(markdown.contains("\\<script\\>"));
    assert!(!markdown.contains('\u{1b}'));
    let lines = numbered_lines(&markdown);
    assert_eq!(lines[0].1, clean, "the line renders as its text");
    let number = lines[0].0.to_string();
    let first = markdown
        .lines()
        .find(|l| {
            l.split_once(" | ")
                .is_some_and(|(n, _)| n.trim_end() == number)
        })
        .expect("the first line");
    for markup in ["*", "_", "[", "]", "`", "$", "~", "#", "<", ">", "&", "|"] {
        let raw = first.split_once(" | ").map(|(_, t)| t).unwrap_or_default();
        let unescaped = raw
            .match_indices(markup)
            .filter(|(i, _)| !raw[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 0, "{markup} is escaped in {raw}");
    }
    assert!(markdown.contains(&format!("\n## {}\n", inline(nasty))));
    assert!(markdown.starts_with("# \\# pas un titre\n"));
    for escaped in [
        "\\- pas une liste\\\n",
        "1\\. pas une liste\\\n",
        "2026\\) non plus\\\n",
        "\\=== ni ceci\\\n",
        "\\+ ni cela\\\n",
        "\\> ni une citation\\\n",
        "ni du code\n",
    ] {
        assert!(markdown.contains(escaped), "{escaped:?}");
    }
    assert!(
        !markdown.contains("\n    ni du code"),
        "no indented code block"
    );
    assert!(unescape(&markdown).contains(&clean), "the rationale too");
}

#[test]
fn escaping_helpers_cover_block_starts_and_line_breaks() {
    assert_eq!(line_start("  12. x"), "12\\. x");
    assert_eq!(line_start("-x"), "\\-x");
    assert_eq!(line_start("12 x"), "12 x");
    assert_eq!(inline("a\r\nb\rc\td"), "a b c d");
    assert_eq!(block("a\nb\n\n\nc"), "a\\\nb\n\nc");
    assert_eq!(cell("  "), "—");
    assert_eq!(hash("abc123"), "`abc123`");
    assert_eq!(hash("ab`c"), "ab\\`c");
}
