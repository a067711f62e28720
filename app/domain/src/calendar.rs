//! Dates for people, in French and English, formatted by our code (exports and pages alike).
//! Takes ISO 8601 calendar dates (`2026-12-10`); never reads a clock.

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn parse(iso: &str) -> Option<(u32, usize, u32)> {
    let mut parts = iso.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month: usize = parts.next()?.parse().ok()?;
    let day = parts.next()?.get(..2)?.parse().ok()?;
    (1..=12).contains(&month).then_some(())?;
    (1..=31).contains(&day).then_some((year, month - 1, day))
}

/// `2026-12-01` → `1er décembre 2026` (French ordinal for the first day). Unparsable input is returned as is.
pub fn long_date_fr(iso: &str) -> String {
    match parse(iso) {
        Some((year, month, 1)) => format!("1er {} {year}", MONTHS_FR[month]),
        Some((year, month, day)) => format!("{day} {} {year}", MONTHS_FR[month]),
        None => iso.to_owned(),
    }
}

/// `2026-12-10` → `10 December 2026`. Unparsable input is returned as is.
pub fn long_date_en(iso: &str) -> String {
    match parse(iso) {
        Some((year, month, day)) => format!("{day} {} {year}", MONTHS_EN[month]),
        None => iso.to_owned(),
    }
}

/// Milliseconds since the Unix epoch → the UTC calendar date, ISO 8601 (`2026-12-10`), for
/// [`long_date_fr`] and [`long_date_en`]. Proleptic Gregorian calendar (Howard Hinnant's
/// `civil_from_days`).
#[must_use]
pub fn iso_date_from_millis(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_become_the_utc_calendar_date() {
        assert_eq!(iso_date_from_millis(0), "1970-01-01");
        assert_eq!(iso_date_from_millis(86_399_999), "1970-01-01");
        assert_eq!(iso_date_from_millis(1_796_000_000_000), "2026-11-30");
        assert_eq!(iso_date_from_millis(951_782_400_000), "2000-02-29");
        assert_eq!(iso_date_from_millis(-1), "1969-12-31");
    }

    #[test]
    fn french_dates_use_lowercase_months_and_the_first_of_the_month_is_1er() {
        assert_eq!(long_date_fr("2026-12-10"), "10 décembre 2026");
        assert_eq!(long_date_fr("2026-08-01"), "1er août 2026");
        assert_eq!(long_date_en("2026-12-10"), "10 December 2026");
    }

    #[test]
    fn malformed_dates_are_shown_as_given() {
        for bad in ["", "2026-13-01", "2026-12", "demain", "2026-02-32"] {
            assert_eq!(long_date_fr(bad), bad);
        }
    }
}
