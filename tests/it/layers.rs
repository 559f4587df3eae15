//! The module layers of `src/`: each top-level module imports only from the
//! modules before it in [`LAYERS`], so the build reads as a one-way pipeline
//! (ARCHITECTURE.md says what each layer holds).

use std::path::Path;

use crate::support::repo;

/// Bottom to top. A module may import from any module before it, never after.
const LAYERS: &[&str] = &[
    "diagnostics",
    "util",
    "model",
    "load",
    "links",
    "markdown",
    "theme",
    "outputs",
    "pipeline",
    "commands",
];

/// The crate modules a source text names as `crate::x`, including grouped `crate::{x, y}`.
fn crate_modules(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = item.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    out.push(name.to_string());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_a_higher_layer() {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("a component");
        let top = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(layer) = LAYERS.iter().position(|l| *l == top) else {
            problems.push(format!(
                "{}: module `{top}` is in no layer of LAYERS",
                rel.display()
            ));
            continue;
        };
        checked += 1;
        let text = std::fs::read_to_string(file).expect("read source");
        for name in crate_modules(&text) {
            match LAYERS.iter().position(|l| *l == name) {
                Some(used) if used > layer => problems.push(format!(
                    "{}: `{top}` (layer {layer}) imports `crate::{name}` (layer {used})",
                    rel.display()
                )),
                Some(_) => {}
                None => problems.push(format!(
                    "{}: `crate::{name}` is no module of LAYERS",
                    rel.display()
                )),
            }
        }
    }
    assert!(checked > 40, "only {checked} source files found under src/");
    assert!(
        problems.is_empty(),
        "layer violations:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_plain_and_grouped_imports() {
    let text = "use crate::theme::Theme;\nuse crate::{pipeline::Site, model};\nlet x = crate::util::html::escape(y);";
    assert_eq!(crate_modules(text), ["theme", "pipeline", "model", "util"]);
}

#[test]
fn every_top_level_module_is_declared_in_layer_order() {
    let lib = std::fs::read_to_string(repo().join("src/lib.rs")).expect("lib.rs");
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert_eq!(
        declared, LAYERS,
        "src/lib.rs declares its modules in layer order"
    );
}
