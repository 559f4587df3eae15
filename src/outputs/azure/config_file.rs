//! `[azure]` + the alias redirects → the text of `staticwebapp.config.json`.
//!
//! Pure: the same settings always give the same bytes. Keys are those of the
//! official schema; routes are evaluated by Azure in order, first match wins,
//! so alias redirects (exact paths) come first, then the cache rules, then the
//! user's own routes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::Redirect;
use crate::model::azure::{AzureConfig, Route, TrailingSlash};
use crate::model::rendered::Embeds;

/// Where Azure Static Web Apps looks for its configuration: the root of the deployed folder.
pub const FILE_NAME: &str = "staticwebapp.config.json";

/// The schema editors use to check the file.
pub const SCHEMA_URL: &str = "https://json.schemastore.org/staticwebapp.config.json";

/// The largest configuration file Azure Static Web Apps accepts (20 KB, counted as 20,000 bytes to be safe).
pub const MAX_BYTES: usize = 20_000;

/// `cache-control` of files whose names change when their content does.
pub const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// The default Content-Security-Policy: everything from the site itself, no inline
/// script or style, no plugins, no framing. The default theme and rendered Markdown
/// satisfy it (table alignment is written as `align` attributes, not styles).
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

/// The security headers every response gets unless `[azure.headers]` says otherwise.
pub fn default_headers() -> Vec<(&'static str, String)> {
    vec![
        ("Content-Security-Policy", DEFAULT_CSP.to_string()),
        ("X-Content-Type-Options", "nosniff".into()),
        ("Referrer-Policy", "strict-origin-when-cross-origin".into()),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()".into(),
        ),
    ]
}

#[derive(Serialize)]
struct StaticWebAppConfig {
    #[serde(rename = "$schema")]
    schema: &'static str,
    #[serde(rename = "trailingSlash")]
    trailing_slash: TrailingSlash,
    #[serde(rename = "responseOverrides")]
    response_overrides: BTreeMap<&'static str, Rewrite>,
    #[serde(rename = "globalHeaders")]
    global_headers: BTreeMap<String, String>,
    #[serde(rename = "mimeTypes")]
    mime_types: BTreeMap<String, String>,
    routes: Vec<Route>,
}

#[derive(Serialize)]
struct Rewrite {
    rewrite: &'static str,
}

/// The file's text: indented when it fits in [`MAX_BYTES`], compact otherwise.
/// `embeds` is what the site's pages load from elsewhere (see [`super::csp`]).
pub fn render(azure: &AzureConfig, redirects: &[Redirect], embeds: &Embeds) -> String {
    let config = StaticWebAppConfig {
        schema: SCHEMA_URL,
        trailing_slash: azure.trailing_slash,
        // A rewrite keeps the 404 status; `navigationFallback` would answer 200 for every missing page.
        response_overrides: BTreeMap::from([(
            "404",
            Rewrite {
                rewrite: "/404.html",
            },
        )]),
        global_headers: global_headers(azure, embeds),
        mime_types: mime_types(azure),
        routes: routes(azure, redirects),
    };
    let pretty = serde_json::to_string_pretty(&config).unwrap_or_default() + "\n";
    if pretty.len() <= MAX_BYTES {
        pretty
    } else {
        serde_json::to_string(&config).unwrap_or_default()
    }
}

/// Defaults, then `[azure.headers]` (matched case-insensitively; empty removes), then
/// `[azure.csp]`, then what the pages embed (unless the course wrote its own policy).
pub fn global_headers(azure: &AzureConfig, embeds: &Embeds) -> BTreeMap<String, String> {
    let mut headers: Vec<(String, String)> = default_headers()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    for (name, value) in &azure.headers {
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        if !value.trim().is_empty() {
            headers.push((name.clone(), value.trim().to_string()));
        }
    }
    if !azure.csp.is_empty() {
        match headers
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Security-Policy"))
        {
            Some((_, policy)) => *policy = extend_csp(policy, &azure.csp),
            None => headers.push(("Content-Security-Policy".into(), extend_csp("", &azure.csp))),
        }
    }
    if fits_policy_to_pages(azure) {
        for (name, policy) in &mut headers {
            if name.eq_ignore_ascii_case(CSP) {
                *policy = super::csp::fit(policy, embeds);
            }
        }
    }
    headers.into_iter().collect()
}

const CSP: &str = "Content-Security-Policy";

/// Whether syllabus adds what the pages embed to the policy: yes, unless the
/// course turned it off or wrote the whole policy in `[azure.headers]`.
pub fn fits_policy_to_pages(azure: &AzureConfig) -> bool {
    azure.csp_from_pages && !azure.headers.keys().any(|k| k.eq_ignore_ascii_case(CSP))
}

/// Adds sources to the policy's directives; a directive it lacks is appended.
pub fn extend_csp(policy: &str, additions: &BTreeMap<String, Vec<String>>) -> String {
    let mut directives: Vec<Vec<String>> = policy
        .split(';')
        .map(|d| d.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|d| !d.is_empty())
        .collect();
    for (name, sources) in additions {
        let name = name.trim().to_ascii_lowercase();
        match directives
            .iter_mut()
            .find(|d| d[0].eq_ignore_ascii_case(&name))
        {
            Some(d) => {
                // `'none'` cannot be combined with sources.
                d.retain(|s| s != "'none'");
                for s in sources {
                    if !d[1..].contains(s) {
                        d.push(s.clone());
                    }
                }
            }
            None => directives.push(
                std::iter::once(name)
                    .chain(sources.iter().cloned())
                    .collect(),
            ),
        }
    }
    directives
        .iter()
        .map(|d| d.join(" "))
        .collect::<Vec<_>>()
        .join("; ")
}

fn mime_types(azure: &AzureConfig) -> BTreeMap<String, String> {
    let mut types: BTreeMap<String, String> = crate::util::mime::COURSE_TYPES
        .iter()
        .chain(crate::util::mime::SEARCH_TYPES)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (ext, mime) in &azure.mime_types {
        if mime.trim().is_empty() {
            types.remove(ext);
        } else {
            types.insert(ext.clone(), mime.trim().to_string());
        }
    }
    types
}

fn routes(azure: &AzureConfig, redirects: &[Redirect]) -> Vec<Route> {
    let aliases = redirects.iter().map(|r| Route {
        route: alias_route(&r.path),
        redirect: Some(r.to.clone()),
        status_code: Some(301),
        ..Route::default()
    });
    let immutable = azure.immutable.iter().map(|pattern| Route {
        route: pattern.clone(),
        headers: Some(BTreeMap::from([(
            "Cache-Control".to_string(),
            IMMUTABLE_CACHE.to_string(),
        )])),
        ..Route::default()
    });
    aliases
        .chain(immutable)
        .chain(azure.routes.iter().cloned())
        .collect()
}

/// The route that matches an alias. A folder alias names its `index.html`: Azure
/// matches that rule for `/old`, `/old/` and `/old/index.html` alike, while a
/// rule for `/old/` would miss `/old/index.html`. `*` is escaped: it is a wildcard in routes.
pub fn alias_route(path: &str) -> String {
    let encoded = crate::util::url::encode_path(path).replace('*', "%2A");
    if encoded.ends_with('/') {
        format!("/{encoded}index.html")
    } else {
        format!("/{encoded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> serde_json::Value {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn defaults() {
        let json = parse(&render(&AzureConfig::default(), &[], &Embeds::default()));
        assert_eq!(json["$schema"], SCHEMA_URL);
        assert_eq!(json["trailingSlash"], "auto");
        assert_eq!(json["responseOverrides"]["404"]["rewrite"], "/404.html");
        assert!(json["responseOverrides"]["404"].get("statusCode").is_none());
        assert!(json.get("navigationFallback").is_none());
        assert_eq!(json["globalHeaders"]["X-Content-Type-Options"], "nosniff");
        let csp = json["globalHeaders"]["Content-Security-Policy"]
            .as_str()
            .unwrap();
        assert!(csp.contains("script-src 'self';"), "{csp}");
        assert!(csp.contains("style-src 'self';"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(json["mimeTypes"][".ipynb"], "application/x-ipynb+json");
        assert_eq!(json["mimeTypes"][".bin"], "application/octet-stream");
        assert_eq!(json["routes"], serde_json::json!([]));
    }

    #[test]
    fn aliases_become_301_routes_first() {
        let azure = AzureConfig {
            routes: vec![Route {
                route: "/private/*".into(),
                allowed_roles: Some(vec!["authenticated".into()]),
                ..Route::default()
            }],
            immutable: vec!["/assets/*.{css,js}".into()],
            ..AzureConfig::default()
        };
        let redirects = [
            Redirect {
                path: "old/intro/".into(),
                to: "/course/session_1/".into(),
            },
            Redirect {
                path: "legacy.html".into(),
                to: "/course/".into(),
            },
            Redirect {
                path: "a b*/".into(),
                to: "/course/x/".into(),
            },
        ];
        let json = parse(&render(&azure, &redirects, &Embeds::default()));
        let routes = json["routes"].as_array().unwrap();
        assert_eq!(
            routes[0],
            serde_json::json!({"route": "/old/intro/index.html", "redirect": "/course/session_1/", "statusCode": 301})
        );
        assert_eq!(routes[1]["route"], "/legacy.html");
        assert_eq!(routes[2]["route"], "/a%20b%2A/index.html");
        assert_eq!(routes[3]["headers"]["Cache-Control"], IMMUTABLE_CACHE);
        assert_eq!(
            routes[4],
            serde_json::json!({"route": "/private/*", "allowedRoles": ["authenticated"]})
        );
    }

    #[test]
    fn headers_override_remove_and_extend() {
        let azure = AzureConfig {
            headers: BTreeMap::from([
                ("referrer-policy".to_string(), "no-referrer".to_string()),
                ("Permissions-Policy".to_string(), String::new()),
                ("X-Robots-Tag".to_string(), "noindex".to_string()),
            ]),
            csp: BTreeMap::from([
                ("img-src".to_string(), vec!["https:".to_string()]),
                (
                    "frame-src".to_string(),
                    vec!["https://www.youtube-nocookie.com".to_string()],
                ),
                ("object-src".to_string(), vec!["'self'".to_string()]),
            ]),
            ..AzureConfig::default()
        };
        let headers = global_headers(&azure, &Embeds::default());
        assert_eq!(
            headers.get("referrer-policy").map(String::as_str),
            Some("no-referrer")
        );
        assert!(!headers.contains_key("Referrer-Policy"));
        assert!(!headers.contains_key("Permissions-Policy"));
        assert_eq!(headers["X-Robots-Tag"], "noindex");
        let csp = &headers["Content-Security-Policy"];
        assert!(csp.contains("img-src 'self' data: https:;"), "{csp}");
        assert!(csp.contains("object-src 'self';"), "{csp}");
        assert!(
            csp.ends_with("; frame-src https://www.youtube-nocookie.com"),
            "{csp}"
        );
    }

    #[test]
    fn mime_types_override_and_remove() {
        let azure = AzureConfig {
            mime_types: BTreeMap::from([
                (".py".to_string(), "text/x-python".to_string()),
                (".md".to_string(), String::new()),
                (".nc".to_string(), "application/x-netcdf".to_string()),
            ]),
            ..AzureConfig::default()
        };
        let types = mime_types(&azure);
        assert_eq!(types[".py"], "text/x-python");
        assert!(!types.contains_key(".md"));
        assert_eq!(types[".nc"], "application/x-netcdf");
    }

    #[test]
    fn large_files_are_written_compact() {
        let redirects: Vec<Redirect> = (0..400)
            .map(|i| Redirect {
                path: format!("old/page_{i}/"),
                to: format!("/session/page_{i}/"),
            })
            .collect();
        let text = render(&AzureConfig::default(), &redirects, &Embeds::default());
        assert!(
            !text.contains('\n'),
            "pretty output would not fit, so it is compact"
        );
        assert_eq!(parse(&text)["routes"].as_array().unwrap().len(), 400);
    }
}
