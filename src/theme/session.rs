//! When and where a session takes place, as templates show it: its times in
//! the course's time zone, written out in words and as ISO 8601 for
//! `<time datetime>`, its place and its online meeting.
//!
//! In: a page's front matter and the course's time zone. Out: a
//! [`SessionView`], or `None` for a page that is no dated session.

use jiff::ZonedDateTime;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::model::FrontMatter;

/// A session's date, times and place.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct SessionView {
    /// `2026-02-06`, the day in the course's time zone.
    pub day: String,
    /// `2026-02-06T13:30:00+01:00`, or the day for a whole-day session.
    pub start: String,
    pub end: Option<String>,
    /// `Friday 6 February 2026, 13:30–15:30`.
    pub text: String,
    /// The IANA name the times are in (`UTC` without a course `timezone`);
    /// `None` for whole days.
    pub zone: Option<String>,
    pub location: Option<String>,
    pub online: Option<String>,
}

/// The session view of a page with a `date` (`None` without one).
pub fn session_view(front: &FrontMatter, tz: Option<&TimeZone>) -> Option<SessionView> {
    let date = front.date?;
    let utc = TimeZone::UTC;
    let tz = tz.unwrap_or(&utc);
    let (day, start, end, text, zone) = match date.zoned(tz) {
        Some(start) => {
            let end = front.session_end(&start, tz);
            let text = times_text(&start, end.as_ref());
            let zone = tz.iana_name().unwrap_or("UTC").to_string();
            let iso = |z: &ZonedDateTime| z.timestamp().display_with_offset(z.offset()).to_string();
            (
                start.date().to_string(),
                iso(&start),
                end.as_ref().map(iso),
                text,
                Some(zone),
            )
        }
        None => {
            let first = date.civil_date()?;
            let last = front.session_last_day(first);
            let text = match last {
                Some(last) => format!("{} – {}", day_text(first), day_text(last)),
                None => day_text(first),
            };
            (
                first.to_string(),
                first.to_string(),
                last.map(|l| l.to_string()),
                text,
                None,
            )
        }
    };
    Some(SessionView {
        day,
        start,
        end,
        text,
        zone,
        location: front.location.clone(),
        online: front.online.clone(),
    })
}

/// `Friday 6 February 2026, 13:30–15:30`; an end on a later day gets its day too.
fn times_text(start: &ZonedDateTime, end: Option<&ZonedDateTime>) -> String {
    let clock = |z: &ZonedDateTime| format!("{:02}:{:02}", z.hour(), z.minute());
    let mut text = format!("{}, {}", day_text(start.date()), clock(start));
    if let Some(end) = end {
        if end.date() == start.date() {
            text.push_str(&format!("–{}", clock(end)));
        } else {
            text.push_str(&format!(" – {}, {}", day_text(end.date()), clock(end)));
        }
    }
    text
}

/// `Friday 6 February 2026`.
pub(super) fn day_text(d: Date) -> String {
    const MONTHS: [&str; 12] = [
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
    let weekday = match d.weekday() {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    };
    let month = MONTHS[(d.month() - 1).clamp(0, 11) as usize];
    format!("{weekday} {} {month} {}", d.day(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PageDate;

    fn front(date: &str, end: Option<&str>, minutes: Option<i64>) -> FrontMatter {
        FrontMatter {
            date: PageDate::parse(date),
            end: end.and_then(PageDate::parse),
            duration: minutes.map(jiff::SignedDuration::from_mins),
            ..FrontMatter::default()
        }
    }

    #[test]
    fn times_in_the_course_zone() {
        let tz = TimeZone::get("Europe/Amsterdam").expect("zone");
        let v =
            session_view(&front("2026-04-03T13:30:00", None, Some(120)), Some(&tz)).expect("view");
        assert_eq!(v.text, "Friday 3 April 2026, 13:30–15:30");
        assert_eq!(
            (v.start.as_str(), v.end.as_deref()),
            (
                "2026-04-03T13:30:00+02:00",
                Some("2026-04-03T15:30:00+02:00")
            )
        );
        assert_eq!(v.zone.as_deref(), Some("Europe/Amsterdam"));
        // An instant written with an offset is shown in the course's zone.
        let v = session_view(&front("2026-02-06T12:30:00Z", None, None), Some(&tz)).expect("view");
        assert_eq!(v.text, "Friday 6 February 2026, 13:30");
        let v =
            session_view(&front("2026-04-17", Some("2026-04-18"), None), Some(&tz)).expect("view");
        assert_eq!(v.text, "Friday 17 April 2026 – Saturday 18 April 2026");
        assert_eq!(v.zone, None);
        assert_eq!(session_view(&FrontMatter::default(), Some(&tz)), None);
    }
}
