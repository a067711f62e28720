//! The views the pages show (the DTOs of `api`), built from what the store reads and the motion's state
//! replayed from its log. The one home of view building: the store returns rows, the domain returns state,
//! this module turns them into what crosses the wire. Server-only.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, PoisonError},
};

use domain::{
    amendment::{Amendment, AmendmentStatus, AmendmentStatusCode, AmendmentTarget, FallReason},
    diff::word_diff,
    ids::{AmendmentId, MemberId, ParagraphId},
    lines::number_paragraphs,
    listing::{AmendmentFilter, Page, concerned_paragraph},
    member::{MemberStatus, Role},
    motion::Phase,
    motion_state::MotionState,
    paragraph::Provenance,
};
use sea_orm::ConnectionTrait;

use super::{
    AmendmentListing, AmendmentView, AuthorOption, ConflictView, CosignerView, DebateItemView,
    EditionSummary, InvitationLink, MemberRowDto, MotionSummary, MotionView, ParagraphHistoryView,
    ParagraphView, PlaceView, ProvenanceView, SectionView, SiteInfo, VersionView,
};
use crate::ssr::store::{
    self, StoreError,
    amendments::{HistoryRows, names},
    entities::{amendment, motion},
    log::Heads,
    motions::MotionRows,
};

/// The reader's view of each motion at its log's head, kept by this instance: when a thousand tabs read the
/// motion again after one event, one of them builds the view and the others share it. Keyed by the head
/// `seq`, an entry is never stale: every change to what the view shows is an event, which moves the head.
#[derive(Debug, Default)]
pub struct ViewCache {
    motions: Mutex<HashMap<i32, (i64, Arc<MotionView>)>>,
}

impl ViewCache {
    /// The motion as the reader shows it (see [`motion`]).
    ///
    /// # Errors
    /// As [`motion`].
    pub async fn motion<C: ConnectionTrait>(
        &self,
        conn: &C,
        motion_id: i32,
    ) -> Result<Arc<MotionView>, StoreError> {
        let head = store::log::head(conn, motion_id).await?;
        let cached = self
            .motions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&motion_id)
            .filter(|(seq, _)| *seq == head)
            .map(|(_, view)| Arc::clone(view));
        if let Some(view) = cached {
            return Ok(view);
        }
        let view = Arc::new(motion(conn, motion_id).await?);
        let mut motions = self.motions.lock().unwrap_or_else(PoisonError::into_inner);
        // A slower reader must not replace a newer entry with an older one.
        if motions
            .get(&motion_id)
            .is_none_or(|(seq, _)| *seq <= view.seq)
        {
            motions.insert(motion_id, (view.seq, Arc::clone(&view)));
        }
        Ok(view)
    }
}

/// The members of an edition as the organizers' list shows them: pending first, then by name.
///
/// # Errors
/// `Db` when the database fails.
pub async fn members<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
) -> Result<Vec<MemberRowDto>, StoreError> {
    let mut rows: Vec<MemberRowDto> = crate::ssr::identity::members::members_of(conn, edition_id)
        .await?
        .into_iter()
        .filter_map(|(m, ms)| {
            Some(MemberRowDto {
                member_id: m.id,
                given_name: m.given_name,
                usual_name: m.usual_name,
                email: m.email,
                function: m.mandate_function,
                collectivity: m.collectivity_name,
                collectivity_code: m.collectivity_code,
                role: Role::from_code(&ms.role)?,
                status: MemberStatus::from_code(&ms.status)?,
                status_reason: ms.status_reason,
                has_password: m.password_hash.is_some(),
            })
        })
        .collect();
    rows.sort_by_cached_key(|row| {
        (
            row.status != MemberStatus::Pending,
            row.usual_name.to_lowercase(),
            row.given_name.to_lowercase(),
        )
    });
    Ok(rows)
}

fn phase_of(row: &motion::Model) -> Phase {
    // An unknown code can only come from a newer schema: show the text as frozen rather than fail.
    Phase::from_code(&row.phase).unwrap_or(Phase::Closed)
}

/// The header's data: the edition that starts last.
///
/// # Errors
/// `Db` when the database fails.
pub async fn site_info<C: ConnectionTrait>(conn: &C) -> Result<SiteInfo, StoreError> {
    Ok(SiteInfo {
        current_edition: store::motions::latest_edition(conn).await?.map(|e| e.title),
    })
}

/// Every edition, newest first, each with its motions and their paragraph counts.
///
/// # Errors
/// `Db` when the database fails.
pub async fn editions<C: ConnectionTrait>(conn: &C) -> Result<Vec<EditionSummary>, StoreError> {
    let (editions, motions, counts) = store::motions::editions_and_motions(conn).await?;
    Ok(editions
        .into_iter()
        .map(|e| EditionSummary {
            motions: motions
                .iter()
                .filter(|m| m.edition_id == e.id)
                .map(|m| MotionSummary {
                    id: m.id,
                    title: m.title.clone(),
                    phase: phase_of(m),
                    paragraph_count: counts
                        .get(&m.id)
                        .copied()
                        .and_then(|n| usize::try_from(n).ok())
                        .unwrap_or(0),
                })
                .collect(),
            id: e.id,
            slug: e.slug,
            title: e.title,
            place: e.place,
            starts_on: e.starts_on,
            ends_on: e.ends_on,
        })
        .collect())
}

/// A motion with its sections and its live paragraphs at their current version, with line numbers
/// continuous across the motion.
///
/// # Errors
/// `NotFound` when there is no such motion; `Db` when the database fails.
pub async fn motion<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<MotionView, StoreError> {
    Ok(motion_view(
        store::motions::motion_rows(conn, motion_id).await?,
    ))
}

/// The reader's view of a motion's rows.
pub fn motion_view(rows: MotionRows) -> MotionView {
    let MotionRows {
        seq,
        motion,
        edition,
        sections,
        pending,
        current_item,
    } = rows;
    let width = usize::try_from(motion.line_width).unwrap_or(domain::lines::DEFAULT_LINE_WIDTH);
    let flat_texts: Vec<&str> = sections
        .iter()
        .flat_map(|(_, paragraphs)| paragraphs.iter().map(|(_, text)| text.as_str()))
        .collect();
    let mut numbered = number_paragraphs(flat_texts, width).into_iter();
    let mut ordinal = 0;
    let sections = sections
        .iter()
        .map(|(s, paragraphs)| SectionView {
            id: s.id,
            title: s.title.clone(),
            paragraphs: paragraphs
                .iter()
                .filter_map(|(p, _)| {
                    let lines = numbered.next()?;
                    ordinal += 1;
                    Some(ParagraphView {
                        id: p.id,
                        ordinal,
                        version: p.current_version,
                        first_line: lines.first_line,
                        lines: lines.lines,
                        pending_amendments: pending.get(&p.id).copied().unwrap_or(0),
                    })
                })
                .collect(),
        })
        .collect();
    MotionView {
        id: motion.id,
        edition_title: edition.title,
        phase: phase_of(&motion),
        title: motion.title,
        preamble: motion.preamble,
        line_width: width,
        sections,
        seq,
        current_item: current_item.map(|(item, debated)| debate_item(item, debated.as_ref())),
    }
}

fn debate_item(
    item: domain::event::DebateItem,
    debated: Option<&amendment::Model>,
) -> DebateItemView {
    match item {
        domain::event::DebateItem::Paragraph { paragraph } => DebateItemView {
            paragraph_id: Some(paragraph.get()),
            amendment_id: None,
            amendment_number: None,
        },
        domain::event::DebateItem::Amendment { amendment: id } => DebateItemView {
            paragraph_id: debated.and_then(|a| a.paragraph_id.or(a.after_paragraph_id)),
            amendment_id: Some(id.get()),
            amendment_number: debated.and_then(|a| u32::try_from(a.number).ok()),
        },
    }
}

/// The item under debate of a motion, as the reader and the projector show it.
///
/// # Errors
/// `Db` when the database fails.
pub async fn current_item<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<Option<DebateItemView>, StoreError> {
    Ok(store::motions::current_item(conn, motion_id)
        .await?
        .map(|(item, debated)| debate_item(item, debated.as_ref())))
}

/// Where each live paragraph stands in the current text: its ordinal and its lines. Numbered once per view:
/// a list of a thousand amendments asks for the places of hundreds of paragraphs.
pub struct Places(HashMap<ParagraphId, PlaceView>);

impl Places {
    /// Every live paragraph of `state`.
    pub fn of(state: &MotionState) -> Places {
        Places(
            state
                .numbered_paragraphs()
                .into_iter()
                .enumerate()
                .map(|(index, (id, numbered))| {
                    let place = PlaceView {
                        paragraph_id: id.get(),
                        ordinal: index + 1,
                        first_line: numbered.first_line,
                        last_line: numbered.last_line(),
                    };
                    (id, place)
                })
                .collect(),
        )
    }

    /// Where `id` stands (`None` once deleted).
    pub fn of_paragraph(&self, id: ParagraphId) -> Option<PlaceView> {
        self.0.get(&id).cloned()
    }
}

pub fn name_of(names: &HashMap<i32, String>, id: MemberId) -> String {
    names.get(&id.get()).cloned().unwrap_or_default()
}

/// The view of one amendment: its place, its texts and its word diff against the text it applies to.
pub fn amendment_view(
    state: &MotionState,
    places: &Places,
    a: &Amendment,
    names: &HashMap<i32, String>,
    created_at: i64,
) -> AmendmentView {
    let paragraph = a.target.paragraph().and_then(|id| state.paragraph(id));
    let text_at = |version| paragraph.and_then(|p| p.text_at(version));
    let (old, new): (String, String) = match &a.target {
        AmendmentTarget::InsertAfter { text, .. } => (String::new(), text.clone()),
        AmendmentTarget::Delete { base_version, .. } => (
            text_at(*base_version).unwrap_or_default().to_owned(),
            String::new(),
        ),
        AmendmentTarget::Replace {
            base_version, text, ..
        } => match a.proposed_text() {
            Some(proposed) => (
                a.applies_to()
                    .and_then(text_at)
                    .unwrap_or_default()
                    .to_owned(),
                proposed.to_owned(),
            ),
            None => (
                text_at(*base_version).unwrap_or_default().to_owned(),
                text.clone(),
            ),
        },
    };
    let (section_id, after) = match &a.target {
        AmendmentTarget::InsertAfter { section, after, .. } => (Some(section.get()), *after),
        _ => (None, None),
    };
    let (status_reason, fall_reason) = match &a.status {
        AmendmentStatus::Inadmissible { reason } => (Some(reason.clone()), None),
        AmendmentStatus::Fallen { reason } => (None, Some(reason.clone())),
        _ => (None, None),
    };
    AmendmentView {
        id: a.id.get(),
        number: a.number,
        author_id: a.author.get(),
        author_name: name_of(names, a.author),
        kind: a.target.kind_code().to_owned(),
        target: a.target.paragraph().and_then(|id| places.of_paragraph(id)),
        paragraph_id: a.target.paragraph().map(ParagraphId::get),
        section_id,
        section_title: section_id.and_then(|id| {
            state
                .section(domain::ids::SectionId(id))
                .map(|s| s.title.clone())
        }),
        after: after.and_then(|id| places.of_paragraph(id)),
        base_version: a.target.base_version().map(|v| v.get()),
        applies_to: a.applies_to().map(|v| v.get()),
        current_version: paragraph.map(|p| p.version.get()),
        proposed_text: a.proposed_text().map(str::to_owned),
        author_text: a.target.text().map(str::to_owned),
        diff: word_diff(&old, &new),
        rationale: a.rationale.clone(),
        cosigners: a
            .cosigners
            .iter()
            .map(|id| CosignerView {
                member_id: id.get(),
                name: name_of(names, *id),
            })
            .collect(),
        invited: a
            .invited
            .iter()
            .filter(|id| !a.cosigners.contains(id))
            .map(|id| CosignerView {
                member_id: id.get(),
                name: name_of(names, *id),
            })
            .collect(),
        min_cosigners: state.min_cosigners(),
        status: a.status.status_code(),
        status_reason,
        fall_reason,
        rebased: matches!(
            a.rebasing,
            Some(domain::amendment::Rebasing::Rebased { .. })
        ),
        conflicted: a.is_conflicted(),
        conflict: match &a.rebasing {
            Some(domain::amendment::Rebasing::Conflicted {
                onto_version,
                regions,
            }) => Some(ConflictView {
                onto_version: onto_version.get(),
                current_text: text_at(*onto_version).unwrap_or_default().to_owned(),
                regions: regions
                    .iter()
                    .map(|r| (r.theirs.clone(), r.ours.clone()))
                    .collect(),
            }),
            _ => None,
        },
        created_at,
    }
}

/// Every amendment of a motion, by number.
///
/// # Errors
/// `NotFound` for an unknown motion; `Db` when the database fails.
pub async fn amendments<C: ConnectionTrait>(
    conn: &C,
    heads: &Heads,
    motion_id: i32,
) -> Result<Vec<AmendmentView>, StoreError> {
    let state = heads.state(conn, motion_id).await?;
    amendments_of(conn, &state, motion_id).await
}

/// The people an amendment names: its author, co-signatories and invited members.
fn people_of(a: &Amendment) -> impl Iterator<Item = i32> + '_ {
    std::iter::once(a.author)
        .chain(a.cosigners.iter().copied())
        .chain(a.invited.iter().copied())
        .map(MemberId::get)
}

/// Every amendment of `state`, the motion `motion_id` replayed, by number.
///
/// # Errors
/// `Db` when the database fails.
pub async fn amendments_of<C: ConnectionTrait>(
    conn: &C,
    state: &MotionState,
    motion_id: i32,
) -> Result<Vec<AmendmentView>, StoreError> {
    let all = state.amendments();
    let people = names(conn, all.iter().flat_map(|a| people_of(a))).await?;
    let filed = store::amendments::filed_at(conn, motion_id, None).await?;
    let places = Places::of(state);
    Ok(all
        .into_iter()
        .map(|a| {
            let at = filed.get(&a.id.get()).copied().unwrap_or_default();
            amendment_view(state, &places, a, &people, at)
        })
        .collect())
}

/// One page of a motion's amendments as `filter` narrows them, with what the list's controls offer (how many of
/// each status, the paragraphs and authors that have amendments) and the viewer's pending invitations to co-sign
/// from the whole list: an invitation must not hide behind a filter. Only the page's amendments become views
/// (diffs, names, dates): a list of a thousand costs the fifty it shows.
///
/// `invited` is the member whose invitations are listed (`None`: a visitor, or someone who may not co-sign now).
///
/// # Errors
/// `Db` when the database fails.
pub async fn amendment_listing<C: ConnectionTrait>(
    conn: &C,
    state: &MotionState,
    motion_id: i32,
    filter: &AmendmentFilter,
    asked_page: u32,
    invited: Option<MemberId>,
) -> Result<AmendmentListing, StoreError> {
    let all = state.amendments();
    let matching: Vec<&Amendment> = all.iter().copied().filter(|a| filter.matches(a)).collect();
    let page = Page::of(matching.len(), asked_page, Page::SIZE);
    let shown = &matching[page.start..page.end];

    let mut status_counts: Vec<(AmendmentStatusCode, usize)> =
        AmendmentStatusCode::ALL.iter().map(|s| (*s, 0)).collect();
    let mut by_author: HashMap<MemberId, usize> = HashMap::new();
    let mut concerned: HashSet<ParagraphId> = HashSet::new();
    for a in &all {
        if let Some(count) = status_counts
            .iter_mut()
            .find(|(s, _)| *s == a.status.status_code())
        {
            count.1 += 1;
        }
        *by_author.entry(a.author).or_default() += 1;
        concerned.extend(concerned_paragraph(&a.target));
    }
    let invitations: Vec<(usize, &Amendment)> = invited
        .map(|me| {
            all.iter()
                .enumerate()
                .filter(|(_, a)| {
                    a.status == AmendmentStatus::Filed
                        && a.invited.contains(&me)
                        && !a.cosigners.contains(&me)
                })
                .map(|(index, a)| (index, *a))
                .collect()
        })
        .unwrap_or_default();

    // The fall reasons on this page name other amendments by number.
    let named: HashSet<AmendmentId> = shown
        .iter()
        .filter_map(|a| match &a.status {
            AmendmentStatus::Fallen {
                reason:
                    FallReason::TargetDeleted { by } | FallReason::SupersededBy { amendment: by },
            } => Some(*by),
            _ => None,
        })
        .collect();
    let numbers = all
        .iter()
        .filter(|a| named.contains(&a.id))
        .map(|a| (a.id.get(), a.number))
        .collect();

    let people = names(
        conn,
        shown
            .iter()
            .flat_map(|a| people_of(a))
            .chain(by_author.keys().map(|id| id.get())),
    )
    .await?;
    let ids: Vec<i32> = shown.iter().map(|a| a.id.get()).collect();
    let filed = store::amendments::filed_at(conn, motion_id, Some(&ids)).await?;
    let places = Places::of(state);
    let amendments = shown
        .iter()
        .map(|a| {
            let at = filed.get(&a.id.get()).copied().unwrap_or_default();
            amendment_view(state, &places, a, &people, at)
        })
        .collect();

    let mut paragraphs: Vec<PlaceView> = concerned
        .into_iter()
        .filter_map(|id| places.of_paragraph(id))
        .collect();
    paragraphs.sort_by_key(|place| place.ordinal);
    let mut authors: Vec<AuthorOption> = by_author
        .into_iter()
        .map(|(id, count)| AuthorOption {
            member_id: id.get(),
            name: name_of(&people, id),
            count,
        })
        .collect();
    authors.sort_by_cached_key(|author| (author.name.to_lowercase(), author.member_id));

    Ok(AmendmentListing {
        total: all.len(),
        matching: matching.len(),
        page: page.number,
        pages: page.count,
        first: page.start + 1,
        amendments,
        numbers,
        invitations: invitations
            .into_iter()
            .map(|(index, a)| InvitationLink {
                amendment_id: a.id.get(),
                number: a.number,
                page: Page::containing(index, Page::SIZE),
            })
            .collect(),
        status_counts,
        paragraphs,
        authors,
    })
}

/// One amendment of `state` (`None` when the motion has no such amendment).
///
/// # Errors
/// `Db` when the database fails.
pub async fn amendment<C: ConnectionTrait>(
    conn: &C,
    state: &MotionState,
    id: AmendmentId,
) -> Result<Option<AmendmentView>, StoreError> {
    let Some(a) = state.amendment(id) else {
        return Ok(None);
    };
    let people = names(conn, people_of(a)).await?;
    let at = store::amendments::filed_at_of(conn, id.get())
        .await?
        .unwrap_or_default();
    Ok(Some(amendment_view(
        state,
        &Places::of(state),
        a,
        &people,
        at,
    )))
}

/// A paragraph's every version with its provenance, its diff from the previous one, who made it and when
/// (from the log event that created it).
///
/// # Errors
/// `NotFound` for an unknown paragraph; `Db` when the database fails.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    heads: &Heads,
    paragraph_id: i32,
) -> Result<ParagraphHistoryView, StoreError> {
    let HistoryRows {
        paragraph: row,
        motion,
        versions,
        events,
    } = store::amendments::history_rows(conn, paragraph_id).await?;
    let state = heads.state(conn, row.motion_id).await?;
    let p = state
        .paragraph(ParagraphId(paragraph_id))
        .ok_or(StoreError::NotFound)?;
    let amendment_authors = p.history.iter().filter_map(|v| match v.provenance {
        Provenance::Amendment { amendment, .. } => state.amendment(amendment).map(|a| a.author),
        _ => None,
    });
    let people = names(
        conn,
        events
            .values()
            .filter_map(|e| e.actor_id)
            .chain(amendment_authors.map(MemberId::get)),
    )
    .await?;
    let mut previous: Option<&str> = None;
    let mut views = Vec::with_capacity(p.history.len());
    for version in &p.history {
        let event = versions
            .iter()
            .find(|v| i64::from(v.number) == i64::from(version.version.get()))
            .and_then(|v| events.get(&v.event_seq));
        let provenance = match &version.provenance {
            Provenance::Initial => ProvenanceView::Initial,
            Provenance::DraftEdit => ProvenanceView::DraftEdit,
            Provenance::EditorialFix { reason } => ProvenanceView::EditorialFix {
                reason: reason.clone(),
            },
            Provenance::Amendment { amendment, ballot } => {
                let adopted = state.amendment(*amendment);
                ProvenanceView::Amendment {
                    amendment_id: amendment.get(),
                    number: adopted.map(|a| a.number),
                    author_name: adopted.map(|a| name_of(&people, a.author)),
                    ballot_id: ballot.map(|b| b.get()),
                    ballot_number: ballot.and_then(|b| state.ballot(b)).map(|b| b.number),
                }
            }
            Provenance::Ballot { ballot } => ProvenanceView::Ballot {
                ballot_id: ballot.get(),
                number: state.ballot(*ballot).map(|b| b.number),
            },
        };
        views.push(VersionView {
            number: version.version.get(),
            text: version.text.clone(),
            diff: previous.map(|old| word_diff(old, &version.text)),
            provenance,
            actor_name: event
                .and_then(|e| e.actor_id)
                .and_then(|id| people.get(&id).cloned()),
            occurred_at: event.map(|e| e.occurred_at),
        });
        previous = Some(&version.text);
    }
    Ok(ParagraphHistoryView {
        motion_id: motion.id,
        motion_title: motion.title,
        phase: state.phase(),
        paragraph_id,
        section_id: p.section.get(),
        place: Places::of(&state).of_paragraph(p.id),
        current_version: p.version.get(),
        current_text: p.text.clone(),
        deleted: p.is_deleted(),
        versions: views,
    })
}
