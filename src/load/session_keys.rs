//! A session's own front matter keys, `end`, `duration`, `location` and
//! `online`, read and checked; `load::schedule` uses the same checks for
//! the `[schedule]` rule's values.
//!
//! In: one key's text (front matter parsing is `load::frontmatter`'s). Out: the
//! value in [`FrontMatter`], or the [`Problem`] to report at the key's line.

use crate::diagnostics::Code;
use crate::model::course::MAX_SESSION_DAYS;
use crate::model::{FrontMatter, PageDate};

/// A session's length: jiff's friendly format (`90m`, `2h`, `1h 30m`,
/// `2 hours`) or ISO 8601 (`PT1H30M`); positive and under a week.
pub fn parse_duration(text: &str) -> Option<jiff::SignedDuration> {
    let d: jiff::SignedDuration = text.trim().parse().ok()?;
    (d.is_positive() && d < jiff::SignedDuration::from_hours(24 * 7)).then_some(d)
}

/// An `http(s)` URL without spaces: what `online` may hold (never `javascript:`).
pub fn is_web_url(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("https://") || t.starts_with("http://")) && !t.chars().any(char::is_whitespace)
}

/// What is wrong with a value of the right type: its code, message and help.
pub type Problem = (Code, String, &'static str);

/// Reads a session's `end`, `duration`, `location` or `online` (a string).
pub fn read(key: &str, text: String, fm: &mut FrontMatter) -> Result<(), Problem> {
    let shown: String = text.chars().take(60).collect();
    match key {
        "end" => fm.end = Some(PageDate::parse(&text).ok_or_else(|| not_a_date("end", &text))?),
        "duration" => {
            let d = parse_duration(&text).ok_or_else(|| {
                (
                    Code::InvalidDuration,
                    format!("front matter `duration` is not a length of time: `{shown}`"),
                    "write it as \"90m\", \"2h\", \"1h 30m\" or \"PT1H30M\", more than zero and less than a week",
                )
            })?;
            fm.duration = Some(d);
        }
        "online" if is_web_url(&text) => fm.online = Some(text),
        "online" => {
            return Err((
                Code::InvalidOnlineUrl,
                format!("front matter `online` is not a web address: `{shown}`"),
                "write the meeting's URL, starting with https://",
            ));
        }
        _ => fm.location = Some(text),
    }
    Ok(())
}

/// The problem of a `date` or `end` that is not a real date.
pub fn not_a_date(key: &str, text: &str) -> Problem {
    let shown: String = text.chars().take(40).collect();
    (
        Code::InvalidDate,
        format!("front matter `{key}` is not a date: `{shown}`"),
        "write the day as YYYY-MM-DD (`2025-01-31`), optionally with a time: `2025-01-31T14:00:00+01:00`",
    )
}

/// Why a session's `end` would be left out of its page and the calendar
/// (judged without the course's time zone: a time with an offset is not
/// compared with one without). The page and the calendar still show the
/// session, from its start, so this is a warning and the build goes on.
pub fn end_left_out(start: PageDate, end: PageDate) -> Option<Problem> {
    let why = match (start.time, end.time) {
        (Some(_), None) => "`end` is a day, but `date` has a time",
        (None, _) if end.date < start.date => "`end` is before `date`",
        (Some(_), Some(_))
            if start.offset.is_some() == end.offset.is_some()
                && end.instant() <= start.instant() =>
        {
            "`end` is not after `date`"
        }
        _ if start
            .date
            .checked_add(time::Duration::days(MAX_SESSION_DAYS))
            .is_some_and(|latest| end.date > latest) =>
        {
            "`end` is more than a year after `date`"
        }
        _ => return None,
    };
    Some((
        Code::SessionEndIgnored,
        format!("front matter {why}; the session is shown without an end"),
        "write when the session ends as a later time (`2025-01-31T15:30:00`), or its last day for a session of whole days",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(start: &str, end: &str) -> Option<String> {
        let d = |t: &str| PageDate::parse(t).expect("date");
        end_left_out(d(start), d(end)).map(|(code, message, _)| {
            assert_eq!(code, Code::SessionEndIgnored);
            message
        })
    }

    #[test]
    fn an_end_that_would_be_left_out_is_named() {
        assert_eq!(end("2025-03-28T10:00:00", "2025-03-28T11:30:00"), None);
        assert_eq!(end("2025-03-28", "2026-03-29"), None);
        assert_eq!(
            end("2025-03-28", "2026-03-30").as_deref(),
            Some(
                "front matter `end` is more than a year after `date`; the session is shown without an end"
            )
        );
        assert!(end("2025-03-28T10:00:00", "2026-04-01T11:00:00").is_some());
        assert_eq!(end("2025-03-28", "2025-03-29"), None);
        assert_eq!(end("2025-03-28", "2025-03-28"), None);
        assert_eq!(end("2025-03-28", "2025-03-28T17:00:00"), None);
        // Offsets on one side only: the course's zone decides, not known here.
        assert_eq!(
            end("2025-03-28T10:00:00+01:00", "2025-03-28T09:30:00"),
            None
        );
        let left_out = [
            ("2025-03-28T10:00:00", "2025-03-28"),
            ("2025-03-28", "2025-03-27"),
            ("2025-03-28T10:00:00", "2025-03-28T10:00:00"),
            ("2025-03-28T10:00:00+01:00", "2025-03-28T10:30:00+02:00"),
        ];
        for (start, stop) in left_out {
            let message = end(start, stop).unwrap_or_default();
            assert!(
                message.ends_with("; the session is shown without an end"),
                "{start} {stop}: {message:?}"
            );
        }
    }
}
