//! Live reload and the error overlay, for `serve` only: the script tag put
//! into HTML responses (never into files on disk), the script itself, and the
//! server-sent events it listens to.
//!
//! Every page carries the site version it was served with. When the version
//! changes (a rebuild changed something) the page is told to reload; while
//! the last rebuild failed, it is told the errors to show. A page that
//! connects late (or after the server restarted) compares versions at once,
//! so it never misses a rebuild.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use tokio::sync::watch;

use super::files::Snapshot;

pub const SCRIPT_PATH: &str = "/__syllabus/reload.js";
pub const EVENTS_PATH: &str = "/__syllabus/events";

const SCRIPT: &str = include_str!("reload.js");

/// The script tag for a page served at `version`.
fn tag(version: &str) -> String {
    format!("<script src=\"{SCRIPT_PATH}\" data-version=\"{version}\" defer></script>")
}

/// The document with the live-reload script: before `</head>`, else before `</body>`, else at the end.
pub fn inject(html: &[u8], version: &str) -> Vec<u8> {
    let tag = tag(version);
    let at = find_tag(html, b"</head").or_else(|| find_tag(html, b"</body"));
    let at = at.unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_tag(html: &[u8], tag: &[u8]) -> Option<usize> {
    html.windows(tag.len())
        .position(|w| w.eq_ignore_ascii_case(tag))
}

/// `GET /__syllabus/reload.js`.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// `GET /__syllabus/events?since=<version>`: `reload`, `build-error` and `build-ok` events.
pub async fn events(
    State(snapshots): State<watch::Receiver<Arc<Snapshot>>>,
    RawQuery(query): RawQuery,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let since = query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .unwrap_or("")
        .to_string();
    let listener = Listener {
        snapshots,
        since,
        shown_error: None,
        done: false,
    };
    let stream = futures_util::stream::unfold(listener, next_event);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// One open page's view of the site.
struct Listener {
    snapshots: watch::Receiver<Arc<Snapshot>>,
    /// The version the page was served with.
    since: String,
    /// The errors the page shows now.
    shown_error: Option<Arc<str>>,
    done: bool,
}

/// What the page must hear next; waits for a rebuild when nothing is new.
async fn next_event(mut l: Listener) -> Option<(Result<Event, Infallible>, Listener)> {
    if l.done {
        return None;
    }
    loop {
        let snapshot = l.snapshots.borrow_and_update().clone();
        if snapshot.version != l.since {
            // The page goes away; end the stream so its connection is freed.
            l.done = true;
            let event = Event::default().event("reload").data(&snapshot.version);
            return Some((Ok(event), l));
        }
        if snapshot.error != l.shown_error {
            l.shown_error = snapshot.error.clone();
            let event = match &snapshot.error {
                Some(text) => Event::default()
                    .event("build-error")
                    .data(text.replace('\r', "")),
                None => Event::default().event("build-ok").data("ok"),
            };
            return Some((Ok(event), l));
        }
        if l.snapshots.changed().await.is_err() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn injected(html: &str) -> String {
        String::from_utf8(inject(html.as_bytes(), "v1")).expect("utf-8")
    }

    #[test]
    fn script_goes_before_the_end_of_head() {
        let tag = tag("v1");
        assert_eq!(
            injected("<html><head><title>x</title></head><body></body></html>"),
            format!("<html><head><title>x</title>{tag}</head><body></body></html>")
        );
        assert_eq!(
            injected("<HTML><HEAD></HEAD><BODY></BODY>"),
            format!("<HTML><HEAD>{tag}</HEAD><BODY></BODY>")
        );
    }

    #[test]
    fn without_head_before_the_end_of_body_or_at_the_end() {
        let tag = tag("v1");
        assert_eq!(injected("<p>x</p></body>"), format!("<p>x</p>{tag}</body>"));
        assert_eq!(injected("<p>x</p>"), format!("<p>x</p>{tag}"));
        assert_eq!(injected(""), tag);
    }

    fn snapshot(version: &str, error: Option<&str>) -> Arc<Snapshot> {
        let mut s = Snapshot::empty(version.into());
        s.error = error.map(Arc::from);
        Arc::new(s)
    }

    fn listener(rx: watch::Receiver<Arc<Snapshot>>, since: &str) -> Listener {
        Listener {
            snapshots: rx,
            since: since.into(),
            shown_error: None,
            done: false,
        }
    }

    fn debug(event: &Event) -> String {
        format!("{event:?}")
    }

    async fn next(l: Listener) -> (String, Listener) {
        let (event, l) = next_event(l).await.expect("an event");
        (debug(&event.expect("infallible")), l)
    }

    #[test]
    fn a_stale_page_reloads_at_once_and_the_stream_ends() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let (_tx, rx) = watch::channel(snapshot("v2", None));
            let (event, l) = next(listener(rx, "v1")).await;
            assert!(event.contains("reload"), "{event}");
            assert!(next_event(l).await.is_none());
        });
    }

    #[test]
    fn errors_are_shown_then_a_fix_reloads() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let (tx, rx) = watch::channel(snapshot("v1", Some("error: broken link")));
            let (event, l) = next(listener(rx, "v1")).await;
            assert!(event.contains("build-error"), "{event}");
            assert!(event.contains("broken link"), "{event}");
            tx.send_replace(snapshot("v2", None));
            let (event, _) = next(l).await;
            assert!(event.contains("reload"), "{event}");
        });
    }
}
