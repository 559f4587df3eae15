//! What the schema of `staticwebapp.config.json` does not check but Azure
//! Static Web Apps refuses or gets wrong: the 20 KB cap, wildcards in the
//! middle of a route, a rule that both rewrites and redirects, role names,
//! and values that would make an invalid header. Every problem is an error
//! naming `syllabus.toml`, since `[azure]` there is where it is fixed.

use super::config_file::{self, MAX_BYTES};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::azure::{AzureConfig, Route};
use crate::model::config::FILE_NAME;

/// Methods a route may list.
pub const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "CONNECT", "OPTIONS", "TRACE",
];

/// The longest custom role name Azure accepts.
pub const MAX_ROLE_LEN: usize = 25;

/// Checks `[azure]` itself.
pub fn settings(azure: &AzureConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, route) in azure.routes.iter().enumerate() {
        check_route(
            &format!("`[azure] routes` rule {} (`{}`)", i + 1, route.route),
            route,
            &mut out,
        );
    }
    for pattern in &azure.immutable {
        check_pattern(
            &format!("`[azure] immutable` pattern `{pattern}`"),
            pattern,
            &mut out,
        );
    }
    check_headers("`[azure.headers]`", azure.headers.iter(), &mut out);
    check_csp(azure, &mut out);
    for (ext, mime) in &azure.mime_types {
        let bad_ext = ext.len() < 2 || !ext.starts_with('.') || ext.contains(['/', '*', ' ']);
        if bad_ext {
            out.push(error(
                Code::InvalidMimeType,
                format!("`[azure.mime_types]`: `{ext}` is not a file extension"),
                "write the extension with its dot, such as `\".ipynb\" = \"application/x-ipynb+json\"`",
            ));
        }
        let mime = mime.trim();
        if !mime.is_empty() && (!mime.contains('/') || mime.contains(['\r', '\n'])) {
            out.push(error(
                Code::InvalidMimeType,
                format!("`[azure.mime_types]`: `{mime}` (for `{ext}`) is not a MIME type"),
                "write a type such as `text/plain; charset=utf-8`, or `\"\"` to drop a default",
            ));
        }
    }
    out
}

/// Checks the size of the rendered file: an error above Azure's cap, a warning above 80 % of it.
pub fn size(bytes: usize, aliases: usize, azure: &AzureConfig) -> Option<Diagnostic> {
    let what = format!(
        "it holds {aliases} alias redirect(s) and {} route(s) from `[azure] routes`",
        azure.routes.len() + azure.immutable.len()
    );
    if bytes > MAX_BYTES {
        let message = format!(
            "`{}` would be {} bytes; Azure Static Web Apps accepts at most {} (20 KB)",
            config_file::FILE_NAME,
            thousands(bytes as u64),
            thousands(MAX_BYTES as u64)
        );
        return Some(error(
            Code::AzureConfigTooLarge,
            message,
            format!(
                "{what}: remove old `aliases` from front matter, or merge routes into wildcard rules"
            ),
        ));
    }
    if bytes * 5 > MAX_BYTES * 4 {
        let message = format!(
            "`{}` is {} bytes, {} % of the 20 KB Azure Static Web Apps accepts",
            config_file::FILE_NAME,
            thousands(bytes as u64),
            bytes * 100 / MAX_BYTES
        );
        return Some(
            Diagnostic::warning(Code::AzureConfigNearLimit, FILE_NAME, message).with_help(format!(
                "{what}; old `aliases` can be removed once nobody uses them"
            )),
        );
    }
    None
}

fn check_route(label: &str, route: &Route, out: &mut Vec<Diagnostic>) {
    check_pattern(label, &route.route, out);
    if route.rewrite.is_some() && route.redirect.is_some() {
        out.push(error(
            Code::InvalidRoute,
            format!("{label} has both `rewrite` and `redirect`"),
            "a rule either serves another file at the same URL (`rewrite`) or sends the browser elsewhere (`redirect`): keep one",
        ));
    }
    if let Some(rewrite) = &route.rewrite
        && !rewrite.starts_with('/')
    {
        out.push(error(
            Code::InvalidRoute,
            format!("{label}: `rewrite = \"{rewrite}\"` is not a path of the site"),
            "write a path from the site root, such as `/404.html`",
        ));
    }
    if let Some(redirect) = &route.redirect
        && redirect.trim().is_empty()
    {
        out.push(error(
            Code::InvalidRoute,
            format!("{label}: `redirect` is empty"),
            "write the path or URL to send the browser to",
        ));
    }
    if let Some(code) = route.status_code
        && route.redirect.is_some()
        && code != 301
        && code != 302
    {
        out.push(error(
            Code::InvalidRoute,
            format!("{label}: a redirect answers 301 or 302, not {code}"),
            "use `statusCode = 301` (moved for good) or `302` (the default: moved for now)",
        ));
    }
    if let Some(code) = route.status_code
        && !(100..=599).contains(&code)
    {
        out.push(error(
            Code::InvalidRoute,
            format!("{label}: `statusCode = {code}` is not an HTTP status"),
            "use a status between 100 and 599",
        ));
    }
    for method in route.methods.iter().flatten() {
        if !METHODS.contains(&method.as_str()) {
            out.push(error(
                Code::InvalidRoute,
                format!("{label}: `{method}` is not an HTTP method Azure matches"),
                format!("use one of {}", METHODS.join(", ")),
            ));
        }
    }
    for role in route.allowed_roles.iter().flatten() {
        if !valid_role(role) {
            out.push(error(
                Code::InvalidRoute,
                format!("{label}: `{role}` is not a valid role name"),
                format!(
                    "roles are `anonymous`, `authenticated`, or your own names of at most {MAX_ROLE_LEN} letters, digits and `_` (no spaces or dashes)"
                ),
            ));
        }
    }
    if let Some(headers) = &route.headers {
        check_headers(label, headers.iter(), out);
    }
}

/// A role name Azure accepts: the built-in ones or `[A-Za-z0-9_]{1,25}`.
pub fn valid_role(role: &str) -> bool {
    !role.is_empty()
        && role.len() <= MAX_ROLE_LEN
        && role.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A route pattern: from the site root, with at most one `*`, at the very end of
/// the path, optionally followed by an extension filter (`*.png`, `*.{png,jpg}`).
fn check_pattern(label: &str, pattern: &str, out: &mut Vec<Diagnostic>) {
    if !pattern.starts_with('/') {
        out.push(error(
            Code::InvalidRoute,
            format!("{label} does not start with `/`"),
            "routes are paths from the site root, such as `/private/*`",
        ));
        return;
    }
    if let Some(problem) = wildcard_problem(pattern) {
        out.push(error(
            Code::InvalidRoute,
            format!("{label} has {problem}"),
            "Azure Static Web Apps allows one `*`, only at the end of a route, optionally filtered by extension: `/private/*`, `/private*`, `/images/*.{png,jpg}`",
        ));
    }
}

/// Why a route's wildcard would not work, if it would not.
pub fn wildcard_problem(pattern: &str) -> Option<&'static str> {
    let stars = pattern.matches('*').count();
    if stars == 0 {
        return pattern
            .contains(['{', '}'])
            .then_some("braces without a wildcard");
    }
    if stars > 1 {
        return Some("more than one wildcard `*`");
    }
    let after = &pattern[pattern.find('*').unwrap_or(0) + 1..];
    let ext_ok = |e: &str| {
        !e.is_empty()
            && e.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let valid = match after.strip_prefix('.') {
        None => after.is_empty(),
        Some(rest) => match rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            Some(list) => list.split(',').all(|e| ext_ok(e.trim())),
            None => ext_ok(rest),
        },
    };
    (!valid).then_some("a wildcard `*` that is not at the end")
}

fn check_headers<'a>(
    label: &str,
    headers: impl Iterator<Item = (&'a String, &'a String)>,
    out: &mut Vec<Diagnostic>,
) {
    for (name, value) in headers {
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            out.push(error(
                Code::InvalidHeader,
                format!("{label}: `{name}` is not a valid header name"),
                "header names are letters, digits and `-`, such as `X-Robots-Tag`",
            ));
        }
        if value.contains(['\r', '\n']) {
            out.push(error(
                Code::InvalidHeader,
                format!("{label}: the value of `{name}` spans several lines"),
                "write the header's value on one line",
            ));
        }
    }
}

fn check_csp(azure: &AzureConfig, out: &mut Vec<Diagnostic>) {
    for (directive, sources) in &azure.csp {
        if directive.is_empty()
            || !directive
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'-')
        {
            out.push(error(
                Code::InvalidCsp,
                format!("`[azure.csp]`: `{directive}` is not a Content-Security-Policy directive"),
                "write a directive such as `img-src` or `frame-src`",
            ));
        }
        for source in sources {
            if source.is_empty() || source.contains([';', ',', ' ', '\t', '\r', '\n']) {
                out.push(error(
                    Code::InvalidCsp,
                    format!("`[azure.csp]`: `{source}` (in `{directive}`) is not one source"),
                    "write each source as its own string: `img-src = [\"https://example.org\", \"data:\"]`",
                ));
            }
        }
    }
}

fn error(code: Code, message: impl Into<String>, help: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code, FILE_NAME, message).with_help(help)
}

pub use crate::diagnostics::thousands;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        for ok in [
            "/private/*",
            "/private*",
            "/images/*.png",
            "/images/*.{png,jpg,gif}",
            "/exact/index.html",
            "/*",
        ] {
            assert_eq!(wildcard_problem(ok), None, "{ok}");
        }
        let cases = [
            ("/a/*/b", "a wildcard `*` that is not at the end"),
            ("/*/index.html", "a wildcard `*` that is not at the end"),
            ("/a*b", "a wildcard `*` that is not at the end"),
            ("/a/**", "more than one wildcard `*`"),
            ("/a/*.{png,}", "a wildcard `*` that is not at the end"),
            ("/a/{b}", "braces without a wildcard"),
        ];
        for (bad, why) in cases {
            assert_eq!(wildcard_problem(bad), Some(why), "{bad}");
        }
    }

    #[test]
    fn roles() {
        for ok in ["anonymous", "authenticated", "teaching_team", "TA2025", "a"] {
            assert!(valid_role(ok), "{ok}");
        }
        for bad in [
            "",
            "teaching-team",
            "two words",
            "é",
            "a_role_name_that_is_far_too_long",
        ] {
            assert!(!valid_role(bad), "{bad}");
        }
    }

    #[test]
    fn size_warns_then_errors() {
        let azure = AzureConfig::default();
        assert!(size(10_000, 0, &azure).is_none());
        let warn = size(17_000, 120, &azure).unwrap();
        assert!(!warn.is_error());
        assert_eq!(
            warn.message,
            "`staticwebapp.config.json` is 17,000 bytes, 85 % of the 20 KB Azure Static Web Apps accepts"
        );
        let err = size(20_001, 300, &azure).unwrap();
        assert!(err.is_error());
        assert!(err.help.unwrap().contains("it holds 300 alias redirect(s)"));
    }
}
