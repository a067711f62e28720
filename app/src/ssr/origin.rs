//! The one origin policy: which pages may send us state-changing requests (forms, server functions) and open
//! live sockets with the session cookie. Built once from the configured public URL; shared by the form check
//! and the websocket check, so a page either works entirely or is refused with the same message.

use axum::http::{HeaderMap, header};
use url::{Origin, Url};

/// The origins our own pages are served from.
#[derive(Clone, Debug)]
pub struct OriginPolicy {
    allowed: Vec<Origin>,
}

/// Where a request comes from, as far as its headers say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// One of our pages (`Origin` is ours, or the browser says `Sec-Fetch-Site: same-origin` / `none`).
    OurPage,
    /// Another site's page, or an origin we do not serve from.
    Foreign,
    /// Neither header: not a browser's request (a tool); acceptable only with a bearer token.
    Unknown,
}

impl OriginPolicy {
    /// The policy for `public_url` (scheme, host and port are compared). When the public URL is a loopback
    /// address (the default `http://127.0.0.1:3000`), its other loopback spellings (`localhost`, `[::1]`) are
    /// ours too: the same machine, and the README's address must work whichever one is typed.
    ///
    /// # Errors
    /// When `public_url` is not an absolute http(s) URL.
    pub fn new(public_url: &str) -> Result<Self, url::ParseError> {
        let url = Url::parse(public_url)?;
        let mut allowed = vec![url.origin()];
        let loopback = match url.host() {
            Some(url::Host::Domain(host)) => host.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        if loopback {
            for host in ["localhost", "127.0.0.1", "[::1]"] {
                let mut alias = url.clone();
                if alias.set_host(Some(host)).is_ok() && !allowed.contains(&alias.origin()) {
                    allowed.push(alias.origin());
                }
            }
        }
        Ok(OriginPolicy { allowed })
    }

    /// Whether `origin` (an `Origin` header's value) is one of ours. `null` and anything unparsable is not.
    #[must_use]
    pub fn is_ours(&self, origin: &str) -> bool {
        Url::parse(origin).is_ok_and(|url| self.allowed.contains(&url.origin()))
    }

    /// Where a request with these headers comes from.
    #[must_use]
    pub fn provenance(&self, headers: &HeaderMap) -> Provenance {
        if let Some(origin) = headers.get(header::ORIGIN) {
            return match origin.to_str() {
                Ok(origin) if self.is_ours(origin) => Provenance::OurPage,
                _ => Provenance::Foreign,
            };
        }
        match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            Some("same-origin" | "none") => Provenance::OurPage,
            Some(_) => Provenance::Foreign,
            None => Provenance::Unknown,
        }
    }

    /// Whether a state-changing request (or a live socket) may proceed: from one of our pages, or from a tool
    /// that authenticates with a bearer token (not ambient authority: no foreign page can send it).
    #[must_use]
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        match self.provenance(headers) {
            Provenance::OurPage => true,
            Provenance::Foreign => false,
            Provenance::Unknown => bearer_token(headers).is_some(),
        }
    }

    /// The scheme://host[:port] of the public URL, for headers such as CSP's `form-action`.
    #[must_use]
    pub fn public_origin(&self) -> String {
        self.allowed
            .first()
            .map(Origin::ascii_serialization)
            .unwrap_or_default()
    }
}

/// The token of an `Authorization: Bearer …` header, if any.
#[must_use]
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The origin (`scheme://host[:port]`) of an absolute URL, if it is one.
#[must_use]
pub fn origin_of(url: &str) -> Option<String> {
    Url::parse(url)
        .ok()
        .map(|url| url.origin().ascii_serialization())
        .filter(|origin| origin != "null")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn scheme_host_and_port_must_all_match_the_public_url() {
        let policy = OriginPolicy::new("https://congres.example.fr").expect("valid");
        assert!(policy.is_ours("https://congres.example.fr"));
        assert!(policy.is_ours("https://congres.example.fr:443"));
        assert!(!policy.is_ours("http://congres.example.fr"), "scheme");
        assert!(!policy.is_ours("https://congres.example.fr:8443"), "port");
        assert!(!policy.is_ours("https://evil.example"), "host");
        assert!(!policy.is_ours("https://congres.example.fr.evil.example"));
        assert!(!policy.is_ours("null"));
        assert!(!policy.is_ours(""));
    }

    #[test]
    fn the_default_loopback_address_accepts_its_loopback_spellings_and_nothing_else() {
        let policy = OriginPolicy::new("http://127.0.0.1:3000").expect("valid");
        for ours in [
            "http://127.0.0.1:3000",
            "http://localhost:3000",
            "http://[::1]:3000",
        ] {
            assert!(policy.is_ours(ours), "{ours}");
        }
        for foreign in [
            "https://127.0.0.1:3000",
            "http://127.0.0.1:3001",
            "http://localhost:3001",
            "http://evil:3000",
        ] {
            assert!(!policy.is_ours(foreign), "{foreign}");
        }
        let public = OriginPolicy::new("https://congres.example.fr").expect("valid");
        assert!(!public.is_ours("http://localhost:3000"));
    }

    #[test]
    fn requests_need_our_origin_or_same_origin_fetch_metadata_or_a_bearer_token() {
        let policy = OriginPolicy::new("https://congres.example.fr").expect("valid");
        assert!(policy.allows(&headers(&[("origin", "https://congres.example.fr")])));
        assert!(!policy.allows(&headers(&[("origin", "https://evil.example")])));
        assert!(policy.allows(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!policy.allows(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!policy.allows(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!policy.allows(&headers(&[])), "neither header, no token");
        assert!(policy.allows(&headers(&[("authorization", "Bearer abc")])));
        assert!(
            !policy.allows(&headers(&[
                ("authorization", "Bearer abc"),
                ("origin", "https://evil.example")
            ])),
            "a token never excuses a foreign page"
        );
    }

    #[test]
    fn bearer_tokens_are_read_from_the_authorization_header() {
        assert_eq!(bearer_token(&headers(&[])), None);
        assert_eq!(
            bearer_token(&headers(&[("authorization", "Bearer abc")])),
            Some("abc")
        );
        assert_eq!(
            bearer_token(&headers(&[("authorization", "Basic abc")])),
            None
        );
        assert_eq!(
            bearer_token(&headers(&[("authorization", "bearer  ")])),
            None
        );
    }

    #[test]
    fn origins_of_urls_drop_the_path() {
        assert_eq!(
            origin_of("https://idp.example/realms/x").as_deref(),
            Some("https://idp.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("not a url"), None);
    }
}
