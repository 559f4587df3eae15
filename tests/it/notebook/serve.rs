//! `serve --watch` with a notebook: its images are served and follow its
//! edits, and what is served is what is written.

use super::fixtures::{PNG, every_output, md, notebook};
use super::{HOME, course, decode};

#[test]
fn serve_shows_a_notebook_and_its_images_after_each_edit() {
    use crate::serve::{Server, assert_disk_matches};
    let site = course("title = \"NB\"\n");
    let server = Server::start(&site);
    server.wait_for_text("/every/", "hello from stdout");
    let image = server.get("/every/output-5-1.png");
    assert_eq!((image.status, image.body), (200, decode(PNG)));
    assert_eq!(
        server.get("/every.ipynb").header("content-type"),
        Some("application/x-ipynb+json")
    );
    // Another page changes: the notebook's page is kept, and so are its images.
    site.file(
        "content/index.md",
        &HOME.replace("worked example", "example"),
    );
    server.wait_for_text("/", ">example</a>");
    assert_eq!(server.get("/every/output-5-1.png").status, 200);
    assert_disk_matches(&server, &site);
    // The notebook changes: its page again, then without the image output.
    site.file(
        "content/every.ipynb",
        &every_output().replace("hello from stdout", "edited output"),
    );
    server.wait_for_text("/every/", "edited output");
    assert_eq!(server.get("/every/output-5-1.png").status, 200);
    site.file(
        "content/every.ipynb",
        &notebook(vec![md("# Every output\n\n## Results\n\n## The end\n")]),
    );
    server.wait_for_status("/every/output-5-1.png", 404);
    assert!(!site.exists("public/every/output-5-1.png"));
    assert_disk_matches(&server, &site);
}
