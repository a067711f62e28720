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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9).rem_euclid(12);
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day of the month of the last Sunday of `month` (March or October: both have 31 days).
fn last_sunday_of_31_day_month(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: (days + 4) mod 7 is 0 on Sundays.
    31 - (last + 4).rem_euclid(7)
}

/// Minutes ahead of UTC in metropolitan France at `millis` (UTC): 120 in summer time (from the last Sunday of
/// March to the last Sunday of October, 01:00 UTC), 60 otherwise. The congress meets in France; its clocks are
/// shown in its time whatever the server's zone.
#[must_use]
pub fn paris_offset_minutes(millis: i64) -> i64 {
    let year: i64 = iso_date_from_millis(millis)
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(1970);
    let at_one = |month, day| (days_from_civil(year, month, day) * 24 + 1) * 3_600_000;
    let summer_starts = at_one(3, last_sunday_of_31_day_month(year, 3));
    let summer_ends = at_one(10, last_sunday_of_31_day_month(year, 10));
    if (summer_starts..summer_ends).contains(&millis) {
        120
    } else {
        60
    }
}

/// `15 h 42`: the time in France at `millis`, as French typography writes it (narrow no-break spaces).
#[must_use]
pub fn time_fr(millis: i64) -> String {
    let (hours, minutes) = paris_clock(millis);
    format!("{hours}\u{202F}h\u{202F}{minutes:02}")
}

/// `15:42`: the time in France at `millis`.
#[must_use]
pub fn time_en(millis: i64) -> String {
    let (hours, minutes) = paris_clock(millis);
    format!("{hours:02}:{minutes:02}")
}

fn paris_clock(millis: i64) -> (i64, i64) {
    let local = millis + paris_offset_minutes(millis) * 60_000;
    let minute_of_day = local.div_euclid(60_000).rem_euclid(24 * 60);
    (minute_of_day / 60, minute_of_day % 60)
}

/// `2026-12-10T14:30` (a browser's `datetime-local`, read as time in France) → milliseconds since the epoch;
/// `None` when unreadable.
#[must_use]
pub fn millis_from_paris_local(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once('T')?;
    let (year, month, day) = parse(date)?;
    let (hours, minutes) = time.split_once(':')?;
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = minutes.get(..2)?.parse().ok()?;
    if !(0..24).contains(&hours) || !(0..60).contains(&minutes) {
        return None;
    }
    let month = i64::try_from(month).ok()? + 1;
    let naive =
        (days_from_civil(i64::from(year), month, i64::from(day)) * 1440 + hours * 60 + minutes)
            * 60_000;
    Some(naive - paris_offset_minutes(naive - 3_600_000) * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_clock_times_follow_summer_time() {
        // 2026-12-10 14:42 UTC is 15:42 in Paris (winter); 2026-07-01 13:42 UTC is 15:42 (summer).
        let winter = millis_from_paris_local("2026-12-10T15:42");
        assert_eq!(
            winter.map(time_fr).as_deref(),
            Some("15\u{202F}h\u{202F}42")
        );
        assert_eq!(winter.map(time_en).as_deref(), Some("15:42"));
        let summer = millis_from_paris_local("2026-07-01T15:42");
        assert_eq!(summer.map(time_en).as_deref(), Some("15:42"));
        assert_eq!(
            winter.map(|m| m.rem_euclid(86_400_000) / 60_000),
            Some(14 * 60 + 42)
        );
        assert_eq!(
            summer.map(|m| m.rem_euclid(86_400_000) / 60_000),
            Some(13 * 60 + 42)
        );
        // Summer time 2026 runs from 29 March to 25 October.
        assert_eq!(last_sunday_of_31_day_month(2026, 3), 29);
        assert_eq!(last_sunday_of_31_day_month(2026, 10), 25);
        assert_eq!(millis_from_paris_local("2026-13-01T10:00"), None);
        assert_eq!(millis_from_paris_local("2026-12-01T25:00"), None);
        assert_eq!(millis_from_paris_local("n’importe quoi"), None);
    }

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
