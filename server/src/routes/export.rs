//! `GET /api/v1/motions/{id}/export/{file}`: the hand-over dossier and its files.
//!
//! `file` is `motion.pdf`, `motion.odt`, `motion.md`, `motion.json` or `dossier.zip`. Once the motion is
//! adopted, every file is public and built at the event that adopted it (stable URLs: the same bytes for
//! everyone, forever). Before that, only the organizers of its edition may export, a working version at the
//! log's head (or at `?seq=N`).
//!
//! Rendering is CPU work (Typst, which spreads it over rayon threads): it runs one export at a time, in a thread
//! pool of its own whose threads have the lowest scheduling class the system offers (`SCHED_IDLE` on Linux), so
//! that an export uses the cores the live clients and the votes leave idle and never takes a core from them. The
//! bytes are kept per (motion, seq, file) since an export is a pure function of the log.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use crate::refusal::{refusal, refusal_with};
use app::api::state::AppState;
use app::ssr::{
    identity::Viewer,
    store::{
        StoreError,
        entities::motion,
        error_reference,
        export::{At, load_document},
    },
};
use axum::{
    Extension,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::{document::MotionDocument, member::Actor, motion::Phase, policy::Action};
use dossier::DossierError;
use sea_orm::EntityTrait;
use serde::Deserialize;
use tokio::sync::Semaphore;

/// Files kept in memory at most (a final dossier is a few hundred KiB to a few MiB).
const KEPT: usize = 32;

/// One file of the dossier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFile {
    Pdf,
    Odt,
    Markdown,
    Json,
    Dossier,
}

impl ExportFile {
    /// The file named in the URL, if it is one of ours.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "motion.pdf" => Some(Self::Pdf),
            "motion.odt" => Some(Self::Odt),
            "motion.md" => Some(Self::Markdown),
            "motion.json" => Some(Self::Json),
            "dossier.zip" => Some(Self::Dossier),
            _ => None,
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Markdown => "text/markdown; charset=utf-8",
            Self::Json => "application/json",
            Self::Dossier => "application/zip",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Odt => "odt",
            Self::Markdown => "md",
            Self::Json => "json",
            Self::Dossier => "zip",
        }
    }

    /// Renders the file: pure CPU work, call it on a blocking thread.
    ///
    /// # Errors
    /// When a writer fails (see [`DossierError`]).
    pub fn render(self, doc: &MotionDocument) -> Result<Vec<u8>, DossierError> {
        match self {
            Self::Pdf => dossier::pdf::render_pdf(doc),
            Self::Odt => dossier::odt::render_odt(doc),
            Self::Markdown => Ok(dossier::markdown::render_markdown(doc).into_bytes()),
            Self::Json => Ok(dossier::open_data::render_json(doc)),
            Self::Dossier => dossier::bundle::build_dossier(doc).map(|d| d.zip),
        }
    }
}

/// Rendered files by (motion, seq, file), the one permit to render, and the low-priority threads it runs on.
pub struct Exports {
    kept: Mutex<HashMap<(i32, u64, ExportFile), Bytes>>,
    rendering: Semaphore,
    pool: Option<Arc<rayon::ThreadPool>>,
}

impl Default for Exports {
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("export-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .map_err(|err| tracing::warn!(error = %err, "no export thread pool: exports share the runtime's cores"))
            .ok()
            .map(Arc::new);
        Exports {
            kept: Mutex::default(),
            rendering: Semaphore::new(1),
            pool,
        }
    }
}

/// Puts the calling thread in the lowest scheduling class: it runs only on cores nothing else wants.
fn lower_priority() {
    use thread_priority::{
        NormalThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy,
        set_thread_priority_and_policy, thread_native_id,
    };
    #[cfg(target_os = "linux")]
    let policy = NormalThreadSchedulePolicy::Idle;
    // Elsewhere: the normal policy at the lowest priority (the highest nice value).
    #[cfg(not(target_os = "linux"))]
    let policy = NormalThreadSchedulePolicy::Other;
    if let Err(err) = set_thread_priority_and_policy(
        thread_native_id(),
        ThreadPriority::Min,
        ThreadSchedulePolicy::Normal(policy),
    ) {
        tracing::warn!(error = ?err, "export thread keeps its normal priority");
    }
}

impl Exports {
    fn get(&self, key: &(i32, u64, ExportFile)) -> Option<Bytes> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    fn keep(&self, key: (i32, u64, ExportFile), bytes: &Bytes) {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.len() >= KEPT {
            // Working versions go stale with every event; forgetting everything is simpler than an LRU and
            // costs one render per file asked again.
            kept.clear();
        }
        kept.insert(key, bytes.clone());
    }

    /// The file's bytes, rendered at most once per (motion, seq, file) and one render at a time.
    ///
    /// # Errors
    /// When the writer fails, or its thread panicked.
    pub async fn bytes(&self, doc: MotionDocument, file: ExportFile) -> Result<Bytes, String> {
        let key = (doc.motion_id, doc.integrity.seq, file);
        if let Some(bytes) = self.get(&key) {
            return Ok(bytes);
        }
        let _permit = self
            .rendering
            .acquire()
            .await
            .map_err(|err| err.to_string())?;
        // Someone else may have rendered it while we waited.
        if let Some(bytes) = self.get(&key) {
            return Ok(bytes);
        }
        let pool = self.pool.clone();
        let started = std::time::Instant::now();
        let rendered = tokio::task::spawn_blocking(move || match pool {
            // Typst's parallel work goes to the pool the closure runs in: all of it at low priority.
            Some(pool) => pool.install(|| file.render(&doc)),
            None => file.render(&doc),
        })
        .await
        .map_err(|err| err.to_string())?
        .map_err(|err| err.to_string())?;
        metrics::histogram!("hemicycle_export_render_seconds", "file" => file.extension())
            .record(started.elapsed().as_secs_f64());
        let bytes = Bytes::from(rendered);
        self.keep(key, &bytes);
        Ok(bytes)
    }
}

/// `?seq=N`: an organizer's export of an earlier moment.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    pub seq: Option<i64>,
}

fn not_found(headers: &HeaderMap) -> Response {
    refusal(headers, StatusCode::NOT_FOUND, "export.not_found")
}

fn internal(headers: &HeaderMap, operation: &'static str, cause: &str) -> Response {
    let reference = error_reference();
    tracing::error!(%reference, operation, error = cause, "export failed");
    refusal_with(
        headers,
        StatusCode::INTERNAL_SERVER_ERROR,
        "export.failed",
        &[("ref", &reference)],
    )
}

/// Whether the viewer organizes the edition of the motion (and so may export it at any moment).
fn organizes(viewer: Option<&Viewer>, edition_id: i32, phase: Phase) -> bool {
    viewer.is_some_and(|viewer| {
        let actor: Actor = viewer.actor();
        viewer
            .membership
            .is_some_and(|m| m.edition_id == edition_id)
            && domain::policy::can(&actor, Action::Export, phase).is_ok()
    })
}

pub async fn export(
    State(state): State<AppState>,
    Extension(exports): Extension<Arc<Exports>>,
    viewer: Option<Extension<Viewer>>,
    Path((motion_id, file)): Path<(i32, String)>,
    Query(query): Query<ExportQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(file) = ExportFile::from_name(&file) else {
        return not_found(&headers);
    };
    let row = match motion::Entity::find_by_id(motion_id).one(&state.db).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(&headers),
        Err(err) => return internal(&headers, "export_motion", &err.to_string()),
    };
    let phase = Phase::from_code(&row.phase).unwrap_or(Phase::Closed);
    let adopted = phase == Phase::Adopted;
    let organizer = organizes(viewer.as_deref(), row.edition_id, phase);
    let at = if organizer {
        match query.seq {
            Some(seq) => At::Seq(seq),
            None if adopted => At::Adoption,
            None => At::Head,
        }
    } else if adopted {
        At::Adoption
    } else if viewer.is_none() {
        return refusal(&headers, StatusCode::UNAUTHORIZED, "export.sign_in");
    } else {
        return refusal(&headers, StatusCode::FORBIDDEN, "export.organizers_only");
    };
    let doc = match load_document(&state.db, motion_id, at).await {
        Ok(doc) => doc,
        Err(StoreError::NotFound) => return not_found(&headers),
        Err(err) => return internal(&headers, "export_load", &err.to_string()),
    };
    let final_text = doc.status.is_final();
    let name = format!(
        "motion-{motion_id}-{}-{}.{}",
        if final_text { "adoptee" } else { "travail" },
        doc.integrity.seq,
        file.extension()
    );
    let etag = format!(
        "\"{}-{}\"",
        doc.integrity.seq,
        doc.integrity.short_text_hash()
    );
    tracing::info!(
        motion.id = motion_id,
        seq = doc.integrity.seq,
        ?file,
        "export"
    );
    metrics::counter!("hemicycle_export_requests_total", "file" => file.extension()).increment(1);
    let bytes = match exports.bytes(doc, file).await {
        Ok(bytes) => bytes,
        Err(cause) => return internal(&headers, "export_render", &cause),
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if final_text {
            "public, max-age=300"
        } else {
            "private, no-store"
        }),
    );
    response
}
