//! The course calendar: `calendar.ics` read back by a real RFC 5545 parser
//! (Python's `icalendar`), its events across a clock change, UIDs that stay
//! when a session is edited, the `[schedule]` rule, and bad dates and zones
//! reported at their place.

use std::process::Command;

use serde_json::Value;

use crate::browser::Browser;
use crate::serve::{Server, assert_disk_matches, assert_serve_writes_what_build_writes};
use crate::support::{self, Site};

const ICS: &str = "public/calendar.ics";

/// The events of a built calendar as `icalendar` imports them; `None` (said,
/// or a failure in CI) without Python's `icalendar`.
fn import(site: &Site) -> Option<Vec<Value>> {
    if !support::have("python3", &["-c", "import icalendar"]) {
        support::skip(
            "python3 with the icalendar package",
            "pip install icalendar",
        );
        return None;
    }
    let script = support::repo().join("tests/support/ics_check.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(site.path().join(ICS))
        .output()
        .expect("run python3");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["problems"], Value::Array(vec![]), "{report:#}");
    assert!(out.status.success());
    Some(report["events"].as_array().unwrap().clone())
}

/// Checks RFC 5545's line rules without Python: CRLF, 75 octets at most.
fn assert_lines_are_folded(ics: &str) {
    assert!(ics.ends_with("\r\n"));
    for line in ics.split_terminator("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
}

fn field<'a>(event: &'a Value, path: &[&str]) -> &'a str {
    let mut v = event;
    for key in path {
        v = &v[*key];
    }
    v.as_str()
        .unwrap_or_else(|| panic!("no {path:?} in {event:#}"))
}

#[test]
fn the_calendar_imports_with_times_across_the_clock_change() {
    let site = Site::fixture("calendar");
    site.build_ok();
    let ics = site.read(ICS);
    assert_lines_are_folded(&ics);
    assert!(
        ics.contains("DTSTART;TZID=Europe/Amsterdam:20250321T100000\r\n"),
        "{ics}"
    );
    let Some(events) = import(&site) else { return };
    let starts: Vec<(&str, &str)> = events
        .iter()
        .map(|e| {
            (
                field(e, &["uid"]),
                e["start"]["utc"]
                    .as_str()
                    .unwrap_or_else(|| field(e, &["start", "date"])),
            )
        })
        .collect();
    // 10:00 in Amsterdam is 09:00 UTC before 30 March, 08:00 after; the
    // skipped week moves the third session to 11 April; the workshop's own
    // date takes its slot; the review keeps the weekly rhythm.
    assert_eq!(
        starts,
        [
            ("s1_intro@course.example.org", "2025-03-21T09:00:00Z"),
            ("s2_storage@course.example.org", "2025-03-28T09:00:00Z"),
            ("s3_compute@course.example.org", "2025-04-11T08:00:00Z"),
            ("s4_workshop@course.example.org", "2025-04-18"),
            ("s5_review@course.example.org", "2025-04-25T08:00:00Z"),
        ]
    );
    let first = &events[0];
    assert_eq!(
        field(first, &["start", "local"]),
        "2025-03-21T10:00:00+01:00"
    );
    assert_eq!(field(first, &["end", "local"]), "2025-03-21T11:30:00+01:00");
    assert_eq!(
        field(&events[2], &["end", "local"]),
        "2025-04-11T11:30:00+02:00"
    );
    // A whole-day session ends the day after its last day.
    assert_eq!(field(&events[3], &["end", "date"]), "2025-04-20");
    // Text comes back as written: commas, semicolons, backslashes, lines, Unicode.
    assert_eq!(field(first, &["summary"]), "Introduction, and what's next");
    assert_eq!(
        field(first, &["location"]),
        "Room 2.14, Science Park; Amsterdam"
    );
    assert_eq!(field(&events[2], &["location"]), "Lab 1");
    assert!(
        field(first, &["description"]).starts_with("First steps; bring a laptop.\nSecond line with a backslash \\ and a very long sentence that needs folding at seventy-five octets — ünïcödé too.\n\nOnline: https://meet.example.org/cloud"),
        "{first:#}"
    );
    assert_eq!(
        field(first, &["url"]),
        "https://course.example.org/cloud/s1_intro/"
    );
}

#[test]
fn uids_stay_when_a_session_is_edited() {
    let site = Site::fixture("calendar");
    site.build_ok();
    let before = site.read(ICS);
    let Some(first) = import(&site) else { return };
    let text = site.read("content/s2_storage/index.md");
    site.file(
        "content/s2_storage/index.md",
        &text.replace(
            "title = \"Storage\"",
            "title = \"Storage, moved\"\ndate = 2025-03-27T14:00:00",
        ),
    );
    site.build_ok();
    assert_ne!(site.read(ICS), before);
    let Some(second) = import(&site) else { return };
    let uids = |events: &[Value]| {
        events
            .iter()
            .map(|e| field(e, &["uid"]).to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(uids(&first), uids(&second));
    assert_eq!(field(&second[1], &["summary"]), "Storage, moved");
    assert_eq!(field(&second[1], &["start", "utc"]), "2025-03-27T13:00:00Z");
    // Two builds of the same files write the same calendar.
    let again = site.read(ICS);
    site.build_ok();
    assert_eq!(site.read(ICS), again);
}

#[test]
fn sessions_without_a_date_are_not_in_the_calendar() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file(
            "content/s1/index.md",
            "+++\ntitle = \"One\"\ndate = 2025-05-02T09:00:00Z\n+++\n",
        )
        .file("content/s2/index.md", "+++\ntitle = \"Two\"\n+++\n")
        .file(
            "content/s3/index.md",
            "---\ntitle: Three\ndate: 2025-05-16\n---\n",
        );
    site.build_ok();
    let ics = site.read(ICS);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    // No `timezone`: times in UTC, and no VTIMEZONE.
    assert!(ics.contains("DTSTART:20250502T090000Z\r\n"), "{ics}");
    assert!(!ics.contains("VTIMEZONE"));
    assert!(ics.contains("UID:s3@syllabus.invalid\r\n"), "{ics}");
    assert!(
        site.read("public/index.html")
            .contains("href=\"/calendar.ics\"")
    );
    if let Some(events) = import(&site) {
        assert_eq!(events.len(), 2);
    }

    // A page of the course's own at `schedule/` keeps its place.
    site.file(
        "content/schedule.md",
        "# Our schedule\n\nAsk the teacher.\n",
    );
    site.build_ok();
    assert!(
        site.read("public/schedule/index.html")
            .contains("Ask the teacher.")
    );
    assert!(!site.read("public/index.html").contains(">Schedule</a>"));

    // A course without dates has no calendar and no link to one.
    let plain = Site::new();
    plain
        .file("content/index.md", "# Home\n")
        .file("content/s1/index.md", "# One\n");
    plain.build_ok();
    assert!(!plain.exists(ICS));
    assert!(!plain.read("public/index.html").contains("calendar.ics"));
    assert!(!plain.exists("public/schedule/index.html"));
}

#[test]
fn the_schedule_page_lists_sessions_by_week_with_their_pages() {
    let site = Site::fixture("calendar");
    site.build_ok();
    let main = site.main_of("public/schedule/index.html");
    let weeks: Vec<&str> = main
        .match_indices("<h2 id=")
        .map(|(at, _)| &main[at..at + 45])
        .collect();
    assert_eq!(weeks.len(), 5, "{main}");
    for shown in [
        // Weeks run from Monday to Monday in Amsterdam, across the clock change.
        "data-week-start=\"2025-03-24T00:00:00+01:00\" data-week-end=\"2025-03-31T00:00:00+02:00\"",
        "<h2 id=\"week-2\">Week of Monday 24 March 2025<span class=\"this-week-badge\" hidden> (this week)</span></h2>",
        "<time datetime=\"2025-04-11T10:00:00+02:00\">Friday 11 April 2025, 10:00–11:30</time>",
        "<li><a href=\"/cloud/s2_storage/exercise/\">Exercise: a bucket of data</a></li>",
        "<li><a href=\"/cloud/s2_storage/reading/\">Reading: object storage</a></li>",
    ] {
        assert!(main.contains(shown), "no {shown} in {main}");
    }
    let page = site.read("public/schedule/index.html");
    assert!(
        page.contains("<script src=\"/cloud/assets/schedule.js"),
        "{page}"
    );
    assert!(
        !page.contains("<script>"),
        "inline script: the CSP forbids it"
    );
}

#[test]
fn the_schedule_marks_the_readers_week_in_the_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let today = time::OffsetDateTime::now_utc().date();
    let later = today + time::Duration::days(14);
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file(
            "content/s1/index.md",
            &format!("+++\ntitle = \"Now\"\ndate = {today}T12:00:00Z\n+++\n"),
        )
        .file(
            "content/s2/index.md",
            &format!("+++\ntitle = \"Later\"\ndate = {later}T12:00:00Z\n+++\n"),
        );
    let server = Server::start(&site);
    server.wait_for_text("/schedule/", "Later");
    browser.goto(&server.url("/schedule/"));
    let marked = browser.wait_until(std::time::Duration::from_secs(10), |b| {
        b.execute(
            "return document.querySelectorAll('.is-this-week').length",
            &[],
        ) == 1
    });
    assert!(marked, "no week marked");
    let week = browser.text(".is-this-week").unwrap_or_default();
    assert!(
        week.contains("Now") && week.contains("(this week)"),
        "{week}"
    );
    assert!(!week.contains("Later"), "{week}");
    let current = browser.execute(
        "return document.querySelector('[aria-current=date] a').textContent",
        &[],
    );
    assert_eq!(current, "Now");
}

#[test]
fn bad_dates_and_time_zones_are_errors_at_their_place() {
    let site = Site::fixture("calendar");
    let config = site.read("syllabus.toml");
    site.file(
        "syllabus.toml",
        &config
            .replace("Europe/Amsterdam", "Europe/Amsterdamm")
            .replace("skip = [2025-04-04]", "skip = [2025-04-04, \"2025-04-31\"]"),
    );
    site.file(
        "content/s3_compute/index.md",
        "+++\ntitle = \"Compute\"\ndate = \"2025-04-11T25:00\"\n+++\n",
    );
    site.file(
        "content/s4_workshop/index.md",
        "---\ntitle: Workshop\nend: next week\nduration: soon\n---\n",
    );
    site.file(
        "content/s5_review/index.md",
        "+++\ntitle = \"Review\"\nonline = \"javascript:alert(1)\"\nend = 2025-04-25T12:00:00\nduration = \"1h\"\n+++\n",
    );
    for command in ["check", "build"] {
        let run = site.run(&[command]);
        let out = run.fails();
        insta::assert_snapshot!(format!("bad_input_{command}"), site.transcript(&run));
        assert!(out.contains("syllabus.toml:5:12"), "{out}");
    }
    assert!(!site.exists(ICS));
}

#[test]
fn an_end_before_the_start_is_a_warning_at_its_line_and_left_out() {
    let site = Site::fixture("calendar");
    site.file(
        "content/s3_compute/index.md",
        "+++\ntitle = \"Compute\"\ndate = 2025-04-11T10:00:00\nend = 2025-04-11T09:00:00\n+++\n",
    );
    let out = site.build_ok().all();
    assert!(
        out.contains("warning[W021]: front matter `end` is not after `date`; the session is shown without an end\n  --> content/s3_compute/index.md:4:1"),
        "{out}"
    );
    let ics = site.read(ICS);
    let compute = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("SUMMARY:Compute"))
        .expect("the Compute event");
    assert!(
        compute.contains("DTSTART;TZID=Europe/Amsterdam:20250411T100000"),
        "{compute}"
    );
    assert!(!compute.contains("DTEND"), "{compute}");
}

#[test]
fn an_end_more_than_a_year_later_is_a_warning_and_left_out_of_page_and_calendar() {
    let site = Site::fixture("calendar");
    site.file(
        "content/s3_compute/index.md",
        "+++\ntitle = \"Compute\"\ndate = 2025-04-11\nend = 2026-06-01\n+++\n",
    );
    let out = site.build_ok().all();
    assert!(
        out.contains("warning[W021]: front matter `end` is more than a year after `date`; the session is shown without an end\n  --> content/s3_compute/index.md:4:1"),
        "{out}"
    );
    let page = site.main_of("public/s3_compute/index.html");
    assert!(!page.contains("2026"), "{page}");
    let ics = site.read(ICS);
    let compute = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("SUMMARY:Compute"))
        .expect("the Compute event");
    assert!(compute.contains("DTSTART;VALUE=DATE:20250411"), "{compute}");
    assert!(compute.contains("DTEND;VALUE=DATE:20250412"), "{compute}");
}

#[test]
fn an_end_that_cannot_end_the_schedules_date_is_a_warning_at_its_line() {
    let site = Site::demo();
    let page = "content/session_intro/index.md";
    let text = site.read(page).replacen(
        "weight = 10\n",
        "weight = 10\nend = 2026-02-06T12:00:00\n",
        1,
    );
    site.file(page, &text);
    let out = site.build_ok().all();
    assert!(
        out.contains("warning[W021]: front matter `end` is not after `date`; the session is shown without an end (the date is the `[schedule]` rule's)\n  --> content/session_intro/index.md:5:1"),
        "{out}"
    );
    let ics = site.read(ICS);
    let intro = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("DTSTART;TZID=Europe/Amsterdam:20260206T133000"))
        .expect("the first session");
    assert!(!intro.contains("DTEND"), "{intro}");
}

#[test]
fn the_demo_course_has_a_weekly_schedule() {
    let site = Site::demo();
    site.build_ok();
    let ics = site.read(ICS);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 10, "{ics}");
    // Every Friday at 13:30 in Amsterdam from 6 February 2026, not in the
    // spring break (27 February), across the change to summer time.
    let starts: Vec<&str> = ics
        .split("\r\n")
        .filter_map(|l| l.strip_prefix("DTSTART;TZID=Europe/Amsterdam:"))
        .collect();
    assert_eq!(
        starts,
        [
            "20260206T133000",
            "20260213T133000",
            "20260220T133000",
            "20260306T133000",
            "20260313T133000",
            "20260320T133000",
            "20260327T133000",
            "20260403T133000",
            "20260410T133000",
            "20260417T133000",
        ]
    );
    if let Some(events) = import(&site) {
        assert_eq!(events.len(), 10);
        assert_eq!(field(&events[0], &["start", "utc"]), "2026-02-06T12:30:00Z");
        assert_eq!(field(&events[9], &["end", "utc"]), "2026-04-17T13:30:00Z");
    }
    assert!(site.exists("public/schedule/index.html"));
}

#[test]
fn serve_sends_the_calendar_as_text_calendar_and_writes_what_build_writes() {
    let site = Site::fixture("calendar");
    let server = Server::start(&site);
    server.wait_for_text("/calendar.ics", "BEGIN:VCALENDAR");
    let reply = server.get("/calendar.ics");
    assert_eq!(
        reply.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    drop(server);
    assert_serve_writes_what_build_writes(|| Site::fixture("calendar"));
    let built = Site::fixture("calendar");
    built.build_ok();
    let azure: Value =
        serde_json::from_str(&built.read("public/staticwebapp.config.json")).unwrap();
    assert_eq!(azure["mimeTypes"][".ics"], "text/calendar; charset=utf-8");
}

#[test]
fn serve_adds_the_calendar_links_to_every_page_when_a_first_session_gets_a_date() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/s1/index.md", "+++\ntitle = \"One\"\n+++\n# One\n")
        .file("content/s2/index.md", "# Two\n");
    let server = Server::start(&site);
    server.wait_for_text("/s2/", "Two");
    assert!(!server.get("/s2/").text().contains("calendar.ics"));
    site.file(
        "content/s1/index.md",
        "+++\ntitle = \"One\"\ndate = 2026-02-06T13:30:00Z\n+++\n# One\n",
    );
    server.wait_for_text("/calendar.ics", "BEGIN:VEVENT");
    // The other pages, unchanged themselves, now link to the calendar too.
    server.wait_for_text("/s2/", "calendar.ics");
    assert_disk_matches(&server, &site);
}

#[test]
fn hostile_text_stays_text_in_the_calendar_and_the_schedule() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"T\"\ntimezone = \"Europe/Amsterdam\"\n")
        .file("content/index.md", "# Home\n")
        .file(
            "content/s1/index.md",
            "+++\ntitle = \"<script>alert(1)</script>\\r\\nEND:VEVENT\"\ndescription = \"a\\r\\nBEGIN:VEVENT\\nUID:x\\u0000\"\nlocation = \"<img src=x onerror=alert(1)>;,\"\ndate = 2026-02-06T10:00:00\nend = 2300-12-31T10:00:00\n+++\n",
        );
    site.build_ok();
    let ics = site.read(ICS);
    assert_lines_are_folded(&ics);
    let lines: Vec<&str> = ics.split("\r\n").collect();
    assert_eq!(
        lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
        1,
        "{ics}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("UID:")).count(),
        1,
        "{ics}"
    );
    assert!(
        ics.len() < 4000,
        "a far end day makes no long VTIMEZONE: {} bytes",
        ics.len()
    );
    let schedule = site.read("public/schedule/index.html");
    assert!(
        !schedule.contains("<script>alert") && !schedule.contains("<img src=x"),
        "{schedule}"
    );
    if let Some(events) = import(&site) {
        assert_eq!(
            field(&events[0], &["summary"]),
            "<script>alert(1)</script>\nEND:VEVENT"
        );
        assert_eq!(
            field(&events[0], &["location"]),
            "<img src=x onerror=alert(1)>;,"
        );
    }
}
