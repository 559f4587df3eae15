//! MIME types: one table for what `build` declares to Azure Static Web Apps
//! and what `serve` sends, so the dev server shows what the host will.
//!
//! Course files a static host may not know (notebooks, scripts, data) come
//! first, from [`COURSE_TYPES`]; every other extension from `mime_guess`.
//! Source code is served as text so it opens in the browser.

/// Course file types, by extension with its dot; the Azure config declares
/// these (its keys are case-sensitive, hence `.R` and `.r`).
pub const COURSE_TYPES: &[(&str, &str)] = &[
    (".ipynb", "application/x-ipynb+json"),
    (".py", "text/plain; charset=utf-8"),
    (".R", "text/plain; charset=utf-8"),
    (".r", "text/plain; charset=utf-8"),
    (".Rmd", "text/plain; charset=utf-8"),
    (".qmd", "text/plain; charset=utf-8"),
    (".jl", "text/plain; charset=utf-8"),
    (".sh", "text/plain; charset=utf-8"),
    (".ps1", "text/plain; charset=utf-8"),
    (".sql", "text/plain; charset=utf-8"),
    (".bicep", "text/plain; charset=utf-8"),
    (".tf", "text/plain; charset=utf-8"),
    (".yml", "text/plain; charset=utf-8"),
    (".yaml", "text/plain; charset=utf-8"),
    (".toml", "text/plain; charset=utf-8"),
    (".md", "text/markdown; charset=utf-8"),
    (".csv", "text/csv; charset=utf-8"),
    (".tsv", "text/tab-separated-values; charset=utf-8"),
    (".parquet", "application/vnd.apache.parquet"),
    (".geojson", "application/geo+json"),
];

/// The search index's shards (`search/*.bin`, gzip-compressed JSON that the
/// theme's script unpacks): declared to Azure too, so that the host serves them
/// as they are, whatever its own table says.
pub const SEARCH_TYPES: &[(&str, &str)] = &[(".bin", "application/octet-stream")];

/// The course calendar (`calendar.ics`): declared to Azure so that the host
/// sends it as `text/calendar`, which calendar applications subscribing to
/// it expect, whatever the host's own table says.
pub const CALENDAR_TYPES: &[(&str, &str)] = &[(".ics", "text/calendar; charset=utf-8")];

/// Source-code extensions served as text besides [`COURSE_TYPES`] (hosts know
/// them as something else, or as nothing); not declared to Azure.
const PLAIN_TEXT: &[&str] = &[
    "bash", "ini", "cfg", "log", "rs", "go", "java", "c", "h", "cpp", "cs", "txt",
];

/// The Content-Type of a site path, by its extension.
pub fn for_path(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return "application/octet-stream".into();
    };
    let lower = ext.to_ascii_lowercase();
    let course = COURSE_TYPES
        .iter()
        .find(|(e, _)| e[1..] == *ext)
        .or_else(|| COURSE_TYPES.iter().find(|(e, _)| e[1..] == *lower));
    if let Some((_, mime)) = course {
        return (*mime).to_string();
    }
    if PLAIN_TEXT.contains(&lower.as_str()) {
        return "text/plain; charset=utf-8".into();
    }
    match mime_guess::from_ext(&lower).first() {
        Some(mime) if needs_charset(&mime) => format!("{mime}; charset=utf-8"),
        Some(mime) => mime.to_string(),
        None => "application/octet-stream".into(),
    }
}

/// Text types whose bytes syllabus writes as UTF-8.
fn needs_charset(mime: &mime_guess::Mime) -> bool {
    mime.type_() == "text" || mime.essence_str() == "application/javascript"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_table_for_every_file_of_a_course() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/site.CSS", "text/css; charset=utf-8"),
            ("s1/lab.ipynb", "application/x-ipynb+json"),
            ("s1/analysis.R", "text/plain; charset=utf-8"),
            ("s1/data.csv", "text/csv; charset=utf-8"),
            ("s1/fit.py", "text/plain; charset=utf-8"),
            ("s1/main.rs", "text/plain; charset=utf-8"),
            ("img/flow.svg", "image/svg+xml"),
            ("img/a.PNG", "image/png"),
            ("search/x.wasm", "application/wasm"),
            ("search/t12.bin", "application/octet-stream"),
            ("calendar.ics", "text/calendar; charset=utf-8"),
            ("Makefile", "application/octet-stream"),
            ("x.unknown", "application/octet-stream"),
        ];
        for (path, want) in cases {
            assert_eq!(for_path(path), want, "{path}");
        }
        assert!(
            for_path("a/b.js").starts_with("text/javascript")
                || for_path("a/b.js").starts_with("application/javascript")
        );
    }
}
