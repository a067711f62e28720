//! `/inscription`: an elected official asks to take part; organizers verify the mandate.

use domain::registration::{Field, MandateFunction};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::Register,
    i18n::{t, title_t, tr, use_i18n},
    ui::forms::{ActionOutcome, TextField, problems_of},
};

/// The translation key of a mandate function.
pub fn function_key(function: MandateFunction) -> &'static str {
    match function {
        MandateFunction::Maire => "function.maire",
        MandateFunction::Adjoint => "function.adjoint",
        MandateFunction::ConseillerMunicipal => "function.conseiller_municipal",
        MandateFunction::PresidentIntercommunalite => "function.president_intercommunalite",
        MandateFunction::VicePresidentIntercommunalite => {
            "function.vice_president_intercommunalite"
        }
        MandateFunction::ConseillerDepartemental => "function.conseiller_departemental",
        MandateFunction::ConseillerRegional => "function.conseiller_regional",
        MandateFunction::Autre => "function.autre",
    }
}

/// The select of elected functions, with its error.
#[component]
pub fn FunctionSelect<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, crate::api::ApiError>>>,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let problems = move || result.with(|r| problems_of(r, Field::Function));
    view! {
        <div class="field">
            <label for="champ-function">{t("register.function")}</label>
            <select
                id="champ-function"
                name="function"
                required
                aria-invalid=move || (!problems().is_empty()).then_some("true")
                aria-describedby="champ-function-erreur"
            >
                <option value="">"—"</option>
                {MandateFunction::ALL
                    .into_iter()
                    .map(|f| view! { <option value=f.code()>{move || tr(locale.get(), function_key(f))}</option> })
                    .collect_view()}
            </select>
            <p class="field__error" id="champ-function-erreur">
                {move || problems().first().map(|p| tr(locale.get(), crate::ui::forms::problem_key(p.problem)))}
            </p>
        </div>
    }
}

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let value = action.value();
    let result = Signal::derive(move || value.get());
    view! {
        <Title text=title_t("register.title")/>
        <div class="narrow">
            <h1>{t("register.title")}</h1>
            <p class="lead">{t("register.intro")}</p>
            <ActionOutcome result success="register.done"/>
            <ActionForm action attr:class="form">
                <TextField name="given_name" label="register.given_name" field=Field::GivenName result
                    autocomplete="given-name" required=true/>
                <TextField name="usual_name" label="register.usual_name" field=Field::UsualName result
                    autocomplete="family-name" required=true/>
                <TextField name="email" label="register.email" field=Field::Email result kind="email"
                    autocomplete="email" required=true/>
                <TextField name="phone" label="register.phone" field=Field::Phone result kind="tel"
                    autocomplete="tel"/>
                <FunctionSelect result/>
                <TextField name="collectivity" label="register.collectivity" field=Field::Collectivity result
                    autocomplete="organization" required=true/>
                <TextField name="collectivity_code" label="register.collectivity_code"
                    field=Field::CollectivityCode result hint="register.collectivity_code_hint" required=true/>
                <button type="submit" class="button button--primary">{t("register.submit")}</button>
            </ActionForm>
        </div>
    }
}
