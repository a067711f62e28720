//! Which amendments a list shows: the filters a person picks (status, paragraph, author) and pages of a
//! fixed size. A congress files hundreds to a thousand amendments: the list is filtered and cut into pages
//! where it is built, never sent whole to be hidden in the browser.

use serde::{Deserialize, Serialize};

use crate::{
    amendment::{Amendment, AmendmentStatusCode, AmendmentTarget},
    ids::{MemberId, ParagraphId},
};

/// What a person asked to see; every field left empty keeps every amendment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentFilter {
    /// Only this status.
    pub status: Option<AmendmentStatusCode>,
    /// Only what changes this paragraph: replacing or deleting it, or inserting right after it.
    pub paragraph: Option<ParagraphId>,
    /// Only this author's.
    pub author: Option<MemberId>,
}

impl AmendmentFilter {
    /// Whether `amendment` is shown.
    #[must_use]
    pub fn matches(&self, amendment: &Amendment) -> bool {
        self.status
            .is_none_or(|status| amendment.status.status_code() == status)
            && self
                .paragraph
                .is_none_or(|paragraph| concerned_paragraph(&amendment.target) == Some(paragraph))
            && self.author.is_none_or(|author| amendment.author == author)
    }

    /// Whether a person narrowed the list at all.
    #[must_use]
    pub fn is_narrowed(&self) -> bool {
        *self != AmendmentFilter::default()
    }
}

/// The paragraph an amendment concerns, where a reader of the text looks for it: the one it replaces or deletes, or
/// the one it is inserted right after (`None` for an insertion at the head of a section).
#[must_use]
pub fn concerned_paragraph(target: &AmendmentTarget) -> Option<ParagraphId> {
    match target {
        AmendmentTarget::InsertAfter { after, .. } => *after,
        _ => target.paragraph(),
    }
}

/// One page of a list: which page it is, how many there are, and the range of the list it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// From 1.
    pub number: u32,
    /// How many pages the list has (1 for an empty list: an empty page still shows).
    pub count: u32,
    /// The first item shown (its index in the whole list).
    pub start: usize,
    /// One past the last item shown.
    pub end: usize,
}

impl Page {
    /// Amendments per page: long enough to read on, short enough that a page with every diff stays light.
    pub const SIZE: usize = 50;

    /// Page `asked` of a list of `total` items, `size` a page (`size` 0 counts as 1). A page asked before the
    /// first or after the last is the first or the last: a link kept from a longer list still lands somewhere.
    #[must_use]
    pub fn of(total: usize, asked: u32, size: usize) -> Page {
        let size = size.max(1);
        let count = u32::try_from(total.div_ceil(size).max(1)).unwrap_or(u32::MAX);
        let number = asked.clamp(1, count);
        let start = (number as usize - 1).saturating_mul(size).min(total);
        Page {
            number,
            count,
            start,
            end: start.saturating_add(size).min(total),
        }
    }

    /// The page on which the item at `index` of the list stands, `size` a page.
    #[must_use]
    pub fn containing(index: usize, size: usize) -> u32 {
        u32::try_from(index / size.max(1) + 1).unwrap_or(u32::MAX)
    }
}

/// The page numbers the navigation of page `number` of `count` links to: the first, the last, and those
/// within `radius` of this one, in order; `None` stands for the pages left out between two of them (never a
/// single page: that one is shown instead of the gap).
#[must_use]
pub fn page_window(number: u32, count: u32, radius: u32) -> Vec<Option<u32>> {
    let count = count.max(1);
    let number = number.clamp(1, count);
    let low = number.saturating_sub(radius).max(1);
    let high = number.saturating_add(radius).min(count);
    let mut shown: Vec<u32> = Vec::new();
    shown.push(1);
    shown.extend(low..=high);
    shown.push(count);
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() * 2);
    let mut previous = 0;
    for n in shown {
        if n == previous + 2 {
            out.push(Some(previous + 1));
        } else if n > previous + 2 {
            out.push(None);
        }
        out.push(Some(n));
        previous = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        amendment::{AmendmentStatus, FallReason},
        ids::{AmendmentId, SectionId, VersionNumber},
    };

    fn amendment(author: i32, target: AmendmentTarget, status: AmendmentStatus) -> Amendment {
        Amendment {
            id: AmendmentId(1),
            number: 1,
            author: MemberId(author),
            target,
            rationale: String::new(),
            cosigners: Vec::new(),
            invited: Vec::new(),
            status,
            rebasing: None,
        }
    }

    fn replace(paragraph: i32) -> AmendmentTarget {
        AmendmentTarget::Replace {
            paragraph: ParagraphId(paragraph),
            base_version: VersionNumber::INITIAL,
            text: "Texte.".to_owned(),
        }
    }

    fn insert_after(paragraph: Option<i32>) -> AmendmentTarget {
        AmendmentTarget::InsertAfter {
            section: SectionId(1),
            after: paragraph.map(ParagraphId),
            text: "Texte.".to_owned(),
        }
    }

    #[test]
    fn an_empty_filter_keeps_everything() {
        let filter = AmendmentFilter::default();
        assert!(!filter.is_narrowed());
        assert!(filter.matches(&amendment(3, replace(4), AmendmentStatus::Filed)));
        assert!(filter.matches(&amendment(
            3,
            insert_after(None),
            AmendmentStatus::Withdrawn
        )));
    }

    #[test]
    fn a_paragraph_filter_keeps_what_changes_it_or_follows_it() {
        let filter = AmendmentFilter {
            paragraph: Some(ParagraphId(4)),
            ..AmendmentFilter::default()
        };
        assert!(filter.is_narrowed());
        assert!(filter.matches(&amendment(3, replace(4), AmendmentStatus::Filed)));
        let delete = AmendmentTarget::Delete {
            paragraph: ParagraphId(4),
            base_version: VersionNumber::INITIAL,
        };
        assert!(filter.matches(&amendment(3, delete, AmendmentStatus::Filed)));
        assert!(filter.matches(&amendment(3, insert_after(Some(4)), AmendmentStatus::Filed)));
        assert!(!filter.matches(&amendment(3, replace(5), AmendmentStatus::Filed)));
        assert!(!filter.matches(&amendment(3, insert_after(Some(5)), AmendmentStatus::Filed)));
        assert!(!filter.matches(&amendment(3, insert_after(None), AmendmentStatus::Filed)));
    }

    #[test]
    fn filters_combine() {
        let filter = AmendmentFilter {
            status: Some(AmendmentStatusCode::Fallen),
            paragraph: None,
            author: Some(MemberId(7)),
        };
        let fallen = || AmendmentStatus::Fallen {
            reason: FallReason::TargetDeleted { by: AmendmentId(2) },
        };
        assert!(filter.matches(&amendment(7, replace(1), fallen())));
        assert!(!filter.matches(&amendment(8, replace(1), fallen())));
        assert!(!filter.matches(&amendment(7, replace(1), AmendmentStatus::Filed)));
    }

    #[test]
    fn pages_cut_the_list_and_the_last_one_is_shorter() {
        assert_eq!(
            Page::of(120, 1, 50),
            Page {
                number: 1,
                count: 3,
                start: 0,
                end: 50
            }
        );
        assert_eq!(
            Page::of(120, 3, 50),
            Page {
                number: 3,
                count: 3,
                start: 100,
                end: 120
            }
        );
        assert_eq!(Page::of(100, 2, 50).count, 2);
    }

    #[test]
    fn a_page_out_of_range_is_the_nearest_one_and_an_empty_list_has_one_page() {
        assert_eq!(Page::of(120, 0, 50).number, 1);
        let beyond = Page::of(120, 9, 50);
        assert_eq!((beyond.number, beyond.start, beyond.end), (3, 100, 120));
        assert_eq!(
            Page::of(0, 4, 50),
            Page {
                number: 1,
                count: 1,
                start: 0,
                end: 0
            }
        );
        assert_eq!(Page::of(3, 1, 0).count, 3);
    }

    #[test]
    fn an_item_s_page_counts_from_one() {
        assert_eq!(Page::containing(0, 50), 1);
        assert_eq!(Page::containing(49, 50), 1);
        assert_eq!(Page::containing(50, 50), 2);
        assert_eq!(Page::containing(999, 50), 20);
    }

    #[test]
    fn the_navigation_shows_both_ends_and_the_pages_near_this_one() {
        assert_eq!(
            page_window(10, 20, 2),
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert_eq!(
            page_window(1, 20, 2),
            vec![Some(1), Some(2), Some(3), None, Some(20)]
        );
        assert_eq!(
            page_window(3, 4, 2),
            vec![Some(1), Some(2), Some(3), Some(4)]
        );
        assert_eq!(page_window(1, 1, 2), vec![Some(1)]);
        // No gap marker for a single page left out: 1 … 3 would hide only 2.
        assert_eq!(
            page_window(5, 20, 2),
            vec![
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(20)
            ]
        );
    }
}
