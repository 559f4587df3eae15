//! The keys of front matter, each read into its field of [`FrontMatter`]:
//! a value of the wrong type, a value that cannot be used and an unknown key
//! (with the closest known one) are reported at the key's line.
//!
//! In: the front matter as a JSON map (TOML and YAML both read into one).
//! Out: the typed [`FrontMatter`] and its diagnostics.

use serde_json::Value;

use super::session_keys::{self, not_a_date};
use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::model::{FrontMatter, PageDate};

/// The keys syllabus reads.
const KNOWN: &[&str] = &[
    "title",
    "description",
    "weight",
    "date",
    "end",
    "duration",
    "location",
    "online",
    "draft",
    "aliases",
    "template",
    "overview",
    "teaching",
    "exercises",
    "glossary",
    "extra",
];
/// Keys other tools put in front matter that we accept silently.
const TOLERATED: &[&str] = &[
    "marp",
    "theme",
    "paginate",
    "tags",
    "author",
    "authors",
    "hide",
    "layout",
    // Carpentries lessons (Workbench and the older Jekyll "styles").
    "questions",
    "objectives",
    "keypoints",
    "site",
    "permalink",
    "root",
    "hidden",
    "break",
    "source",
    "math",
    "redirect_to",
];

/// The typed front matter; a value of the wrong type is reported with
/// `severity` and left out, so one bad key never hides the page.
pub(super) fn typed(
    file: &str,
    map: serde_json::Map<String, Value>,
    line_of: &dyn Fn(&str) -> usize,
    severity: Severity,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let mut wrong = |key: &str, expected: &str| {
        diagnostics.push(
            Diagnostic::new(
                severity,
                Code::FrontMatterType,
                file,
                format!("front matter `{key}` must be {expected}"),
            )
            .at(line_of(key), 1),
        )
    };
    const ALIASES: &str = "a list of URL paths such as [\"/old/page/\"]";
    let mut unknown = Vec::new();
    let mut bad_values = Vec::new();
    for (key, value) in map {
        match (key.as_str(), value) {
            ("title", Value::String(s)) => fm.title = Some(s),
            ("description", Value::String(s)) => fm.description = Some(s),
            ("weight", Value::Number(n)) => match n.as_i64() {
                Some(w) => fm.weight = Some(w),
                None => wrong("weight", "a whole number"),
            },
            ("date", Value::String(s)) => match PageDate::parse(&s) {
                Some(date) => fm.date = Some(date),
                None => bad_values.push(("date".to_string(), not_a_date("date", &s))),
            },
            (k @ ("end" | "duration" | "location" | "online"), Value::String(s)) => {
                if let Err(problem) = session_keys::read(k, s, &mut fm) {
                    bad_values.push((k.to_string(), problem));
                }
            }
            ("draft", Value::Bool(b)) => fm.draft = b,
            ("aliases", Value::Array(items)) => {
                if items.iter().all(Value::is_string) {
                    fm.aliases.extend(
                        items
                            .into_iter()
                            .filter_map(|v| v.as_str().map(str::to_string)),
                    );
                } else {
                    wrong("aliases", ALIASES);
                }
            }
            ("aliases", Value::String(s)) => fm.aliases.push(s),
            ("template", Value::String(s)) => fm.template = Some(s),
            ("extra", Value::Object(m)) => fm.extra = m,
            ("marp", Value::Bool(b)) => fm.marp = b,
            ("overview", Value::Bool(b)) => fm.overview = b,
            ("teaching" | "exercises", Value::Number(n)) => {
                match n.as_u64().and_then(|m| u32::try_from(m).ok()) {
                    Some(m) if key == "teaching" => fm.teaching = Some(m),
                    Some(m) => fm.exercises = Some(m),
                    None => wrong(&key, "a whole number of minutes"),
                }
            }
            ("glossary", Value::Bool(b)) => fm.glossary = Some(b),
            (_, Value::Null) => {}
            ("date" | "end", _) => wrong(&key, "a date such as 2025-01-31"),
            ("duration", _) => wrong("duration", "a length of time such as \"90m\""),
            ("online", _) => wrong("online", "a URL starting with https://"),
            ("title" | "description" | "template" | "location", _) => wrong(&key, "a string"),
            ("weight", _) => wrong("weight", "a whole number"),
            ("draft", _) => wrong("draft", "true or false"),
            ("overview", _) => wrong("overview", "true or false"),
            ("teaching" | "exercises", _) => wrong(&key, "a whole number of minutes"),
            ("glossary", _) => wrong("glossary", "true or false"),
            ("aliases", _) => wrong("aliases", ALIASES),
            ("extra", _) => wrong("extra", "a table of values"),
            (k, _) if TOLERATED.contains(&k) => {}
            (k, _) => unknown.push(k.to_string()),
        }
    }
    if fm.end.is_some() && fm.duration.is_some() {
        let problem = (
            Code::EndAndDuration,
            "front matter `duration` and `end` cannot both be given".to_string(),
            "keep `end` for a fixed end time, or `duration` for a length",
        );
        bad_values.push(("duration".to_string(), problem));
    }
    for (key, (code, message, help)) in bad_values {
        diagnostics.push(
            Diagnostic::new(severity, code, file, message)
                .at(line_of(&key), 1)
                .with_help(help),
        );
    }
    if fm.end.is_some() {
        fm.end_line = line_of("end");
    }
    if let (Some(start), Some(end)) = (fm.date, fm.end)
        && let Some((code, message, help)) = session_keys::end_left_out(start, end)
    {
        let d = Diagnostic::warning(code, file, message).at(line_of("end"), 1);
        diagnostics.push(d.with_help(help));
    }
    for k in unknown {
        let help = match diagnostics::closest(&k, KNOWN.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? Free-form values go under `extra`"),
            None => format!(
                "known keys: {}; free-form values go under `extra`",
                KNOWN.join(", ")
            ),
        };
        diagnostics.push(
            Diagnostic::warning(
                Code::UnknownFrontMatterKey,
                file,
                format!("unknown front matter key `{k}`"),
            )
            .at(line_of(&k), 1)
            .with_help(help),
        );
    }
    fm
}
