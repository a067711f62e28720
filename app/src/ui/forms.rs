//! Form helpers shared by pages: labelled fields with their error messages, the error summary, the answers of
//! actions, and the reloading of a page's data after any of its actions.

use domain::registration::{Field, FieldProblem, Problem};
use leptos::{prelude::*, server_fn::ServerFn};

use crate::{
    api::ApiError,
    i18n::{Locale, tr, use_i18n},
};

/// The initial text of a `<textarea>`, written as its child.
///
/// Leptos renders a textarea's children without escaping them (tachys declares `<textarea>` a raw-text element,
/// like `<script>`), so a stored text such as `</textarea><form …>` would become markup on the server-rendered
/// page. Every textarea child goes through this: escaped on the server (the browser decodes it back into the
/// field's value, which hydration then finds), the text itself in the browser, where it is set as text.
pub fn textarea_text(text: impl Into<String>) -> String {
    let text = text.into();
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&text).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// The translation key naming a field.
pub fn field_key(field: Field) -> &'static str {
    match field {
        Field::GivenName => "field.given_name",
        Field::UsualName => "field.usual_name",
        Field::Email => "field.email",
        Field::Phone => "field.phone",
        Field::Function => "field.function",
        Field::Collectivity => "field.collectivity",
        Field::CollectivityCode => "field.collectivity_code",
        Field::Role => "field.role",
        Field::Password => "field.password",
    }
}

/// The translation key of a problem.
pub fn problem_key(problem: Problem) -> &'static str {
    match problem {
        Problem::Missing => "problem.missing",
        Problem::TooLong => "problem.too_long",
        Problem::TooShort => "problem.too_short",
        Problem::Invalid => "problem.invalid",
    }
}

/// "Adresse e-mail : n’est pas valide".
pub fn problem_sentence(locale: Locale, problem: FieldProblem) -> String {
    format!(
        "{} : {}",
        tr(locale, field_key(problem.field)),
        tr(locale, problem_key(problem.problem))
    )
}

/// The problems of one field in an action's last answer.
pub fn problems_of(
    result: &Option<Result<impl Clone, ApiError>>,
    field: Field,
) -> Vec<FieldProblem> {
    match result {
        Some(Err(ApiError::Invalid(problems))) => problems
            .iter()
            .copied()
            .filter(|p| p.field == field)
            .collect(),
        _ => Vec::new(),
    }
}

/// A labelled text input whose error, if any, is said next to it and tied to it for screen readers.
#[component]
pub fn TextField<T: Clone + Send + Sync + 'static>(
    name: &'static str,
    label: &'static str,
    field: Field,
    result: Signal<Option<Result<T, ApiError>>>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let id = format!("champ-{name}");
    let error_id = format!("{id}-erreur");
    let hint_id = format!("{id}-aide");
    let problems = move || result.with(|r| problems_of(r, field));
    let invalid = move || (!problems().is_empty()).then_some("true");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if !problems().is_empty() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || tr(locale.get(), label)}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id.clone()>{move || tr(locale.get(), hint)}</p> })}
            <input
                id=id
                name=name
                type=kind.unwrap_or("text")
                autocomplete=autocomplete
                required=required
                aria-invalid=invalid
                aria-describedby=described
            />
            <p class="field__error" id=error_id>
                {move || {
                    problems()
                        .into_iter()
                        .map(|p| tr(locale.get(), problem_key(p.problem)))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                }}
            </p>
        </div>
    }
}

/// The answer of the last submission, for everyone: a success message or the error, announced politely.
#[component]
pub fn ActionOutcome<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, ApiError>>>,
    success: &'static str,
) -> impl IntoView {
    let locale = use_i18n().locale;
    view! {
        <div class="outcome" role="status" aria-live="polite">
            {move || match result.get() {
                Some(Ok(_)) => view! { <p class="outcome__ok">{tr(locale.get(), success)}</p> }.into_any(),
                Some(Err(ApiError::Invalid(problems))) => view! {
                    <div class="outcome__error">
                        <p>{tr(locale.get(), "error.invalid")}</p>
                        <ul>
                            {problems
                                .into_iter()
                                .map(|p| view! { <li>{problem_sentence(locale.get(), p)}</li> })
                                .collect_view()}
                        </ul>
                    </div>
                }
                .into_any(),
                Some(Err(error)) => view! { <p class="outcome__error">{error.message(locale.get())}</p> }.into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}

/// The answer of the last submission when success says more than a sentence (a link to what was just
/// created): `ok` shows it; an error is said as [`ActionOutcome`] says it.
pub fn outcome_with<T, V>(
    result: Signal<Option<Result<T, ApiError>>>,
    ok: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let locale = use_i18n().locale;
    view! {
        <div class="outcome" role="status" aria-live="polite">
            {move || match result.get() {
                Some(Ok(value)) => ok(value).into_any(),
                Some(Err(error)) => view! { <p class="outcome__error">{error.message(locale.get())}</p> }.into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}

/// The actions of a page whose data is read again when any of them completes: create them with
/// [`Reload::action`], read [`Reload::version`] in the resource's source.
#[derive(Clone, Copy)]
pub struct Reload(StoredValue<Vec<RwSignal<usize>>>);

impl Reload {
    /// No action yet.
    #[must_use]
    pub fn new() -> Self {
        Self(StoredValue::new(Vec::new()))
    }

    /// A new action of the page.
    #[must_use]
    pub fn action<S>(self) -> ServerAction<S>
    where
        S: ServerFn + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
        S::Error: Send + Sync + 'static,
    {
        let action = ServerAction::<S>::new();
        let version = action.version();
        self.0.update_value(|versions| versions.push(version));
        action
    }

    /// Grows each time one of the actions completes (versions only grow, so their sum changes with any).
    #[must_use]
    pub fn version(self) -> usize {
        self.0
            .with_value(|versions| versions.iter().map(|version| version.get()).sum())
    }
}

impl Default for Reload {
    fn default() -> Self {
        Self::new()
    }
}
