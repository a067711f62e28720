//! Word diffs shown to people: insertions in `<ins>`, deletions in `<del>`, each preceded by a visually
//! hidden "ajouté :" / "supprimé :" so screen readers say it (colour and strike-through are not enough).

use domain::diff::Change;
use leptos::prelude::*;

use crate::i18n::t;

/// A word diff, inline.
#[component]
pub fn DiffView(changes: Vec<Change>) -> impl IntoView {
    view! {
        <span class="diff">
            {changes
                .into_iter()
                .map(|change| match change {
                    Change::Same(text) => view! { <span>{text}</span> }.into_any(),
                    Change::Added(text) => view! {
                        <ins><span class="visually-hidden">{t("diff.added")} " "</span>{text}</ins>
                    }
                    .into_any(),
                    Change::Removed(text) => view! {
                        <del><span class="visually-hidden">{t("diff.removed")} " "</span>{text}</del>
                    }
                    .into_any(),
                })
                .collect_view()}
        </span>
    }
}
