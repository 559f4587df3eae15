//! The command line: clap definitions and the dispatch to the library.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Mode};
use crate::diagnostics::{self, Format};

/// A static-site generator for course material.
#[derive(Debug, Parser)]
#[command(name = "syllabus", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
    /// Validate everything `build` does (config, front matter, templates, links) and write nothing.
    Check(CheckArgs),
    /// Create a new course: config, a sample session, the default theme and the Azure Static Web Apps workflow.
    Init(crate::init::InitArgs),
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// The course folder (holding syllabus.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Override `base_url` from syllabus.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Sanitise raw HTML and script URLs in pages, whatever syllabus.toml says (for untrusted pull requests).
    #[arg(long)]
    pub safe: bool,
    /// Neither read nor write the cache of highlighted code (`.syllabus-cache/`).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Where to write the site (default: `output_dir` from syllabus.toml, `public`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Print only problems, not the summary.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// How to print problems.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
}

/// How a command ended when it ran to completion.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The user's content or templates have errors (exit code 1).
    ContentErrors,
}

fn options(common: &CommonArgs, output: Option<PathBuf>, quiet: bool) -> BuildOptions {
    BuildOptions {
        root: common.root.clone(),
        output,
        base_url: common.base_url.clone(),
        drafts: common.drafts,
        quiet,
        safe: common.safe,
        no_cache: common.no_cache,
    }
}

fn github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Build(args) => {
            let options = options(&args.common, args.output.clone(), args.quiet);
            let mut report = build::run(&options, Mode::Build)?;
            diagnostics::sort(&mut report.diagnostics);
            diagnostics::report(
                &report.diagnostics,
                Format::Human,
                github_actions(),
                &mut std::io::stderr(),
            )?;
            if report.has_errors() {
                let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "error: build failed with {errors} error(s); the previous site, if any, is unchanged"
                );
                return Ok(Outcome::ContentErrors);
            }
            if let (Some(s), false) = (&report.summary, args.quiet) {
                let warnings = report.diagnostics.len();
                let warn = if warnings > 0 {
                    format!(", {warnings} warning(s)")
                } else {
                    String::new()
                };
                println!(
                    "Built {} pages and {} assets in {} ms into {}{warn}",
                    s.pages,
                    s.assets,
                    s.elapsed.as_millis(),
                    s.output.display()
                );
            }
            Ok(Outcome::Success)
        }
        Command::Check(args) => {
            let options = options(&args.common, None, true);
            let mut report = build::run(&options, Mode::Check)?;
            diagnostics::sort(&mut report.diagnostics);
            let format = match args.format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
            };
            let mut out = std::io::stdout();
            diagnostics::report(&report.diagnostics, format, github_actions(), &mut out)?;
            let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
            if format == Format::Human {
                let warnings = report.diagnostics.len() - errors;
                writeln!(out, "check: {errors} error(s), {warnings} warning(s)")?;
            }
            Ok(if errors > 0 {
                Outcome::ContentErrors
            } else {
                Outcome::Success
            })
        }
        Command::Init(args) => crate::init::run(&args).map(|()| Outcome::Success),
    }
}
