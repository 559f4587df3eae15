//! A notebook of 50 MB (mostly images, as plotting notebooks are) builds
//! within the hostile tests' time limit, in bounded memory read from /proc.

use serde_json::json;

use super::fixtures::{code, display, md, notebook, stream};
use crate::support::Site;

/// About `bytes` of notebook, mostly images (as plotting notebooks are), with
/// a stream of 200,000 lines and 6,000 small cells.
fn big_notebook(bytes: usize) -> String {
    let mut cells = vec![md("# Big\n\n## Start\n")];
    let long: String = (0..200_000).map(|i| format!("line {i}\n")).collect();
    cells.push(code(Some(1), "run()", vec![stream("stdout", &long)]));
    for i in 0..3_000 {
        cells.push(md(&format!(
            "### Part {i}\n\nSee [the start](#start) and [home](index.md), $x_{i}$.\n"
        )));
        cells.push(code(
            Some(i + 2),
            "print(i)",
            vec![stream("stdout", &format!("{i}\n"))],
        ));
    }
    // One mebibyte of image data per output: a PNG signature, then bytes that do not compress.
    let mut state = 0x2545_f491_u32;
    let mut image = b"\x89PNG\r\n\x1a\n".to_vec();
    image.extend((0..1 << 20).map(|_| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as u8
    }));
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&image);
    let mut size = 0;
    let mut n = 0;
    while size < bytes.saturating_sub(long.len() + 1_500_000) {
        n += 1;
        cells.push(code(
            Some(10_000 + n),
            "plot()",
            vec![display(
                json!({"image/png": encoded, "text/plain": ["<Figure>"]}),
            )],
        ));
        size += encoded.len();
    }
    notebook(cells)
}

#[test]
fn notebook_of_50_megabytes() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n");
    let text = big_notebook(50 * 1024 * 1024);
    assert!(text.len() >= 50 * 1024 * 1024, "{} bytes", text.len());
    site.file("content/big.ipynb", &text);
    drop(text);
    let t = crate::hostile::run_bounded(&site, &["build", "--quiet"], "50 MB notebook");
    assert_eq!(t.run.code, Some(0), "{}", t.run.all());
    let html = site.read("public/big/index.html");
    assert!(
        html.contains("<h3 id=\"part-2999\">"),
        "every cell is on the page"
    );
    assert!(
        html.contains("195,000 more lines of this output are in the notebook file"),
        "the long stream is cut"
    );
    assert!(
        html.len() < 20 * 1024 * 1024,
        "page of {} bytes",
        html.len()
    );
    let images = std::fs::read_dir(site.path().join("public/big"))
        .expect("page folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "png"))
        })
        .count();
    assert!(images >= 30, "{images} images written");
    assert!(t.peak_mib < 1024, "{} MiB", t.peak_mib);
}
