//! `[azure]` in `syllabus.toml`: what goes into `staticwebapp.config.json`
//! and which Static Web Apps plan the site's size is checked against.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `[azure]` table, every key optional.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct AzureConfig {
    /// The Static Web Apps plan whose quotas the built site must fit. Unset, the
    /// free plan's quotas are checked, but going over them is only a warning
    /// (the course may not be published on Azure at all).
    pub plan: Option<Plan>,
    /// Overrides the plan's limit on files per deployment.
    pub max_files: Option<u64>,
    /// Overrides the plan's limit on the size of a deployment, in MB (1 MB = 1,000,000 bytes).
    pub max_size_mb: Option<u64>,
    pub trailing_slash: TrailingSlash,
    /// Response headers merged over the defaults; an empty value removes a default header.
    pub headers: BTreeMap<String, String>,
    /// Sources added to directives of the Content-Security-Policy (`img-src = ["https:"]`).
    pub csp: BTreeMap<String, Vec<String>>,
    /// Adds to the policy the origins of the images, media and frames the pages
    /// embed, and `style-src-attr 'unsafe-inline'` when a page has `style`
    /// attributes. Off, `check` warns for each page the policy would break.
    pub csp_from_pages: bool,
    /// File extension (`.ext`) → MIME type, merged over the defaults; an empty value removes one.
    pub mime_types: BTreeMap<String, String>,
    /// Route rules published after the alias redirects, in order (Azure's own keys).
    pub routes: Vec<Route>,
    /// Route patterns of content-hashed files, served with a one-year immutable `cache-control`.
    pub immutable: Vec<String>,
}

impl Default for AzureConfig {
    fn default() -> AzureConfig {
        AzureConfig {
            plan: None,
            max_files: None,
            max_size_mb: None,
            trailing_slash: TrailingSlash::default(),
            headers: BTreeMap::new(),
            csp: BTreeMap::new(),
            csp_from_pages: true,
            mime_types: BTreeMap::new(),
            routes: Vec::new(),
            immutable: Vec::new(),
        }
    }
}

/// A Static Web Apps hosting plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    #[default]
    Free,
    Standard,
}

impl Plan {
    pub fn name(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Standard => "standard",
        }
    }
}

/// `trailingSlash` of `staticwebapp.config.json`; `auto` suits folder-style pretty URLs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrailingSlash {
    #[default]
    Auto,
    Always,
    Never,
}

/// One route rule, written with the keys Azure documents (`allowedRoles`, `statusCode`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub route: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<String>>,
    #[serde(
        default,
        alias = "allowed_roles",
        skip_serializing_if = "Option::is_none"
    )]
    pub allowed_roles: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
    #[serde(
        default,
        alias = "status_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
}

/// Files per deployment on both plans.
pub const MAX_FILES: u64 = 15_000;

impl AzureConfig {
    /// The most files one deployment may hold.
    pub fn max_files(&self) -> u64 {
        self.max_files.unwrap_or(MAX_FILES)
    }

    /// Whether the course says how it is published on Azure (then quotas are errors).
    pub fn quotas_are_binding(&self) -> bool {
        self.plan.is_some() || self.max_files.is_some() || self.max_size_mb.is_some()
    }

    /// The most bytes one deployment may hold.
    pub fn max_bytes(&self) -> u64 {
        let mb = self
            .max_size_mb
            .unwrap_or(match self.plan.unwrap_or_default() {
                Plan::Free => 250,
                Plan::Standard => 500,
            });
        mb.saturating_mul(1_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_azure_keys_and_serialises_back() {
        let text = r#"
            title = "T"
            [azure]
            plan = "standard"
            max_files = 20000
            [azure.headers]
            X-Robots-Tag = "noindex"
            [[azure.routes]]
            route = "/private/*"
            allowedRoles = ["authenticated"]
            [[azure.routes]]
            route = "/old"
            redirect = "/new/"
            status_code = 301
        "#;
        let config = crate::model::config::Config::parse(text).unwrap();
        let azure = &config.azure;
        assert_eq!(azure.plan, Some(Plan::Standard));
        assert_eq!(azure.max_files(), 20_000);
        assert_eq!(azure.max_bytes(), 500_000_000);
        assert_eq!(
            azure.routes[0].allowed_roles.as_deref(),
            Some(&["authenticated".to_string()][..])
        );
        assert_eq!(azure.routes[1].status_code, Some(301));
        // The whole config is hashed as TOML by `serve` to notice changes.
        let back = toml::to_string(&config).unwrap();
        assert_eq!(
            crate::model::config::Config::parse(&back).unwrap().azure,
            config.azure
        );
    }
}
