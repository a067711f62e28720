//! The motion as Markdown (CommonMark with GitHub tables): readable as plain text and when
//! rendered, with the same content as the PDF and the same line numbers.
//!
//! Owns the Markdown layout and the escaping of user text. Each numbered line of the document is
//! one Markdown line, `12 | text`, numbers padded so the bars align, joined by hard line breaks
//! (a final `\`) so a renderer keeps our lines. User text never becomes markup: the characters
//! Markdown reads (`* _ [ ] < > & | ~ $ # \` and backtick) are backslash-escaped, and so is what
//! would start a block (`-`, `+`, `=`, `1.`). Pure.

use std::fmt::Write as _;

use domain::ballot::number_fr;
use domain::document::{DocAmendment, DocParagraph, MotionDocument, Person, counts_fr};

/// No-break space, before `:` in French.
const NBSP: char = '\u{a0}';

/// Renders the document as Markdown.
#[must_use]
pub fn render_markdown(doc: &MotionDocument) -> String {
    let mut out = String::with_capacity(
        doc.sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .map(|p| p.text.len() + 12 * p.lines.len())
            .sum::<usize>()
            + 600 * doc.amendments.len()
            + 4096,
    );
    title_block(&mut out, doc);
    let width = doc
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(DocParagraph::last_line)
        .max()
        .unwrap_or(0)
        .to_string()
        .len();
    for section in &doc.sections {
        if !section.title.is_empty() {
            let _ = writeln!(out, "## {}\n", inline(&section.title));
        }
        for paragraph in &section.paragraphs {
            numbered(&mut out, paragraph, width);
        }
    }
    annexes(&mut out, doc);
    integrity(&mut out, doc);
    out
}

// ---------------------------------------------------------------------------------------------
// Escaping

/// `text` as inline Markdown that reads literally: forbidden controls dropped, tabs and line
/// breaks as spaces, Markdown's punctuation backslash-escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '$' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push(' ');
                }
            }
            '\t' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// [`inline`], for text that starts a Markdown line: also escapes what would open a block (a list
/// marker, a thematic break, a setext underline, an ordered list number).
fn line_start(text: &str) -> String {
    let escaped = inline(text.trim_start());
    let digits = escaped.chars().take_while(char::is_ascii_digit).count();
    match escaped.chars().next() {
        Some('-' | '+' | '=') => format!("\\{escaped}"),
        Some(_) if digits > 0 && matches!(escaped[digits..].chars().next(), Some('.' | ')')) => {
            format!("{}\\{}", &escaped[..digits], &escaped[digits..])
        }
        _ => escaped,
    }
}

/// A block of user text: its lines kept (hard breaks), blank lines as paragraph breaks.
fn block(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous_was_text = false;
    let mut pending_paragraph = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            pending_paragraph = previous_was_text;
            continue;
        }
        if pending_paragraph {
            out.push_str("\n\n");
        } else if previous_was_text {
            out.push_str("\\\n");
        }
        out.push_str(&line_start(line));
        previous_was_text = true;
        pending_paragraph = false;
    }
    out
}

/// A table cell: [`inline`] (which already escapes `|`), or a dash when empty.
fn cell(text: &str) -> String {
    let escaped = inline(text.trim());
    if escaped.is_empty() {
        "—".to_owned()
    } else {
        escaped
    }
}

/// A hash as a code span when it is plain hexadecimal (as it should be), escaped text otherwise.
fn hash(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_hexdigit()) {
        format!("`{text}`")
    } else {
        inline(text)
    }
}

fn table_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        let _ = write!(out, " {c} |");
    }
    out.push('\n');
}

fn table_head(out: &mut String, titles: &[&str], align_right: &[bool]) {
    table_row(
        out,
        &titles.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>(),
    );
    out.push('|');
    for index in 0..titles.len() {
        let right = align_right.get(index).copied().unwrap_or(false);
        out.push_str(if right { " ---: |" } else { " --- |" });
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------------
// Parts

fn title_block(out: &mut String, doc: &MotionDocument) {
    let _ = writeln!(out, "# {}\n", inline(&doc.title));
    let mut edition = format!("**{}**", inline(&doc.edition.title));
    for part in [&doc.edition.place, &doc.edition.dates_fr] {
        if !part.is_empty() {
            let _ = write!(edition, " — {}", inline(part));
        }
    }
    let _ = writeln!(out, "{edition}\n");
    if !doc.status.is_final() {
        let _ = writeln!(
            out,
            "> **Version de travail{NBSP}:** ce document n’est pas le texte adopté.\n"
        );
    }
    let _ = writeln!(out, "*{}*\n", inline(doc.status.label_fr()));
    let _ = writeln!(
        out,
        "Motion n°{NBSP}{} — journal n°{NBSP}{} — empreinte du texte {}\n",
        doc.motion_id,
        doc.integrity.seq,
        hash(doc.integrity.short_text_hash())
    );
    if !doc.preamble.is_empty() {
        let _ = writeln!(out, "{}\n", block(&doc.preamble));
    }
}

fn numbered(out: &mut String, paragraph: &DocParagraph, width: usize) {
    if paragraph.lines.is_empty() {
        // Not numbered (should not happen for a current paragraph): still shown, never lost.
        let _ = writeln!(out, "{}\n", block(&paragraph.text));
        return;
    }
    let last = paragraph.last_line();
    for (number, line) in paragraph.numbered_lines() {
        let _ = write!(out, "{number:<width$} | {}", inline(line));
        out.push_str(if number == last { "\n\n" } else { "\\\n" });
    }
}

/// "Nom, mandat" (as the PDF), or "Nom".
fn person_line(person: &Person) -> String {
    if person.mandate.is_empty() {
        person.name.clone()
    } else {
        format!("{}, {}", person.name, person.mandate)
    }
}

fn names(people: &[Person]) -> String {
    people
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "n° 1, n° 4" (as the PDF), or "—".
fn numbers_fr(numbers: &[u32]) -> String {
    if numbers.is_empty() {
        return "—".to_owned();
    }
    let list: Vec<String> = numbers.iter().map(|n| format!("n°{NBSP}{n}")).collect();
    list.join(", ")
}

fn amendment_row(out: &mut String, a: &DocAmendment) {
    let mut authors = cell(&person_line(&a.author));
    if !a.cosigners.is_empty() {
        let _ = write!(authors, ", avec {}", inline(&names(&a.cosigners)));
    }
    let ballot = a.ballot.as_ref().map_or_else(
        || "sans scrutin".to_owned(),
        |b| {
            format!(
                "n°{NBSP}{}{NBSP}: {} ({})",
                b.number,
                counts_fr(b.pour, b.contre, b.abstention),
                b.rule_fr
            )
        },
    );
    table_row(
        out,
        &[
            a.number.to_string(),
            authors,
            cell(&a.target_fr),
            cell(&a.status_fr),
            cell(&ballot),
        ],
    );
}

fn amendment_text(out: &mut String, a: &DocAmendment) {
    let _ = writeln!(
        out,
        "**Amendement n°{NBSP}{}** · {} · *{}*\\",
        a.number,
        inline(&a.target_fr),
        inline(&a.status_fr)
    );
    let mut filed_by = format!("Déposé par {}", a.author.name);
    if !a.cosigners.is_empty() {
        let _ = write!(filed_by, ", cosigné par {}", names(&a.cosigners));
    }
    let _ = writeln!(out, "{}\n", inline(&filed_by));
    if let Some(text) = &a.proposed_text {
        let _ = writeln!(out, "{}\n", quote(text));
    }
    if !a.rationale.is_empty() {
        let _ = writeln!(out, "*Exposé des motifs{NBSP}:* {}\n", block(&a.rationale));
    }
}

/// A block of user text as a Markdown quotation.
fn quote(text: &str) -> String {
    block(text)
        .lines()
        .map(|line| {
            if line.is_empty() {
                ">".to_owned()
            } else {
                format!("> {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn annexes(out: &mut String, doc: &MotionDocument) {
    out.push_str("* * *\n\n## Annexes\n\n### Annexe 1 · Tableau des amendements\n\n");
    if doc.amendments.is_empty() {
        out.push_str("*Aucun amendement n’a été déposé.*\n\n");
    } else {
        table_head(out, &crate::AMENDMENT_COLUMNS, &[true]);
        for a in &doc.amendments {
            amendment_row(out, a);
        }
        out.push('\n');
    }

    out.push_str("### Annexe 2 · Texte des amendements\n\n");
    if doc.amendments.is_empty() {
        out.push_str("*Aucun amendement n’a été déposé.*\n\n");
    }
    for a in &doc.amendments {
        amendment_text(out, a);
    }

    out.push_str("### Annexe 3 · Scrutins\n\n");
    if doc.ballots.is_empty() {
        out.push_str("*Aucun scrutin n’a été clos.*\n\n");
    } else {
        table_head(
            out,
            &crate::BALLOT_COLUMNS,
            &[true, false, true, true, true, true, true],
        );
        for b in &doc.ballots {
            let mut subject = b.title.clone();
            if !b.subject_fr.is_empty() {
                let _ = write!(subject, " ({})", b.subject_fr);
            }
            // The explanation states the verdict, the counts, the hall votes and the rule.
            let result = cell(&b.explanation_fr);
            table_row(
                out,
                &[
                    b.number.to_string(),
                    cell(&subject),
                    number_fr(b.pour),
                    number_fr(b.contre),
                    number_fr(b.abstention),
                    format!("{} / {}", number_fr(b.present), number_fr(b.registered)),
                    number_fr(b.required),
                    result,
                ],
            );
        }
        out.push('\n');
    }

    out.push_str("### Annexe 4 · Paragraphes supprimés\n\n");
    if doc.removed_paragraphs.is_empty() {
        out.push_str("*Aucun paragraphe du projet n’a été supprimé.*\n\n");
    }
    for r in &doc.removed_paragraphs {
        let _ = writeln!(out, "{} · {}\n", inline(&r.section), inline(&r.why_fr));
        let _ = writeln!(out, "{}\n", quote(&r.text));
    }

    out.push_str("### Annexe 5 · Auteurs et cosignataires des amendements\n\n");
    if doc.contributors.is_empty() {
        out.push_str("*Aucun amendement n’a été déposé.*\n\n");
    } else {
        table_head(
            out,
            &[
                "Nom et mandat",
                "Amendements déposés",
                "Amendements cosignés",
            ],
            &[],
        );
        for c in &doc.contributors {
            table_row(
                out,
                &[
                    cell(&person_line(&c.person)),
                    numbers_fr(&c.filed),
                    numbers_fr(&c.cosigned),
                ],
            );
        }
        out.push('\n');
    }
}

fn integrity(out: &mut String, doc: &MotionDocument) {
    out.push_str("### Annexe 6 · Intégrité du texte\n\n");
    let rows = [
        (
            "Empreinte SHA-256 du texte",
            hash(&doc.integrity.text_sha256),
        ),
        ("Tête du journal", hash(&doc.integrity.log_head_hash)),
        (
            "Événement du journal",
            format!("n°{NBSP}{}", doc.integrity.seq),
        ),
        (
            "Motion",
            format!(
                "n°{NBSP}{} · largeur de ligne{NBSP}: {} caractères · format {}",
                doc.motion_id,
                doc.line_width,
                inline(&doc.format)
            ),
        ),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "- {label}{NBSP}: {value}");
    }
    let _ = writeln!(
        out,
        "\nL’empreinte du texte est le condensat SHA-256, écrit en hexadécimal, de la forme \
         canonique JSON (clés triées, chaînes en Unicode NFC, sans espace superflu) de l’objet \
         `{{\"title\", \"preamble\", \"sections\"}}`, où chaque section donne son titre et ses \
         paragraphes courants (`id`, `text`) dans l’ordre de lecture, avec les textes tels \
         qu’enregistrés dans le journal.\n\n\
         La tête du journal est l’empreinte de l’événement n°{NBSP}{} du journal de la \
         motion\u{202f}; chaque événement y est chaîné au précédent par son empreinte. Rejouer le \
         journal jusqu’à cet événement redonne exactement ce texte, donc la même \
         empreinte{NBSP}: toute modification d’un événement ou du texte se voit.",
        doc.integrity.seq
    );
}

#[cfg(test)]
mod tests;
