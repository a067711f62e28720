//! Translations: every user-visible string comes from `locales/{fr,en}.json`, French first.
//! Owns the locale signal shared by all views; depends on nothing but leptos and serde.

use std::{collections::HashMap, sync::LazyLock};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The cookie that remembers the reader's language between visits.
pub const LOCALE_COOKIE: &str = "hemicycle_lang";

/// A language of the interface. French is the default and the reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    /// The BCP 47 code used in `lang` attributes and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    /// Parses a code as found in the cookie or a form; anything unknown is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Self {
        match self {
            Locale::Fr => Locale::En,
            Locale::En => Locale::Fr,
        }
    }

    /// The reader's language: the `hemicycle_lang` cookie of a request; French when absent or unknown.
    #[cfg(feature = "ssr")]
    pub fn of_request(headers: &axum::http::HeaderMap) -> Self {
        crate::ssr::cookies::get(headers, LOCALE_COOKIE)
            .and_then(|code| Locale::from_code(&code))
            .unwrap_or_default()
    }
}

type Catalog = HashMap<String, String>;

/// The catalog files of each language: one per area of the product, merged at start-up.
const FR_FILES: [&str; 2] = [
    include_str!("../locales/fr.json"),
    include_str!("../locales/fr.motion.json"),
];
const EN_FILES: [&str; 2] = [
    include_str!("../locales/en.json"),
    include_str!("../locales/en.motion.json"),
];

fn parse_catalog(files: &[&str]) -> Catalog {
    // The files are part of the build and checked by tests; a broken file degrades to showing keys, not a panic.
    files
        .iter()
        .flat_map(|json| serde_json::from_str::<Catalog>(json).unwrap_or_default())
        .collect()
}

static FR: LazyLock<Catalog> = LazyLock::new(|| parse_catalog(&FR_FILES));
static EN: LazyLock<Catalog> = LazyLock::new(|| parse_catalog(&EN_FILES));

fn catalog(locale: Locale) -> &'static Catalog {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}

/// The text for `key` in `locale`, falling back to French, then to the key itself (visible, never a panic).
pub fn tr(locale: Locale, key: &'static str) -> &'static str {
    catalog(locale)
        .get(key)
        .or_else(|| FR.get(key))
        .map(String::as_str)
        .unwrap_or(key)
}

/// Like [`tr`], replacing each `{name}` placeholder with its value.
pub fn tr_with(locale: Locale, key: &'static str, args: &[(&str, &str)]) -> String {
    args.iter()
        .fold(tr(locale, key).to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The reader's current locale, shared by every view through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

/// The locale as the document's `<title>` reads it.
///
/// On the server, `leptos_meta` evaluates the title (text and formatter) once the page has rendered, outside
/// the request's reactive arena: a title that read an arena-allocated signal (`RwSignal`, `Memo`…) then panics
/// with "already been disposed" or "no Arena is active" and the connection is dropped. This copy of the locale
/// is reference-counted (no arena), so titles read it safely; it follows [`I18n::locale`] in the browser.
#[derive(Clone)]
pub struct TitleLocale(pub ArcRwSignal<Locale>);

/// Puts the locale in context; called once by the root component.
pub fn provide_i18n(initial: Locale) -> I18n {
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    provide_context(i18n);
    let title = ArcRwSignal::new(initial);
    provide_context(TitleLocale(title.clone()));
    // Effects run in the browser only: the server renders one language per request.
    Effect::new(move |_| title.set(i18n.locale.get()));
    i18n
}

/// The locale titles read (see [`TitleLocale`]); French outside the app.
pub fn title_locale() -> ArcRwSignal<Locale> {
    use_context::<TitleLocale>().map_or_else(|| ArcRwSignal::new(Locale::Fr), |title| title.0)
}

/// A translated page title for `<Title text=…/>`: reads no arena-allocated signal (see [`TitleLocale`]).
pub fn title_t(key: &'static str) -> impl Fn() -> String + Send + Sync + 'static {
    let locale = title_locale();
    move || tr(locale.get(), key).to_owned()
}

/// Makes a title safe where it is written into HTML as it is. `leptos_meta` writes the server-rendered
/// `<title>` without escaping (the browser sets `document.title`, which is text): on the server, `<`, `&`…
/// are escaped here, so a motion titled `</title><meta …>` stays a title.
pub fn title_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&text).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// The locale in context (French if a view is rendered outside the app, e.g. in a test).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        locale: RwSignal::new(Locale::Fr),
    })
}

/// A reactive translated text: use it directly in a view, it follows the language switch.
pub fn t(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let locale = use_i18n().locale;
    move || tr(locale.get(), key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(catalog: &Catalog) -> BTreeSet<&str> {
        catalog.keys().map(String::as_str).collect()
    }

    #[test]
    fn both_catalogs_parse_and_have_the_same_keys() {
        let fr: Catalog = serde_json::from_str(include_str!("../locales/fr.json"))
            .expect("fr.json is valid JSON");
        let en: Catalog = serde_json::from_str(include_str!("../locales/en.json"))
            .expect("en.json is valid JSON");
        assert!(!fr.is_empty());
        assert_eq!(
            keys(&fr),
            keys(&en),
            "fr.json and en.json must list the same keys"
        );
        for (key, text) in fr.iter().chain(en.iter()) {
            assert!(!text.trim().is_empty(), "{key} is empty");
        }
    }

    #[test]
    fn every_key_used_in_the_source_exists_in_the_catalogs() {
        // Scans the crate's sources for string literals passed to the translation helpers.
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(src)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src is readable") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let code = std::fs::read_to_string(&path).expect("source is UTF-8");
                for call in [
                    "t(\"",
                    "title_t(\"",
                    "tr(locale, \"",
                    "tr(l, \"",
                    "tr_with(l, \"",
                    "tr_with(locale, \"",
                ] {
                    for (at, _) in code.match_indices(call) {
                        // Only the helper itself counts, not a call whose name merely ends in t (expect, Set).
                        let before = code[..at].chars().next_back().unwrap_or(' ');
                        if before.is_alphanumeric() || before == '_' || before == '.' {
                            continue;
                        }
                        let rest = &code[at + call.len()..];
                        let key = &rest[..rest.find('"').unwrap_or(0)];
                        if !key.is_empty() && !FR.contains_key(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from fr.json: {missing:?}");
    }

    #[test]
    fn every_domain_refusal_has_a_message_in_both_languages() {
        for key in domain::refusal::MESSAGE_KEYS {
            assert!(FR.contains_key(*key), "fr: {key}");
            assert!(EN.contains_key(*key), "en: {key}");
        }
    }

    #[test]
    fn french_is_the_default_and_the_cookie_switches_to_english() {
        use axum::http::{HeaderMap, HeaderValue, header::COOKIE};
        let with = |cookie: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(COOKIE, HeaderValue::from_static(cookie));
            headers
        };
        assert_eq!(Locale::of_request(&HeaderMap::new()), Locale::Fr);
        assert_eq!(
            Locale::of_request(&with("a=b; hemicycle_lang=en")),
            Locale::En
        );
        assert_eq!(Locale::of_request(&with("hemicycle_lang=xx")), Locale::Fr);
    }

    #[test]
    fn placeholders_are_filled_and_unknown_keys_show_the_key() {
        assert_eq!(
            tr_with(Locale::Fr, "motion.paragraph", &[("n", "3")]),
            "Paragraphe 3"
        );
        assert_eq!(
            tr_with(Locale::En, "motion.paragraph", &[("n", "3")]),
            "Paragraph 3"
        );
        assert_eq!(tr(Locale::En, "no.such.key"), "no.such.key");
    }
}
