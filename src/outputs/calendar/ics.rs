//! RFC 5545 text: content lines folded at 75 octets, TEXT values escaped,
//! date-times in the three forms the calendar writes, and the `VTIMEZONE`
//! of a zone from its transitions over the course's span.
//!
//! The `VTIMEZONE` lists each transition as it happens (no `RRULE`), taken
//! from jiff's IANA data: exact for every year the course spans, and never
//! a rule written by hand.

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

/// Lines of an iCalendar object, written with CRLF and folded.
#[derive(Default)]
pub struct Lines {
    out: String,
}

impl Lines {
    /// One content line: `name` holds the property and its parameters.
    pub fn line(&mut self, name: &str, value: &str) {
        fold(&format!("{name}:{value}"), &mut self.out);
    }

    /// A property whose value is TEXT, escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.line(name, &escape(value));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Folds a content line into lines of at most 75 octets (RFC 5545 §3.1),
/// never inside a UTF-8 character; continuation lines start with a space.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, `;`, `,` and line
/// breaks; other control characters, which no TEXT may hold, are dropped.
pub fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `20250328T100000`, a local date-time.
pub fn local(dt: DateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `20250328T090000Z`, an instant in UTC.
pub fn utc(ts: Timestamp) -> String {
    format!("{}Z", local(ts.to_zoned_datetime(TimeZone::UTC).datetime()))
}

/// `20250328`, a day.
pub fn day(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// `+0100`, `-0330`, or with seconds when the offset has them.
fn offset(o: Offset) -> String {
    let s = o.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let s = s.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// The `VTIMEZONE` of `tz` named `tzid`, holding the offset in force at `from`
/// and every transition up to `to`.
pub fn vtimezone(lines: &mut Lines, tz: &TimeZone, tzid: &str, from: Timestamp, to: Timestamp) {
    lines.line("BEGIN", "VTIMEZONE");
    lines.line("TZID", tzid);
    let mut transitions: Vec<_> = tz.preceding(from).take(1).collect();
    transitions.extend(tz.following(from).take_while(|t| t.timestamp() <= to));
    if transitions.is_empty() {
        // A zone without transitions (UTC, a fixed offset): one standard time.
        let o = tz.to_offset(from);
        lines.line("BEGIN", "STANDARD");
        lines.line("DTSTART", "19700101T000000");
        lines.line("TZOFFSETFROM", &offset(o));
        lines.line("TZOFFSETTO", &offset(o));
        lines.line("END", "STANDARD");
    }
    for t in transitions {
        let at = t.timestamp();
        let before = tz.to_offset(at.checked_sub(SignedDuration::from_secs(1)).unwrap_or(at));
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        lines.line("BEGIN", kind);
        // DTSTART is the local time of the change, on the clock before it.
        lines.line("DTSTART", &local(before.to_datetime(at)));
        lines.line("TZOFFSETFROM", &offset(before));
        lines.line("TZOFFSETTO", &offset(t.offset()));
        if !t.abbreviation().is_empty() {
            lines.text("TZNAME", t.abbreviation());
        }
        lines.line("END", kind);
    }
    lines.line("END", "VTIMEZONE");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_counts_octets_and_keeps_characters_whole() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "é".repeat(60)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("Room 1, B; a\\b\r\nnext\u{7}"),
            "Room 1\\, B\\; a\\\\b\\nnext"
        );
    }

    #[test]
    fn offsets() {
        let o = |s| offset(Offset::from_seconds(s).expect("offset"));
        assert_eq!(
            (o(3600), o(-12600), o(0), o(1172)),
            (
                "+0100".into(),
                "-0330".into(),
                "+0000".into(),
                "+001932".into()
            )
        );
    }
}
