//! `calendar.ics`: one event per session with a date (RFC 5545), to subscribe
//! to from any calendar application.
//!
//! In: the course, its sessions in course order, the URL index and the
//! course's time zone. Out: the calendar's text, or `None` when no session
//! has a date. Each event's `UID` comes from its session page's path, so a
//! calendar that subscribed updates the event when the page changes instead of
//! adding a second one. Times are written with the course's `TZID` and its
//! `VTIMEZONE`, so that events keep their wall-clock time across a clock
//! change as the course does; without a `timezone`, in UTC.

mod ics;

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

use crate::model::{Config, Course, Page, PageDate, PageId, UrlIndex};
use ics::Lines;

/// Where the calendar is written, relative to the output root.
pub const FILE: &str = "calendar.ics";
/// The schedule page's folder (`schedule/index.html`), unless the course has a page there.
pub const SCHEDULE_DIR: &str = "schedule";
/// The schedule page's file, relative to the output root.
pub const SCHEDULE_FILE: &str = "schedule/index.html";

pub struct Input<'a> {
    pub course: &'a Course,
    pub index: &'a UrlIndex,
    pub config: &'a Config,
    /// The sessions' own pages, in course order.
    pub sessions: &'a [PageId],
    pub time_zone: Option<&'a TimeZone>,
}

/// Links to `calendar.ics` for templates (`calendar.subscribe`, `calendar.file`).
#[derive(serde::Serialize)]
pub struct Links {
    /// `webcal://…` when the site's URL is known (calendar applications
    /// subscribe to it), else the file's path.
    pub subscribe: String,
    /// The file itself, to download or to paste into a calendar's "add by URL".
    pub file: String,
    /// The schedule page, when the site has it.
    pub schedule: Option<String>,
}

/// The links templates show when the course has a calendar (and, with
/// `schedule_page`, the schedule page).
pub fn links(config: &Config, schedule_page: bool) -> Links {
    let file = format!("{}{}", config.base_path(), FILE);
    let base = config.base_url.trim();
    let origin = config.site_origin_url();
    let subscribe = match base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
    {
        Some(_) => {
            let rest = origin.split_once("://").map_or("", |(_, r)| r);
            let host = rest.split('/').next().unwrap_or(rest);
            format!("webcal://{host}{file}")
        }
        None => file.clone(),
    };
    let schedule = schedule_page.then(|| format!("{}{SCHEDULE_DIR}/", config.base_path()));
    Links {
        subscribe,
        file,
        schedule,
    }
}

/// When one event takes place.
enum When {
    Days {
        first: jiff::civil::Date,
        last: jiff::civil::Date,
    },
    Times {
        start: ZonedDateTime,
        end: Option<ZonedDateTime>,
    },
}

/// The calendar, or `None` when no session has a date.
pub fn calendar(input: &Input) -> Option<String> {
    let tz = input.time_zone.cloned().unwrap_or(TimeZone::UTC);
    let events: Vec<(PageId, When)> = input
        .sessions
        .iter()
        .filter_map(|&id| Some((id, when(&input.course.pages[id], &tz)?)))
        .collect();
    if events.is_empty() {
        return None;
    }
    let mut lines = Lines::default();
    lines.line("BEGIN", "VCALENDAR");
    lines.line("VERSION", "2.0");
    lines.text(
        "PRODID",
        &format!("-//syllabus//syllabus {}//EN", env!("CARGO_PKG_VERSION")),
    );
    lines.line("CALSCALE", "GREGORIAN");
    lines.line("METHOD", "PUBLISH");
    lines.text("X-WR-CALNAME", &input.config.title);
    // How often a subscribed calendar looks for changes (RFC 7986; Outlook's name).
    lines.line("REFRESH-INTERVAL;VALUE=DURATION", "PT12H");
    lines.line("X-PUBLISHED-TTL", "PT12H");
    let tzid = zone_name(input.time_zone);
    if let Some(name) = &tzid {
        lines.text("X-WR-TIMEZONE", name);
        let (from, to) = span(&events);
        ics::vtimezone(&mut lines, &tz, name, from, to);
    }
    for (id, when) in &events {
        event(&mut lines, input, *id, when, tzid.as_deref());
    }
    lines.line("END", "VCALENDAR");
    Some(lines.finish())
}

/// The zone's IANA name, for `TZID`; `None` writes times in UTC.
fn zone_name(tz: Option<&TimeZone>) -> Option<String> {
    let name = tz?.iana_name()?;
    (name != "UTC").then(|| name.to_string())
}

/// A session's days or times; `None` without a date.
fn when(page: &Page, tz: &TimeZone) -> Option<When> {
    let date = page.front.date?;
    let Some(start) = date.zoned(tz) else {
        // A whole day, or several: `end` names the last one.
        let first = date.civil_date()?;
        let last = page.front.session_last_day(first).unwrap_or(first);
        return Some(When::Days { first, last });
    };
    let end = page.front.session_end(&start, tz);
    Some(When::Times { start, end })
}

/// The first and last instants of the events, for the `VTIMEZONE`.
fn span(events: &[(PageId, When)]) -> (Timestamp, Timestamp) {
    let mut all = events.iter().flat_map(|(_, w)| match w {
        When::Times { start, end } => {
            vec![
                Some(start.timestamp()),
                end.as_ref().map(ZonedDateTime::timestamp),
            ]
        }
        When::Days { first, last } => {
            let at = |d: &jiff::civil::Date| {
                d.to_zoned_datetime(TimeZone::UTC)
                    .ok()
                    .map(|z| z.timestamp())
            };
            vec![at(first), at(last)]
        }
    });
    let first = all.next().flatten().unwrap_or(Timestamp::UNIX_EPOCH);
    all.flatten()
        .fold((first, first), |(lo, hi), t| (lo.min(t), hi.max(t)))
}

fn event(lines: &mut Lines, input: &Input, id: PageId, when: &When, tzid: Option<&str>) {
    let page = &input.course.pages[id];
    let origin = absolute_origin(input.config);
    lines.line("BEGIN", "VEVENT");
    lines.text("UID", &uid(page, origin.as_deref()));
    lines.line("DTSTAMP", &stamp(page, when));
    match when {
        When::Days { first, last } => {
            lines.line("DTSTART;VALUE=DATE", &ics::day(*first));
            // The end of an all-day event is the day after its last (exclusive).
            let after = last.tomorrow().unwrap_or(*last);
            lines.line("DTEND;VALUE=DATE", &ics::day(after));
        }
        When::Times { start, end } => {
            let at = |z: &ZonedDateTime| match tzid {
                Some(name) => (format!(";TZID={name}"), ics::local(z.datetime())),
                None => (String::new(), ics::utc(z.timestamp())),
            };
            let (param, value) = at(start);
            lines.line(&format!("DTSTART{param}"), &value);
            if let Some(end) = end {
                let (param, value) = at(end);
                lines.line(&format!("DTEND{param}"), &value);
            }
        }
    }
    lines.text("SUMMARY", &page.title);
    if let Some(place) = page.front.location.as_ref().or(page.front.online.as_ref()) {
        lines.text("LOCATION", place);
    }
    let url = origin.map(|o| format!("{o}{}", input.index.urls[id]));
    if let Some(url) = &url {
        lines.line("URL", url);
    }
    let description = description(page, url.as_deref());
    if !description.is_empty() {
        lines.text("DESCRIPTION", &description);
    }
    lines.line("END", "VEVENT");
}

/// `scheme://host` of an absolute `base_url`; `None` for a path, where the
/// calendar can give no absolute link.
fn absolute_origin(config: &Config) -> Option<String> {
    let url = config.base_url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    Some(url[..url.len() - rest.len() + host_end].to_string())
}

/// `session_3@example.org`: the page's path, which stays when its title,
/// date or text change, and the site's host, which tells courses apart.
fn uid(page: &Page, origin: Option<&str>) -> String {
    let path = page.url_path.trim_matches('/');
    let path = if path.is_empty() { "home" } else { path };
    let host = origin
        .and_then(|o| o.split("://").nth(1))
        .unwrap_or("syllabus.invalid");
    format!("{path}@{host}")
}

/// When the event's text last changed: the page's last commit, so that two
/// builds of one commit give the same file; without Git, the event's start.
fn stamp(page: &Page, when: &When) -> String {
    let updated = page
        .updated
        .as_deref()
        .and_then(PageDate::parse)
        .and_then(|d| d.civil_date())
        .and_then(|d| d.to_zoned_datetime(TimeZone::UTC).ok());
    let at = updated
        .map(|z| z.timestamp())
        .unwrap_or_else(|| match when {
            When::Times { start, .. } => start.timestamp(),
            When::Days { first, .. } => first
                .to_zoned_datetime(TimeZone::UTC)
                .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp()),
        });
    ics::utc(at)
}

/// The session's description, its online meeting and its page.
fn description(page: &Page, url: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &page.front.description {
        parts.push(d.trim().to_string());
    }
    if let Some(online) = &page.front.online {
        parts.push(format!("Online: {online}"));
    }
    if let Some(url) = url {
        parts.push(url.to_string());
    }
    parts.join("\n\n")
}
