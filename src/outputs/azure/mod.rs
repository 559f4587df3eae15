//! Azure Static Web Apps: `staticwebapp.config.json` from `[azure]` and the
//! alias redirects, the checks its schema does not make, the quotas of a
//! deployment, and the GitHub Actions workflow `syllabus init` writes.
//!
//! In: [`Config`] and the redirects from `site_files::aliases`; out: the
//! file's text and [`Diagnostic`]s. Only [`check_quota`] reads the disk.

pub mod checks;
pub mod config_file;
pub mod quota;

use std::path::Path;

pub use config_file::FILE_NAME as CONFIG_FILE;

use crate::diagnostics::Diagnostic;
use crate::model::Redirect;
use crate::model::azure::AzureConfig;
use crate::model::config::Config;

/// The text of `staticwebapp.config.json` for this site.
pub fn config_json(config: &Config, redirects: &[Redirect]) -> String {
    config_file::render(&config.azure, redirects)
}

/// Problems with `[azure]` and with the file it makes (run by `build` and `check`).
pub fn check(config: &Config, redirects: &[Redirect]) -> Vec<Diagnostic> {
    let mut out = checks::settings(&config.azure);
    let bytes = config_json(config, redirects).len();
    out.extend(checks::size(bytes, redirects.len(), &config.azure));
    out
}

/// Quota problems of the site written in `dir` (files and bytes of one deployment).
pub fn check_quota(azure: &AzureConfig, dir: &Path) -> Vec<Diagnostic> {
    quota::check(azure, &quota::measure(dir))
}
