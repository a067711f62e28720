//! The one error type that crosses the wire. Internal causes never leave the server: they are logged once,
//! with a reference the user can quote.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use domain::{refusal::Refusal, registration::FieldProblem};

use crate::i18n::{Locale, tr, tr_with};

/// What a server function or JSON route can answer instead of a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    /// No session, or an expired one (HTTP 401).
    #[error("unauthenticated")]
    Unauthenticated,
    /// The member may not do this, in this role or phase (HTTP 403).
    #[error("forbidden")]
    Forbidden,
    /// The thing asked for does not exist, or is not visible to the member (HTTP 404).
    #[error("not found")]
    NotFound,
    /// A concurrent change won (HTTP 409).
    #[error("conflict")]
    Conflict,
    /// The domain refused the command; the refusal says why (HTTP 422).
    #[error("refused: {0}")]
    Refused(Refusal),
    /// Some fields of a form are wrong (HTTP 422); each problem names its field.
    #[error("invalid fields")]
    Invalid(Vec<FieldProblem>),
    /// Too many attempts in a short time (HTTP 429).
    #[error("too many requests")]
    TooManyRequests,
    /// The request itself is malformed (HTTP 400); the detail is safe to show.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Something failed on our side (HTTP 500); `reference` is logged with the cause.
    #[error("internal error {reference}")]
    Internal { reference: String },
    /// The server could not be reached or answered something unreadable (client side only).
    #[error("unreachable: {0}")]
    Unreachable(String),
}

impl ApiError {
    /// The HTTP status this error maps to.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Unauthenticated => 401,
            ApiError::Forbidden => 403,
            ApiError::NotFound => 404,
            ApiError::Conflict => 409,
            ApiError::Refused(_) | ApiError::Invalid(_) => 422,
            ApiError::TooManyRequests => 429,
            ApiError::BadRequest(_) => 400,
            ApiError::Internal { .. } => 500,
            ApiError::Unreachable(_) => 503,
        }
    }

    /// A sentence for people, in their language.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            ApiError::Unauthenticated => tr(locale, "error.unauthenticated").to_owned(),
            ApiError::Forbidden => tr(locale, "error.forbidden").to_owned(),
            ApiError::NotFound => tr(locale, "error.not_found").to_owned(),
            ApiError::Conflict => tr(locale, "error.conflict").to_owned(),
            ApiError::Refused(refusal) => {
                let args = refusal.args();
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                tr_with(locale, refusal.message_key(), &args)
            }
            ApiError::Invalid(_) => tr(locale, "error.invalid").to_owned(),
            ApiError::TooManyRequests => tr(locale, "error.too_many").to_owned(),
            ApiError::BadRequest(_) => tr(locale, "error.bad_request").to_owned(),
            ApiError::Internal { reference } => {
                tr_with(locale, "error.internal", &[("ref", reference)])
            }
            ApiError::Unreachable(_) => tr(locale, "error.unreachable").to_owned(),
        }
    }
}

#[cfg(feature = "ssr")]
mod from_adapters {
    //! Where server-side failures become the wire's error: each internal cause is logged here, once, inside the
    //! request's span (method, path, request id), with the reference the person is shown.

    use domain::refusal::Refusal;

    use super::ApiError;
    use crate::ssr::store::{CommandError, StoreError, error_reference};

    impl ApiError {
        /// An internal failure that is not the database's (hashing, a missing part).
        pub fn internal(what: &'static str) -> Self {
            let reference = error_reference();
            tracing::error!(%reference, what, "internal error");
            ApiError::Internal { reference }
        }

        /// A domain refusal as the wire says it: `Forbidden` for role and status refusals (the page hides
        /// what the member cannot do; there is nothing to explain), `Unauthenticated` for an ended session,
        /// `Refused` with the reason for the others.
        pub fn from_refusal(refusal: Refusal) -> Self {
            match refusal {
                Refusal::RoleCannot { .. } | Refusal::NotVerified { .. } => ApiError::Forbidden,
                Refusal::SessionEnded => ApiError::Unauthenticated,
                other => ApiError::Refused(other),
            }
        }
    }

    impl From<StoreError> for ApiError {
        fn from(err: StoreError) -> Self {
            match err {
                StoreError::NotFound => ApiError::NotFound,
                StoreError::Conflict(_) => ApiError::Conflict,
                StoreError::Db(err) => {
                    let reference = error_reference();
                    tracing::error!(error = %err, %reference, "database error");
                    ApiError::Internal { reference }
                }
            }
        }
    }

    impl From<sea_orm::DbErr> for ApiError {
        fn from(err: sea_orm::DbErr) -> Self {
            StoreError::from(err).into()
        }
    }

    impl From<CommandError> for ApiError {
        fn from(err: CommandError) -> Self {
            match err {
                CommandError::Refused(refusal) => ApiError::from_refusal(refusal),
                CommandError::Store(err) => err.into(),
            }
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                ApiError::BadRequest(detail)
            }
            // On the server, a body that cannot be read as the arguments (not UTF-8, say) is the request's
            // fault; in the browser the same variant means the answer could not be read.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(detail) => ApiError::BadRequest(detail),
            ServerFnErrorErr::Request(detail) | ServerFnErrorErr::Response(detail) => {
                ApiError::Unreachable(detail)
            }
            other => ApiError::Unreachable(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_show_the_reference_and_nothing_else() {
        let error = ApiError::Internal {
            reference: "E-7F3A".into(),
        };
        let fr = error.message(Locale::Fr);
        assert!(fr.contains("E-7F3A"), "{fr}");
        assert!(error.message(Locale::En).contains("E-7F3A"));
        assert_eq!(error.status(), 500);
    }

    #[test]
    fn every_error_has_a_french_and_an_english_message() {
        let errors = [
            ApiError::Unauthenticated,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::Conflict,
            ApiError::BadRequest("x".into()),
            ApiError::Unreachable("x".into()),
        ];
        for error in errors {
            let (fr, en) = (error.message(Locale::Fr), error.message(Locale::En));
            assert!(!fr.starts_with("error."), "{fr}");
            assert_ne!(fr, en);
        }
    }
}
