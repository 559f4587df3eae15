//! The site's Content-Security-Policy, fitted to what its pages use.
//!
//! The strict default allows only the site itself. Unless the course turns it
//! off (`[azure] csp_from_pages = false`) or writes its own policy in
//! `[azure.headers]`, the origins the rendered pages embed are added, each
//! as `scheme://host` to the one directive that governs it (`img-src`,
//! `media-src`, `frame-src`), and `style-src-attr 'unsafe-inline'` when some
//! page has a `style` attribute. A policy syllabus does not fit is checked
//! instead: each page it would break is a warning.
//!
//! In: the policy text and the site's [`Embeds`]; out: a policy, or what it blocks.

use std::collections::BTreeSet;

use crate::model::rendered::Embeds;

/// A policy as directives, each a name and its sources, in the order written.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy(Vec<(String, Vec<String>)>);

/// Where a browser looks when a directive is missing (CSP Level 3).
fn fallbacks(directive: &str) -> &'static [&'static str] {
    match directive {
        "frame-src" => &["child-src", "default-src"],
        "style-src-attr" | "style-src-elem" => &["style-src", "default-src"],
        "script-src-elem" | "script-src-attr" => &["script-src", "default-src"],
        _ => &["default-src"],
    }
}

impl Policy {
    pub fn parse(text: &str) -> Policy {
        let mut directives: Vec<(String, Vec<String>)> = Vec::new();
        for part in text.split(';') {
            let mut words = part.split_whitespace();
            let Some(name) = words.next() else { continue };
            let name = name.to_ascii_lowercase();
            // A repeated directive is ignored by browsers.
            if !directives.iter().any(|(n, _)| *n == name) {
                directives.push((name, words.map(str::to_string).collect()));
            }
        }
        Policy(directives)
    }

    /// The sources a browser applies for `directive`: its own, or its fallback's.
    /// `None`: nothing restricts it.
    pub fn effective(&self, directive: &str) -> Option<&[String]> {
        std::iter::once(directive)
            .chain(fallbacks(directive).iter().copied())
            .find_map(|d| self.0.iter().find(|(n, _)| n == d))
            .map(|(_, sources)| sources.as_slice())
    }

    /// Adds `source` to `directive`. A missing directive starts from the sources
    /// it fell back to, so that adding one origin never takes away `'self'`.
    pub fn allow(&mut self, directive: &str, source: &str) {
        if !self.0.iter().any(|(n, _)| n == directive) {
            let inherited = match directive {
                // Attributes load nothing: only `'unsafe-inline'` means anything here.
                "style-src-attr" => Vec::new(),
                _ => self
                    .effective(directive)
                    .map(<[_]>::to_vec)
                    .unwrap_or_default(),
            };
            if inherited.is_empty() && self.effective(directive).is_none() {
                return; // Nothing restricts it: nothing to allow.
            }
            self.0.push((directive.to_string(), inherited));
        }
        if let Some((_, sources)) = self.0.iter_mut().find(|(n, _)| n == directive) {
            sources.retain(|s| s != "'none'");
            if !sources.iter().any(|s| s == source) {
                sources.push(source.to_string());
            }
        }
    }

    /// Whether the policy lets a page load from `origin` under `directive`.
    pub fn allows_origin(&self, directive: &str, origin: &str) -> bool {
        let Some(sources) = self.effective(directive) else {
            return true;
        };
        sources.iter().any(|s| source_matches(s, origin))
    }

    /// Whether the policy lets elements have `style` attributes.
    pub fn allows_style_attributes(&self) -> bool {
        self.allows_inline("style-src-attr")
    }

    /// Whether `directive` allows anything inline (`'unsafe-inline'`).
    fn allows_inline(&self, directive: &str) -> bool {
        let Some(sources) = self.effective(directive) else {
            return true;
        };
        // With a hash or nonce, browsers ignore 'unsafe-inline'.
        sources.iter().any(|s| s == "'unsafe-inline'")
            && !sources
                .iter()
                .any(|s| s.starts_with("'sha") || s.starts_with("'nonce-"))
    }
}

impl std::fmt::Display for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(name, sources)| {
                std::iter::once(name.as_str())
                    .chain(sources.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// The directive that governs each kind of embed, with the kind's origins.
fn by_directive(embeds: &Embeds) -> [(&'static str, &BTreeSet<String>); 3] {
    [
        ("img-src", &embeds.img),
        ("media-src", &embeds.media),
        ("frame-src", &embeds.frame),
    ]
}

/// `policy` with what the site's pages embed allowed, and nothing more.
pub fn fit(policy: &str, embeds: &Embeds) -> String {
    if embeds.is_empty() {
        return policy.to_string();
    }
    let mut policy = Policy::parse(policy);
    for (directive, origins) in by_directive(embeds) {
        for origin in origins {
            if !policy.allows_origin(directive, origin) {
                policy.allow(directive, origin);
            }
        }
    }
    if embeds.style_attr && !policy.allows_style_attributes() {
        policy.allow("style-src-attr", "'unsafe-inline'");
    }
    policy.to_string()
}

/// What `policy` would block of one page's embeds, one phrase per kind
/// ("images from https://a.example, https://b.example"); empty when nothing.
pub fn blocked(policy: &Policy, embeds: &Embeds) -> Vec<String> {
    let mut out = Vec::new();
    for ((directive, origins), what) in
        by_directive(embeds)
            .into_iter()
            .zip(["images", "audio and video", "frames"])
    {
        let refused: Vec<&str> = origins
            .iter()
            .filter(|o| !policy.allows_origin(directive, o))
            .map(String::as_str)
            .collect();
        if !refused.is_empty() {
            out.push(format!(
                "{what} from {} (`{directive}`)",
                refused.join(", ")
            ));
        }
    }
    if embeds.style_attr && !policy.allows_style_attributes() {
        out.push("`style` attributes (`style-src-attr`)".into());
    }
    out.extend(blocked_code(policy, embeds));
    out
}

/// What `policy` blocks of the scripts and `<style>` elements of a page.
/// syllabus never widens the policy for these: they are only reported.
fn blocked_code(policy: &Policy, embeds: &Embeds) -> Vec<String> {
    let mut out = Vec::new();
    let refused: Vec<&str> = embeds
        .script
        .iter()
        .filter(|o| !policy.allows_origin("script-src-elem", o))
        .map(String::as_str)
        .collect();
    if !refused.is_empty() {
        out.push(format!(
            "scripts from {} (`script-src`)",
            refused.join(", ")
        ));
    }
    if embeds.inline_script && !policy.allows_inline("script-src") {
        out.push("inline scripts or `on…` handlers (`script-src`)".into());
    }
    if embeds.style_element && !policy.allows_inline("style-src-elem") {
        out.push("`<style>` elements (`style-src`)".into());
    }
    out
}

/// Whether a CSP source expression allows `origin` (`https://host[:port]`, or
/// a bare host for a scheme-relative URL, taken as `https`, as the site is served).
fn source_matches(source: &str, origin: &str) -> bool {
    let (scheme, host) = match origin.split_once("://") {
        Some((s, h)) => (s, h),
        None => ("https", origin),
    };
    let source = source.to_ascii_lowercase();
    if source == "*" {
        return true;
    }
    if let Some(s) = source.strip_suffix(':') {
        // `https:` allows https; `http:` allows both (browsers upgrade).
        return s == scheme || (s == "http" && scheme == "https");
    }
    if source.starts_with('\'') {
        return false; // 'self', 'none', nonces: never another origin.
    }
    let (source_scheme, rest) = match source.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, source.as_str()),
    };
    if let Some(s) = source_scheme
        && s != scheme
        && !(s == "http" && scheme == "https")
    {
        return false;
    }
    let source_host = rest.split('/').next().unwrap_or("");
    let (want_host, want_port) = split_port(host);
    let (have_host, have_port) = split_port(source_host);
    let port_ok = have_port == Some("*") || have_port == want_port;
    let host_ok = match have_host.strip_prefix("*.") {
        Some(suffix) => want_host.ends_with(&format!(".{suffix}")),
        None => have_host == want_host,
    };
    host_ok && port_ok
}

fn split_port(host: &str) -> (&str, Option<&str>) {
    match host.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (host, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::azure::config_file::DEFAULT_CSP;

    fn embeds(img: &[&str], media: &[&str], frame: &[&str], style: bool) -> Embeds {
        let set = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        Embeds {
            img: set(img),
            media: set(media),
            frame: set(frame),
            style_attr: style,
            ..Embeds::default()
        }
    }

    #[test]
    fn the_default_policy_is_kept_when_pages_embed_nothing() {
        assert_eq!(fit(DEFAULT_CSP, &Embeds::default()), DEFAULT_CSP);
    }

    #[test]
    fn exactly_the_embedded_origins_are_added() {
        let e = embeds(
            &["https://img.shields.io", "cdn.example.org"],
            &["https://media.example.org"],
            &["https://www.youtube-nocookie.com"],
            true,
        );
        let csp = fit(DEFAULT_CSP, &e);
        assert!(
            csp.contains("img-src 'self' data: cdn.example.org https://img.shields.io;"),
            "{csp}"
        );
        assert!(
            csp.contains("; media-src 'self' https://media.example.org"),
            "{csp}"
        );
        assert!(
            csp.contains("; frame-src 'self' https://www.youtube-nocookie.com"),
            "{csp}"
        );
        assert!(csp.contains("; style-src-attr 'unsafe-inline'"), "{csp}");
        // Everything else stays as strict as it was.
        assert!(csp.contains("style-src 'self';"), "{csp}");
        assert!(csp.contains("script-src 'self';"), "{csp}");
        let sources = csp.split([';', ' ']).collect::<Vec<_>>();
        assert!(
            !sources.contains(&"https:") && !sources.contains(&"*"),
            "{csp}"
        );
        let policy = Policy::parse(&csp);
        assert!(blocked(&policy, &e).is_empty());
        // Scripts and style elements are never allowed by fitting: only reported.
        let code = Embeds {
            script: ["https://remarkjs.com".to_string()].into(),
            inline_script: true,
            style_element: true,
            ..Embeds::default()
        };
        let policy = Policy::parse(&fit(DEFAULT_CSP, &code));
        assert_eq!(
            blocked(&policy, &code),
            [
                "scripts from https://remarkjs.com (`script-src`)",
                "inline scripts or `on…` handlers (`script-src`)",
                "`<style>` elements (`style-src`)",
            ]
        );
    }

    #[test]
    fn what_a_policy_blocks() {
        let policy = Policy::parse(
            "default-src 'self'; img-src 'self' https://*.example.org http://plain.example:8080; \
             frame-src https:",
        );
        let e = embeds(
            &[
                "https://a.example.org",
                "https://example.org",
                "https://plain.example:8080",
                "https://other.example",
            ],
            &["https://m.example"],
            &["https://www.youtube-nocookie.com"],
            true,
        );
        assert_eq!(
            blocked(&policy, &e),
            [
                "images from https://example.org, https://other.example (`img-src`)",
                "audio and video from https://m.example (`media-src`)",
                "`style` attributes (`style-src-attr`)",
            ]
        );
        assert!(blocked(&Policy::parse("img-src *"), &e).is_empty());
        assert!(blocked(&Policy::parse(""), &e).is_empty());
        let inline = Policy::parse("style-src 'self' 'unsafe-inline'");
        assert!(inline.allows_style_attributes());
        let hashed = Policy::parse("style-src 'unsafe-inline' 'sha256-x'");
        assert!(!hashed.allows_style_attributes());
    }

    #[test]
    fn none_and_missing_directives() {
        let mut p = Policy::parse("default-src 'none'; img-src 'none'");
        p.allow("img-src", "https://a.example");
        p.allow("frame-src", "https://f.example");
        assert_eq!(
            p.to_string(),
            "default-src 'none'; img-src https://a.example; frame-src https://f.example"
        );
        let mut open = Policy::parse("script-src 'self'");
        open.allow("img-src", "https://a.example");
        assert_eq!(open.to_string(), "script-src 'self'");
    }
}
