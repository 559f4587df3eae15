//! The quotas of one Azure Static Web Apps deployment, measured on the written
//! site: number of files and total size. Above the limit is an error (the
//! upload would be refused); above 80 % of it, a warning with the numbers.

use std::path::Path;

use super::checks::thousands;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::azure::AzureConfig;
use crate::model::config::FILE_NAME;

/// What was measured in the output folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Usage {
    pub files: u64,
    pub bytes: u64,
    /// The largest files (path relative to the output, bytes), largest first.
    pub largest: Vec<(String, u64)>,
}

/// How many of the largest files a size problem names.
const LARGEST: usize = 3;

/// Counts the files under `dir` (unreadable entries are skipped: the upload would skip them too).
pub fn measure(dir: &Path) -> Usage {
    let files = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let len = entry.metadata().map_or(0, |m| m.len());
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            (rel, len)
        });
    Usage::of(files)
}

impl Usage {
    /// The usage of a site of these files (path relative to the output, bytes).
    pub fn of<S: Into<String>>(files: impl IntoIterator<Item = (S, u64)>) -> Usage {
        let mut usage = Usage::default();
        for (path, len) in files {
            usage.files += 1;
            usage.bytes += len;
            let smallest = usage.largest.last().map(|(p, l)| (*l, p.clone()));
            if usage.largest.len() < LARGEST || smallest.is_some_and(|(l, _)| len >= l) {
                usage.largest.push((path.into(), len));
                usage
                    .largest
                    .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                usage.largest.truncate(LARGEST);
            }
        }
        usage
    }
}

/// The quota problems of a site of this size, if any.
pub fn check(azure: &AzureConfig, usage: &Usage) -> Vec<Diagnostic> {
    let plan = match (azure.max_files, azure.max_size_mb) {
        (None, None) => format!("on the {} plan", azure.plan.unwrap_or_default().name()),
        _ => "as set in `[azure]`".to_string(),
    };
    let mut out = Vec::new();
    let over = |message: String| {
        if azure.quotas_are_binding() {
            Diagnostic::error(Code::QuotaExceeded, FILE_NAME, message)
        } else {
            Diagnostic::warning(
                Code::QuotaExceeded,
                FILE_NAME,
                format!("{message} (set `[azure] plan` to make this an error)"),
            )
        }
    };
    let max_files = azure.max_files();
    let files_help = "leave generated or unused files out of `content/` and `static/`; if your plan allows more, set `[azure] max_files`";
    if usage.files > max_files {
        out.push(
            over(format!(
                "the site has {} files; an Azure Static Web Apps deployment {plan} holds at most {}",
                thousands(usage.files),
                thousands(max_files)
            ))
            .with_help(files_help),
        );
    } else if usage.files * 5 > max_files * 4 {
        out.push(
            Diagnostic::warning(
                Code::QuotaNear,
                FILE_NAME,
                format!(
                    "the site has {} files, {} % of the {} an Azure Static Web Apps deployment {plan} holds",
                    thousands(usage.files),
                    usage.files * 100 / max_files.max(1),
                    thousands(max_files)
                ),
            )
            .with_help(files_help),
        );
    }
    let max_bytes = azure.max_bytes();
    let largest: Vec<String> = usage
        .largest
        .iter()
        .map(|(p, n)| format!("`{p}` ({})", megabytes(*n)))
        .collect();
    let size_help = format!(
        "the largest files: {}; keep large data sets elsewhere (such as Azure Blob Storage) and link to them, or set `[azure] plan = \"standard\"` (500 MB)",
        largest.join(", ")
    );
    if usage.bytes > max_bytes {
        out.push(
            over(format!(
                "the site is {}; an Azure Static Web Apps deployment {plan} holds at most {}",
                megabytes(usage.bytes),
                megabytes(max_bytes)
            ))
            .with_help(size_help),
        );
    } else if usage.bytes * 5 > max_bytes * 4 {
        out.push(
            Diagnostic::warning(
                Code::QuotaNear,
                FILE_NAME,
                format!(
                    "the site is {}, {} % of the {} an Azure Static Web Apps deployment {plan} holds",
                    megabytes(usage.bytes),
                    usage.bytes * 100 / max_bytes.max(1),
                    megabytes(max_bytes)
                ),
            )
            .with_help(size_help),
        );
    }
    out
}

/// Bytes in the decimal units of Azure's quotas: `312.4 MB`, `250 MB`, `850 KB`.
pub fn megabytes(bytes: u64) -> String {
    if bytes >= 1_000_000 && bytes.is_multiple_of(1_000_000) {
        format!("{} MB", thousands(bytes / 1_000_000))
    } else if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else if bytes >= 1_000 {
        format!("{} KB", (bytes + 500) / 1_000)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::azure::Plan;

    fn usage(files: u64, bytes: u64) -> Usage {
        Usage {
            files,
            bytes,
            largest: vec![("data/big.parquet".into(), bytes / 2)],
        }
    }

    #[test]
    fn within_quota_is_silent() {
        assert!(check(&AzureConfig::default(), &usage(1_000, 10_000_000)).is_empty());
    }

    #[test]
    fn files_warn_at_80_percent_and_fail_above() {
        let d = check(&AzureConfig::default(), &usage(12_001, 1));
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(
            d[0].message,
            "the site has 12,001 files, 80 % of the 15,000 an Azure Static Web Apps deployment on the free plan holds"
        );
        // Over the quota: a warning until the course names its plan, then an error.
        let d = check(&AzureConfig::default(), &usage(15_001, 1));
        assert!(!d[0].is_error());
        assert_eq!(
            d[0].message,
            "the site has 15,001 files; an Azure Static Web Apps deployment on the free plan holds at most 15,000 (set `[azure] plan` to make this an error)"
        );
        let free = AzureConfig {
            plan: Some(Plan::Free),
            ..AzureConfig::default()
        };
        let d = check(&free, &usage(15_001, 1));
        assert!(d[0].is_error());
        assert_eq!(
            d[0].message,
            "the site has 15,001 files; an Azure Static Web Apps deployment on the free plan holds at most 15,000"
        );
    }

    #[test]
    fn size_depends_on_plan_and_overrides() {
        let big = usage(10, 300_000_000);
        let free = AzureConfig {
            plan: Some(Plan::Free),
            ..AzureConfig::default()
        };
        let d = check(&free, &big);
        assert!(d[0].is_error());
        assert_eq!(
            d[0].message,
            "the site is 300 MB; an Azure Static Web Apps deployment on the free plan holds at most 250 MB"
        );
        assert!(
            d[0].help
                .as_deref()
                .unwrap()
                .contains("`data/big.parquet` (150 MB)")
        );
        let standard = AzureConfig {
            plan: Some(Plan::Standard),
            ..AzureConfig::default()
        };
        assert!(check(&standard, &big).is_empty());
        let d = check(&standard, &usage(10, 450_500_000));
        assert_eq!(
            d[0].message,
            "the site is 450.5 MB, 90 % of the 500 MB an Azure Static Web Apps deployment on the standard plan holds"
        );
        let custom = AzureConfig {
            max_size_mb: Some(100),
            max_files: Some(5),
            ..AzureConfig::default()
        };
        let d = check(&custom, &usage(10, 150_000_000));
        assert_eq!(d.len(), 2);
        assert!(
            d.iter()
                .all(|d| d.is_error() && d.message.contains("as set in `[azure]`"))
        );
    }

    #[test]
    fn measure_counts_every_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/x.bin"), vec![0u8; 2000]).unwrap();
        std::fs::write(dir.path().join("index.html"), "hi").unwrap();
        std::fs::write(dir.path().join(".marker"), "").unwrap();
        let u = measure(dir.path());
        assert_eq!((u.files, u.bytes), (3, 2002));
        assert_eq!(u.largest[0], ("a/b/x.bin".to_string(), 2000));
    }

    #[test]
    fn the_readme_says_when_a_quota_is_an_error() {
        let readme = include_str!("../../../README.md");
        let start = readme
            .find("**Limits of the free plan**")
            .expect("the README describes the quotas");
        let paragraph = &readme[start
            ..readme[start..]
                .find("\n\n")
                .map_or(readme.len(), |e| start + e)];
        let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        // Over the quota without `[azure] plan` is a warning (tested above), not an error.
        assert!(!AzureConfig::default().quotas_are_binding());
        assert!(
            paragraph.contains("an error when `[azure]` names the plan or a limit, else a warning"),
            "{paragraph}"
        );
    }

    #[test]
    fn sizes_in_decimal_units() {
        assert_eq!(megabytes(250_000_000), "250 MB");
        assert_eq!(megabytes(312_449_000), "312.4 MB");
        assert_eq!(megabytes(850_000), "850 KB");
        assert_eq!(megabytes(64_240), "64 KB");
        assert_eq!(megabytes(12), "12 bytes");
    }
}
