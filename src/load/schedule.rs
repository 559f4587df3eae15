//! The course's time zone and its `[schedule]` rule, checked, and the dates
//! the rule gives the sessions.
//!
//! In: the config and the text of `syllabus.toml` (to place errors). Out: a
//! [`Schedule`] and diagnostics at the line and column of each bad value;
//! [`apply`] then fills in the date, length and place of each session whose
//! page does not give its own. The time zone comes from jiff's copy of the
//! IANA database, built into the binary, so a build reads the same rules on
//! every machine, with or without the system's `tzdata`.

use jiff::tz::TimeZone;
use toml::de::{DeTable, DeValue};

use super::session_keys::{self, is_web_url, parse_duration};
use crate::diagnostics::{self, Code, Diagnostic};
use crate::model::config::{DateValue, FILE_NAME, ScheduleConfig};
use crate::model::{Config, Course, PageDate, PageId};

/// The checked time zone and rule.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    /// `None`: times without an offset are UTC.
    pub time_zone: Option<TimeZone>,
    rule: Option<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    start: PageDate,
    weeks: u32,
    skip: Vec<time::Date>,
    duration: Option<jiff::SignedDuration>,
    location: Option<String>,
    online: Option<String>,
}

/// Reads `timezone` and `[schedule]`; every bad value is an error at its place.
pub fn read(config: &Config, text: &str) -> (Schedule, Vec<Diagnostic>) {
    let doc = DeTable::parse(text)
        .map(|d| d.into_inner())
        .unwrap_or_default();
    let place = Place { doc: &doc, text };
    let mut diags = Vec::new();
    let time_zone = config
        .timezone
        .as_deref()
        .and_then(|name| match TimeZone::get(name.trim()) {
            Ok(tz) => Some(tz),
            Err(_) => {
                let shown: String = name.chars().take(60).collect();
                diags.push(
                    place
                        .error(Code::UnknownTimeZone, &["timezone"], None, format!("`timezone = \"{shown}\"` is not a time zone"))
                        .with_help("use an IANA time zone name such as \"Europe/Amsterdam\" or \"America/New_York\""),
                );
                None
            }
        });
    let rule = config
        .schedule
        .as_ref()
        .and_then(|s| read_rule(s, &place, &mut diags));
    (Schedule { time_zone, rule }, diags)
}

fn read_rule(s: &ScheduleConfig, place: &Place, diags: &mut Vec<Diagnostic>) -> Option<Rule> {
    let date = |value: &DateValue,
                path: &[&str],
                index: Option<usize>,
                diags: &mut Vec<Diagnostic>| {
        let text = value.text();
        let parsed = PageDate::parse(&text);
        if parsed.is_none() {
            let shown: String = text.chars().take(40).collect();
            let key = path.last().copied().unwrap_or_default();
            diags.push(
                place
                    .error(Code::InvalidSchedule, path, index, format!("`[schedule] {key}` is not a date: `{shown}`"))
                    .with_help("write the day as YYYY-MM-DD (`2025-09-05`), with a time for timed sessions: `2025-09-05T13:30:00`"),
            );
        }
        parsed
    };
    let skip: Vec<time::Date> = (s.skip.iter().enumerate())
        .filter_map(|(i, v)| date(v, &["schedule", "skip"], Some(i), diags).map(|d| d.date))
        .collect();
    let duration = s.duration.as_deref().and_then(|text| {
        let d = parse_duration(text);
        if d.is_none() {
            diags.push(
                place
                    .error(
                        Code::InvalidSchedule,
                        &["schedule", "duration"],
                        None,
                        format!("`[schedule] duration = \"{text}\"` is not a length of time"),
                    )
                    .with_help("write it as \"90m\", \"2h\" or \"1h 30m\""),
            );
        }
        d
    });
    if let Some(online) = s.online.as_deref().filter(|u| !is_web_url(u)) {
        let shown: String = online.chars().take(60).collect();
        diags.push(
            place
                .error(
                    Code::InvalidSchedule,
                    &["schedule", "online"],
                    None,
                    format!("`[schedule] online = \"{shown}\"` is not a web address"),
                )
                .with_help("write the meeting's URL, starting with https://"),
        );
    }
    if s.weeks == 0 {
        diags.push(
            place
                .error(
                    Code::InvalidSchedule,
                    &["schedule", "weeks"],
                    None,
                    "`[schedule] weeks` must be 1 or more",
                )
                .with_help("`weeks = 1` for a weekly course, 2 for every other week"),
        );
    }
    let Some(start) = s.start.as_ref() else {
        diags.push(
            place
                .error(
                    Code::InvalidSchedule,
                    &["schedule"],
                    None,
                    "`[schedule]` needs `start`, the first session's date",
                )
                .with_help("add `start = 2025-09-05T13:30:00` (the first session's day and time)"),
        );
        return None;
    };
    let start = date(start, &["schedule", "start"], None, diags)?;
    Some(Rule {
        start,
        weeks: s.weeks.max(1),
        skip,
        duration,
        location: s.location.clone(),
        online: s.online.clone(),
    })
}

impl Schedule {
    /// The first `count` dates of the rule (none without a rule).
    pub fn slots(&self, count: usize) -> Vec<PageDate> {
        let Some(rule) = &self.rule else {
            return Vec::new();
        };
        let step = 7 * i64::from(rule.weeks);
        let mut out = Vec::with_capacity(count);
        let mut next = Some(rule.start);
        while out.len() < count
            && let Some(d) = next
        {
            if !rule.skip.contains(&d.date) {
                out.push(d);
            }
            next = d.plus_days(step);
        }
        out
    }
}

/// Gives each session (its own page, in course order) the rule's date, length
/// and place where its page does not set them. A session without a page of its
/// own keeps its slot: the sessions after it stay on their days. Returns a
/// warning for each page whose own `end` cannot end the date the rule gives it.
pub fn apply(
    course: &mut Course,
    sessions: &[Option<PageId>],
    schedule: &Schedule,
) -> Vec<Diagnostic> {
    let Some(rule) = &schedule.rule else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    let slots = schedule.slots(sessions.len());
    for (&session, slot) in sessions.iter().zip(slots) {
        let Some(id) = session else { continue };
        let page = &mut course.pages[id];
        let front = &mut page.front;
        if front.date.is_none() {
            front.date = Some(slot);
            if front.end.is_none() && front.duration.is_none() {
                front.duration = rule.duration;
            }
            // The page's own `end` was checked without a date to end.
            if let Some(end) = front.end
                && let Some((code, message, help)) = session_keys::end_left_out(slot, end)
            {
                let message = format!("{message} (the date is the `[schedule]` rule's)");
                warnings.push(
                    Diagnostic::warning(code, &page.file, message)
                        .at(front.end_line, 1)
                        .with_help(help),
                );
            }
        }
        if front.location.is_none() {
            front.location.clone_from(&rule.location);
        }
        if front.online.is_none() {
            front.online.clone_from(&rule.online);
        }
    }
    warnings
}

/// Finds where a value is written in `syllabus.toml`.
struct Place<'a> {
    doc: &'a DeTable<'a>,
    text: &'a str,
}

impl Place<'_> {
    /// An error at the value under `path` (the `index`th item of an array when given).
    fn error(
        &self,
        code: Code,
        path: &[&str],
        index: Option<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = self
            .span(path, index)
            .map_or((0, 0), |s| diagnostics::line_col(self.text, s));
        Diagnostic::error(code, FILE_NAME, message).at(line, col)
    }

    fn span(&self, path: &[&str], index: Option<usize>) -> Option<usize> {
        let (last, parents) = path.split_last()?;
        let mut table = self.doc;
        for key in parents {
            match table.get(*key)?.get_ref() {
                DeValue::Table(t) => table = t,
                _ => return None,
            }
        }
        let value = table.get(*last)?;
        match (index, value.get_ref()) {
            (Some(i), DeValue::Array(items)) => Some(items.get(i)?.span().start),
            _ => Some(value.span().start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Schedule, Vec<Diagnostic>) {
        let config = Config::parse(text).expect("config");
        read(&config, text)
    }

    #[test]
    fn weekly_with_a_skipped_week() {
        let (s, diags) = read_text(
            "timezone = \"Europe/Amsterdam\"\n[schedule]\nstart = 2025-03-21T10:00:00\nskip = [2025-04-04]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let days: Vec<String> = s.slots(3).iter().map(ToString::to_string).collect();
        assert_eq!(
            days,
            [
                "2025-03-21T10:00:00",
                "2025-03-28T10:00:00",
                "2025-04-11T10:00:00"
            ]
        );
    }

    #[test]
    fn bad_values_are_placed() {
        let text = "timezone = \"Europe/Amsterdamm\"\n[schedule]\nstart = \"2025-02-30\"\nskip = [2025-04-04, \"soon\"]\nduration = \"long\"\nonline = \"javascript:alert(1)\"\n";
        let (_, diags) = read_text(text);
        let got: Vec<(usize, usize)> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(
            got,
            [(1, 12), (4, 21), (5, 12), (6, 10), (3, 9)],
            "{diags:?}"
        );
        assert!(diags[0].message.contains("is not a time zone"));
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                Code::UnknownTimeZone,
                Code::InvalidSchedule,
                Code::InvalidSchedule,
                Code::InvalidSchedule,
                Code::InvalidSchedule
            ]
        );
    }
}
