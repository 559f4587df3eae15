//! A differential test against `jupyter nbconvert --to html` (PyPI `nbconvert`,
//! installed by `.ci/run`, offline): on the same notebooks, the same cells, the
//! same output chosen for each result, the same text once normalised;
//! the differences syllabus makes on purpose are listed in
//! `tests/support/nb_known_differences.txt` (see `tests/support/nb_diff.py`).

use std::process::Command;

use super::fixtures::choices;
use crate::support::{have, repo, skip};

#[test]
fn same_cells_outputs_and_text_as_nbconvert() {
    if !have("python3", &["-c", "import nbconvert"]) {
        skip("the Python package nbconvert", "pip install nbconvert");
        return;
    }
    let site = super::course("title = \"NB\"\n");
    site.file("content/choices.ipynb", &choices());
    site.build_ok();
    let pages: Vec<serde_json::Value> = ["every", "choices"]
        .iter()
        .map(|name| {
            serde_json::json!({
                "file": format!("{name}.ipynb"),
                "notebook": site.path().join(format!("content/{name}.ipynb")),
                "html": super::prose(&site, &format!("public/{name}/index.html")),
            })
        })
        .collect();
    let input = site.path().join("nb-diff.json");
    std::fs::write(&input, serde_json::to_vec(&pages).expect("json")).expect("write");
    let out = Command::new("python3")
        .arg(repo().join("tests/support/nb_diff.py"))
        .arg(&input)
        .arg(repo().join("tests/support/nb_known_differences.txt"))
        .output()
        .expect("python3");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}", report.lines().last().unwrap_or(""));
    assert!(out.status.success(), "{report}");
}
