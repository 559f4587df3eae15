//! The schedule page's view: the dated sessions by week (Monday to Sunday in
//! the course's time zone), each with its times, place and pages (readings,
//! exercises), then the sessions without a date.
//!
//! Each week carries its first and last instant (`start`, `end`), so that the
//! theme's script can mark the reader's current week in the browser: the page
//! is static, and "now" is only known where it is read.

use jiff::tz::TimeZone;
use jiff::{Span, ZonedDateTime};
use serde::Serialize;

use super::session::{SessionView, day_text, session_view};
use crate::model::{Course, PageId, UrlIndex};

#[derive(Serialize, Debug)]
pub struct ScheduleView {
    pub weeks: Vec<WeekView>,
    /// Sessions without a date, in course order.
    pub unscheduled: Vec<SessionEntry>,
    /// The IANA name times are shown in (`UTC` without a course `timezone`).
    pub zone: String,
}

#[derive(Serialize, Debug)]
pub struct WeekView {
    /// `Week of Monday 16 March 2026`.
    pub label: String,
    /// The week's Monday at midnight and the next Monday's, ISO 8601 instants.
    pub start: String,
    pub end: String,
    pub sessions: Vec<SessionEntry>,
}

#[derive(Serialize, Debug)]
pub struct SessionEntry {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    pub when: Option<SessionView>,
    /// The session's other pages: its readings and exercises.
    pub pages: Vec<PageLink>,
}

#[derive(Serialize, Debug)]
pub struct PageLink {
    pub title: String,
    pub url: String,
}

/// The schedule of `sessions` (their own pages, in course order).
pub fn schedule_view(
    course: &Course,
    index: &UrlIndex,
    sessions: &[PageId],
    tz: Option<&TimeZone>,
) -> ScheduleView {
    let zone = tz
        .and_then(TimeZone::iana_name)
        .unwrap_or("UTC")
        .to_string();
    let mut dated: Vec<(jiff::civil::Date, SessionEntry)> = Vec::new();
    let mut unscheduled = Vec::new();
    for &id in sessions {
        let page = &course.pages[id];
        let entry = SessionEntry {
            title: page.title.clone(),
            url: index.urls[id].clone(),
            description: page.front.description.clone(),
            when: session_view(&page.front, tz),
            pages: course.sections[page.section]
                .pages
                .iter()
                .filter(|&&p| p != id)
                .map(|&p| PageLink {
                    title: course.pages[p].title.clone(),
                    url: index.urls[p].clone(),
                })
                .collect(),
        };
        let day = entry
            .when
            .as_ref()
            .and(page.front.date)
            .and_then(|d| local_day(d, tz));
        match day {
            Some(day) => dated.push((day, entry)),
            None => unscheduled.push(entry),
        }
    }
    dated.sort_by_key(|(day, _)| *day);
    let mut weeks: Vec<WeekView> = Vec::new();
    let utc = TimeZone::UTC;
    let tz = tz.unwrap_or(&utc);
    for (day, entry) in dated {
        let monday = day
            .checked_sub(Span::new().days(i64::from(day.weekday().to_monday_zero_offset())))
            .unwrap_or(day);
        let start = instant(monday, tz);
        match weeks.last_mut() {
            Some(week) if week.start == start => week.sessions.push(entry),
            _ => weeks.push(WeekView {
                label: format!("Week of {}", day_text(monday)),
                end: instant(
                    monday.checked_add(Span::new().days(7)).unwrap_or(monday),
                    tz,
                ),
                start,
                sessions: vec![entry],
            }),
        }
    }
    ScheduleView {
        weeks,
        unscheduled,
        zone,
    }
}

/// The day a session takes place on, in the course's zone.
fn local_day(date: crate::model::PageDate, tz: Option<&TimeZone>) -> Option<jiff::civil::Date> {
    match tz.and_then(|tz| date.zoned(tz)) {
        Some(z) => Some(z.date()),
        None => match date.zoned(&TimeZone::UTC) {
            Some(z) => Some(z.date()),
            None => date.civil_date(),
        },
    }
}

/// Midnight of `day` in `tz`, as an ISO 8601 instant with its offset.
fn instant(day: jiff::civil::Date, tz: &TimeZone) -> String {
    day.to_zoned_datetime(tz.clone())
        .map(|z: ZonedDateTime| z.timestamp().display_with_offset(z.offset()).to_string())
        .unwrap_or_else(|_| day.to_string())
}
