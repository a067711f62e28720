//! `/invitation/:token`: join the congress from an invitation link, or choose a new password.

use domain::registration::Field;
use leptos::prelude::*;
use leptos_meta::Title;

use domain::refusal::Refusal;

use crate::{
    api::{AcceptInvitation, ApiError, get_invitation},
    i18n::{t, title_t, tr_with, use_i18n},
    ui::{
        forms::{ActionOutcome, TextField},
        pages::{InvitationRoute, register::FunctionSelect, use_route},
    },
};

/// The invitation page.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let route = use_route::<InvitationRoute>();
    let token = move || route.get().map(|r| r.token).unwrap_or_default();
    let invitation = Resource::new(token, get_invitation);
    let action = ServerAction::<AcceptInvitation>::new();
    let value = action.value();
    let result = Signal::derive(move || value.get());
    let locale = use_i18n().locale;
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(()))) {
            // Signed in by the answer's cookie: start from the home page as a member.
            let _ = window().location().set_href("/");
        }
    });
    view! {
        <Title text=title_t("invitation.title")/>
        <div class="narrow">
            <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match invitation.await {
                        Err(_) => view! {
                            <h1>{t("invitation.title")}</h1>
                            <p class="outcome__error" role="alert">{t("invitation.invalid")}</p>
                        }
                        .into_any(),
                        Ok(invite) => {
                            let reset = invite.reset;
                            let fixed_email = invite.email.clone();
                            let joins_as = invite.signed_in_as.clone().filter(|_| !reset);
                            let sign_in_first = move || {
                                matches!(result.get(), Some(Err(ApiError::Refused(Refusal::AccountExists))))
                            };
                            let sign_in_href = format!("/connexion?back=/invitation/{}", token());
                            view! {
                                <h1>{move || if reset { t("invitation.reset_title")() } else { t("invitation.title")() }}</h1>
                                <ActionOutcome result success="loading"/>
                                {move || sign_in_first().then(|| view! {
                                    <p><a href=sign_in_href.clone()>{t("invitation.sign_in_then")}</a></p>
                                })}
                                {match joins_as {
                                    // Signed in: the edition is added to this very account; nothing else changes.
                                    Some(name) => view! {
                                        <p class="lead">
                                            {move || tr_with(locale.get(), "invitation.join_as", &[("name", &name)])}
                                        </p>
                                        <ActionForm action attr:class="form">
                                            <input type="hidden" name="token" value=token/>
                                            <button type="submit" class="button button--primary">{t("invitation.join_submit")}</button>
                                        </ActionForm>
                                    }
                                    .into_any(),
                                    None => view! {
                                        <p class="lead">{t("invitation.intro")}</p>
                                        <ActionForm action attr:class="form">
                                            <input type="hidden" name="token" value=token/>
                                            {(!reset).then(|| view! {
                                                <TextField name="given_name" label="register.given_name"
                                                    field=Field::GivenName result autocomplete="given-name" required=true/>
                                                <TextField name="usual_name" label="register.usual_name"
                                                    field=Field::UsualName result autocomplete="family-name" required=true/>
                                                {match fixed_email.clone() {
                                                    // The link was made for this address: it is the account's, fixed.
                                                    Some(email) => view! {
                                                        <p class="field">
                                                            <span class="field__label">{t("register.email")}</span> " : "
                                                            <strong>{email}</strong>
                                                        </p>
                                                    }
                                                    .into_any(),
                                                    None => view! {
                                                        <TextField name="email" label="register.email" field=Field::Email result
                                                            kind="email" autocomplete="email" required=true/>
                                                    }
                                                    .into_any(),
                                                }}
                                                <FunctionSelect result/>
                                                <TextField name="collectivity" label="register.collectivity"
                                                    field=Field::Collectivity result required=true/>
                                                <TextField name="collectivity_code" label="register.collectivity_code"
                                                    field=Field::CollectivityCode result
                                                    hint="register.collectivity_code_hint" required=true/>
                                            })}
                                            <TextField name="password" label="invitation.password" field=Field::Password
                                                result kind="password" autocomplete="new-password" required=true/>
                                            <button type="submit" class="button button--primary">{t("invitation.submit")}</button>
                                        </ActionForm>
                                    }
                                    .into_any(),
                                }}
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}
