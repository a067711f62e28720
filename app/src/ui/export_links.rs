//! Links to the hand-over dossier: the adopted text for everyone (reader, paragraph histories), every format
//! and the sealed dossier for organizers (console), with a calm "being prepared" notice while the server
//! typesets. Plain links: they work without JavaScript and the browser shows the download.

use domain::motion::Phase;
use leptos::prelude::*;

use crate::i18n::t;

/// The files of the dossier: (file name in the URL, translation key of the link).
const FILES: [(&str, &str); 5] = [
    ("motion.pdf", "export.pdf"),
    ("motion.odt", "export.odt"),
    ("motion.json", "export.json"),
    ("motion.md", "export.markdown"),
    ("dossier.zip", "export.dossier"),
];

/// `/api/v1/motions/{id}/export/{file}`: the stable URL of one file.
pub fn export_url(motion_id: i32, file: &str) -> String {
    format!("/api/v1/motions/{motion_id}/export/{file}")
}

/// Once the motion is adopted: the adopted text in every format, for everyone.
#[component]
pub fn AdoptedTextLinks(motion_id: i32, phase: Phase) -> impl IntoView {
    (phase == Phase::Adopted).then(|| {
        view! {
            <nav class="export-links" aria-label=t("export.adopted_nav")>
                <p>
                    <strong>{t("export.adopted_intro")}</strong> " "
                    {FILES
                        .into_iter()
                        .enumerate()
                        .map(|(i, (file, key))| view! {
                            {(i > 0).then_some(" · ")}
                            <a href=export_url(motion_id, file) download="">{t(key)}</a>
                        })
                        .collect_view()}
                </p>
            </nav>
        }
    })
}

/// For organizers: export the dossier now (a working version until the final vote), with a notice while the
/// server prepares it.
#[component]
pub fn OrganizerExport(motion_id: i32, phase: Phase) -> impl IntoView {
    let preparing = RwSignal::new(false);
    let status_id = format!("export-etat-{motion_id}");
    let preparing_text = t("export.preparing");
    let intro = if phase == Phase::Adopted {
        "export.organizer_final"
    } else {
        "export.organizer_working"
    };
    view! {
        <div class="export-links export-links--organizer">
            <p>
                {t(intro)} " "
                {FILES
                    .into_iter()
                    .enumerate()
                    .map(|(i, (file, key))| view! {
                        {(i > 0).then_some(" · ")}
                        <a href=export_url(motion_id, file) download="" aria-describedby=status_id.clone()
                            on:click=move |_| preparing.set(true)>{t(key)}</a>
                    })
                    .collect_view()}
            </p>
            <p class="field__hint" id=status_id.clone() role="status" aria-live="polite">
                {move || if preparing.get() { preparing_text() } else { "" }}
            </p>
        </div>
    }
}
