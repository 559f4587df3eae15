//! A page's front matter `date`, parsed once at the front-matter stage into a
//! checked calendar date, with a time of day and a UTC offset when written.
//!
//! In: the value as TOML, YAML or a string gives it: `2025-01-31`, a TOML
//! date-time (`2025-01-31T10:00:00Z`, local `2025-01-31T10:00:00`), a YAML
//! timestamp (`2025-01-31 10:00:00 +1`), an RFC 3339 date-time. Out: a
//! [`PageDate`] that later stages print as ISO 8601 (templates, sitemap) or as
//! an RFC 3339 instant (the Atom feed), or `None` for anything else.
//!
//! A session's date is read in the course's time zone ([`PageDate::zoned`]):
//! `jiff` holds the IANA rules, so no offset is ever written here by hand.

use std::fmt;

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::{Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A valid date, with a time of day and an offset when the author wrote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageDate {
    pub date: Date,
    pub time: Option<Time>,
    /// Only with a time; a time without an offset is read as UTC where an instant is needed.
    pub offset: Option<UtcOffset>,
}

impl PageDate {
    /// Parses a date as authors write it; `None` when it is not a real date and time.
    pub fn parse(text: &str) -> Option<PageDate> {
        let text = text.trim();
        let date = parse_date(text.get(..10)?)?;
        let rest = &text[10..];
        if rest.is_empty() {
            return Some(PageDate {
                date,
                time: None,
                offset: None,
            });
        }
        let rest = rest
            .strip_prefix(['T', 't'])
            .or_else(|| rest.strip_prefix(' ').map(str::trim_start))?;
        let (time, rest) = parse_time(rest)?;
        let offset = parse_offset(rest.trim_start())?;
        Some(PageDate {
            date,
            time: Some(time),
            offset,
        })
    }

    /// The calendar day, `YYYY-MM-DD`.
    pub fn day(&self) -> String {
        let (y, m, d) = self.date.to_calendar_date();
        format!("{y:04}-{:02}-{d:02}", m as u8)
    }

    /// The instant as RFC 3339 (`2025-01-31T00:00:00Z` for a day, which is read as UTC).
    pub fn rfc3339(&self) -> String {
        let at = self.instant();
        let time = at.time();
        format!(
            "{}T{:02}:{:02}:{:02}{}",
            PageDate::from(at.date()).day(),
            time.hour(),
            time.minute(),
            time.second(),
            offset_text(at.offset())
        )
    }

    /// The moment the date names, for ordering: a day at midnight UTC, a time
    /// without an offset in UTC.
    pub fn instant(&self) -> OffsetDateTime {
        PrimitiveDateTime::new(self.date, self.time.unwrap_or(Time::MIDNIGHT))
            .assume_offset(self.offset.unwrap_or(UtcOffset::UTC))
    }
}

impl PageDate {
    /// The moment in `tz` of a date with a time of day (`None` for a whole day).
    /// A time written with an offset names that instant; one without is the
    /// wall-clock time in `tz`, a time a clock change skips read as the
    /// clocks show it an hour later (jiff's "compatible" choice, as RFC 5545 asks).
    pub fn zoned(&self, tz: &TimeZone) -> Option<ZonedDateTime> {
        let time = self.time?;
        if self.offset.is_some() {
            let at = self.instant();
            let ts = Timestamp::new(at.unix_timestamp(), at.nanosecond() as i32).ok()?;
            return Some(ts.to_zoned_datetime(tz.clone()));
        }
        let (y, m, d) = self.date.to_calendar_date();
        let civil = jiff::civil::DateTime::new(
            i16::try_from(y).ok()?,
            m as i8,
            d as i8,
            time.hour() as i8,
            time.minute() as i8,
            time.second() as i8,
            time.nanosecond() as i32,
        )
        .ok()?;
        civil.to_zoned_datetime(tz.clone()).ok()
    }

    /// The calendar day as jiff's date (`None` only past jiff's year 9999).
    pub fn civil_date(&self) -> Option<jiff::civil::Date> {
        let (y, m, d) = self.date.to_calendar_date();
        jiff::civil::Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()
    }

    /// The same wall-clock time (or day) `days` later.
    pub fn plus_days(&self, days: i64) -> Option<PageDate> {
        let date = self.date.checked_add(time::Duration::days(days))?;
        Some(PageDate { date, ..*self })
    }
}

impl From<Date> for PageDate {
    fn from(date: Date) -> PageDate {
        PageDate {
            date,
            time: None,
            offset: None,
        }
    }
}

/// ISO 8601 as written: `2025-01-31`, `2025-01-31T10:00:00`, `2025-01-31T10:00:00+01:00`.
impl fmt::Display for PageDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.day())?;
        if let Some(t) = self.time {
            write!(f, "T{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())?;
            if t.nanosecond() != 0 {
                let frac = format!("{:09}", t.nanosecond());
                write!(f, ".{}", frac.trim_end_matches('0'))?;
            }
        }
        if let Some(o) = self.offset {
            f.write_str(&offset_text(o))?;
        }
        Ok(())
    }
}

/// Templates see the date as the string it prints as.
impl Serialize for PageDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn offset_text(o: UtcOffset) -> String {
    if o.is_utc() {
        return "Z".into();
    }
    let sign = if o.is_negative() { '-' } else { '+' };
    let (h, m, _) = o.as_hms();
    format!("{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
}

/// Exactly `n` ASCII digits.
fn digits(text: &str, n: usize) -> Option<u32> {
    (text.len() == n && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD`, a real day of the calendar.
fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = digits(&text[..4], 4)?;
    let month = Month::try_from(digits(&text[5..7], 2)? as u8).ok()?;
    let day = digits(&text[8..10], 2)? as u8;
    Date::from_calendar_date(year as i32, month, day).ok()
}

/// `H:MM`, `HH:MM:SS` or with a fraction of a second; returns the rest of the text.
fn parse_time(text: &str) -> Option<(Time, &str)> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(text.len());
    let (clock, rest) = text.split_at(end);
    let (clock, fraction) = match clock.split_once('.') {
        Some((c, f)) => (c, f),
        None => (clock, ""),
    };
    let mut parts = clock.split(':');
    let hour = parts.next().filter(|h| (1..=2).contains(&h.len()))?;
    let hour = digits(hour, hour.len())?;
    let minute = digits(parts.next()?, 2)?;
    let second = match parts.next() {
        Some(s) => digits(s, 2)?,
        None => 0,
    };
    if parts.next().is_some() || (clock.len() <= 5 && !fraction.is_empty()) {
        return None;
    }
    let nanos = match fraction {
        "" => 0,
        f if f.len() <= 9 => digits(f, f.len())? * 10u32.pow(9 - f.len() as u32),
        _ => return None,
    };
    let time = Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos).ok()?;
    Some((time, rest))
}

/// Nothing, `Z`, or `±HH:MM`, `±HHMM`, `±H` and `±HH` (YAML writes `-5`).
fn parse_offset(text: &str) -> Option<Option<UtcOffset>> {
    if text.is_empty() {
        return Some(None);
    }
    if text.eq_ignore_ascii_case("z") {
        return Some(Some(UtcOffset::UTC));
    }
    let sign: i8 = match text.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &text[1..];
    let (h, m) = match body.split_once(':') {
        Some((h, m)) if h.len() == 2 => (digits(h, 2)?, digits(m, 2)?),
        None if body.len() == 4 => (digits(&body[..2], 2)?, digits(&body[2..], 2)?),
        None if (1..=2).contains(&body.len()) => (digits(body, body.len())?, 0),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    UtcOffset::from_hms(sign * h as i8, sign * m as i8, 0)
        .ok()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_courses_write() {
        let cases = [
            ("2025-01-31", "2025-01-31", "2025-01-31T00:00:00Z"),
            (" 2024-02-29 ", "2024-02-29", "2024-02-29T00:00:00Z"),
            (
                "2025-01-31T10:30:00Z",
                "2025-01-31T10:30:00Z",
                "2025-01-31T10:30:00Z",
            ),
            (
                "2025-01-31t10:30:00z",
                "2025-01-31T10:30:00Z",
                "2025-01-31T10:30:00Z",
            ),
            (
                "2025-01-31T10:30:00",
                "2025-01-31T10:30:00",
                "2025-01-31T10:30:00Z",
            ),
            (
                "1979-05-27T00:32:00.999999-07:00",
                "1979-05-27T00:32:00.999999-07:00",
                "1979-05-27T00:32:00-07:00",
            ),
            (
                "2001-12-14 21:59:43.10 -5",
                "2001-12-14T21:59:43.1-05:00",
                "2001-12-14T21:59:43-05:00",
            ),
            (
                "2001-12-15 2:59:43.10",
                "2001-12-15T02:59:43.1",
                "2001-12-15T02:59:43Z",
            ),
            (
                "2025-01-31 10:30+0130",
                "2025-01-31T10:30:00+01:30",
                "2025-01-31T10:30:00+01:30",
            ),
        ];
        for (text, shown, rfc) in cases {
            let d = PageDate::parse(text).unwrap_or_else(|| panic!("{text:?} is a date"));
            assert_eq!((d.to_string().as_str(), d.rfc3339().as_str()), (shown, rfc));
        }
    }

    #[test]
    fn not_dates() {
        for text in [
            "",
            "next week",
            "2025-02-30",
            "2023-02-29",
            "2025-13-01",
            "2025-1-31",
            "25-01-31",
            "2025/01/31",
            "2025-01-31 next",
            "2025-01-31T25:00:00",
            "2025-01-31T10:60",
            "2025-01-31T10",
            "2025-01-31T10:00:00+24:00",
            "2025-01-31T10:00:00 CET",
            "2025-01-31T10:00:00.1234567890Z",
            "2025-01-３1",
            "2025-01-31é",
            "éééé-01-31",
            "07:32:00",
        ] {
            assert_eq!(PageDate::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn wall_clock_times_follow_the_zone_across_a_clock_change() {
        let tz = TimeZone::get("Europe/Amsterdam").expect("zone");
        let before = PageDate::parse("2025-03-28T10:00").expect("date");
        let after = before.plus_days(7).expect("date");
        let shown = |d: PageDate| d.zoned(&tz).expect("time").timestamp().to_string();
        assert_eq!(shown(before), "2025-03-28T09:00:00Z");
        assert_eq!(shown(after), "2025-04-04T08:00:00Z");
        let fixed = PageDate::parse("2025-04-04T10:00:00+02:00").expect("date");
        assert_eq!(shown(fixed), "2025-04-04T08:00:00Z");
        assert_eq!(PageDate::parse("2025-04-04").expect("day").zoned(&tz), None);
    }

    #[test]
    fn order_is_by_instant() {
        let a = PageDate::parse("2025-01-31T23:30:00-02:00").expect("date");
        let b = PageDate::parse("2025-02-01T00:30:00Z").expect("date");
        assert!(a.instant() > b.instant());
    }
}
