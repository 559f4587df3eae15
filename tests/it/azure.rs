//! Azure Static Web Apps: `staticwebapp.config.json` against the official
//! schema, the checks the schema does not make, quotas, the workflows (zizmor
//! and their inputs, in `workflows`), and the built demo course served by
//! Azure's emulator (in `emulator`).

mod csp;
mod emulator;
mod workflows;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{self, Site};
use emulator::swa_package;

const CONFIG: &str = "public/staticwebapp.config.json";

fn config_of(site: &Site) -> Value {
    serde_json::from_str(&site.read(CONFIG)).expect("staticwebapp.config.json is JSON")
}

/// The SchemaStore schema beside the repository and the copy the emulator's npm
/// package ships; each one missing is said where the user sees it (a failure in CI).
fn schemas() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(shared) = support::shared() {
        out.push(shared.join("azure/staticwebapp.config.schema.json"));
    }
    let npm = swa_package().join("schema/staticwebapp.config.json");
    if npm.is_file() {
        out.push(npm);
    } else {
        support::skip(
            "the schema of the Azure Static Web Apps CLI",
            &format!(
                "npm install --prefix {} --no-save --ignore-scripts @azure/static-web-apps-cli@2",
                emulator::swa_dir().display()
            ),
        );
    }
    out
}

/// Validates a JSON file against every schema at hand with Python's `jsonschema`
/// (draft 04): each schema with the errors it found, as `[path] message` lines.
/// Empty when there is nothing to validate with, which was said (or failed, in CI).
fn validate(file: &Path) -> Vec<(PathBuf, Vec<String>)> {
    const SCRIPT: &str = "import json, sys\nfrom jsonschema import Draft4Validator\n\
        schema = json.load(open(sys.argv[1]))\ndoc = json.load(open(sys.argv[2]))\n\
        for e in sorted(Draft4Validator(schema).iter_errors(doc), key=str):\n    print(list(e.absolute_path), e.message)\n";
    if !support::have("python3", &["-c", "import jsonschema"]) {
        support::skip(
            "python3 with the jsonschema package",
            "pip install jsonschema",
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for schema in schemas() {
        let run = Command::new("python3")
            .args(["-c", SCRIPT])
            .arg(&schema)
            .arg(file)
            .output()
            .expect("run python3");
        assert!(
            run.status.success(),
            "validator failed on {}: {}",
            schema.display(),
            String::from_utf8_lossy(&run.stderr)
        );
        let errors = String::from_utf8_lossy(&run.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        out.push((schema, errors));
    }
    out
}

fn assert_valid(site: &Site) {
    for (schema, errors) in validate(&site.path().join(CONFIG)) {
        assert!(
            errors.is_empty(),
            "{} against {}:\n{}",
            CONFIG,
            schema.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn demo_config_validates_against_the_schema() {
    let site = Site::demo();
    site.build_ok();
    let json = config_of(&site);
    assert_eq!(json["responseOverrides"]["404"]["rewrite"], "/404.html");
    assert!(
        json.get("navigationFallback").is_none(),
        "a static site must not answer 200 for missing pages"
    );
    assert_eq!(json["trailingSlash"], "auto");
    assert_valid(&site);
    let size = site.read(CONFIG).len();
    eprintln!("demo staticwebapp.config.json: {size} bytes");
}

#[test]
fn the_validator_rejects_an_invalid_config() {
    // Guards against a validator that passes everything: each schema must find
    // exactly the two mistakes, at their places.
    let site = Site::new();
    site.file(
        CONFIG,
        r#"{"trailingSlash": "sometimes", "routes": [{"route": "/a", "allowedroles": ["x"]}]}"#,
    );
    for (schema, errors) in validate(&site.path().join(CONFIG)) {
        let mut places: Vec<&str> = errors
            .iter()
            .map(|e| &e[..e.find(']').map_or(0, |i| i + 1)])
            .collect();
        places.sort_unstable();
        assert_eq!(
            places,
            ["['routes', 0]", "['trailingSlash']"],
            "{}: {errors:?}",
            schema.display()
        );
    }
}

fn routes_site() -> Site {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        r#"title = "Routes"
base_url = "https://example.org/course/"

[azure]
plan = "standard"
immutable = ["/assets/*.{css,js}"]

[azure.headers]
Referrer-Policy = "no-referrer"
X-Robots-Tag = "noindex"
Permissions-Policy = ""

[azure.csp]
img-src = ["https:"]
frame-src = ["https://www.youtube-nocookie.com"]

[azure.mime_types]
".nc" = "application/x-netcdf"

[[azure.routes]]
route = "/private/*"
allowedRoles = ["authenticated", "teaching_team"]

[[azure.routes]]
route = "/old-syllabus.pdf"
redirect = "https://example.org/archive/syllabus.pdf"
statusCode = 302
"#,
    );
    site.file("content/index.md", "# Home\n")
        .file(
            "content/session_1/index.md",
            "+++\naliases = [\"/course/week1/\", \"/intro.html\"]\n+++\n# Session 1\n",
        )
        .file(
            "content/private/answers.md",
            "+++\naliases = [\"/answers/\"]\n+++\n# Answers\n",
        );
    site
}

#[test]
fn aliases_and_custom_routes_are_mapped_and_valid() {
    let site = routes_site();
    site.build_ok();
    let json = config_of(&site);
    let routes = json["routes"].as_array().expect("routes");
    let expected = serde_json::json!([
        {"route": "/week1/index.html", "redirect": "/course/session_1/", "statusCode": 301},
        {"route": "/intro.html", "redirect": "/course/session_1/", "statusCode": 301},
        {"route": "/answers/index.html", "redirect": "/course/private/answers/", "statusCode": 301},
        {"route": "/assets/*.{css,js}", "headers": {"Cache-Control": "public, max-age=31536000, immutable"}},
        {"route": "/private/*", "allowedRoles": ["authenticated", "teaching_team"]},
        {"route": "/old-syllabus.pdf", "redirect": "https://example.org/archive/syllabus.pdf", "statusCode": 302},
    ]);
    let mut sorted_aliases: Vec<&Value> = routes[..3].iter().collect();
    sorted_aliases.sort_by_key(|r| r["route"].as_str().unwrap_or("").to_string());
    let mut expected_aliases: Vec<&Value> = expected.as_array().unwrap()[..3].iter().collect();
    expected_aliases.sort_by_key(|r| r["route"].as_str().unwrap_or("").to_string());
    assert_eq!(
        sorted_aliases, expected_aliases,
        "alias redirects come first"
    );
    assert_eq!(
        &routes[3..],
        &expected.as_array().unwrap()[3..],
        "then cache rules, then the user's routes in order"
    );
    let headers = &json["globalHeaders"];
    assert_eq!(headers["Referrer-Policy"], "no-referrer");
    assert_eq!(headers["X-Robots-Tag"], "noindex");
    assert!(
        headers.get("Permissions-Policy").is_none(),
        "an empty value removes a default header"
    );
    let csp = headers["Content-Security-Policy"].as_str().unwrap();
    assert!(csp.contains("img-src 'self' data: https:;"), "{csp}");
    assert!(
        csp.ends_with("frame-src https://www.youtube-nocookie.com"),
        "{csp}"
    );
    assert_eq!(json["mimeTypes"][".nc"], "application/x-netcdf");
    assert_eq!(json["mimeTypes"][".ipynb"], "application/x-ipynb+json");
    assert_valid(&site);
}

/// A site whose `[azure]` table is `azure`; returns everything `build` printed (it must fail).
fn failing_build(azure: &str) -> String {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        &format!("title = \"T\"\n\n[azure]\n{azure}\n"),
    )
    .file("content/index.md", "# Home\n");
    let out = site.build().fails();
    assert!(
        !site.exists("public/index.html"),
        "a failed build writes no site"
    );
    let check = site.run(&["check"]).fails();
    assert!(
        check.contains("--> syllabus.toml"),
        "check reports it too:\n{check}"
    );
    out
}

#[test]
fn each_extra_rule_fails_with_its_message() {
    let cases = [
        "[[azure.routes]]\nroute = \"/private/*/notes\"\nallowedRoles = [\"authenticated\"]",
        "[[azure.routes]]\nroute = \"/a/*\"\n[[azure.routes]]\nroute = \"/b\"\nrewrite = \"/c.html\"\nredirect = \"/d/\"",
        "[[azure.routes]]\nroute = \"/staff/*\"\nallowedRoles = [\"teaching-team\"]",
        "[[azure.routes]]\nroute = \"/staff/*\"\nallowedRoles = [\"a_role_name_longer_than_25\"]",
        "[[azure.routes]]\nroute = \"staff\"\n",
        "[[azure.routes]]\nroute = \"/old\"\nredirect = \"/new/\"\nstatusCode = 308",
        "[[azure.routes]]\nroute = \"/x\"\nmethods = [\"get\"]",
        "immutable = [\"/assets/*/app.js\"]",
        "[azure.headers]\n\"Bad Header\" = \"x\"",
        "[azure.mime_types]\nipynb = \"application/x-ipynb+json\"",
        "[azure.csp]\nimg-src = [\"https: data:\"]",
    ];
    let mut transcript = String::new();
    for azure in cases {
        transcript.push_str(&format!(
            "## [azure]\n{azure}\n\n{}\n",
            failing_build(azure)
        ));
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn config_over_20_kb_is_an_error() {
    let site = Site::new();
    let aliases: Vec<String> = (0..400)
        .map(|i| format!("\"/archive/2019/lectures/week_{i:03}/\""))
        .collect();
    site.file(
        "content/index.md",
        &format!("+++\naliases = [{}]\n+++\n# Home\n", aliases.join(", ")),
    );
    let out = site.build().fails();
    assert!(
        out.contains("error[E086]: `staticwebapp.config.json` would be"),
        "{out}"
    );
    assert!(
        out.contains("bytes; Azure Static Web Apps accepts at most 20,000 (20 KB)"),
        "{out}"
    );
    assert!(out.contains("it holds 400 alias redirect(s)"), "{out}");
    // Fewer aliases fit: written compact when indenting would not fit, with a warning near the cap.
    let aliases: Vec<String> = (0..180)
        .map(|i| format!("\"/archive/2019/lectures/week_{i:03}/\""))
        .collect();
    site.file(
        "content/index.md",
        &format!("+++\naliases = [{}]\n+++\n# Home\n", aliases.join(", ")),
    );
    let run = site.build_ok();
    let text = site.read(CONFIG);
    assert!(
        text.len() <= 20_000 && !text.contains('\n'),
        "{} bytes",
        text.len()
    );
    assert!(
        run.stderr
            .contains("warning[W080]: `staticwebapp.config.json` is"),
        "{}",
        run.stderr
    );
    assert_valid(&site);
}

#[test]
fn unknown_azure_keys_are_named() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"T\"\n[azure]\npln = \"free\"\n")
        .file("content/index.md", "# Home\n");
    let out = site.build().fails();
    assert!(out.contains("unknown key `pln` in `[azure]`"), "{out}");
    assert!(out.contains("did you mean `plan`?"), "{out}");
    site.file(
        "syllabus.toml",
        "title = \"T\"\n[azure]\nplan = \"premium\"\n",
    );
    assert!(site.build().fails().contains("unknown variant `premium`"));
    site.file(
        "syllabus.toml",
        "title = \"T\"\n[[azure.routes]]\nroute = \"/a\"\nallowedroles = [\"x\"]\n",
    );
    let run = site.build();
    run.fails();
    insta::assert_snapshot!(site.transcript(&run));
}

#[test]
fn quotas_warn_at_80_percent_and_fail_above() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/data/big.bin", &"x".repeat(850_000));
    site.file("syllabus.toml", "title = \"T\"\n[azure]\nmax_size_mb = 1\n");
    let run = site.build_ok();
    // 850 KB of data plus the pages and the theme's files: a little over 900 KB.
    let err = &run.stderr;
    assert!(err.contains("warning[W082]: the site is 9"), "{err}");
    assert!(err.contains(" KB, 9"), "{err}");
    assert!(
        err.contains("% of the 1 MB an Azure Static Web Apps deployment as set in `[azure]` holds"),
        "{err}"
    );
    assert!(
        err.contains("the largest files: `data/big.bin` (850 KB), "),
        "{err}"
    );
    let before = site.read("public/index.html");
    site.file("content/data/big.bin", &"x".repeat(1_200_000));
    let out = site.build().fails();
    assert!(out.contains("error[W081]: the site is 1."), "{out}");
    assert!(
        out.contains(
            "MB; an Azure Static Web Apps deployment as set in `[azure]` holds at most 1 MB"
        ),
        "{out}"
    );
    assert_eq!(
        site.read("public/index.html"),
        before,
        "the previous site is kept"
    );
    let kept = std::fs::metadata(site.path().join("public/data/big.bin")).unwrap();
    assert_eq!(kept.len(), 850_000);
    site.file("syllabus.toml", "title = \"T\"\n[azure]\nmax_files = 5\n");
    let out = site.build().fails();
    assert!(
        out.contains(
            "files; an Azure Static Web Apps deployment as set in `[azure]` holds at most 5"
        ),
        "{out}"
    );
}

#[test]
fn the_demo_satisfies_the_csp() {
    // The policy allows no inline script or style: the built demo (tables with
    // alignment, math, code, raw HTML) must have none.
    let site = Site::demo();
    site.build_ok();
    let csp = config_of(&site)["globalHeaders"]["Content-Security-Policy"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self';") && csp.contains("style-src 'self';"),
        "{csp}"
    );
    assert!(!csp.contains("'unsafe-"), "{csp}");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .flatten()
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let rel = entry.path().display().to_string();
        for tag in html.split("<script").skip(1) {
            let open = &tag[..tag.find('>').unwrap_or(0)];
            assert!(
                open.contains(" src="),
                "inline script in {rel}: <script{open}>"
            );
        }
        assert!(!html.contains("<style"), "inline style element in {rel}");
        if let Some(i) = html.find(" style=\"") {
            panic!(
                "inline style attribute in {rel}: …{}…",
                &html[i..(i + 60).min(html.len())]
            );
        }
        for attr in [" onclick=", " onload=", " onerror=", "javascript:"] {
            assert!(!html.contains(attr), "`{attr}` in {rel}");
        }
    }
    assert!(pages >= 30, "{pages} pages");
}
