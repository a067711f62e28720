//! The injection corpus: more than two hundred hostile texts (HTML element and attribute breakers, URL schemes,
//! Typst markup, ODF/XML breakers, Markdown, formula injection, control characters, bidi overrides, zero-width
//! characters, emoji, combining marks, non-characters), each carrying its own marker (`x-inj-0042`), plus three
//! texts of 100 KB, typed into every text field a person can fill, through the real HTTP interface (server
//! functions posted as same-origin forms), then looked for on every page that shows them and in every export.
//!
//! Fields, each payload in each: edition title and place; motion title, preamble and draft (`create_motion`),
//! draft import, draft edit; amendment text and rationale as filed and as edited; conflict resolution text;
//! editorial fix text and reason; inadmissibility reason; vote order reason; ballot title; hall count label;
//! registration names and collectivity, registration e-mail; CSV import; rejection reason; invitation e-mail.
//! Invitation acceptance (names, collectivity) takes every third payload (a password hash each), and the query
//! strings pages read (`?statut=`, `?back=`, `?cle=`) the HTML, attribute and URL breakers.
//!
//! Pages: `/`, `/organisation`, `/organisation/participants`, `/motions/{id}` (its `<title>` above all), the
//! amendments page with a conflict's resolution form and its filters, a paragraph's history (editorial fix
//! textarea) and amendment editor (textarea prefilled with the paragraph), an amendment's edit page (text and
//! rationale textareas), the ballots page, a ballot's result page, the projector, an invitation page. Exports:
//! JSON (stored texts round-trip exactly, display texts are the stored ones in French typography), Markdown
//! (user text backslash-escaped), ODT (every XML part well-formed, only characters XML allows, user text
//! escaped), PDF (`pdftotext` shows every ASCII character of the text: no Typst markup was evaluated).
//!
//! "Stays text" on a server-rendered page parsed by a real HTML parser (html5ever): every `<script>` carries the
//! response's CSP nonce; no attribute is an event handler or a `javascript:` URL; a marker is never in an
//! attribute unless the whole text is, never in an element the app does not render; every marker shown sits in
//! the whole text it came with (nothing of it became markup); the raw page never holds a tag of a payload
//! followed by its marker, nor U+0000; where a text is shown whole, its escaped form (`&lt;`) is in the raw page;
//! textareas and `<title>` hold the text exactly. Over-long texts are refused with a 4xx status and a typed
//! `ApiError` body, and appear nowhere. Every problem is collected and reported at once.
//!
//! Both engines run at once: the whole corpus on SQLite, a representative subset of 40 payloads (the first of
//! every family, every textarea, title and script breaker) on PostgreSQL, whose storage of texts is what differs;
//! the full corpus twice would double the suite's time.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt::Write as _,
    io::Read as _,
    net::{IpAddr, Ipv4Addr},
    sync::Mutex,
};

use app::api::{
    AmendmentView, ApiError, BallotResultView, ChairView, ConsoleView, FiledAmendment, MemberRowDto,
};
use domain::{
    document::MotionDocument,
    draft::parse_draft,
    registration::{RegistrationInput, check_registration},
    text::normalize,
    typography::french,
};
use futures_util::{StreamExt, stream};
use scraper::{Html, Node};

use crate::{
    amendments::paragraphs,
    support::{BOTH, Backend, TestApp, session_cookie},
    votes::People,
};

// ---------------------------------------------------------------------------------------------------------
// The corpus

/// What every marker starts with.
const MARK: &str = "x-inj-";
/// Markers of over-long texts start at this number: none of them may ever be shown.
const OVERSIZED_FROM: usize = 9000;

/// Templates: `{m}` is replaced by the payload's marker.
const TEMPLATES: &[(&str, &str)] = &[
    // HTML element breakers.
    ("html", "<script>alert('{m}')</script>"),
    ("html", "<script>{m}</script>"),
    ("html", "<SCRIPT SRC=//evil.example/{m}.js></SCRIPT>"),
    ("html", "<img src=x onerror=alert('{m}')>"),
    ("html", "<img src=\"x\" onerror=\"alert(`{m}`)\">"),
    ("html", "<svg onload=alert('{m}')>"),
    ("html", "<svg><script>{m}</script></svg>"),
    ("html", "<iframe src=\"javascript:alert('{m}')\"></iframe>"),
    (
        "html",
        "</textarea><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/{m}\"><form action=\"/deconnexion\">",
    ),
    ("html", "</textarea><b>{m}</b>"),
    ("html", "</textarea><script>alert('{m}')</script>"),
    ("html", "</TEXTAREA ><img src=x onerror=alert('{m}')>"),
    ("html", "</title><script>alert('{m}')</script>"),
    (
        "html",
        "</title><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/{m}\">",
    ),
    ("html", "</script><script>alert('{m}')</script>"),
    ("html", "</script><b>{m}</b>"),
    ("html", "<!--{m}-->"),
    ("html", "<!-- {m}"),
    ("html", "--><b>{m}</b>"),
    ("html", "<!--<script>-->{m}"),
    ("html", "]]><b>{m}</b>"),
    ("html", "<style>body{display:none}</style><b>{m}</b>"),
    ("html", "<b>{m}</b>"),
    ("html", "<i>{m}</i>"),
    ("html", "<u>{m}</u>"),
    ("html", "<marquee>{m}</marquee>"),
    ("html", "<a href=\"https://evil.example/{m}\">clic</a>"),
    (
        "html",
        "<form action=\"/deconnexion\"><button>{m}</button></form>",
    ),
    ("html", "<input autofocus onfocus=alert('{m}')>"),
    ("html", "<details open ontoggle=alert('{m}')>"),
    ("html", "<object data=\"javascript:alert('{m}')\"></object>"),
    ("html", "<base href=\"https://evil.example/{m}/\">"),
    (
        "html",
        "<link rel=stylesheet href=https://evil.example/{m}.css>",
    ),
    (
        "html",
        "<noscript><p title=\"</noscript><img src=x onerror=alert('{m}')>\">",
    ),
    ("html", "<xmp><b>{m}</b></xmp>"),
    ("html", "<plaintext>{m}"),
    ("html", "</p></div></main><h1>{m}</h1>"),
    (
        "html",
        "<math><mi xlink:href=\"javascript:alert('{m}')\">x</mi></math>",
    ),
    ("html", "<template><b>{m}</b></template>"),
    ("html", "<select><option>{m}</option></select>"),
    ("html", "<body onload=alert('{m}')>"),
    ("html", "<scr<script>ipt>alert('{m}')</script>"),
    ("html", "&lt;script&gt;{m}&lt;/script&gt;"),
    ("html", "&#60;b&#62;{m}&#60;/b&#62;"),
    ("html", "<<b>>{m}<</b>>"),
    ("html", "<b/onmouseover=alert('{m}')>x"),
    ("html", "<?php echo '{m}'; ?>"),
    ("html", "<%= '{m}' %>"),
    ("html", "Le congrès <script>alert('{m}')</script> conclut."),
    ("html", "Texte </textarea><b>{m}</b> suite"),
    ("html", "Titre </title><b>{m}</b> suite"),
    // Attribute breakers.
    ("attribute", "\" autofocus onfocus=\"alert('{m}')"),
    ("attribute", "' onmouseover='alert(\"{m}\")'"),
    ("attribute", "\" onmouseover=alert('{m}') x=\""),
    ("attribute", "\"><b>{m}</b>"),
    ("attribute", "'><b>{m}</b>"),
    ("attribute", "`onmouseover=alert('{m}')`"),
    ("attribute", "` ><b>{m}</b>"),
    (
        "attribute",
        "\" style=\"background:url(javascript:alert('{m}'))",
    ),
    ("attribute", "x\" data-x-inj=\"{m}"),
    ("attribute", "\"/><b>{m}</b><input value=\""),
    ("attribute", "&quot; onfocus=&quot;alert('{m}')"),
    ("attribute", "\u{201C} onfocus=alert('{m}') \u{201D}"),
    // URL schemes.
    ("url", "javascript:alert('{m}')"),
    ("url", "JaVaScRiPt:alert('{m}')"),
    ("url", " javascript:alert('{m}')"),
    ("url", "java\tscript:alert('{m}')"),
    ("url", "data:text/html,<script>alert('{m}')</script>"),
    ("url", "vbscript:msgbox(\"{m}\")"),
    ("url", "https://evil.example/{m}?a=1&b=2#x"),
    ("url", "//evil.example/{m}"),
    ("url", "[clic](javascript:alert('{m}'))"),
    // Typst markup and code.
    ("typst", "#set page(width: 1cm) {m}"),
    ("typst", "#set text(size: 40pt, fill: red) {m}"),
    ("typst", "#import \"@preview/cetz:0.3.0\": * {m}"),
    ("typst", "#read(\"/etc/passwd\") {m}"),
    ("typst", "#eval(\"1 + 1\") {m}"),
    ("typst", "#panic(\"{m}\")"),
    ("typst", "$x^2 + y$ {m}"),
    ("typst", "*gras* _italique_ {m}"),
    ("typst", "= Titre {m}"),
    ("typst", "- puce {m}"),
    ("typst", "+ numéro {m}"),
    ("typst", "\\#set text(red) {m}"),
    ("typst", "#{\"x\"} {m}"),
    ("typst", "#let x = 1; {m}"),
    ("typst", "#show: none; {m}"),
    ("typst", "@ref {m} <label>"),
    ("typst", "```typ #panic()``` {m}"),
    ("typst", "// commentaire {m}"),
    ("typst", "/* {m}"),
    ("typst", "\\u{41} \\ {m}"),
    ("typst", "]) #panic(\"{m}\") #(["),
    ("typst", "\"); #panic(\"{m}\"); (\""),
    ("typst", "~ {m} ~"),
    ("typst", "#link(\"https://evil.example/{m}\")[clic]"),
    ("typst", "#image(\"/etc/hostname\") {m}"),
    // ODF / XML breakers.
    ("xml", "</text:p><text:h>{m}</text:h><text:p>"),
    ("xml", "&amp; {m} &lt; &gt;"),
    ("xml", "<![CDATA[{m}]]>"),
    ("xml", "&#0; {m}"),
    ("xml", "&#x1F; {m}"),
    ("xml", "&unknown; {m}"),
    ("xml", "<?xml version=\"1.0\"?>{m}"),
    (
        "xml",
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e; {m}",
    ),
    ("xml", "<office:annotation>{m}</office:annotation>"),
    ("xml", "]]> {m}"),
    ("xml", "' \" < > & {m}"),
    ("xml", "</office:text></office:body>{m}"),
    // Markdown.
    ("markdown", "# Titre {m}"),
    ("markdown", "## {m}"),
    ("markdown", "- liste {m}"),
    ("markdown", "* étoile {m}"),
    ("markdown", "+ plus {m}"),
    ("markdown", "1. un {m}"),
    ("markdown", "1) un {m}"),
    ("markdown", "> citation {m}"),
    ("markdown", "[lien](https://evil.example/{m})"),
    ("markdown", "![image](https://evil.example/{m}.png)"),
    ("markdown", "**gras** __gras__ {m}"),
    ("markdown", "`code` {m}"),
    ("markdown", "``` {m}"),
    ("markdown", "| a | b |\n|---|---|\n| {m} | c |"),
    ("markdown", "---\n{m}"),
    ("markdown", "{m}\n==="),
    ("markdown", "<https://evil.example/{m}>"),
    ("markdown", "\\*pas gras\\* {m}"),
    ("markdown", "[^1]: note {m}"),
    ("markdown", "~~barré~~ {m}"),
    ("markdown", "<details><summary>{m}</summary></details>"),
    ("markdown", "    code indenté {m}"),
    ("markdown", "[x]: https://evil.example/{m}"),
    // Formula injection (CSV opened in a spreadsheet).
    ("csv", "=HYPERLINK(\"https://evil.example/{m}\",\"clic\")"),
    ("csv", "=1+1 {m}"),
    ("csv", "+1+1 {m}"),
    ("csv", "-1+1 {m}"),
    ("csv", "@SUM(1) {m}"),
    ("csv", "=cmd|' /C calc'!A0 {m}"),
    ("csv", "\"; =1+1; \" {m}"),
    ("csv", "{m},=1+1;\"x\""),
    // Other interpreters.
    ("other", "{{7*7}} ${7*7} {m}"),
    ("other", "'; DROP TABLE members; -- {m}"),
    ("other", "\\u003cscript\\u003e{m}"),
    ("other", "\\\" {m} \\"),
    ("other", "%3Cscript%3E{m}%3C/script%3E"),
    ("other", "../../etc/passwd {m}"),
    ("other", "{m}\r\nSet-Cookie: x=1"),
    // Unicode: emoji, combining marks, scripts, non-characters.
    ("unicode", "👩🏽\u{200D}💻 élue {m}"),
    ("unicode", "🇫🇷 {m} 🏛\u{FE0F}"),
    ("unicode", "e\u{301}lu\u{302}e de\u{301}cide\u{301}e {m}"),
    (
        "unicode",
        "Z\u{334}\u{322}\u{31B}a\u{337}l\u{336}g\u{335}o\u{338} {m}",
    ),
    ("unicode", "a\u{308}\u{301}\u{323}\u{32D}\u{35C} {m}"),
    ("unicode", "\u{FB01}nances \u{FB02}ux {m}"),
    ("unicode", "𝕳𝖊𝖒𝖎𝖈𝖞𝖈𝖑𝖊 {m}"),
    ("unicode", "\u{FFFD} remplacement {m}"),
    ("unicode", "\u{E000} usage privé {m}"),
    ("unicode", "non\u{FFFE}caractères\u{FFFF} {m}"),
    ("unicode", "ᚠᛇᚻ العربية עברית {m}"),
    ("unicode", "中文 日本語 한국어 {m}"),
    ("unicode", "ℌ℮ℓℓø ™ © ® ½ {m}"),
    ("unicode", "« guillemets » : point ; virgule ! {m} ?"),
    ("unicode", "  plusieurs   espaces\t\ttabulés  {m}  "),
    ("unicode", "\r\n{m}\r\n"),
];

/// A hostile text, found again by its marker.
struct Payload {
    n: usize,
    marker: String,
    family: &'static str,
    text: String,
    /// The text as stored: normalized (`domain::text::normalize`).
    stored: String,
}

fn marker(n: usize) -> String {
    format!("{MARK}{n:04}")
}

/// Makes a payload's text from its marker.
type MakeText = Box<dyn Fn(&str) -> String>;

/// Every payload: the templates, then generated families (control characters, bidi, zero-width, spaces).
fn payloads() -> Vec<Payload> {
    let mut texts: Vec<(&'static str, MakeText)> = Vec::new();
    for (family, template) in TEMPLATES {
        texts.push((family, Box::new(move |m: &str| template.replace("{m}", m))));
    }
    for code in (0_u32..=0x1F).chain([0x7F, 0x85, 0x9B]) {
        let c = char::from_u32(code).expect("a control character");
        texts.push((
            "control",
            Box::new(move |m: &str| format!("avant{c}après {m}")),
        ));
    }
    for code in (0x202A_u32..=0x202E)
        .chain(0x2066..=0x2069)
        .chain([0x200E, 0x200F, 0x061C])
    {
        let c = char::from_u32(code).expect("a bidi control");
        texts.push((
            "bidi",
            Box::new(move |m: &str| format!("début {c}renversé {m} fin")),
        ));
    }
    for code in [
        0x200B_u32, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E, 0x034F,
    ] {
        let c = char::from_u32(code).expect("an invisible character");
        texts.push((
            "zero-width",
            Box::new(move |m: &str| format!("zéro{c}largeur {m}")),
        ));
    }
    for code in [
        0x2028_u32, 0x2029, 0x3000, 0x00A0, 0x202F, 0x1680, 0x000B, 0x000C,
    ] {
        let c = char::from_u32(code).expect("a space");
        texts.push((
            "space",
            Box::new(move |m: &str| format!("espace{c}insolite {m}")),
        ));
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(n, (family, make))| {
            let marker = marker(n);
            let text = make(&marker);
            assert_eq!(text.matches(MARK).count(), 1, "one marker in {text:?}");
            Payload {
                n,
                marker,
                family,
                stored: normalize(&text),
                text,
            }
        })
        .collect()
}

/// Texts of 100 KB (100,000 characters or more): refused by every field.
fn oversized() -> Vec<Payload> {
    let long = |n: usize, unit: &str, repeat: usize| {
        let marker = marker(OVERSIZED_FROM + n);
        let text = format!("{}{marker}", unit.repeat(repeat));
        Payload {
            n: OVERSIZED_FROM + n,
            marker,
            family: "oversized",
            stored: normalize(&text),
            text,
        }
    };
    vec![
        long(0, "A", 100_000),
        long(1, "<script>", 12_500),
        long(2, "é ", 50_000),
    ]
}

/// The corpus and what it may look like once stored and shown.
struct Corpus {
    payloads: Vec<Payload>,
    /// By payload number: every form its text may take once stored, squashed (see [`squash`]).
    forms: BTreeMap<usize, Vec<String>>,
    /// By payload number: raw forms that only exist if the payload became markup (a tag then the marker).
    dangerous: BTreeMap<usize, Vec<String>>,
}

impl Corpus {
    fn new() -> Self {
        let payloads = payloads();
        let mut forms = BTreeMap::new();
        let mut dangerous = BTreeMap::new();
        for p in &payloads {
            let mut list: Vec<String> = vec![squash(&p.text), squash(&normalize(&p.text))];
            list.push(squash(&p.text.trim().to_lowercase()));
            list.extend(draft_texts(&p.text).iter().map(|t| squash(t)));
            // What XML cannot hold (U+FFFE, U+FFFF) the ODT leaves out.
            list.push(squash(
                &normalize(&p.text).replace(|c: char| !xml_char(c), ""),
            ));
            list.retain(|f| f.contains(&p.marker));
            list.sort();
            list.dedup();
            forms.insert(p.n, list);
            dangerous.insert(p.n, dangerous_forms(&normalize(&p.text), &p.marker));
        }
        Corpus {
            payloads,
            forms,
            dangerous,
        }
    }

    fn get(&self, n: usize) -> Option<&Payload> {
        self.payloads.get(n)
    }
}

/// Every tag of `text` that the marker follows without a space (`<script>x-inj-0001`, `</textarea><b>x-inj-…`):
/// present raw in a page, an export or a file, it means the tag is markup there.
fn dangerous_forms(text: &str, marker: &str) -> Vec<String> {
    let Some(at) = text.find(marker) else {
        return Vec::new();
    };
    let end = at + marker.len();
    text.char_indices()
        .filter(|(i, c)| {
            *c == '<'
                && *i < at
                && text[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
        })
        .map(|(i, _)| &text[i..end])
        .filter(|form| !form.chars().any(char::is_whitespace))
        .map(str::to_owned)
        .collect()
}

/// Without whitespace of any kind (line wrapping, no-break spaces, justification change nothing else) and with
/// the typographic apostrophe read as `'`: how texts are compared once shown.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '’' { '\'' } else { c })
        .collect()
}

/// The PDF's view: the ASCII graphic characters of the text (its fonts have no CJK, Arabic or runic glyphs,
/// `pdftotext` repeats letters that carry combining marks), lowercase (small capitals), without hyphens
/// (Typst hyphenates free text) and with `'` for the typographic apostrophe. Markup that Typst evaluated
/// would lose exactly these characters: `#`, `*`, `_`, `$`, `=`, `<`, brackets, quotes.
fn loose(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|(i, _)| !chars.get(i + 1).is_some_and(|n| is_combining(*n)))
        .map(|(_, c)| if *c == '’' { '\'' } else { *c })
        .filter(|c| c.is_ascii_graphic() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_combining(c: char) -> bool {
    matches!(u32::from(c), 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The digits of every marker found in `text`, with their byte positions.
fn markers_in(text: &str) -> Vec<(usize, usize)> {
    text.match_indices(MARK)
        .filter_map(|(at, _)| {
            let digits = text.get(at + MARK.len()..at + MARK.len() + 4)?;
            digits
                .chars()
                .all(|c| c.is_ascii_digit())
                .then(|| (at, digits.parse().ok()))
                .and_then(|(at, n)| n.map(|n| (at, n)))
        })
        .collect()
}

fn html_escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A short piece of `text` from its first `<` that no layout can split or retype, as it must appear escaped in
/// a page (`&lt;script&gt;x-inj-0001`).
fn escaped_probe(text: &str) -> Option<String> {
    let start = text.find('<')?;
    let piece: String = text[start..]
        .chars()
        .take_while(|c| {
            !c.is_whitespace() && !matches!(c, '\'' | '’' | '"' | ':' | ';' | '!' | '?' | '«' | '»')
        })
        .take(24)
        .collect();
    (piece.chars().count() >= 2).then(|| html_escape_text(&piece))
}

// ---------------------------------------------------------------------------------------------------------
// Findings

/// Every problem found, reported together at the end.
#[derive(Default)]
struct Report {
    problems: Mutex<Vec<String>>,
}

impl Report {
    fn fail(&self, problem: String) {
        self.problems.lock().expect("report lock").push(problem);
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.problems.lock().expect("report lock"))
    }
}

fn excerpt(text: &str, at: usize) -> String {
    let start = (0..=at.saturating_sub(60))
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    let end = (at + 80..text.len())
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(text.len());
    format!("{:?}", &text[start..end])
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

/// What a field should do with a text: keep it, or refuse it with a typed error.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    Stored,
    Refused,
}

/// A field taking at most `max` characters once normalized, and refusing an empty text.
fn within(text: &str, max: usize) -> Expect {
    let chars = normalize(text).chars().count();
    if chars == 0 || chars > max {
        Expect::Refused
    } else {
        Expect::Stored
    }
}

/// Calls a server function and checks the answer against what the field should do: 200 when stored, a 4xx
/// with an `ApiError` body when refused, never anything else. Answers the body when it was stored.
async fn submit(
    app: &TestApp,
    report: &Report,
    what: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
    expect: Expect,
) -> Option<String> {
    let (status, body) = app.call(what_function(what), cookie, form).await;
    judge(report, what, status, &body, expect).then_some(body)
}

/// `file_amendment (x-inj-0001, text)` → `file_amendment`.
fn what_function(what: &str) -> &str {
    what.split_whitespace().next().unwrap_or(what)
}

/// Whether the answer is the expected success; records a problem when it is neither that nor the expected refusal.
fn judge(report: &Report, what: &str, status: u16, body: &str, expect: Expect) -> bool {
    let typed = serde_json::from_str::<ApiError>(body).is_ok();
    match (expect, status) {
        (Expect::Stored, 200) => true,
        (Expect::Refused, 400..=499) if typed => false,
        (Expect::Refused, 200) => {
            report.fail(format!("{what}: accepted (200) a text it should refuse"));
            false
        }
        _ => {
            let shown: String = body.chars().take(300).collect();
            report.fail(format!(
                "{what}: status {status} ({expect:?} expected), body {shown:?}"
            ));
            false
        }
    }
}

/// A page as the server rendered it.
struct Page {
    label: String,
    status: u16,
    body: String,
    nonce: Option<String>,
}

async fn fetch(app: &TestApp, path: &str, cookie: Option<&str>) -> Page {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = crate::support::send_page(request).await;
    let status = response.status().as_u16();
    let nonce = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .and_then(|csp| {
            let start = csp.find("'nonce-")? + "'nonce-".len();
            let len = csp[start..].find('\'')?;
            Some(csp[start..start + len].to_owned())
        });
    let body = response.text().await.expect("page body");
    Page {
        label: format!("GET {path}"),
        status,
        body,
        nonce,
    }
}

async fn export(app: &TestApp, motion: i32, file: &str, cookie: &str) -> (u16, Vec<u8>) {
    let response = app
        .get_with_cookie(&format!("/api/v1/motions/{motion}/export/{file}"), cookie)
        .await;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("export body").to_vec();
    (status, bytes)
}

// ---------------------------------------------------------------------------------------------------------
// Pages

/// Tags the app renders; an element of any other tag holding a marker came from a payload.
const APP_TAGS: &[&str] = &[
    "html", "head", "body", "meta", "link", "title", "script", "style", "header", "footer", "main",
    "nav", "section", "article", "div", "p", "span", "a", "h1", "h2", "h3", "h4", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tr", "th", "td", "form", "fieldset",
    "legend", "label", "input", "select", "option", "textarea", "button", "strong", "code", "br",
    "ins", "del", "details", "summary",
];

/// Elements whose own text may be user text.
const TEXT_TAGS: &[&str] = &[
    "title", "p", "span", "a", "h1", "h2", "h3", "h4", "li", "dt", "dd", "th", "td", "caption",
    "legend", "label", "option", "textarea", "strong", "code", "ins", "del", "summary", "div",
];

/// Attributes naming an address, where a `javascript:` URL would run.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
];

/// A parsed page: what it shows once the new side of every diff is read, and once the old side is.
struct Shown<'p> {
    page: &'p Page,
    doc: Html,
    /// Squashed text without `<del>` (the new side of diffs), scripts excluded.
    new: String,
    /// Squashed text without `<ins>` (the old side).
    old: String,
}

/// Parses a page and runs the checks that hold whatever it shows: status, nonces, attributes, unknown
/// elements, markers and the whole texts around them, raw tags, U+0000, over-long texts.
fn check_page<'p>(
    report: &Report,
    corpus: &Corpus,
    page: &'p Page,
    extra_forms: &[String],
) -> Option<Shown<'p>> {
    let label = &page.label;
    if page.status != 200 {
        let shown: String = page.body.chars().take(300).collect();
        report.fail(format!("{label}: status {} ({shown:?})", page.status));
        return None;
    }
    if let Some(at) = page.body.find('\0') {
        report.fail(format!(
            "{label}: raw U+0000 in the page at {}",
            excerpt(&page.body, at)
        ));
    }
    raw_markup(report, corpus, label, &page.body);
    let doc = Html::parse_document(&page.body);
    let mut logouts = 0;
    for node in doc.tree.root().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let tag = element.name();
        let subtree_marked = || {
            element.attrs().any(|(_, v)| v.contains(MARK))
                || node
                    .descendants()
                    .any(|d| d.value().as_text().is_some_and(|t| t.contains(MARK)))
        };
        if tag == "script" && element.attr("nonce") != page.nonce.as_deref() {
            report.fail(format!(
                "{label}: a <script> without the page's nonce: {:?}",
                node.descendants()
                    .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                    .collect::<String>()
                    .chars()
                    .take(120)
                    .collect::<String>()
            ));
        }
        if tag == "meta" && element.attr("http-equiv").is_some() {
            report.fail(format!("{label}: <meta http-equiv> in the page"));
        }
        if matches!(
            tag,
            "iframe" | "object" | "embed" | "frame" | "base" | "img" | "svg" | "math"
        ) || (!APP_TAGS.contains(&tag) && subtree_marked())
        {
            report.fail(format!("{label}: element <{tag}> holding a payload"));
        }
        if tag == "form" && element.attr("action") == Some("/deconnexion") {
            logouts += 1;
        }
        for (name, value) in element.attrs() {
            if name.starts_with("on") || name.contains("inj") {
                report.fail(format!("{label}: attribute {name}={value:?} on <{tag}>"));
            }
            let scheme: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .take(11)
                .collect::<String>()
                .to_ascii_lowercase();
            if URL_ATTRIBUTES.contains(&name)
                && ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| scheme.starts_with(s))
            {
                report.fail(format!("{label}: {name}={value:?} on <{tag}>"));
            }
            for (_, n) in markers_in(value) {
                let whole = squash(value);
                let covered = corpus
                    .forms
                    .get(&n)
                    .is_some_and(|forms| forms.iter().any(|f| whole.contains(f.as_str())));
                if !covered {
                    report.fail(format!(
                        "{label}: attribute {name}={value:?} on <{tag}> holds a piece of payload {n}"
                    ));
                }
            }
        }
    }
    if logouts > 1 {
        report.fail(format!("{label}: {logouts} forms posting to /deconnexion"));
    }
    let (mut new, mut old) = (String::new(), String::new());
    for node in doc.tree.root().descendants() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        let mut in_ins = false;
        let mut in_del = false;
        let mut skip = false;
        for ancestor in node.ancestors() {
            if let Some(element) = ancestor.value().as_element() {
                match element.name() {
                    "ins" => in_ins = true,
                    "del" => in_del = true,
                    "script" | "style" | "template" => skip = true,
                    _ => {}
                }
            }
        }
        let parent = node.parent().and_then(|p| p.value().as_element());
        // The "ajouté : " / "supprimé : " said before each change of a diff.
        let hidden_prefix = parent
            .is_some_and(|p| p.name() == "span" && p.classes().any(|c| c == "visually-hidden"))
            && node
                .parent()
                .and_then(|p| p.parent())
                .and_then(|g| g.value().as_element())
                .is_some_and(|g| matches!(g.name(), "ins" | "del"));
        // Line numbers in the reader's margin are not part of the text.
        let line_number = parent.is_some_and(|p| p.classes().any(|c| c == "line__number"));
        if skip || hidden_prefix || line_number {
            continue;
        }
        if text.contains(MARK)
            && let Some(parent) = parent
            && !TEXT_TAGS.contains(&parent.name())
        {
            report.fail(format!(
                "{label}: payload text directly inside <{}>: {:?}",
                parent.name(),
                text.to_string()
            ));
        }
        let squashed = squash(text);
        if !in_del {
            new.push_str(&squashed);
        }
        if !in_ins {
            old.push_str(&squashed);
        }
    }
    check_markers(report, corpus, label, &new, extra_forms);
    // Without a deletion, the old side is the same text.
    if old != new {
        check_markers(report, corpus, label, &old, extra_forms);
    }
    Some(Shown {
        page,
        doc,
        new,
        old,
    })
}

/// Every marker in `text` must sit inside one whole form of its payload: a marker whose neighbours are missing
/// lost them to markup.
fn check_markers(report: &Report, corpus: &Corpus, label: &str, text: &str, extra: &[String]) {
    let mut oversized = BTreeSet::new();
    for (at, n) in markers_in(text) {
        if n >= OVERSIZED_FROM {
            if oversized.insert(n) {
                report.fail(format!("{label}: an over-long text (payload {n}) is shown"));
            }
            continue;
        }
        let Some(payload) = corpus.get(n) else {
            report.fail(format!("{label}: unknown marker {n}"));
            continue;
        };
        let marker = payload.marker.as_str();
        let mut forms = corpus
            .forms
            .get(&n)
            .into_iter()
            .flatten()
            .chain(extra.iter().filter(|f| f.contains(marker)));
        // The marker at `at` must be the marker of one whole form written around it.
        let covered = forms.any(|form| {
            form.match_indices(marker).any(|(offset, _)| {
                at.checked_sub(offset)
                    .and_then(|start| text.get(start..start + form.len()))
                    == Some(form.as_str())
            })
        });
        if !covered {
            report.fail(format!(
                "{label}: payload {n} ({}) shown without the rest of its text: {}",
                payload.family,
                excerpt(text, at)
            ));
        }
    }
}

impl Shown<'_> {
    /// The stored `text` is shown, whole, as text.
    fn shows(&self, report: &Report, what: &str, text: &str) {
        let squashed = squash(text);
        if squashed.is_empty() {
            return;
        }
        if !self.new.contains(&squashed) && !self.old.contains(&squashed) {
            report.fail(format!(
                "{}: {what} is not shown: {text:?}",
                self.page.label
            ));
        }
    }

    /// As [`Shown::shows`], where the text is shown in one piece: its escaped form is in the raw page too.
    fn shows_plain(&self, report: &Report, what: &str, text: &str) {
        self.shows(report, what, text);
        if let Some(probe) = escaped_probe(text)
            && !self.page.body.contains(&probe)
        {
            report.fail(format!(
                "{}: {what}: escaped form {probe:?} not in the page",
                self.page.label
            ));
        }
    }

    /// The textarea `id` holds exactly `text`.
    fn textarea(&self, report: &Report, id: &str, text: &str) {
        let found: Vec<String> = self
            .doc
            .tree
            .root()
            .descendants()
            .filter_map(|n| {
                let element = n.value().as_element()?;
                (element.name() == "textarea" && element.attr("id") == Some(id)).then(|| {
                    n.descendants()
                        .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                        .collect::<String>()
                })
            })
            .collect();
        match found.as_slice() {
            [one] if one == text => {}
            [one] => report.fail(format!(
                "{}: textarea #{id} holds {one:?}, not {text:?}",
                self.page.label
            )),
            _ => report.fail(format!(
                "{}: {} textareas #{id} (one expected, holding {text:?})",
                self.page.label,
                found.len()
            )),
        }
        if let Some(probe) = escaped_probe(text)
            && !self.page.body.contains(&probe)
        {
            report.fail(format!(
                "{}: textarea #{id}: escaped form {probe:?} not in the page",
                self.page.label
            ));
        }
    }

    /// The document's `<title>` is `title — Hémicycle`.
    fn title(&self, report: &Report, title: &str) {
        let titles: Vec<String> = self
            .doc
            .tree
            .root()
            .descendants()
            .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "title"))
            .map(|n| {
                n.descendants()
                    .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                    .collect::<String>()
            })
            .collect();
        let expected = format!("{title} — Hémicycle");
        if titles != [expected.clone()] {
            report.fail(format!(
                "{}: <title> is {titles:?}, not [{expected:?}]",
                self.page.label
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Exports

/// A text to find in an export: its stored form (the JSON's `text`) and what readers see (French typography).
fn display(stored: &str) -> String {
    french(stored)
}

/// Markdown's escaping of user text (`app/dossier/src/markdown.rs`): what must be found in the file.
fn markdown_inline(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '$' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Markdown without its numbering (`12 | `, padded) and hard breaks, so a paragraph wrapped over two lines
/// reads as one.
fn markdown_joined(md: &str) -> String {
    md.lines()
        .map(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let after = line[digits..].trim_start_matches(' ');
            if digits > 0 && after.starts_with("| ") {
                let text = &after[2..];
                // A hard break is one backslash more than escaped backslashes: an odd count.
                let backslashes = text.chars().rev().take_while(|c| *c == '\\').count();
                if backslashes % 2 == 1 {
                    text[..text.len() - 1].to_owned()
                } else {
                    text.to_owned()
                }
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_markdown(report: &Report, corpus: &Corpus, label: &str, md: &str, texts: &[String]) {
    if md.contains('\0') {
        report.fail(format!("{label}: raw U+0000"));
    }
    // Escaped, a tag reads `\<b\>`: only an unescaped `<` opens markup.
    raw_markup_unless(report, corpus, label, md, true);
    let joined = squash(&markdown_joined(md));
    for text in texts {
        let escaped = squash(&markdown_inline(text));
        let block = format!("\\{escaped}");
        let numbered = escaped
            .find(['.', ')'])
            .filter(|i| escaped[..*i].chars().all(|c| c.is_ascii_digit()) && *i > 0)
            .map(|i| format!("{}\\{}", &escaped[..i], &escaped[i..]));
        if !joined.contains(&escaped)
            && !joined.contains(&block)
            && !numbered.is_some_and(|n| joined.contains(&n))
        {
            report.fail(format!(
                "{label}: {text:?} is not in the Markdown as escaped text ({escaped:?})"
            ));
        }
    }
}

/// No tag of a payload followed by its marker, raw.
fn raw_markup(report: &Report, corpus: &Corpus, label: &str, raw: &str) {
    raw_markup_unless(report, corpus, label, raw, false);
}

/// As [`raw_markup`]; with `backslash`, a tag whose `<` is backslash-escaped (Markdown) is text.
fn raw_markup_unless(report: &Report, corpus: &Corpus, label: &str, raw: &str, backslash: bool) {
    let mut oversized = BTreeSet::new();
    for (at, n) in markers_in(raw) {
        if n >= OVERSIZED_FROM && oversized.insert(n) {
            report.fail(format!("{label}: an over-long text (payload {n}) is there"));
        }
        let end = at + MARK.len() + 4;
        for form in corpus.dangerous.get(&n).into_iter().flatten() {
            let Some(start) = end.checked_sub(form.len()) else {
                continue;
            };
            if raw.get(start..end) == Some(form.as_str())
                && !(backslash && raw[..start].ends_with('\\'))
            {
                report.fail(format!("{label}: raw markup {form:?} from payload {n}"));
            }
        }
    }
}

/// Whether `c` may appear in an XML 1.0 document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn check_odt(report: &Report, corpus: &Corpus, label: &str, odt: &[u8], texts: &[String]) {
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(odt)) {
        Ok(archive) => archive,
        Err(err) => {
            report.fail(format!("{label}: not a ZIP: {err}"));
            return;
        }
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.ends_with(".xml"))
        .map(|n| n.into_owned())
        .collect();
    if !names.iter().any(|n| n == "content.xml") {
        report.fail(format!("{label}: no content.xml"));
    }
    for name in names {
        let mut xml = String::new();
        let read = archive
            .by_name(&name)
            .map_err(|e| e.to_string())
            .and_then(|mut f| f.read_to_string(&mut xml).map_err(|e| e.to_string()));
        if let Err(err) = read {
            report.fail(format!("{label}: {name} unreadable: {err}"));
            continue;
        }
        let label = format!("{label} {name}");
        let text = xml_text(report, corpus, &label, &xml);
        if name == "content.xml"
            && let Some(text) = text
        {
            let squashed = squash(&text);
            check_markers(report, corpus, &label, &squashed, &[]);
            for expected in texts {
                let expected: String = expected.chars().filter(|c| xml_char(*c)).collect();
                // The title page writes the edition's title in capitals.
                if !squashed.contains(&squash(&expected))
                    && !squashed.contains(&squash(&expected.to_uppercase()))
                {
                    report.fail(format!("{label}: {expected:?} is not in its text"));
                }
            }
        }
    }
}

/// Checks an XML part (well-formed, every character allowed, no markup from a payload) and answers its text.
fn xml_text(report: &Report, corpus: &Corpus, label: &str, xml: &str) -> Option<String> {
    if let Some((at, c)) = xml.char_indices().find(|(_, c)| !xml_char(*c)) {
        report.fail(format!(
            "{label}: U+{:04X}, not allowed in XML, at {}",
            u32::from(c),
            excerpt(xml, at)
        ));
    }
    raw_markup(report, corpus, label, xml);
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut text = String::new();
    let mut depth = 0_usize;
    // Inside a line number (`<text:span text:style-name="Line_20_number">`), from this depth.
    let mut number: Option<usize> = None;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Text(t)) => match t.unescape() {
                Ok(t) if number.is_none() => text.push_str(&t),
                Ok(_) => {}
                Err(err) => {
                    report.fail(format!(
                        "{label}: text unreadable at {}: {err}",
                        reader.buffer_position()
                    ));
                    return None;
                }
            },
            Ok(quick_xml::events::Event::CData(_)) => {
                report.fail(format!("{label}: a CDATA section"));
            }
            Ok(quick_xml::events::Event::DocType(_)) => {
                report.fail(format!("{label}: a DOCTYPE"));
            }
            Ok(quick_xml::events::Event::End(_)) => {
                if number == Some(depth) {
                    number = None;
                }
                depth = depth.saturating_sub(1);
            }
            Ok(
                event @ (quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)),
            ) => {
                let (quick_xml::events::Event::Start(element)
                | quick_xml::events::Event::Empty(element)) = &event
                else {
                    continue;
                };
                if matches!(event, quick_xml::events::Event::Start(_)) {
                    depth += 1;
                    let line_number = element.attributes().flatten().any(|a| {
                        a.key.as_ref() == b"text:style-name"
                            && a.value.as_ref() == b"Line_20_number"
                    });
                    if line_number && number.is_none() {
                        number = Some(depth);
                    }
                }
                let name = String::from_utf8_lossy(element.name().as_ref()).into_owned();
                // Every element of an ODF part is in a namespace (`text:p`, `office:body`…).
                if name.contains("inj") || !name.contains(':') {
                    report.fail(format!("{label}: element <{name}>"));
                }
                for attribute in element.attributes() {
                    match attribute {
                        Ok(a) => {
                            let value = String::from_utf8_lossy(&a.value).into_owned();
                            for (_, n) in markers_in(&value) {
                                let whole = squash(&value);
                                let covered = corpus.forms.get(&n).is_some_and(|forms| {
                                    forms.iter().any(|f| {
                                        // Attribute values are still escaped here.
                                        whole.contains(f.as_str())
                                            || whole.contains(&squash(&xml_escape(f)))
                                    })
                                });
                                if !covered {
                                    report.fail(format!(
                                        "{label}: a piece of payload {n} in an attribute of <{name}>: {value:?}"
                                    ));
                                }
                            }
                        }
                        Err(err) => report.fail(format!("{label}: attribute of <{name}>: {err}")),
                    }
                }
            }
            Ok(_) => {}
            Err(err) => {
                report.fail(format!(
                    "{label}: not well-formed at {}: {err}",
                    reader.buffer_position()
                ));
                return None;
            }
        }
    }
    if depth != 0 {
        report.fail(format!("{label}: {depth} elements left open"));
    }
    Some(text)
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn pdf_text(pdf: &[u8]) -> Option<String> {
    let path =
        std::env::temp_dir().join(format!("hemicycle-injection-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, pdf).ok()?;
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output();
    std::fs::remove_file(&path).ok();
    let output = output.ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn check_pdf(report: &Report, label: &str, pdf: &[u8], texts: &[String]) {
    if !pdf.starts_with(b"%PDF-") {
        report.fail(format!("{label}: not a PDF"));
        return;
    }
    let Some(text) = pdf_text(pdf) else {
        report.fail(format!("{label}: pdftotext cannot read it"));
        return;
    };
    if text.contains("root:") {
        report.fail(format!("{label}: /etc/passwd was read into the PDF"));
    }
    // Line numbers sit in the margin: the text of a line never holds them, but pdftotext may put them anywhere.
    let flat = loose(&text);
    let unnumbered = loose(
        &text
            .lines()
            .map(|l| l.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' '))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    for expected in texts {
        let wanted = loose(expected);
        if !wanted.is_empty() && !flat.contains(&wanted) && !unnumbered.contains(&wanted) {
            report.fail(format!("{label}: {expected:?} is not in the PDF's text"));
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The scenario

/// The signed-in people and the demo motion's edition.
struct Cast {
    people: People,
    edition: i32,
}

/// A delegate created from an invitation with a payload as names and collectivity.
struct Invited {
    cookie: String,
}

/// Everything a run shows: its corpus slice and where its texts went.
struct Run<'c> {
    app: &'c TestApp,
    corpus: &'c Corpus,
    report: &'c Report,
    cast: &'c Cast,
    chosen: Vec<&'c Payload>,
}

impl<'c> Run<'c> {
    fn payload(&self, i: usize) -> &'c Payload {
        self.chosen[i % self.chosen.len()]
    }

    /// Calls a server function that must store what it is given; answers the body.
    async fn act(
        &self,
        what: String,
        cookie: &str,
        form: Vec<(&'static str, String)>,
    ) -> Option<String> {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        submit(
            self.app,
            self.report,
            &what,
            Some(cookie),
            &pairs,
            Expect::Stored,
        )
        .await
    }

    /// Registrations, a CSV import, rejections and invitation addresses: names, collectivities, e-mails, reasons.
    async fn members(&self) {
        let (app, report) = (self.app, self.report);
        let organizer = self.cast.people.organizer.as_str();
        // A hall registers from many addresses: each client here speaks from its own loopback address, so the
        // per-address limit (100 an hour) is not what this test meets.
        let clients: Vec<reqwest::Client> = (2..12)
            .map(|last| {
                reqwest::Client::builder()
                    .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
                    .build()
                    .expect("a client on a loopback address")
            })
            .collect();
        let register = |client: &reqwest::Client, form: Vec<(&'static str, String)>| {
            let request = client
                .post(app.url("/api/fn/register"))
                .header("origin", app.url(""))
                .form(&form);
            async move {
                let response = request.send().await.expect("sent");
                let status = response.status().as_u16();
                (status, response.text().await.expect("body"))
            }
        };
        for (i, p) in self.chosen.iter().enumerate() {
            let client = &clients[(2 * i / 90) % clients.len()];
            let input = RegistrationInput {
                given_name: p.text.clone(),
                usual_name: p.text.clone(),
                email: format!("inscription-{}@exemple.fr", p.n),
                phone: String::new(),
                function: "maire".to_owned(),
                collectivity: p.text.clone(),
                collectivity_code: "75056".to_owned(),
            };
            let expect = if check_registration(&input).is_ok() {
                Expect::Stored
            } else {
                Expect::Refused
            };
            let (status, body) = register(client, registration_form(&input)).await;
            judge(
                report,
                &format!("register names ({})", p.marker),
                status,
                &body,
                expect,
            );
            let input = RegistrationInput {
                email: format!("{}@exemple.fr", p.text),
                given_name: "Prénom".to_owned(),
                usual_name: "Nom".to_owned(),
                collectivity: "Commune".to_owned(),
                ..input
            };
            let expect = if check_registration(&input).is_ok() {
                Expect::Stored
            } else {
                Expect::Refused
            };
            let client = &clients[((2 * i + 1) / 90) % clients.len()];
            let (status, body) = register(client, registration_form(&input)).await;
            judge(
                report,
                &format!("register email ({})", p.marker),
                status,
                &body,
                expect,
            );
        }
        for p in oversized() {
            let input = RegistrationInput {
                given_name: p.text.clone(),
                usual_name: "Nom".to_owned(),
                email: format!("trop-long-{}@exemple.fr", p.n),
                phone: String::new(),
                function: "maire".to_owned(),
                collectivity: p.text.clone(),
                collectivity_code: "75056".to_owned(),
            };
            let (status, body) = register(&clients[9], registration_form(&input)).await;
            judge(
                report,
                &format!("register ({})", p.marker),
                status,
                &body,
                Expect::Refused,
            );
            let input = RegistrationInput {
                email: format!("{}@exemple.fr", p.text),
                given_name: "Prénom".to_owned(),
                collectivity: "Commune".to_owned(),
                ..input
            };
            let (status, body) = register(&clients[9], registration_form(&input)).await;
            judge(
                report,
                &format!("register email ({})", p.marker),
                status,
                &body,
                Expect::Refused,
            );
        }
        // The CSV import: every payload as first name, name and collectivity, quoted as a spreadsheet would.
        let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
        let mut csv = String::from("prenom;nom;email;fonction;collectivite;code;role\n");
        for p in &self.chosen {
            let _ = writeln!(
                csv,
                "{};{};import-{}@exemple.fr;maire;{};75056;delegate",
                quote(&p.text),
                quote(&p.text),
                p.n,
                quote(&p.text)
            );
        }
        for p in oversized() {
            let _ = writeln!(
                csv,
                "{};Nom;import-{}@exemple.fr;maire;Commune;75056;delegate",
                quote(&p.text),
                p.n
            );
        }
        if let Some(body) = submit(
            app,
            report,
            "preview_import",
            Some(organizer),
            &[("csv", &csv)],
            Expect::Stored,
        )
        .await
        {
            check_json_markers(report, self.corpus, "preview_import", &body);
        }
        submit(
            app,
            report,
            "confirm_import",
            Some(organizer),
            &[("csv", &csv)],
            Expect::Stored,
        )
        .await;
        // Rejections with a reason: the registered (pending) members.
        let rows = self.member_rows().await;
        let by_email: BTreeMap<&str, i32> = rows
            .iter()
            .map(|r| (r.email.as_str(), r.member_id))
            .collect();
        for (i, p) in self.chosen.iter().enumerate() {
            let Some(id) = by_email.get(format!("inscription-{}@exemple.fr", p.n).as_str()) else {
                continue;
            };
            let reason = self.payload(i + 1);
            submit(
                app,
                report,
                &format!("set_member_status ({}, reason)", reason.marker),
                Some(organizer),
                &[
                    ("member_id", &id.to_string()),
                    ("status", "rejected"),
                    ("reason", &reason.text),
                ],
                within(&reason.text, usize::MAX),
            )
            .await;
        }
        // A registered (and rejected) member: never one of the demo's, who act elsewhere meanwhile.
        if let Some(id) = by_email
            .iter()
            .find(|(email, _)| email.starts_with("inscription-"))
            .map(|(_, id)| id)
        {
            for p in oversized() {
                submit(
                    app,
                    report,
                    &format!("set_member_status ({}, reason)", p.marker),
                    Some(organizer),
                    &[
                        ("member_id", &id.to_string()),
                        ("status", "rejected"),
                        ("reason", &p.text),
                    ],
                    Expect::Refused,
                )
                .await;
            }
        }

        // Invitations: the e-mail an organizer types, as the invitation page shows it. Only what could be an
        // address is kept (the link creates the account of that address); the rest is refused, typed.
        for p in &self.chosen {
            let expect = if domain::registration::is_plausible_email(&p.text.trim().to_lowercase())
            {
                Expect::Stored
            } else {
                Expect::Refused
            };
            let Some(body) = submit(
                app,
                report,
                &format!("create_invitation ({}, email)", p.marker),
                Some(organizer),
                &[("role", "delegate"), ("email", &p.text)],
                expect,
            )
            .await
            else {
                continue;
            };
            // The page of every invitation whose address could break something.
            if !matches!(
                p.family,
                "html" | "attribute" | "url" | "xml" | "control" | "bidi"
            ) {
                continue;
            }
            let link: String = serde_json::from_str(&body).expect("a link");
            let path = link
                .find("/invitation/")
                .map(|at| link[at..].to_owned())
                .expect("an invitation path");
            let page = fetch(app, &path, None).await;
            if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
                shown.shows_plain(report, "the invited address", &p.text.trim().to_lowercase());
            }
        }
        for p in oversized() {
            submit(
                app,
                report,
                &format!("create_invitation ({}, email)", p.marker),
                Some(organizer),
                &[("role", "delegate"), ("email", &p.text)],
                Expect::Refused,
            )
            .await;
        }
    }

    /// Delegates invited for every third payload, which they type as their names and collectivity; verified,
    /// they file amendments (so the payloads are authors' names on pages and in exports).
    async fn invitations(&self) -> Vec<Invited> {
        let (app, report) = (self.app, self.report);
        let organizer = self.cast.people.organizer.as_str();
        let mut invited = Vec::new();
        for p in self.chosen.iter().step_by(3) {
            let Some(body) = submit(
                app,
                report,
                "create_invitation",
                Some(organizer),
                &[("role", "delegate")],
                Expect::Stored,
            )
            .await
            else {
                continue;
            };
            let link: String = serde_json::from_str(&body).expect("a link");
            let token = link.rsplit('/').next().expect("a token").to_owned();
            let input = RegistrationInput {
                given_name: p.text.clone(),
                usual_name: p.text.clone(),
                email: format!("invitation-{}@exemple.fr", p.n),
                phone: String::new(),
                function: "adjoint".to_owned(),
                collectivity: p.text.clone(),
                collectivity_code: "2A004".to_owned(),
            };
            let expect = if check_registration(&input).is_ok() {
                Expect::Stored
            } else {
                Expect::Refused
            };
            let response = app
                .client
                .post(app.url("/api/fn/accept_invitation"))
                .header("origin", app.url(""))
                .form(&[
                    ("token", token.as_str()),
                    ("given_name", &input.given_name),
                    ("usual_name", &input.usual_name),
                    ("email", &input.email),
                    ("function", &input.function),
                    ("collectivity", &input.collectivity),
                    ("collectivity_code", &input.collectivity_code),
                    ("password", "une phrase de passe assez longue"),
                ])
                .send()
                .await
                .expect("sent");
            let cookie = session_cookie(&response);
            let status = response.status().as_u16();
            let body = response.text().await.expect("body");
            let what = format!("accept_invitation ({}, names)", p.marker);
            if judge(report, &what, status, &body, expect) {
                match cookie {
                    Some(cookie) => invited.push(Invited { cookie }),
                    None => report.fail(format!("{what}: no session cookie")),
                }
            }
        }
        let rows = self.member_rows().await;
        for row in rows.iter().filter(|r| {
            r.email.starts_with("invitation-") && r.status != domain::member::MemberStatus::Verified
        }) {
            submit(
                app,
                report,
                "set_member_status",
                Some(organizer),
                &[
                    ("member_id", &row.member_id.to_string()),
                    ("status", "verified"),
                ],
                Expect::Stored,
            )
            .await;
        }
        invited
    }

    async fn member_rows(&self) -> Vec<MemberRowDto> {
        let (status, body) = self
            .app
            .call("list_members", Some(&self.cast.people.organizer), &[])
            .await;
        assert_eq!(status, 200, "list_members: {body}");
        serde_json::from_str(&body).expect("members")
    }

    /// The participants page shows every member's names, address, collectivity and reason.
    async fn participants_page(&self) {
        let rows = self.member_rows().await;
        let page = fetch(
            self.app,
            "/organisation/participants",
            Some(&self.cast.people.organizer),
        )
        .await;
        let Some(shown) = check_page(self.report, self.corpus, &page, &[]) else {
            return;
        };
        let mut marked = 0;
        for row in rows.iter().filter(|r| {
            [&r.given_name, &r.usual_name, &r.email, &r.collectivity]
                .iter()
                .any(|t| t.contains(MARK))
                || r.status_reason.as_deref().is_some_and(|t| t.contains(MARK))
        }) {
            marked += 1;
            shown.shows_plain(self.report, "a given name", &row.given_name);
            shown.shows(
                self.report,
                "a name",
                &format!("{} {}", row.given_name, row.usual_name),
            );
            shown.shows_plain(self.report, "an address", &row.email);
            shown.shows_plain(self.report, "a collectivity", &row.collectivity);
            if let Some(reason) = &row.status_reason {
                shown.shows_plain(self.report, "a rejection reason", reason);
            }
        }
        // Registered, imported and invited for every payload that fits a name: hundreds of rows.
        if marked < self.chosen.len() {
            self.report.fail(format!(
                "/organisation/participants: only {marked} members carry a payload"
            ));
        }
        // What was stored is what was typed, normalized.
        for row in &rows {
            for (what, value) in [
                ("given name", &row.given_name),
                ("collectivity", &row.collectivity),
            ] {
                if let Some((_, n)) = markers_in(value).first()
                    && let Some(p) = self.corpus.get(*n)
                    && *value != normalize(&p.text)
                {
                    self.report.fail(format!(
                        "member {}: {what} stored as {value:?}, not the normalized {:?}",
                        row.member_id,
                        normalize(&p.text)
                    ));
                }
            }
            if let Some(reason) = &row.status_reason
                && let Some((_, n)) = markers_in(reason).first()
                && let Some(p) = self.corpus.get(*n)
                && *reason != normalize(&p.text)
            {
                self.report.fail(format!(
                    "member {}: reason stored as {reason:?}, not {:?}",
                    row.member_id,
                    normalize(&p.text)
                ));
            }
        }
    }

    /// One edition per payload (title and place) and one motion per payload (title, preamble, draft), in the
    /// current edition so organizers export it before any vote.
    async fn title_motions(&self) -> Vec<(i32, usize)> {
        let (app, report) = (self.app, self.report);
        let organizer = self.cast.people.organizer.as_str();
        let edition = self.cast.edition.to_string();
        let mut created = Vec::new();
        for (i, p) in self.chosen.iter().enumerate() {
            let (place, title, preamble, draft) = (
                self.payload(i + 1),
                self.payload(i + 2),
                self.payload(i + 3),
                self.payload(i + 4),
            );
            // Earlier than the demo congress: it stays the current edition.
            let date = format!(
                "{}-{:02}-{:02}",
                2001 + i / 336,
                1 + (i / 28) % 12,
                1 + i % 28
            );
            submit(
                app,
                report,
                &format!(
                    "create_edition ({}, title; {}, place)",
                    p.marker, place.marker
                ),
                Some(organizer),
                &[
                    ("title", &p.text),
                    ("place", &place.text),
                    ("starts_on", &date),
                    ("ends_on", &date),
                ],
                Expect::Stored,
            )
            .await;
            let full_draft = format!("{}\n\nAlinéa final.", draft.text);
            let expect = if parse_draft(&full_draft).is_ok() {
                Expect::Stored
            } else {
                Expect::Refused
            };
            let form = |draft: &str| {
                vec![
                    ("edition_id", edition.clone()),
                    ("title", title.text.clone()),
                    ("preamble", preamble.text.clone()),
                    ("line_width", "80".to_owned()),
                    ("min_cosigners", "0".to_owned()),
                    ("draft", draft.to_owned()),
                ]
            };
            let what = format!(
                "create_motion ({}, title; {}, preamble; {}, draft)",
                title.marker, preamble.marker, draft.marker
            );
            let mut answer = self.send(&what, organizer, form(&full_draft), expect).await;
            if answer.is_none() && expect == Expect::Refused {
                answer = self
                    .send(
                        "create_motion",
                        organizer,
                        form("Alinéa final."),
                        Expect::Stored,
                    )
                    .await;
            }
            let Some(id) = answer.and_then(|body| body.parse::<i32>().ok()) else {
                continue;
            };
            // More draft, appended: the payload then a paragraph (a heading alone is no draft).
            let import = self.payload(i + 5);
            let more = format!("{}\n\nAlinéa final.", import.text);
            let expect = if parse_draft(&more).is_ok() {
                Expect::Stored
            } else {
                Expect::Refused
            };
            self.send(
                &format!("import_draft ({})", import.marker),
                organizer,
                vec![("motion_id", id.to_string()), ("draft", more)],
                expect,
            )
            .await;
            created.push((id, i));
        }
        // Over-long texts, in every field of both forms.
        for p in oversized() {
            for field in ["title", "place"] {
                let mut form = vec![
                    ("title", "Édition"),
                    ("place", "Lieu"),
                    ("starts_on", "2000-01-01"),
                    ("ends_on", "2000-01-01"),
                ];
                form.retain(|(k, _)| *k != field);
                form.push((field, &p.text));
                submit(
                    app,
                    report,
                    &format!("create_edition ({}, {field})", p.marker),
                    Some(organizer),
                    &form,
                    Expect::Refused,
                )
                .await;
            }
            for field in ["title", "preamble", "draft"] {
                let mut form = vec![
                    ("edition_id", edition.as_str()),
                    ("title", "Motion"),
                    ("preamble", ""),
                    ("line_width", "80"),
                    ("min_cosigners", "0"),
                    ("draft", "Alinéa."),
                ];
                form.retain(|(k, _)| *k != field);
                form.push((field, &p.text));
                submit(
                    app,
                    report,
                    &format!("create_motion ({}, {field})", p.marker),
                    Some(organizer),
                    &form,
                    Expect::Refused,
                )
                .await;
            }
        }
        created
    }

    /// Calls a server function with owned form values.
    async fn send(
        &self,
        what: &str,
        cookie: &str,
        form: Vec<(&'static str, String)>,
        expect: Expect,
    ) -> Option<String> {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        submit(self.app, self.report, what, Some(cookie), &pairs, expect).await
    }

    /// The reader of each title motion (its `<title>` above all) and its JSON, Markdown and ODT exports.
    async fn check_title_motion(&self, motion: i32, i: usize) {
        let (app, report) = (self.app, self.report);
        let organizer = self.cast.people.organizer.as_str();
        let (title, preamble, draft) = (
            self.payload(i + 2),
            self.payload(i + 3),
            self.payload(i + 4),
        );
        let mut stored_draft = draft_texts(&draft.text);
        stored_draft.extend(draft_texts(&self.payload(i + 5).text));
        let page = fetch(app, &format!("/motions/{motion}"), Some(organizer)).await;
        if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
            shown.title(report, &normalize(&title.text));
            shown.shows_plain(report, "the motion's title", &normalize(&title.text));
            shown.shows_plain(report, "the preamble", &normalize(&preamble.text));
            for text in &stored_draft {
                shown.shows(report, "the draft", text);
            }
        }
        let label = |file: &str| format!("{file} of motion {motion} ({})", title.marker);
        let (status, json) = export(app, motion, "motion.json", organizer).await;
        match serde_json::from_slice::<MotionDocument>(&json) {
            Ok(doc) if status == 200 => {
                let checks = [
                    (
                        "stored_title",
                        doc.stored_title.clone(),
                        normalize(&title.text),
                    ),
                    ("title", doc.title.clone(), french(&normalize(&title.text))),
                    (
                        "stored_preamble",
                        doc.stored_preamble.clone(),
                        normalize(&preamble.text),
                    ),
                    (
                        "preamble",
                        doc.preamble.clone(),
                        french(&normalize(&preamble.text)),
                    ),
                ];
                for (field, got, wanted) in checks {
                    if got != wanted {
                        report.fail(format!(
                            "{}: {field} is {got:?}, not {wanted:?}",
                            label("motion.json")
                        ));
                    }
                }
                let stored: Vec<&str> = doc
                    .sections
                    .iter()
                    .flat_map(|s| {
                        std::iter::once(s.stored_title.as_str())
                            .chain(s.paragraphs.iter().map(|p| p.text.as_str()))
                    })
                    .collect();
                for text in &stored_draft {
                    if !stored.contains(&text.as_str()) {
                        report.fail(format!(
                            "{}: the draft's {text:?} is missing",
                            label("motion.json")
                        ));
                    }
                }
            }
            Ok(_) | Err(_) => report.fail(format!(
                "{}: status {status}, {}",
                label("motion.json"),
                String::from_utf8_lossy(&json)
                    .chars()
                    .take(200)
                    .collect::<String>()
            )),
        }
        let mut shown_texts: Vec<String> = [&title, &preamble]
            .iter()
            .map(|p| display(&normalize(&p.text)))
            .collect();
        shown_texts.extend(stored_draft.iter().map(|t| display(t)));
        let (status, md) = export(app, motion, "motion.md", organizer).await;
        if status == 200 {
            check_markdown(
                report,
                self.corpus,
                &label("motion.md"),
                &String::from_utf8_lossy(&md),
                &shown_texts,
            );
        } else {
            report.fail(format!("{}: status {status}", label("motion.md")));
        }
        let (status, odt) = export(app, motion, "motion.odt", organizer).await;
        if status == 200 {
            check_odt(
                report,
                self.corpus,
                &label("motion.odt"),
                &odt,
                &shown_texts,
            );
        } else {
            report.fail(format!("{}: status {status}", label("motion.odt")));
        }
    }

    /// Editions that become the current one in turn, each with a motion its creator exports: edition title and
    /// place in every export (the title page writes them its own way: uppercase, small capitals, ODT metadata).
    async fn current_editions(&self, pairs: usize) {
        let (app, report) = (self.app, self.report);
        let organizer = self.cast.people.organizer.as_str();
        let step = (self.chosen.len() / pairs).max(1);
        for k in 0..pairs {
            let (title, place) = (self.payload(k * step), self.payload(k * step + 1));
            let date = format!("{}-01-01", 2031 + k);
            let Some(edition) = self
                .send(
                    &format!(
                        "create_edition ({}, title; {}, place)",
                        title.marker, place.marker
                    ),
                    organizer,
                    vec![
                        ("title", title.text.clone()),
                        ("place", place.text.clone()),
                        ("starts_on", date.clone()),
                        ("ends_on", date),
                    ],
                    Expect::Stored,
                )
                .await
            else {
                continue;
            };
            let Some(motion) = self
                .send(
                    "create_motion (in the new current edition)",
                    organizer,
                    vec![
                        ("edition_id", edition),
                        ("title", "Motion finale".to_owned()),
                        ("preamble", String::new()),
                        ("line_width", "80".to_owned()),
                        ("min_cosigners", "0".to_owned()),
                        ("draft", "Alinéa final.".to_owned()),
                    ],
                    Expect::Stored,
                )
                .await
                .and_then(|body| body.parse::<i32>().ok())
            else {
                continue;
            };
            let label =
                |file: &str| format!("{file} of edition {} / {}", title.marker, place.marker);
            let texts = [
                display(&normalize(&title.text)),
                display(&normalize(&place.text)),
            ];
            let (status, json) = export(app, motion, "motion.json", organizer).await;
            match serde_json::from_slice::<MotionDocument>(&json) {
                Ok(doc) if status == 200 => {
                    if doc.edition.title != texts[0] || doc.edition.place != texts[1] {
                        report.fail(format!(
                            "{}: edition {:?} / {:?}, not {:?}",
                            label("motion.json"),
                            doc.edition.title,
                            doc.edition.place,
                            texts
                        ));
                    }
                }
                _ => report.fail(format!("{}: status {status}", label("motion.json"))),
            }
            let (status, md) = export(app, motion, "motion.md", organizer).await;
            if status == 200 {
                check_markdown(
                    report,
                    self.corpus,
                    &label("motion.md"),
                    &String::from_utf8_lossy(&md),
                    &texts,
                );
            } else {
                report.fail(format!("{}: status {status}", label("motion.md")));
            }
            let (status, odt) = export(app, motion, "motion.odt", organizer).await;
            if status == 200 {
                check_odt(report, self.corpus, &label("motion.odt"), &odt, &texts);
            } else {
                report.fail(format!("{}: status {status}", label("motion.odt")));
            }
            let (status, pdf) = export(app, motion, "motion.pdf", organizer).await;
            if status == 200 {
                check_pdf(report, &label("motion.pdf"), &pdf, &texts);
            } else {
                report.fail(format!("{}: status {status}", label("motion.pdf")));
            }
            let page = fetch(app, &format!("/motions/{motion}"), None).await;
            if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
                shown.shows_plain(
                    report,
                    "the current edition in the header",
                    &normalize(&title.text),
                );
            }
        }
    }
}

/// Markers in a JSON answer must come with their whole text (JSON strings are data: only unescaping is needed).
fn check_json_markers(report: &Report, corpus: &Corpus, label: &str, body: &str) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        report.fail(format!("{label}: not JSON"));
        return;
    };
    let mut strings = Vec::new();
    collect_strings(&value, &mut strings);
    for s in strings {
        check_markers(report, corpus, label, &squash(&s), &[]);
    }
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

fn registration_form(input: &RegistrationInput) -> Vec<(&'static str, String)> {
    vec![
        ("given_name", input.given_name.clone()),
        ("usual_name", input.usual_name.clone()),
        ("email", input.email.clone()),
        ("phone", input.phone.clone()),
        ("function", input.function.clone()),
        ("collectivity", input.collectivity.clone()),
        ("collectivity_code", input.collectivity_code.clone()),
    ]
}

/// What a batch motion gave payload `j`.
#[derive(Default)]
struct Slot {
    paragraph: i32,
    /// The paragraph's version the next command sees.
    version: u32,
    /// Filed neutral by an invited delegate (payload names), in conflict after the editorial fix, resolved with a
    /// payload.
    conflicted: Option<i32>,
    /// Filed with a payload, then edited to another; put to the vote (and rejected).
    edited: Option<i32>,
    /// The conflicted one, once declared inadmissible with a payload reason.
    inadmissible: Option<i32>,
    ballot: Option<i32>,
}

/// The fields a batch motion fills: field `k` of paragraph `j` gets payload `j + k` of the batch.
const DRAFT_EDIT: usize = 0;
const FIX_TEXT: usize = 1;
const FIX_REASON: usize = 2;
const RESOLVED: usize = 3;
const FILED_TEXT: usize = 4;
const FILED_RATIONALE: usize = 5;
const EDITED_TEXT: usize = 6;
const EDITED_RATIONALE: usize = 7;
const INADMISSIBLE: usize = 8;
const ORDER_REASON: usize = 9;
const BALLOT_TITLE: usize = 10;
const HALL_LABEL: usize = 11;
/// A batch needs more payloads than fields, so one paragraph never gets the same text twice.
const FIELDS: usize = 12;

/// A batch of payloads and the texts its motion stores.
struct Batch<'c> {
    payloads: Vec<&'c Payload>,
    number: usize,
}

impl Batch<'_> {
    fn p(&self, j: usize, k: usize) -> &Payload {
        self.payloads[(j + k) % self.payloads.len()]
    }

    /// What field `k` of paragraph `j` stores.
    fn stored(&self, j: usize, k: usize) -> String {
        self.p(j, k).stored.clone()
    }

    fn what(&self, j: usize, k: usize, function: &str) -> String {
        format!("{function} ({})", self.p(j, k).marker)
    }

    fn title(&self) -> String {
        // Every payload is already the title of a motion of this edition, and titles are unique there.
        format!("{} — lot {}", self.payloads[0].text, self.number)
    }

    fn preamble(&self) -> &str {
        &self.payloads[1].text
    }

    fn len(&self) -> usize {
        self.payloads.len()
    }
}

impl Run<'_> {
    /// One motion for a batch: every field of a motion's life, then every page and export.
    async fn batch(&self, batch: &Batch<'_>, invited: &[Invited]) {
        let (app, report) = (self.app, self.report);
        let people = &self.cast.people;
        let size = batch.len();
        assert!(size > FIELDS, "a batch of {size} payloads is too small");
        let label = format!("batch {}", batch.number);

        // The motion, in the draft phase: one neutral paragraph per payload, then edited to it.
        let draft: String = (0..size).map(|j| format!("Zp{j}\n\n")).collect();
        let Some(motion) = self
            .act(
                format!("create_motion ({label})"),
                &people.organizer,
                vec![
                    ("edition_id", self.cast.edition.to_string()),
                    ("title", batch.title()),
                    ("preamble", batch.preamble().to_owned()),
                    ("line_width", "80".to_owned()),
                    ("min_cosigners", "0".to_owned()),
                    ("draft", draft),
                ],
            )
            .await
            .and_then(|body| body.parse::<i32>().ok())
        else {
            return;
        };
        let id = motion.to_string();
        let mut slots: Vec<Slot> = paragraphs(&app.db, motion)
            .await
            .into_iter()
            .map(|(paragraph, _)| Slot {
                paragraph,
                version: 1,
                ..Slot::default()
            })
            .collect();
        assert_eq!(slots.len(), size, "{label}: one paragraph per payload");
        for (j, slot) in slots.iter_mut().enumerate() {
            if self
                .act(
                    batch.what(j, DRAFT_EDIT, "edit_draft_paragraph"),
                    &people.organizer,
                    vec![
                        ("motion_id", id.clone()),
                        ("paragraph_id", slot.paragraph.to_string()),
                        ("seen_version", "1".to_owned()),
                        ("text", batch.p(j, DRAFT_EDIT).text.clone()),
                    ],
                )
                .await
                .is_some()
            {
                slot.version = 2;
            }
        }
        let first = (slots[0].paragraph.to_string(), slots[0].version.to_string());
        for big in oversized() {
            for (function, form) in [
                (
                    "import_draft",
                    vec![("motion_id", id.as_str()), ("draft", &big.text)],
                ),
                (
                    "edit_draft_paragraph",
                    vec![
                        ("motion_id", &id),
                        ("paragraph_id", &first.0),
                        ("seen_version", &first.1),
                        ("text", &big.text),
                    ],
                ),
            ] {
                submit(
                    app,
                    report,
                    &format!("{function} ({})", big.marker),
                    Some(&people.organizer),
                    &form,
                    Expect::Refused,
                )
                .await;
            }
        }
        self.act(
            format!("change_phase ({label}, amending)"),
            &people.organizer,
            vec![("motion_id", id.clone()), ("to", "amending".to_owned())],
        )
        .await;

        // Invited delegates (their names are payloads) author the amendments that will conflict.
        let authors: Vec<&str> = (0..size)
            .map(|j| {
                invited
                    .get((batch.number * size + j) % invited.len().max(1))
                    .map_or(people.karim.as_str(), |i| i.cookie.as_str())
            })
            .collect();
        // A neutral amendment per paragraph, then an editorial fix of the paragraph: a conflict each.
        for (j, slot) in slots.iter_mut().enumerate() {
            slot.conflicted = self
                .act(
                    format!("file_amendment ({label}, neutral {j})"),
                    authors[j],
                    vec![
                        ("motion_id", id.clone()),
                        ("kind", "replace".to_owned()),
                        ("paragraph_id", slot.paragraph.to_string()),
                        ("base_version", slot.version.to_string()),
                        ("text", format!("Zk{j}")),
                        ("rationale", format!("Zr{j}")),
                    ],
                )
                .await
                .map(|body| filed_id(&body));
            if self
                .act(
                    format!(
                        "{} {}",
                        batch.what(j, FIX_TEXT, "editorial_fix"),
                        batch.what(j, FIX_REASON, "reason")
                    ),
                    &people.organizer,
                    vec![
                        ("motion_id", id.clone()),
                        ("paragraph_id", slot.paragraph.to_string()),
                        ("seen_version", slot.version.to_string()),
                        ("text", batch.p(j, FIX_TEXT).text.clone()),
                        ("reason", batch.p(j, FIX_REASON).text.clone()),
                    ],
                )
                .await
                .is_some()
            {
                slot.version += 1;
            }
        }
        let amendments = self.amendments(motion).await;
        let regions: Vec<String> = amendments
            .iter()
            .filter_map(|a| a.conflict.as_ref())
            .flat_map(|c| c.regions.iter().flat_map(|(a, b)| [squash(a), squash(b)]))
            .collect();
        let page = fetch(
            app,
            &format!("/motions/{id}/amendements"),
            Some(&people.organizer),
        )
        .await;
        if let Some(shown) = check_page(report, self.corpus, &page, &regions) {
            for (j, slot) in slots.iter().enumerate() {
                if let Some(k) = slot.conflicted {
                    shown.textarea(
                        report,
                        &format!("resolution-{k}"),
                        &batch.stored(j, FIX_TEXT),
                    );
                }
            }
        }
        self.oversized_fixes(&id, &slots[0]).await;

        // Resolutions; amendments filed, then edited; inadmissibility.
        for (j, slot) in slots.iter_mut().enumerate() {
            if let Some(k) = slot.conflicted {
                self.act(
                    batch.what(j, RESOLVED, "resolve_conflict"),
                    authors[j],
                    vec![
                        ("motion_id", id.clone()),
                        ("amendment_id", k.to_string()),
                        ("text", batch.p(j, RESOLVED).text.clone()),
                    ],
                )
                .await;
            }
            slot.edited = self
                .act(
                    format!(
                        "{} {}",
                        batch.what(j, FILED_TEXT, "file_amendment"),
                        batch.what(j, FILED_RATIONALE, "rationale")
                    ),
                    &people.amelie,
                    vec![
                        ("motion_id", id.clone()),
                        ("kind", "replace".to_owned()),
                        ("paragraph_id", slot.paragraph.to_string()),
                        ("base_version", slot.version.to_string()),
                        ("text", batch.p(j, FILED_TEXT).text.clone()),
                        ("rationale", batch.p(j, FILED_RATIONALE).text.clone()),
                    ],
                )
                .await
                .map(|body| filed_id(&body));
        }
        // What `file_amendment` stored is what was typed, normalized.
        let amendments = self.amendments(motion).await;
        for (j, slot) in slots.iter().enumerate() {
            let found = amendments.iter().find(|a| Some(a.id) == slot.edited);
            if let Some(found) = found
                && (found
                    .author_text
                    .as_deref()
                    .or(found.proposed_text.as_deref())
                    != Some(batch.stored(j, FILED_TEXT).as_str())
                    || found.rationale != batch.stored(j, FILED_RATIONALE))
            {
                report.fail(format!(
                    "amendment {}: filed as {:?} / {:?}, not {:?} / {:?}",
                    found.id,
                    found.author_text,
                    found.rationale,
                    batch.stored(j, FILED_TEXT),
                    batch.stored(j, FILED_RATIONALE)
                ));
            }
        }
        for (j, slot) in slots.iter_mut().enumerate() {
            if let Some(x) = slot.edited {
                self.act(
                    format!(
                        "{} {}",
                        batch.what(j, EDITED_TEXT, "edit_amendment"),
                        batch.what(j, EDITED_RATIONALE, "rationale")
                    ),
                    &people.amelie,
                    vec![
                        ("motion_id", id.clone()),
                        ("amendment_id", x.to_string()),
                        ("base_version", slot.version.to_string()),
                        ("text", batch.p(j, EDITED_TEXT).text.clone()),
                        ("rationale", batch.p(j, EDITED_RATIONALE).text.clone()),
                    ],
                )
                .await;
            }
        }
        self.oversized_amendments(&id, &slots[0]).await;

        // The editors, while amendments are open: the paragraph's text, the amendment's text and rationale.
        for (j, slot) in slots.iter().enumerate() {
            let base = format!("/motions/{id}/paragraphes/{}", slot.paragraph);
            let page = fetch(app, &format!("{base}/amender"), Some(&people.amelie)).await;
            if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
                shown.textarea(report, "amendement-texte", &batch.stored(j, FIX_TEXT));
                shown.shows_plain(report, "the current text", &batch.stored(j, FIX_TEXT));
                shown.shows(report, "the motion's title", &normalize(&batch.title()));
            }
            let page = fetch(app, &format!("{base}/historique"), Some(&people.organizer)).await;
            if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
                shown.textarea(report, "paragraphe-texte", &batch.stored(j, FIX_TEXT));
                shown.shows(report, "the draft edit", &batch.stored(j, DRAFT_EDIT));
                shown.shows_plain(report, "the fix's reason", &batch.stored(j, FIX_REASON));
            }
            if let Some(x) = slot.edited {
                let path = format!("/motions/{id}/amendements/{x}/modifier");
                let page = fetch(app, &path, Some(&people.amelie)).await;
                if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
                    shown.textarea(report, "amendement-texte", &batch.stored(j, EDITED_TEXT));
                    shown.textarea(
                        report,
                        "amendement-expose",
                        &batch.stored(j, EDITED_RATIONALE),
                    );
                }
            }
        }

        // Admissible, then the session: vote orders, then a ballot on each edited amendment.
        for slot in &slots {
            for amendment in [slot.conflicted, slot.edited].into_iter().flatten() {
                self.act(
                    format!("declare_admissible ({label})"),
                    &people.organizer,
                    vec![
                        ("motion_id", id.clone()),
                        ("amendment_id", amendment.to_string()),
                    ],
                )
                .await;
            }
        }
        self.act(
            format!("change_phase ({label}, session)"),
            &people.organizer,
            vec![("motion_id", id.clone()), ("to", "session".to_owned())],
        )
        .await;
        for (j, slot) in slots.iter().enumerate() {
            if let (Some(k), Some(x)) = (slot.conflicted, slot.edited) {
                self.act(
                    batch.what(j, ORDER_REASON, "set_vote_order"),
                    &people.chair,
                    vec![
                        ("motion_id", id.clone()),
                        ("paragraph_id", slot.paragraph.to_string()),
                        ("order", format!("{x},{k}")),
                        ("reason", batch.p(j, ORDER_REASON).text.clone()),
                    ],
                )
                .await;
            }
        }
        // Vote orders are shown while the paragraph has two admissible amendments: before the ballots.
        let page = fetch(app, &format!("/motions/{id}/scrutins"), Some(&people.chair)).await;
        if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
            for (j, slot) in slots.iter().enumerate() {
                if slot.conflicted.is_some() && slot.edited.is_some() {
                    shown.shows_plain(
                        report,
                        "a vote order's reason",
                        &batch.stored(j, ORDER_REASON),
                    );
                }
            }
        }
        self.check_orders(motion, batch, &slots).await;
        // The conflicted amendments are then declared inadmissible (admissible ones may be, in session).
        for (j, slot) in slots.iter_mut().enumerate() {
            let Some(k) = slot.conflicted else {
                continue;
            };
            if self
                .act(
                    batch.what(j, INADMISSIBLE, "declare_inadmissible"),
                    &people.organizer,
                    vec![
                        ("motion_id", id.clone()),
                        ("amendment_id", k.to_string()),
                        ("reason", batch.p(j, INADMISSIBLE).text.clone()),
                    ],
                )
                .await
                .is_some()
            {
                slot.inadmissible = Some(k);
            }
        }
        self.oversized_ballot_titles(&id, slots[0].edited).await;
        for (j, slot) in slots.iter_mut().enumerate() {
            let Some(x) = slot.edited else {
                continue;
            };
            slot.ballot = self
                .act(
                    batch.what(j, BALLOT_TITLE, "open_ballot"),
                    &people.chair,
                    vec![
                        ("motion_id", id.clone()),
                        ("subject", "amendment".to_owned()),
                        ("subject_id", x.to_string()),
                        ("title", batch.p(j, BALLOT_TITLE).text.clone()),
                    ],
                )
                .await
                .and_then(|body| body.parse().ok());
            let Some(ballot) = slot.ballot else {
                continue;
            };
            if j == 0 {
                // Every hall count label of the batch, on its first ballot.
                for i in 0..size {
                    self.act(
                        batch.what(i, HALL_LABEL, "record_hall_count"),
                        &people.chair,
                        vec![
                            ("motion_id", id.clone()),
                            ("ballot_id", ballot.to_string()),
                            ("label", batch.p(i, HALL_LABEL).text.clone()),
                            ("pour", "0".to_owned()),
                            ("contre", "1".to_owned()),
                            ("abstention", "0".to_owned()),
                        ],
                    )
                    .await;
                }
                self.oversized_while_open(&id, ballot, slot.paragraph).await;
            }
            self.act(
                format!("close_ballot ({label} {j})"),
                &people.chair,
                vec![("motion_id", id.clone()), ("ballot_id", ballot.to_string())],
            )
            .await;
        }

        self.batch_pages(motion, batch, &slots).await;
        self.batch_exports(motion, batch, &slots).await;
    }

    async fn amendments(&self, motion: i32) -> Vec<AmendmentView> {
        let (status, body) = self
            .app
            .call(
                "list_amendments",
                None,
                &[("motion_id", &motion.to_string())],
            )
            .await;
        assert_eq!(status, 200, "list_amendments: {body}");
        serde_json::from_str(&body).expect("amendments")
    }

    /// What `set_vote_order` stored is what was typed, normalized.
    async fn check_orders(&self, motion: i32, batch: &Batch<'_>, slots: &[Slot]) {
        let (_, body) = self
            .app
            .call(
                "chair_console",
                Some(&self.cast.people.chair),
                &[("motion_id", &motion.to_string())],
            )
            .await;
        let Ok(chair) = serde_json::from_str::<ChairView>(&body) else {
            self.report.fail(format!("chair_console {motion}: {body}"));
            return;
        };
        for (j, slot) in slots.iter().enumerate() {
            let reason = chair
                .orders
                .iter()
                .find(|o| o.paragraph_id == slot.paragraph)
                .and_then(|o| o.reason.clone());
            if slot.conflicted.is_some()
                && slot.edited.is_some()
                && reason.as_deref() != Some(batch.stored(j, ORDER_REASON).as_str())
            {
                self.report.fail(format!(
                    "vote order of paragraph {}: reason stored as {reason:?}, not {:?}",
                    slot.paragraph,
                    batch.stored(j, ORDER_REASON)
                ));
            }
        }
    }

    /// Over-long texts in the editorial fix (text, reason) and the conflict resolution.
    async fn oversized_fixes(&self, id: &str, first: &Slot) {
        let people = &self.cast.people;
        let (paragraph, version) = (first.paragraph.to_string(), first.version.to_string());
        for big in oversized() {
            for (field, text, reason) in [
                ("text", big.text.as_str(), "Motif."),
                ("reason", "Zz texte.", big.text.as_str()),
            ] {
                submit(
                    self.app,
                    self.report,
                    &format!("editorial_fix ({}, {field})", big.marker),
                    Some(&people.organizer),
                    &[
                        ("motion_id", id),
                        ("paragraph_id", &paragraph),
                        ("seen_version", &version),
                        ("text", text),
                        ("reason", reason),
                    ],
                    Expect::Refused,
                )
                .await;
            }
            if let Some(k) = first.conflicted {
                submit(
                    self.app,
                    self.report,
                    &format!("resolve_conflict ({})", big.marker),
                    Some(&people.organizer),
                    &[
                        ("motion_id", id),
                        ("amendment_id", &k.to_string()),
                        ("text", &big.text),
                    ],
                    Expect::Refused,
                )
                .await;
            }
        }
    }

    /// Over-long texts in the amendment fields (filed as a replacement or an insertion, edited) and the
    /// inadmissibility reason.
    async fn oversized_amendments(&self, id: &str, first: &Slot) {
        let (app, report) = (self.app, self.report);
        let people = &self.cast.people;
        let paragraph = first.paragraph.to_string();
        let version = first.version.to_string();
        let (_, body) = app.call("get_motion", None, &[("id", id)]).await;
        let section = serde_json::from_str::<app::api::MotionView>(&body)
            .ok()
            .and_then(|m| m.sections.first().map(|s| s.id))
            .unwrap_or_default()
            .to_string();
        for big in oversized() {
            for (field, text, rationale) in [
                ("text", big.text.as_str(), "Motif."),
                ("rationale", "Zq texte.", big.text.as_str()),
            ] {
                let forms: [(&str, Vec<(&str, &str)>); 2] = [
                    (
                        "file_amendment",
                        vec![
                            ("motion_id", id),
                            ("kind", "replace"),
                            ("paragraph_id", &paragraph),
                            ("base_version", &version),
                            ("text", text),
                            ("rationale", rationale),
                        ],
                    ),
                    (
                        "file_amendment",
                        vec![
                            ("motion_id", id),
                            ("kind", "insert"),
                            ("section_id", &section),
                            ("text", text),
                            ("rationale", rationale),
                        ],
                    ),
                ];
                for (function, form) in forms {
                    submit(
                        app,
                        report,
                        &format!("{function} ({}, {field})", big.marker),
                        Some(&people.amelie),
                        &form,
                        Expect::Refused,
                    )
                    .await;
                }
                if let Some(x) = first.edited {
                    submit(
                        app,
                        report,
                        &format!("edit_amendment ({}, {field})", big.marker),
                        Some(&people.amelie),
                        &[
                            ("motion_id", id),
                            ("amendment_id", &x.to_string()),
                            ("base_version", &version),
                            ("text", text),
                            ("rationale", rationale),
                        ],
                        Expect::Refused,
                    )
                    .await;
                }
            }
            if let Some(x) = first.edited {
                submit(
                    app,
                    report,
                    &format!("declare_inadmissible ({})", big.marker),
                    Some(&people.organizer),
                    &[
                        ("motion_id", id),
                        ("amendment_id", &x.to_string()),
                        ("reason", &big.text),
                    ],
                    Expect::Refused,
                )
                .await;
            }
        }
    }

    /// Over-long ballot titles, while no ballot is open (so the title is what is refused).
    async fn oversized_ballot_titles(&self, id: &str, amendment: Option<i32>) {
        let Some(amendment) = amendment else {
            return;
        };
        for big in oversized() {
            submit(
                self.app,
                self.report,
                &format!("open_ballot ({}, title)", big.marker),
                Some(&self.cast.people.chair),
                &[
                    ("motion_id", id),
                    ("subject", "amendment"),
                    ("subject_id", &amendment.to_string()),
                    ("title", &big.text),
                ],
                Expect::Refused,
            )
            .await;
        }
    }

    /// Over-long texts in the session's other fields: hall count label, vote order reason.
    async fn oversized_while_open(&self, id: &str, ballot: i32, paragraph: i32) {
        let chair = self.cast.people.chair.as_str();
        for big in oversized() {
            submit(
                self.app,
                self.report,
                &format!("record_hall_count ({})", big.marker),
                Some(chair),
                &[
                    ("motion_id", id),
                    ("ballot_id", &ballot.to_string()),
                    ("label", &big.text),
                    ("pour", "0"),
                    ("contre", "1"),
                    ("abstention", "0"),
                ],
                Expect::Refused,
            )
            .await;
            submit(
                self.app,
                self.report,
                &format!("set_vote_order ({})", big.marker),
                Some(chair),
                &[
                    ("motion_id", id),
                    ("paragraph_id", &paragraph.to_string()),
                    ("order", ""),
                    ("reason", &big.text),
                ],
                Expect::Refused,
            )
            .await;
        }
    }

    /// Every page of a batch motion at the end of its session.
    async fn batch_pages(&self, motion: i32, batch: &Batch<'_>, slots: &[Slot]) {
        let (app, report) = (self.app, self.report);
        let people = &self.cast.people;
        let title = normalize(&batch.title());
        let amendments = self.amendments(motion).await;
        let author_of = |id: Option<i32>| {
            amendments
                .iter()
                .find(|a| Some(a.id) == id)
                .map(|a| a.author_name.clone())
        };

        {
            let page = fetch(app, &format!("/motions/{motion}"), Some(&people.organizer)).await;
            if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
                shown.title(report, &title);
                shown.shows_plain(report, "the motion's title", &title);
                shown.shows_plain(report, "the preamble", &normalize(batch.preamble()));
                for j in 0..batch.len() {
                    shown.shows_plain(report, "a fixed paragraph", &batch.stored(j, FIX_TEXT));
                }
            }
        }

        let base = format!("/motions/{motion}/amendements");
        let page = fetch(app, &base, Some(&people.organizer)).await;
        if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
            for (j, slot) in slots.iter().enumerate() {
                if slot.conflicted.is_some() {
                    shown.shows(report, "a resolved amendment", &batch.stored(j, RESOLVED));
                }
                if slot.edited.is_some() {
                    shown.shows(report, "an edited amendment", &batch.stored(j, EDITED_TEXT));
                    shown.shows_plain(
                        report,
                        "an edited rationale",
                        &batch.stored(j, EDITED_RATIONALE),
                    );
                }
                if slot.inadmissible.is_some() {
                    shown.shows_plain(
                        report,
                        "an inadmissibility reason",
                        &batch.stored(j, INADMISSIBLE),
                    );
                    if let Some(author) = author_of(slot.inadmissible) {
                        shown.shows_plain(report, "an invited author", &author);
                    }
                }
            }
        }
        // One of the filters per batch, in turn.
        let first = slots.first().map_or(0, |s| s.paragraph);
        let filters = [
            ("?statut=rejected".to_owned(), EDITED_RATIONALE),
            ("?statut=inadmissible".to_owned(), INADMISSIBLE),
            (format!("?paragraphe={first}"), FIX_TEXT),
        ];
        let (filter, k) = &filters[batch.number % filters.len()];
        let page = fetch(app, &format!("{base}{filter}"), Some(&people.amelie)).await;
        if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
            for (j, slot) in slots.iter().enumerate() {
                let (listed, wanted) = match *k {
                    EDITED_RATIONALE => (slot.ballot.is_some(), EDITED_RATIONALE),
                    INADMISSIBLE => (slot.inadmissible.is_some(), INADMISSIBLE),
                    _ => (j == 0 && slot.edited.is_some(), EDITED_RATIONALE),
                };
                if listed {
                    shown.shows(report, "a filtered amendment", &batch.stored(j, wanted));
                }
            }
        }

        let page = fetch(
            app,
            &format!("/motions/{motion}/scrutins"),
            Some(&people.chair),
        )
        .await;
        if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
            for (j, slot) in slots.iter().enumerate() {
                if slot.ballot.is_some() {
                    shown.shows_plain(report, "a ballot's title", &batch.stored(j, BALLOT_TITLE));
                }
            }
        }
        if let Some(ballot) = slots.first().and_then(|s| s.ballot) {
            let page = fetch(app, &format!("/motions/{motion}/scrutins/{ballot}"), None).await;
            if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
                shown.shows_plain(report, "the ballot's title", &batch.stored(0, BALLOT_TITLE));
                for j in 0..batch.len() {
                    shown.shows_plain(report, "a hall count's label", &batch.stored(j, HALL_LABEL));
                }
            }
            let (_, body) = app
                .call(
                    "ballot_result",
                    None,
                    &[
                        ("motion_id", &motion.to_string()),
                        ("ballot_id", &ballot.to_string()),
                    ],
                )
                .await;
            match serde_json::from_str::<BallotResultView>(&body) {
                Ok(result) => {
                    let labels: Vec<String> = result
                        .ballot
                        .hall_counts
                        .iter()
                        .map(|(l, _)| l.clone())
                        .collect();
                    let wanted: Vec<String> = (0..batch.len())
                        .map(|j| batch.stored(j, HALL_LABEL))
                        .collect();
                    if result.ballot.title != batch.stored(0, BALLOT_TITLE) || labels != wanted {
                        report.fail(format!(
                            "ballot {ballot}: stored {:?} / {labels:?}, not {:?} / {wanted:?}",
                            result.ballot.title,
                            batch.stored(0, BALLOT_TITLE)
                        ));
                    }
                }
                Err(err) => report.fail(format!("ballot_result {ballot}: {err}: {body}")),
            }
        }

        let (status, body) = app
            .call(
                "create_projector_link",
                Some(&people.organizer),
                &[("motion_id", &motion.to_string())],
            )
            .await;
        match (status, serde_json::from_str::<String>(&body)) {
            (200, Ok(path)) => {
                let page = fetch(app, &path, None).await;
                if let Some(shown) = check_page(report, self.corpus, &page, &[]) {
                    shown.shows_plain(report, "the motion's title", &title);
                    for j in 0..batch.len() {
                        shown.shows(report, "a paragraph", &batch.stored(j, FIX_TEXT));
                    }
                }
            }
            _ => report.fail(format!("create_projector_link: {status} {body}")),
        }
    }

    /// The four exports of a batch motion, as an organizer downloads the working version.
    async fn batch_exports(&self, motion: i32, batch: &Batch<'_>, slots: &[Slot]) {
        let (app, report) = (self.app, self.report);
        let organizer = self.cast.people.organizer.as_str();
        let label = |file: &str| format!("{file} of motion {motion} (batch {})", batch.number);
        let (status, json) = export(app, motion, "motion.json", organizer).await;
        let doc = match serde_json::from_slice::<MotionDocument>(&json) {
            Ok(doc) if status == 200 => doc,
            _ => {
                report.fail(format!(
                    "{}: status {status}: {}",
                    label("motion.json"),
                    String::from_utf8_lossy(&json)
                        .chars()
                        .take(300)
                        .collect::<String>()
                ));
                return;
            }
        };
        let problems = std::cell::RefCell::new(Vec::new());
        let expect = |what: String, got: Option<&str>, wanted: &str| {
            if got != Some(wanted) {
                problems
                    .borrow_mut()
                    .push(format!("{what} is {got:?}, not {wanted:?}"));
            }
        };
        let title = normalize(&batch.title());
        expect("stored_title".into(), Some(&doc.stored_title), &title);
        expect("title".into(), Some(&doc.title), &french(&title));
        let preamble = normalize(batch.preamble());
        expect(
            "stored_preamble".into(),
            Some(&doc.stored_preamble),
            &preamble,
        );
        expect("preamble".into(), Some(&doc.preamble), &french(&preamble));
        let numbers: BTreeMap<i32, u32> = self
            .amendments(motion)
            .await
            .into_iter()
            .map(|a| (a.id, a.number))
            .collect();
        let amendment = |id: Option<i32>| {
            let number = numbers.get(&id?)?;
            doc.amendments.iter().find(|a| a.number == *number)
        };
        let mut shown = vec![display(&title), display(&preamble)];
        for (j, slot) in slots.iter().enumerate() {
            let paragraph = doc
                .sections
                .iter()
                .flat_map(|s| s.paragraphs.iter())
                .find(|p| p.id == slot.paragraph);
            let fixed = batch.stored(j, FIX_TEXT);
            expect(
                format!("paragraph {} text", slot.paragraph),
                paragraph.map(|p| p.text.as_str()),
                &fixed,
            );
            let history: Vec<String> = paragraph
                .map(|p| p.history.iter().map(|v| v.text.clone()).collect())
                .unwrap_or_default();
            let wanted = [format!("Zp{j}"), batch.stored(j, DRAFT_EDIT), fixed.clone()];
            expect(
                format!("paragraph {} history", slot.paragraph),
                Some(&format!("{history:?}")),
                &format!("{wanted:?}"),
            );
            let why = paragraph
                .and_then(|p| p.history.last())
                .map(|v| v.why_fr.clone())
                .unwrap_or_default();
            let reason = french(&batch.stored(j, FIX_REASON));
            expect(
                format!("paragraph {} why", slot.paragraph),
                Some(&why),
                &format!("correction rédactionnelle : {reason}"),
            );
            shown.push(display(&fixed));
            if slot.conflicted.is_some() {
                // The annex gives the text as filed ("Zk…"), not the resolution (see the report).
                let found = amendment(slot.conflicted);
                let resolved = french(&batch.stored(j, RESOLVED));
                let proposed = found.and_then(|a| a.proposed_text.clone());
                if proposed.as_deref() != Some(resolved.as_str())
                    && proposed.as_deref() != Some(format!("Zk{j}").as_str())
                {
                    problems.borrow_mut().push(format!(
                        "amendment {:?} proposed_text is {proposed:?}",
                        slot.conflicted
                    ));
                }
            }
            if slot.edited.is_some() {
                let found = amendment(slot.edited);
                let (text, rationale) = (
                    batch.stored(j, EDITED_TEXT),
                    batch.stored(j, EDITED_RATIONALE),
                );
                expect(
                    format!("amendment {:?} proposed_text", slot.edited),
                    found.and_then(|a| a.proposed_text.as_deref()),
                    &french(&text),
                );
                expect(
                    format!("amendment {:?} rationale", slot.edited),
                    found.map(|a| a.rationale.as_str()),
                    &french(&rationale),
                );
                shown.push(display(&text));
                shown.push(display(&rationale));
            }
            if slot.inadmissible.is_some() {
                let found = amendment(slot.inadmissible);
                let reason = french(&batch.stored(j, INADMISSIBLE));
                expect(
                    format!("amendment {:?} status_fr", slot.inadmissible),
                    found.map(|a| a.status_fr.as_str()),
                    &format!("irrecevable : {reason}"),
                );
                shown.push(reason);
                if let Some(author) = found.map(|a| a.author.name.clone()) {
                    shown.push(author);
                }
            }
            if slot.ballot.is_some() {
                let title = french(&batch.stored(j, BALLOT_TITLE));
                let found = doc.ballots.iter().find(|b| b.title == title);
                expect(
                    format!("ballot {:?} title", slot.ballot),
                    found.map(|b| b.title.as_str()),
                    &title,
                );
                shown.push(title);
            }
        }
        for problem in problems.into_inner() {
            report.fail(format!("{}: {problem}", label("motion.json")));
        }

        let (status, md) = export(app, motion, "motion.md", organizer).await;
        if status == 200 {
            check_markdown(
                report,
                self.corpus,
                &label("motion.md"),
                &String::from_utf8_lossy(&md),
                &shown,
            );
        } else {
            report.fail(format!("{}: status {status}", label("motion.md")));
        }
        let (status, odt) = export(app, motion, "motion.odt", organizer).await;
        if status == 200 {
            check_odt(report, self.corpus, &label("motion.odt"), &odt, &shown);
        } else {
            report.fail(format!("{}: status {status}", label("motion.odt")));
        }
        let (status, pdf) = export(app, motion, "motion.pdf", organizer).await;
        if status == 200 {
            check_pdf(report, &label("motion.pdf"), &pdf, &shown);
        } else {
            report.fail(format!("{}: status {status}", label("motion.pdf")));
        }
    }
}

fn filed_id(body: &str) -> i32 {
    serde_json::from_str::<FiledAmendment>(body)
        .expect("a filed amendment")
        .id
        .get()
}

/// What a draft made of `text` stores: its section titles and paragraphs (after a heading, a draft needs a
/// paragraph: the title motions add one).
fn draft_texts(text: &str) -> Vec<String> {
    parse_draft(&format!("{text}\n\nAlinéa final."))
        .map(|sections| {
            sections
                .into_iter()
                .flat_map(|s| s.title.into_iter().chain(s.paragraphs))
                .filter(|t| !t.is_empty() && t != "Alinéa final.")
                .collect()
        })
        .unwrap_or_default()
}

impl Run<'_> {
    /// The pages that list everything: home, console, participants; and the query strings pages read.
    async fn global_pages(&self, titles: &[(i32, usize)]) {
        let (app, report) = (self.app, self.report);
        let organizer = self.cast.people.organizer.as_str();
        let (status, body) = app.call("congress_console", Some(organizer), &[]).await;
        assert_eq!(status, 200, "congress_console: {body}");
        let console: ConsoleView = serde_json::from_str(&body).expect("console");
        let editions: Vec<_> = console
            .editions
            .iter()
            .filter(|e| e.title.contains(MARK) || e.place.contains(MARK))
            .collect();
        if editions.len() < titles.len() {
            report.fail(format!(
                "only {} editions carry a payload, {} motions were made",
                editions.len(),
                titles.len()
            ));
        }
        for (path, cookie) in [
            ("/", None),
            ("/", Some(organizer)),
            ("/organisation", Some(organizer)),
        ] {
            let page = fetch(app, path, cookie).await;
            let Some(shown) = check_page(report, self.corpus, &page, &[]) else {
                continue;
            };
            for edition in &editions {
                shown.shows_plain(report, "an edition's title", &edition.title);
                shown.shows_plain(report, "an edition's place", &edition.place);
                for motion in &edition.motions {
                    shown.shows_plain(report, "a motion's title", &motion.title);
                }
            }
        }
        // What was stored is what was typed, normalized.
        for (i, p) in self.chosen.iter().enumerate() {
            let place = normalize(&self.payload(i + 1).text);
            if !editions
                .iter()
                .any(|e| e.title == normalize(&p.text) && e.place == place)
            {
                report.fail(format!(
                    "no edition stored as {:?} / {place:?}",
                    normalize(&p.text)
                ));
            }
        }
        self.participants_page().await;

        // Query strings are typed too: filters, the page to go back to, the projector's key.
        let demo = app.demo_motion;
        let reflected = self
            .chosen
            .iter()
            .filter(|p| matches!(p.family, "html" | "attribute" | "url"));
        for (i, p) in reflected.enumerate() {
            let value: String = form_urlencoded::byte_serialize(p.text.as_bytes()).collect();
            // Each payload in one of them, in turn.
            let paths = [
                format!("/motions/{demo}/amendements?statut={value}"),
                format!("/connexion?back={value}"),
                format!("/projection/{demo}?cle={value}"),
            ];
            {
                let path = &paths[i % paths.len()];
                let mut page = fetch(app, path, None).await;
                page.label = format!("{} ({})", page.label, p.marker);
                // The projector refuses a wrong key with its page; anything else must render.
                if path.starts_with("/projection") && page.status == 401 {
                    page.status = 200;
                }
                check_page(report, self.corpus, &page, &[]);
            }
        }
    }
}

/// The whole scenario on one engine, for `chosen` payloads; answers the problems found.
async fn run(backend: Backend, corpus: &Corpus, chosen: Vec<&Payload>) -> Vec<String> {
    let app = TestApp::spawn_with_accounts(backend).await;
    let people = People::sign_in(&app).await;
    let (status, body) = app
        .call("congress_console", Some(&people.organizer), &[])
        .await;
    assert_eq!(status, 200, "{body}");
    let console: ConsoleView = serde_json::from_str(&body).expect("console");
    let edition = console
        .editions
        .iter()
        .find(|e| e.motions.iter().any(|m| m.id == app.demo_motion))
        .expect("the demo edition")
        .id;
    let cast = Cast { people, edition };
    let report = Report::default();
    let run = Run {
        app: &app,
        corpus,
        report: &report,
        cast: &cast,
        chosen,
    };

    // First the invited delegates: they author amendments in the batches.
    let invited = run.invitations().await;
    let size = 20.max(FIELDS + 1);
    let batches: Vec<Batch> = run
        .chosen
        .chunks(size)
        .enumerate()
        .map(|(number, chunk)| {
            let mut payloads = chunk.to_vec();
            // A short last chunk borrows from the first ones: every batch has more payloads than fields.
            let mut extra = run.chosen.iter().copied();
            while payloads.len() <= FIELDS {
                payloads.push(extra.next().expect("enough payloads"));
            }
            Batch { payloads, number }
        })
        .collect();
    // SQLite has one writer, whose waiters sleep: two batches at a time there, three on PostgreSQL.
    let parallel = if backend == Backend::Sqlite { 2 } else { 3 };
    let batches_done = stream::iter(batches.iter())
        .for_each_concurrent(parallel, |batch| run.batch(batch, &invited));
    let titles_done = async {
        let titles = run.title_motions().await;
        stream::iter(titles.iter().copied())
            .for_each_concurrent(2, |(motion, i)| run.check_title_motion(motion, i))
            .await;
        titles
    };
    let ((), titles, ()) = futures_util::join!(batches_done, titles_done, run.members());
    run.global_pages(&titles).await;
    // Last, as they become the current edition in turn.
    run.current_editions(if backend == Backend::Sqlite { 4 } else { 2 })
        .await;
    report
        .take()
        .into_iter()
        .map(|problem| format!("[{backend:?}] {problem}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_hostile_texts_stay_text_on_every_page_and_in_every_export() {
    let _turn = crate::support::heavy().await;
    let corpus = Corpus::new();
    assert!(
        corpus.payloads.len() >= 200,
        "{} payloads",
        corpus.payloads.len()
    );
    for p in &corpus.payloads {
        let chars = normalize(&p.text).chars().count();
        assert!(
            (1..=200).contains(&chars),
            "payload {} fits every text field but names: {chars} characters",
            p.n
        );
    }
    // Both engines at once: the PostgreSQL server works in its own processes meanwhile.
    let runs = BOTH.map(|backend| {
        let chosen: Vec<&Payload> = match backend {
            Backend::Sqlite => corpus.payloads.iter().collect(),
            Backend::Postgres => pg_subset(&corpus),
        };
        run(backend, &corpus, chosen)
    });
    let mut problems: Vec<String> = futures_util::future::join_all(runs)
        .await
        .into_iter()
        .flatten()
        .collect();
    let total = problems.len();
    problems.truncate(300);
    assert!(
        total == 0,
        "{total} problems with hostile texts:\n{}",
        problems.join("\n")
    );
}

/// About forty payloads: the first of every family, every textarea and title breaker, then evenly spread.
fn pg_subset(corpus: &Corpus) -> Vec<&Payload> {
    let mut chosen: Vec<&Payload> = Vec::new();
    let mut families = BTreeSet::new();
    for p in &corpus.payloads {
        let key = p.text.contains("</textarea")
            || p.text.contains("</title")
            || p.text.contains("</script");
        if families.insert(p.family) || key {
            chosen.push(p);
        }
    }
    let step = corpus.payloads.len() / 20;
    for p in corpus.payloads.iter().step_by(step.max(1)) {
        if chosen.len() >= 40 {
            break;
        }
        if !chosen.iter().any(|c| c.n == p.n) {
            chosen.push(p);
        }
    }
    chosen.sort_by_key(|p| p.n);
    chosen
}
