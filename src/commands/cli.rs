//! The command line: clap definitions and the dispatch to the library.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostics::{self, Format};
use crate::pipeline::{self, BuildOptions, Mode};

/// A static-site generator for course material.
// `--version` names the Git commit of the build too (see `build.rs`), so a
// bug report or a CI log says exactly which syllabus ran.
#[derive(Debug, Parser)]
#[command(
    name = "syllabus",
    version = env!("SYLLABUS_VERSION_LINE"),
    about,
    propagate_version = true
)]
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
    /// Serve the site on this machine; with --watch, rebuild on changes and reload open pages.
    Serve(ServeArgs),
    /// Create a new course: config, a sample session, the default theme and the Azure Static Web Apps workflow.
    Init(crate::commands::init::InitArgs),
    /// Turn another tool's configuration into syllabus.toml.
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Read mkdocs.yml (site name, docs_dir, nav, repository, Markdown extensions) and write syllabus.toml.
    Mkdocs {
        /// The folder holding mkdocs.yml, or the file itself.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Replace an existing syllabus.toml; with --rewrite, also rewrite files with uncommitted changes.
        #[arg(long)]
        force: bool,
        /// Also rewrite admonitions, collapsible blocks, content tabs and `markdown` attributes in the pages into Markdown GitHub renders too.
        #[arg(long)]
        rewrite: bool,
        /// With --rewrite: say what would change, and write nothing.
        #[arg(long, requires = "rewrite")]
        dry_run: bool,
    },
    /// Read a Carpentries lesson (Workbench config.yaml, or the older Jekyll format) and write syllabus.toml.
    Carpentries {
        /// The lesson's folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Replace an existing syllabus.toml; convert Jekyll pages with uncommitted changes.
        #[arg(long)]
        force: bool,
    },
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

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Where to write the site (default: `output_dir` from syllabus.toml, `public`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Rebuild what changed when a file changes, and reload open pages.
    #[arg(long, short)]
    pub watch: bool,
    /// The port (default 1111, or the next free one when it is busy; 0: any free port).
    #[arg(long, short)]
    pub port: Option<u16>,
    /// The address to listen on; anything but loopback exposes the site to your network.
    #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

fn parse_bind(text: &str) -> Result<std::net::IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(std::net::Ipv4Addr::LOCALHOST.into());
    }
    text.parse()
        .map_err(|_| format!("`{text}` is not an IP address (such as 127.0.0.1 or ::1)"))
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
        validate_only: false,
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
            let mut report = pipeline::run(&options, Mode::Build)?;
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
        Command::Serve(args) => {
            let options = crate::commands::serve::ServeOptions {
                build: options(&args.common, args.output.clone(), false),
                watch: args.watch,
                port: args.port,
                bind: args.bind,
                open: args.open,
            };
            crate::commands::serve::run(&options).map(|()| Outcome::Success)
        }
        Command::Import(ImportCommand::Mkdocs {
            path,
            force,
            rewrite: true,
            dry_run,
        }) => {
            let (root, imported) = crate::commands::import::read(&path)?;
            // Pages first: a refusal (uncommitted files) leaves everything as it was.
            let options = crate::commands::rewrite::RewriteOptions { force, dry_run };
            let files =
                crate::commands::rewrite::rewrite_pages(&root, &imported.content_dir, options)?;
            let config = root.join(crate::model::config::FILE_NAME);
            if dry_run {
                println!("Would write {} (unless it exists)", config.display());
            } else if config.exists() && !force {
                println!("Kept {}", config.display());
            } else {
                crate::commands::import::mkdocs(&path, force)?;
                println!("Wrote {}", config.display());
            }
            print!("{}", crate::commands::rewrite::summary(&files, dry_run));
            Ok(Outcome::Success)
        }
        Command::Import(ImportCommand::Mkdocs { path, force, .. }) => {
            let (written, imported) = crate::commands::import::mkdocs(&path, force)?;
            print!(
                "{}",
                crate::commands::import::summary(&written, &imported.gitignore, &imported.unmapped)
            );
            println!(
                "Next: `syllabus check` lists the links and anchors to fix; `syllabus build` builds the site."
            );
            if imported.rewritable {
                println!(
                    "Admonitions, tabs and `markdown` attributes render as they are; `syllabus import mkdocs --rewrite` turns them into Markdown GitHub renders too."
                );
            }
            Ok(Outcome::Success)
        }
        Command::Import(ImportCommand::Carpentries { path, force }) => {
            let options = crate::commands::carpentries::ImportOptions { force };
            match crate::commands::carpentries::import(&path, options)? {
                Ok(imported) => {
                    print!("{}", crate::commands::carpentries::summary(&imported));
                    Ok(Outcome::Success)
                }
                Err(mut problems) => {
                    diagnostics::sort(&mut problems);
                    diagnostics::report(
                        &problems,
                        Format::Human,
                        github_actions(),
                        &mut std::io::stderr(),
                    )?;
                    eprintln!("error: nothing was written");
                    Ok(Outcome::ContentErrors)
                }
            }
        }
        Command::Check(args) => {
            let options = options(&args.common, None, true);
            let mut report = pipeline::run(&options, Mode::Check)?;
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
        Command::Init(args) => crate::commands::init::run(&args).map(|()| Outcome::Success),
    }
}
