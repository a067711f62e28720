//! `/profil`: who I am here — name, role and status in the current edition.

use leptos::prelude::*;
use leptos_meta::Title;

use super::ErrorPanel;
use crate::{
    api::{ApiError, SetAttendance, get_viewer},
    i18n::{t, title_t, tr, use_i18n},
    ui::pages::members_page::{role_key, status_key},
};

/// The profile page; visitors are asked to sign in.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let switch = ServerAction::<SetAttendance>::new();
    let viewer = Resource::new(move || switch.version().get(), |_| get_viewer());
    let locale = use_i18n().locale;
    view! {
        <Title text=title_t("profile.title")/>
        <h1>{t("profile.title")}</h1>
        <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(me)) => view! {
                        <dl class="facts">
                            <dt>{t("members.name")}</dt>
                            <dd>{me.display_name}</dd>
                            <dt>{t("profile.attendance")}</dt>
                            <dd>
                                {match me.attendance {
                                    domain::member::Attendance::InHall => t("attendance.hall")(),
                                    domain::member::Attendance::Remote => t("attendance.remote")(),
                                }}
                                <ActionForm action=switch attr:class="inline-form">
                                    <input type="hidden" name="attendance" value=match me.attendance {
                                        domain::member::Attendance::InHall => "remote",
                                        domain::member::Attendance::Remote => "hall",
                                    }/>
                                    <button type="submit" class="button">
                                        {match me.attendance {
                                            domain::member::Attendance::InHall => t("profile.now_remote")(),
                                            domain::member::Attendance::Remote => t("profile.now_in_hall")(),
                                        }}
                                    </button>
                                </ActionForm>
                            </dd>
                            {match (me.role, me.status) {
                                (Some(role), Some(status)) => view! {
                                    <dt>{t("members.role")}</dt>
                                    <dd>{move || tr(locale.get(), role_key(role))}</dd>
                                    <dt>{t("members.status")}</dt>
                                    <dd>{move || tr(locale.get(), status_key(status))}</dd>
                                }
                                .into_any(),
                                _ => view! { <dd>{t("profile.not_member")}</dd> }.into_any(),
                            }}
                        </dl>
                    }
                    .into_any(),
                    Ok(None) => view! { <ErrorPanel error=ApiError::Unauthenticated/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
