//! Creating a congress: the checks on a new edition (title, place, dates, its slug) and on a new
//! motion (title, preamble, line width, co-signatory minimum) before anything is written.
//!
//! Owns the limits of those fields. Only organizers ([`Action::ManageCongress`]) create them. Pure:
//! no IO, no clock, no randomness.

use crate::event::MotionEvent;
use crate::member::Actor;
use crate::motion::Phase;
use crate::policy::{Action, can};
use crate::refusal::Refusal;
use crate::text::normalize;

/// The longest title of an edition or a motion, in `char`s.
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest place name, in `char`s.
pub const MAX_PLACE_CHARS: usize = 200;
/// The longest preamble, in `char`s.
pub const MAX_PREAMBLE_CHARS: usize = 5_000;
/// The narrowest and widest lines the numbering accepts, in `char`s.
pub const LINE_WIDTHS: (u32, u32) = (30, 160);
/// The most co-signatories a motion may require of an amendment.
pub const MAX_MIN_COSIGNERS: u32 = 100;

/// A new edition, checked and normalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEdition {
    /// Its address part (`2027-7e-congres-lyon`), unique.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Where it takes place.
    pub place: String,
    /// First day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Last day, `YYYY-MM-DD`, not before the first.
    pub ends_on: String,
}

fn bounded(text: &str, max: usize) -> Result<String, Refusal> {
    let text = normalize(text);
    if text.is_empty() {
        return Err(Refusal::EmptyText);
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(Refusal::TextTooLong { chars, max });
    }
    Ok(text)
}

/// Whether `text` is a real calendar day written `YYYY-MM-DD`.
#[must_use]
pub fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number =
        |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day) && year >= 1900
}

/// The slug of an edition: its first day's year, then its title in lowercase ASCII words joined by
/// dashes (accents dropped), at most 60 characters.
#[must_use]
pub fn slug_for(title: &str, starts_on: &str) -> String {
    let mut slug = starts_on.get(0..4).unwrap_or("").to_owned();
    let mut dash = !slug.is_empty();
    for c in title.chars().flat_map(char::to_lowercase) {
        let ascii = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            'œ' => 'o',
            'æ' => 'a',
            c if c.is_ascii_alphanumeric() => c,
            _ => {
                dash = !slug.is_empty();
                continue;
            }
        };
        if dash && !slug.ends_with('-') {
            slug.push('-');
        }
        dash = false;
        slug.push(ascii);
        if slug.len() >= 60 {
            break;
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// Checks a new edition asked by `actor`.
///
/// # Errors
/// The policy's refusals for [`Action::ManageCongress`]; [`Refusal::EmptyText`] or
/// [`Refusal::TextTooLong`] for the title or the place; [`Refusal::InvalidDates`] when a date is
/// not a calendar day `YYYY-MM-DD` or the congress ends before it starts.
pub fn new_edition(
    actor: &Actor,
    title: &str,
    place: &str,
    starts_on: &str,
    ends_on: &str,
) -> Result<NewEdition, Refusal> {
    can(actor, Action::ManageCongress, Phase::Draft)?;
    let title = bounded(title, MAX_TITLE_CHARS)?;
    let place = bounded(place, MAX_PLACE_CHARS)?;
    let (starts_on, ends_on) = (starts_on.trim(), ends_on.trim());
    // ISO dates compare as strings.
    if !is_iso_date(starts_on) || !is_iso_date(ends_on) || ends_on < starts_on {
        return Err(Refusal::InvalidDates);
    }
    Ok(NewEdition {
        slug: slug_for(&title, starts_on),
        title,
        place,
        starts_on: starts_on.to_owned(),
        ends_on: ends_on.to_owned(),
    })
}

/// The first event of a new motion asked by `actor`; it starts in the draft phase.
///
/// # Errors
/// The policy's refusals for [`Action::ManageCongress`]; [`Refusal::EmptyText`] or
/// [`Refusal::TextTooLong`] for the title, [`Refusal::TextTooLong`] for the preamble (which may be
/// empty); [`Refusal::NumberOutOfRange`] for a line width outside [`LINE_WIDTHS`] or a minimum
/// over [`MAX_MIN_COSIGNERS`].
pub fn new_motion(
    actor: &Actor,
    title: &str,
    preamble: &str,
    line_width: u32,
    min_cosigners: u32,
) -> Result<MotionEvent, Refusal> {
    can(actor, Action::ManageCongress, Phase::Draft)?;
    let title = bounded(title, MAX_TITLE_CHARS)?;
    let preamble = normalize(preamble);
    let chars = preamble.chars().count();
    if chars > MAX_PREAMBLE_CHARS {
        return Err(Refusal::TextTooLong {
            chars,
            max: MAX_PREAMBLE_CHARS,
        });
    }
    let (narrowest, widest) = LINE_WIDTHS;
    if !(narrowest..=widest).contains(&line_width) {
        return Err(Refusal::NumberOutOfRange {
            min: narrowest,
            max: widest,
        });
    }
    if min_cosigners > MAX_MIN_COSIGNERS {
        return Err(Refusal::NumberOutOfRange {
            min: 0,
            max: MAX_MIN_COSIGNERS,
        });
    }
    Ok(MotionEvent::MotionCreated {
        title,
        preamble,
        line_width,
        min_cosigners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MemberId;
    use crate::member::Role;

    fn organizer() -> Actor {
        Actor::verified(MemberId(1), Role::Organizer)
    }

    #[test]
    fn an_edition_is_checked_normalized_and_given_a_readable_slug() {
        let edition = new_edition(
            &organizer(),
            "  7e Congrès des élu·es au numérique ",
            "Lyon",
            "2027-12-09",
            "2027-12-10",
        );
        assert_eq!(
            edition,
            Ok(NewEdition {
                slug: "2027-7e-congres-des-elu-es-au-numerique".into(),
                title: "7e Congrès des élu·es au numérique".into(),
                place: "Lyon".into(),
                starts_on: "2027-12-09".into(),
                ends_on: "2027-12-10".into(),
            })
        );
    }

    #[test]
    fn bad_editions_are_refused_with_the_fact() {
        let o = organizer();
        assert_eq!(
            new_edition(&o, " ", "Lyon", "2027-12-09", "2027-12-09"),
            Err(Refusal::EmptyText)
        );
        for (starts, ends) in [
            ("2027-12-10", "2027-12-09"),
            ("2027-02-29", "2027-03-01"),
            ("09/12/2027", "2027-12-10"),
            ("2027-13-01", "2027-13-02"),
        ] {
            assert_eq!(
                new_edition(&o, "Congrès", "Lyon", starts, ends),
                Err(Refusal::InvalidDates),
                "{starts} → {ends}"
            );
        }
        assert!(new_edition(&o, "Congrès", "Lyon", "2028-02-29", "2028-02-29").is_ok());
        let delegate = Actor::verified(MemberId(2), Role::Delegate);
        assert!(matches!(
            new_edition(&delegate, "Congrès", "Lyon", "2027-12-09", "2027-12-09"),
            Err(Refusal::RoleCannot { .. })
        ));
    }

    #[test]
    fn a_motion_starts_with_checked_fields_and_bad_ones_are_refused() {
        let o = organizer();
        assert_eq!(
            new_motion(&o, " Motion  finale ", "Le congrès,", 80, 2),
            Ok(MotionEvent::MotionCreated {
                title: "Motion finale".into(),
                preamble: "Le congrès,".into(),
                line_width: 80,
                min_cosigners: 2,
            })
        );
        assert_eq!(new_motion(&o, "", "", 80, 2), Err(Refusal::EmptyText));
        assert_eq!(
            new_motion(&o, "Motion", "", 10, 2),
            Err(Refusal::NumberOutOfRange { min: 30, max: 160 })
        );
        assert_eq!(
            new_motion(&o, "Motion", "", 80, 101),
            Err(Refusal::NumberOutOfRange { min: 0, max: 100 })
        );
        assert!(matches!(
            new_motion(&o, "Motion", &"x".repeat(5_001), 80, 0),
            Err(Refusal::TextTooLong { .. })
        ));
    }
}
