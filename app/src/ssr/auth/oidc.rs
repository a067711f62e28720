//! Login with OpenID Connect (authorization code flow, PKCE S256, signed userinfo) against providers configured as
//! data (`HEMICYCLE_OIDC_PROVIDERS`). Knows nothing of sessions, members or routes: the caller keeps the
//! [`PendingLogin`] between [`OidcProvider::start_login`] and [`OidcProvider::finish_login`] (server-side, in the
//! session), and matches the returned [`OidcIdentity`] to a member by verified e-mail, never by `sub` (ProConnect's
//! `sub` differs per service). Nothing here logs: errors carry no token and no e-mail.

use std::{collections::BTreeMap, error::Error as StdError, fmt, time::Duration};

use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthType, AuthorizationCode, ClaimsVerificationError,
    ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError,
    Scope, TokenResponse, UserInfoClaims, UserInfoError, UserInfoResponseType,
    core::{
        CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreGenderClaim,
        CoreProviderMetadata,
    },
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The environment variable holding the providers, a JSON array of [`OidcProviderConfig`].
pub const PROVIDERS_ENV: &str = "HEMICYCLE_OIDC_PROVIDERS";

/// The callback path the test provider (`e2e/oidc-provider`) registers by default: the redirect URL is
/// `{public_url}{CALLBACK_PATH}`. One path serves every provider: the pending login says which one it was.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// How long a login may take between `start_login` and `finish_login`.
pub const PENDING_LOGIN_TTL_SECS: i64 = 600;

/// Random bytes in `state` and `nonce`: 32 bytes make 43 base64url characters (ProConnect wants at least 32).
const RANDOM_BYTES: u32 = 32;

/// A provider as configured by the operator (data, not code). Unknown fields are refused, so a typo is an error.
#[derive(Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderConfig {
    /// Short name used in URLs and sessions: lowercase letters, digits, `-` and `_` (e.g. `proconnect`).
    pub id: String,
    /// Button label in French ("Se connecter avec ProConnect").
    pub label_fr: String,
    /// Button label in English ("Sign in with ProConnect").
    pub label_en: String,
    /// The issuer URL; `{issuer}/.well-known/openid-configuration` is read at start-up. HTTPS, except on loopback.
    pub issuer: String,
    pub client_id: String,
    /// `None` for a public client (then PKCE should be on).
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Requested scopes; `openid` is always sent, `email` is required. Default `["openid", "email"]`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Send a PKCE S256 challenge (default `true`).
    #[serde(default = "default_true")]
    pub pkce: bool,
    /// Require the userinfo answer to be a JWT signed by the provider, and verify it (default `false`).
    #[serde(default)]
    pub signed_userinfo: bool,
    /// Userinfo claims copied into [`OidcIdentity::extra`] when present (e.g. `["idp_id", "siren"]`).
    #[serde(default)]
    pub extra_claims: Vec<String>,
    /// Accept the provider's e-mail addresses as verified even when it sends no `email_verified` claim
    /// (federations such as ProConnect verify addresses upstream and may omit it). Default `false`.
    #[serde(default)]
    pub trust_email: bool,
}

fn default_scopes() -> Vec<String> {
    vec!["openid".to_owned(), "email".to_owned()]
}

fn default_true() -> bool {
    true
}

impl fmt::Debug for OidcProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcProviderConfig")
            .field("id", &self.id)
            .field("label_fr", &self.label_fr)
            .field("label_en", &self.label_en)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("scopes", &self.scopes)
            .field("pkce", &self.pkce)
            .field("signed_userinfo", &self.signed_userinfo)
            .field("extra_claims", &self.extra_claims)
            .finish()
    }
}

impl OidcProviderConfig {
    /// Checks what can be checked without the network.
    ///
    /// # Errors
    /// A sentence naming the provider and the field at fault.
    pub fn validate(&self) -> Result<(), String> {
        let id = &self.id;
        if id.is_empty()
            || id.len() > 64
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(format!(
                "OIDC provider id `{id}`: use 1 to 64 lowercase letters, digits, `-` or `_`"
            ));
        }
        if self.label_fr.trim().is_empty() || self.label_en.trim().is_empty() {
            return Err(format!(
                "OIDC provider `{id}`: label_fr and label_en are required"
            ));
        }
        if self.client_id.trim().is_empty() {
            return Err(format!("OIDC provider `{id}`: client_id is required"));
        }
        let issuer = IssuerUrl::new(self.issuer.clone())
            .map_err(|err| format!("OIDC provider `{id}`: issuer is not a URL ({err})"))?;
        let url = issuer.url();
        let loopback = matches!(
            url.host_str(),
            Some("127.0.0.1" | "localhost" | "[::1]" | "::1")
        );
        if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
            return Err(format!(
                "OIDC provider `{id}`: the issuer must use https (http is allowed on loopback only)"
            ));
        }
        if !self.scopes.iter().any(|s| s == "email") {
            return Err(format!(
                "OIDC provider `{id}`: scopes must include `email` (members are matched by e-mail)"
            ));
        }
        if self.client_secret.is_none() && !self.pkce {
            return Err(format!(
                "OIDC provider `{id}`: a public client (no client_secret) needs pkce: true"
            ));
        }
        Ok(())
    }
}

/// Reads the providers from `HEMICYCLE_OIDC_PROVIDERS` (a JSON array of [`OidcProviderConfig`]); unset or blank
/// means none.
///
/// # Errors
/// A sentence saying what is wrong (invalid JSON, a field at fault, a duplicate id). Never contains the secret.
pub fn providers_from_env() -> Result<Vec<OidcProviderConfig>, String> {
    match std::env::var(PROVIDERS_ENV) {
        Ok(json) => providers_from_json(&json),
        Err(std::env::VarError::NotPresent) => Ok(Vec::new()),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{PROVIDERS_ENV} is not UTF-8")),
    }
}

/// Parses and validates a JSON array of providers; a blank string means none.
///
/// # Errors
/// As [`providers_from_env`].
pub fn providers_from_json(json: &str) -> Result<Vec<OidcProviderConfig>, String> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    let providers: Vec<OidcProviderConfig> = serde_json::from_str(json).map_err(|err| {
        // serde_json's message may quote a value (a secret): keep only where it failed and the kind of error.
        format!(
            "{PROVIDERS_ENV} is not a valid JSON array of providers (line {}, column {}, {:?} error)",
            err.line(),
            err.column(),
            err.classify()
        )
    })?;
    let mut seen = std::collections::BTreeSet::new();
    for provider in &providers {
        provider.validate()?;
        if !seen.insert(provider.id.as_str()) {
            return Err(format!(
                "OIDC provider id `{}` is used twice in {PROVIDERS_ENV}",
                provider.id
            ));
        }
    }
    Ok(providers)
}

/// The HTTP client for talking to providers: timeouts, and no redirects (OpenID endpoints do not redirect; following
/// them would open the door to SSRF).
///
/// # Errors
/// If the TLS backend cannot be initialised (a start-up failure).
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .user_agent(concat!("hemicycle/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Why a login did not go through. Messages are for logs and never contain tokens, codes or e-mails.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider's metadata could not be read or is unusable (at start-up).
    #[error("OpenID provider discovery failed: {0}")]
    Discovery(String),
    /// The `state` returned does not belong to this pending login (forged or crossed request).
    #[error("the returned state does not match the pending login")]
    StateMismatch,
    /// The ID token was not issued for this pending login (replayed or injected token).
    #[error("the ID token nonce does not match the pending login")]
    NonceMismatch,
    /// The provider refused the code (unknown, already used, wrong PKCE verifier…) or could not be reached.
    #[error("code exchange failed: {0}")]
    CodeExchange(String),
    /// The ID token is missing or invalid (signature, issuer, audience, expiry).
    #[error("invalid ID token: {0}")]
    IdToken(String),
    /// The userinfo answer is missing, unsigned while a signature is required, or invalid.
    #[error("userinfo failed: {0}")]
    Userinfo(String),
    /// The provider says the e-mail is not verified (`email_verified: false`).
    #[error("the provider says the e-mail address is not verified")]
    EmailNotVerified,
    /// Neither userinfo nor the ID token carries a usable e-mail address.
    #[error("the provider returned no usable e-mail address")]
    MissingEmail,
    /// The pending login is older than [`PENDING_LOGIN_TTL_SECS`].
    #[error("the login took too long; start again")]
    Expired,
}

/// What the caller keeps (server-side) between `start_login` and `finish_login`. Secret: do not put it in a URL
/// or a log. `Debug` shows only the provider and the creation time.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct PendingLogin {
    pub provider_id: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: Option<String>,
    pub created_at_unix: i64,
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLogin")
            .field("provider_id", &self.provider_id)
            .field("created_at_unix", &self.created_at_unix)
            .finish_non_exhaustive()
    }
}

/// Who logged in, as the provider vouches. Contains personal data: never log it (its `Debug` shows the e-mail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcIdentity {
    pub provider_id: String,
    /// The provider's subject; ProConnect's differs per service, so match members by `email`, not by this.
    pub subject: String,
    /// Trimmed and lowercased.
    pub email: String,
    /// `true` only when the provider said so; `false` when it said nothing (ProConnect does not send the claim:
    /// whether to trust such a provider's e-mails is the caller's decision). An explicit `false` is refused with
    /// [`OidcError::EmailNotVerified`] and never reaches the caller.
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub usual_name: Option<String>,
    pub siret: Option<String>,
    pub uid: Option<String>,
    /// The configured `extra_claims` that the provider returned.
    pub extra: BTreeMap<String, Value>,
}

/// Every userinfo claim, for the ProConnect ones (`usual_name`, `siret`, `uid`) and the configured extras.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct ProviderClaims {
    #[serde(flatten)]
    claims: BTreeMap<String, Value>,
}

impl AdditionalClaims for ProviderClaims {}

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
    EndpointSet,
>;

/// A provider whose metadata and keys were discovered, ready to run logins. Cheap to share behind an `Arc`.
pub struct OidcProvider {
    config: OidcProviderConfig,
    client: Client,
    http: reqwest::Client,
}

impl fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcProvider")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl OidcProvider {
    /// Reads the provider's metadata and signing keys (`{issuer}/.well-known/openid-configuration`, then
    /// `jwks_uri`). Keys are read once: restart to pick up a key rotation. `redirect_url` is the absolute URL of our
    /// callback (`{public_url}{CALLBACK_PATH}`), registered with the provider. `http` should come from
    /// [`http_client`] (timeouts, no redirects).
    ///
    /// # Errors
    /// [`OidcError::Discovery`] when the configuration is invalid, the provider cannot be reached, its metadata
    /// do not match the issuer, or it lacks a token or userinfo endpoint or a client authentication we support.
    pub async fn discover(
        config: OidcProviderConfig,
        redirect_url: String,
        http: reqwest::Client,
    ) -> Result<Self, OidcError> {
        config.validate().map_err(OidcError::Discovery)?;
        let issuer = IssuerUrl::new(config.issuer.clone())
            .map_err(|err| OidcError::Discovery(format!("issuer is not a URL: {err}")))?;
        let redirect_url = RedirectUrl::new(redirect_url)
            .map_err(|err| OidcError::Discovery(format!("redirect URL is not a URL: {err}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|err| OidcError::Discovery(describe(&err)))?;
        let token_url = metadata
            .token_endpoint()
            .cloned()
            .ok_or_else(|| OidcError::Discovery("the provider has no token endpoint".to_owned()))?;
        let userinfo_url = metadata.userinfo_endpoint().cloned().ok_or_else(|| {
            OidcError::Discovery("the provider has no userinfo endpoint".to_owned())
        })?;
        let auth_type = client_auth_type(
            metadata.token_endpoint_auth_methods_supported(),
            config.client_secret.is_some(),
        )?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect_url)
        .set_token_uri(token_url)
        .set_user_info_url(userinfo_url)
        .set_auth_type(auth_type);
        Ok(Self {
            config,
            client,
            http,
        })
    }

    /// The operator's configuration of this provider (id, labels…).
    pub fn config(&self) -> &OidcProviderConfig {
        &self.config
    }

    /// Starts a login: the URL to redirect the browser to, and what to keep until it comes back. `state` and
    /// `nonce` are 43 random characters (32 bytes), fresh each time; a PKCE S256 challenge is sent when
    /// `config.pkce`.
    pub fn start_login(&self) -> (String, PendingLogin) {
        let mut request = self.client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            || CsrfToken::new_random_len(RANDOM_BYTES),
            || Nonce::new_random_len(RANDOM_BYTES),
        );
        for scope in self.config.scopes.iter().filter(|s| s.as_str() != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let mut pkce_verifier = None;
        if self.config.pkce {
            let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
            request = request.set_pkce_challenge(challenge);
            pkce_verifier = Some(verifier.secret().clone());
        }
        let (url, state, nonce) = request.url();
        let pending = PendingLogin {
            provider_id: self.config.id.clone(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier,
            created_at_unix: now_unix(),
        };
        (url.to_string(), pending)
    }

    /// Finishes a login when the browser comes back with `state` and `code`: checks the state, exchanges the code
    /// (with the PKCE verifier), verifies the ID token (signature, issuer, audience, expiry, nonce, `at_hash`),
    /// fetches userinfo for the same subject (verifying its signature when `signed_userinfo`), and says who this is.
    ///
    /// # Errors
    /// [`OidcError::Expired`], [`OidcError::StateMismatch`] (also when `pending` belongs to another provider),
    /// [`OidcError::CodeExchange`] (including a replayed code), [`OidcError::NonceMismatch`],
    /// [`OidcError::IdToken`], [`OidcError::Userinfo`], [`OidcError::MissingEmail`],
    /// [`OidcError::EmailNotVerified`].
    pub async fn finish_login(
        &self,
        pending: &PendingLogin,
        returned_state: &str,
        code: &str,
    ) -> Result<OidcIdentity, OidcError> {
        let age = now_unix() - pending.created_at_unix;
        if !(-60..=PENDING_LOGIN_TTL_SECS).contains(&age) {
            return Err(OidcError::Expired);
        }
        if pending.provider_id != self.config.id || !same_secret(&pending.state, returned_state) {
            return Err(OidcError::StateMismatch);
        }

        let mut exchange = self
            .client
            .exchange_code(AuthorizationCode::new(code.to_owned()));
        if let Some(verifier) = &pending.pkce_verifier {
            exchange = exchange.set_pkce_verifier(PkceCodeVerifier::new(verifier.clone()));
        }
        let token = exchange
            .request_async(&self.http)
            .await
            .map_err(|err| OidcError::CodeExchange(describe_token_error(&err)))?;

        let id_token = token
            .id_token()
            .ok_or_else(|| OidcError::IdToken("the token response has no ID token".to_owned()))?;
        let verifier = self.client.id_token_verifier();
        let nonce = Nonce::new(pending.nonce.clone());
        let id_claims = id_token
            .claims(&verifier, &nonce)
            .map_err(|err| match err {
                ClaimsVerificationError::InvalidNonce(_) => OidcError::NonceMismatch,
                other => OidcError::IdToken(describe(&other)),
            })?;
        if let Some(expected) = id_claims.access_token_hash() {
            let alg = id_token
                .signing_alg()
                .map_err(|err| OidcError::IdToken(describe(&err)))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|err| OidcError::IdToken(describe(&err)))?;
            let actual = AccessTokenHash::from_token(token.access_token(), alg, key)
                .map_err(|err| OidcError::IdToken(describe(&err)))?;
            if actual != *expected {
                return Err(OidcError::IdToken(
                    "the access token does not match the ID token's at_hash".to_owned(),
                ));
            }
        }

        let mut request = self.client.user_info(
            token.access_token().clone(),
            Some(id_claims.subject().clone()),
        );
        if self.config.signed_userinfo {
            request = request
                .require_signed_response(true)
                .set_response_type(UserInfoResponseType::Jwt);
        }
        let userinfo: UserInfoClaims<ProviderClaims, CoreGenderClaim> = request
            .request_async(&self.http)
            .await
            .map_err(|err| OidcError::Userinfo(describe_userinfo_error(&err)))?;

        // The e-mail and its verification come from the same place: userinfo, else the ID token.
        let (email, email_verified) = match userinfo.email() {
            Some(email) => (Some(email.as_str()), userinfo.email_verified()),
            None => (
                id_claims.email().map(|e| e.as_str()),
                id_claims.email_verified(),
            ),
        };
        let email = normalize_email(email.ok_or(OidcError::MissingEmail)?)?;
        if email_verified == Some(false) {
            return Err(OidcError::EmailNotVerified);
        }
        let given_name = userinfo
            .given_name()
            .or_else(|| id_claims.given_name())
            .and_then(|names| names.get(None))
            .map(|name| name.as_str().to_owned());
        let claims = &userinfo.additional_claims().claims;
        let extra = self
            .config
            .extra_claims
            .iter()
            .filter_map(|name| claims.get(name).map(|value| (name.clone(), value.clone())))
            .collect();
        Ok(OidcIdentity {
            provider_id: self.config.id.clone(),
            subject: id_claims.subject().as_str().to_owned(),
            email,
            email_verified: email_verified == Some(true),
            given_name,
            usual_name: claim_string(claims, "usual_name"),
            siret: claim_string(claims, "siret"),
            uid: claim_string(claims, "uid"),
            extra,
        })
    }
}

/// Client authentication at the token endpoint: HTTP Basic when offered (the default when the provider says
/// nothing), else the secret in the body (ProConnect's `client_secret_post`).
fn client_auth_type(
    supported: Option<&Vec<CoreClientAuthMethod>>,
    has_secret: bool,
) -> Result<AuthType, OidcError> {
    if !has_secret {
        return Ok(AuthType::RequestBody);
    }
    let Some(supported) = supported else {
        return Ok(AuthType::BasicAuth);
    };
    if supported.contains(&CoreClientAuthMethod::ClientSecretBasic) {
        Ok(AuthType::BasicAuth)
    } else if supported.contains(&CoreClientAuthMethod::ClientSecretPost) {
        Ok(AuthType::RequestBody)
    } else {
        Err(OidcError::Discovery(
            "the provider offers neither client_secret_basic nor client_secret_post".to_owned(),
        ))
    }
}

fn normalize_email(raw: &str) -> Result<String, OidcError> {
    let email = raw.trim().to_lowercase();
    let usable = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        && !email.chars().any(char::is_whitespace);
    if usable {
        Ok(email)
    } else {
        Err(OidcError::MissingEmail)
    }
}

fn claim_string(claims: &BTreeMap<String, Value>, name: &str) -> Option<String> {
    match claims.get(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Compares secrets without an early exit on the first differing byte.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// An error and its causes on one line.
fn describe(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Token errors without the response body (it holds tokens) and without parser details (they may quote it).
fn describe_token_error<RE, T>(err: &RequestTokenError<RE, T>) -> String
where
    RE: StdError + 'static,
    T: openidconnect::ErrorResponse + 'static,
{
    match err {
        RequestTokenError::ServerResponse(response) => {
            format!("the provider refused: {response}")
        }
        RequestTokenError::Request(cause) => describe(cause),
        RequestTokenError::Parse(_, _) => "the token response could not be parsed".to_owned(),
        RequestTokenError::Other(message) => message.clone(),
    }
}

/// Userinfo errors without the body or parser details (they hold personal data).
fn describe_userinfo_error<RE>(err: &UserInfoError<RE>) -> String
where
    RE: StdError + 'static,
{
    match err {
        UserInfoError::ClaimsVerification(cause) => describe(cause),
        UserInfoError::Parse(_) => "the userinfo response could not be parsed".to_owned(),
        UserInfoError::Request(cause) => describe(cause),
        UserInfoError::Response(status, _, message) => format!("{message} (HTTP {status})"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROCONNECT: &str = r#"[{
        "id": "proconnect", "label_fr": "Se connecter avec ProConnect", "label_en": "Sign in with ProConnect",
        "issuer": "https://fca.integ01.dev-agentconnect.fr/api/v2", "client_id": "abc", "client_secret": "s3cret",
        "scopes": ["openid", "email", "given_name", "usual_name", "siret", "uid"],
        "pkce": true, "signed_userinfo": true, "extra_claims": ["idp_id"]
    }]"#;

    #[test]
    fn a_proconnect_configuration_is_read() {
        let providers = providers_from_json(PROCONNECT).expect("valid");
        assert_eq!(providers.len(), 1);
        assert_eq!(providers[0].id, "proconnect");
        assert!(providers[0].signed_userinfo && providers[0].pkce);
        assert_eq!(providers[0].extra_claims, ["idp_id"]);
    }

    #[test]
    fn no_configuration_means_no_provider() {
        assert!(providers_from_json("").expect("blank").is_empty());
        assert!(providers_from_json("[]").expect("empty").is_empty());
    }

    #[test]
    fn defaults_are_pkce_on_signed_userinfo_off_and_openid_email_scopes() {
        let json = r#"[{"id": "x", "label_fr": "X", "label_en": "X", "issuer": "https://idp.example",
            "client_id": "c", "client_secret": "s"}]"#;
        let provider = &providers_from_json(json).expect("valid")[0];
        assert!(provider.pkce);
        assert!(!provider.signed_userinfo);
        assert_eq!(provider.scopes, ["openid", "email"]);
    }

    #[test]
    fn bad_configurations_are_refused_with_a_reason_and_without_the_secret() {
        let cases = [
            (r#"[{"id": "x"}]"#, "not a valid JSON"),
            (
                r#"[{"id": "Bad Id", "label_fr": "X", "label_en": "X", "issuer": "https://a", "client_id": "c"}]"#,
                "lowercase",
            ),
            (
                r#"[{"id": "x", "label_fr": "X", "label_en": "X", "issuer": "http://idp.example", "client_id": "c",
                  "client_secret": "s3cret"}]"#,
                "https",
            ),
            (
                r#"[{"id": "x", "label_fr": "X", "label_en": "X", "issuer": "https://a", "client_id": "c",
                  "client_secret": "s3cret", "scopes": ["openid"]}]"#,
                "email",
            ),
            (
                r#"[{"id": "x", "label_fr": "X", "label_en": "X", "issuer": "https://a", "client_id": "c",
                  "pkce": false}]"#,
                "public client",
            ),
            (
                r#"[{"id": "x", "label_fr": "X", "label_en": "X", "issuer": "https://a", "client_id": "c",
                  "client_secret": "s3cret", "secret": "s3cret"}]"#,
                "not a valid JSON",
            ),
        ];
        for (json, expected) in cases {
            let err = providers_from_json(json).expect_err(json);
            assert!(err.contains(expected), "{err}");
            assert!(!err.contains("s3cret"), "{err}");
        }
        let twice = format!(
            "[{0}, {0}]",
            PROCONNECT
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
        );
        assert!(
            providers_from_json(&twice)
                .expect_err("dup")
                .contains("twice")
        );
    }

    #[test]
    fn http_is_allowed_on_loopback_only() {
        let json = r#"[{"id": "t", "label_fr": "T", "label_en": "T", "issuer": "http://127.0.0.1:4000",
            "client_id": "c", "client_secret": "s"}]"#;
        assert!(providers_from_json(json).is_ok());
    }

    #[test]
    fn debug_output_hides_the_client_secret_and_the_login_secrets() {
        let provider = &providers_from_json(PROCONNECT).expect("valid")[0];
        assert!(!format!("{provider:?}").contains("s3cret"));
        let pending = PendingLogin {
            provider_id: "p".to_owned(),
            state: "the-state".to_owned(),
            nonce: "the-nonce".to_owned(),
            pkce_verifier: Some("the-verifier".to_owned()),
            created_at_unix: 0,
        };
        let shown = format!("{pending:?}");
        assert!(
            !shown.contains("the-state")
                && !shown.contains("the-nonce")
                && !shown.contains("the-verifier")
        );
    }

    #[test]
    fn emails_are_trimmed_and_lowercased_and_must_look_like_addresses() {
        assert_eq!(
            normalize_email(" Marie.Dupont@Mairie-Exemple.FR ").expect("usable"),
            "marie.dupont@mairie-exemple.fr"
        );
        for bad in [
            "",
            "marie",
            "@exemple.fr",
            "marie@",
            "marie dupont@exemple.fr",
        ] {
            assert!(
                matches!(normalize_email(bad), Err(OidcError::MissingEmail)),
                "{bad}"
            );
        }
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }

    #[test]
    fn the_client_authenticates_as_the_provider_allows() {
        use CoreClientAuthMethod::{ClientSecretBasic, ClientSecretPost, PrivateKeyJwt};
        let auth = |methods: Option<Vec<CoreClientAuthMethod>>, secret| {
            client_auth_type(methods.as_ref(), secret)
        };
        assert!(matches!(auth(None, true), Ok(AuthType::BasicAuth)));
        assert!(matches!(
            auth(Some(vec![ClientSecretPost, ClientSecretBasic]), true),
            Ok(AuthType::BasicAuth)
        ));
        assert!(matches!(
            auth(Some(vec![ClientSecretPost]), true),
            Ok(AuthType::RequestBody)
        ));
        assert!(matches!(
            auth(Some(vec![PrivateKeyJwt]), true),
            Err(OidcError::Discovery(_))
        ));
        assert!(matches!(
            auth(Some(vec![PrivateKeyJwt]), false),
            Ok(AuthType::RequestBody)
        ));
    }
}
