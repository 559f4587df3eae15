//! The listening socket and its connections: which port, how many clients at
//! once, and how long a client may keep a connection without making progress.
//!
//! A dev server is small, but a browser, a link checker or a stuck script must
//! not be able to starve it: connections are capped (more wait in the
//! kernel's queue), request headers must arrive within a time limit and a size
//! limit, an idle keep-alive connection is closed after the same limit, and a
//! client that stops reading a response is disconnected.

use std::io;
use std::net::{IpAddr, TcpListener};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::{Context as _, Result};
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Semaphore;
use tokio::time::Sleep;

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the default are tried when it is busy.
const PORT_TRIES: u16 = 20;

/// Bounds on what one client can take from the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at once (an open page's live-reload stream is one).
    pub max_connections: usize,
    /// To send a request's headers, and how long a kept-alive connection may idle.
    pub header_timeout: Duration,
    /// How long a response may wait for a client that does not read it.
    pub stall_timeout: Duration,
    /// Request line and headers together.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            stall_timeout: Duration::from_secs(30),
            max_header_bytes: 16 * 1024,
        }
    }
}

/// A bound socket, and the port it was meant to have when that one was busy.
pub struct Bound {
    pub listener: TcpListener,
    pub moved_from: Option<u16>,
}

/// Binds `addr:port`; without a port, the default one or the next free one after it.
pub fn bind(addr: IpAddr, port: Option<u16>) -> Result<Bound> {
    let (listener, chosen) =
        pick_port(port, |p| TcpListener::bind((addr, p))).with_context(|| match port {
            Some(p) => format!("cannot listen on {addr} port {p}"),
            None => format!(
                "cannot listen on {addr}: ports {DEFAULT_PORT} to {} are busy",
                DEFAULT_PORT + PORT_TRIES
            ),
        })?;
    listener
        .set_nonblocking(true)
        .context("cannot set up the listening socket")?;
    Ok(Bound {
        listener,
        moved_from: (port.is_none() && chosen != DEFAULT_PORT).then_some(DEFAULT_PORT),
    })
}

/// The asked port, or the first port from the default on that is not in use.
fn pick_port<T>(
    asked: Option<u16>,
    mut bind: impl FnMut(u16) -> io::Result<T>,
) -> io::Result<(T, u16)> {
    if let Some(p) = asked {
        return bind(p).map(|t| (t, p));
    }
    let mut last = None;
    for p in DEFAULT_PORT..=DEFAULT_PORT + PORT_TRIES {
        match bind(p) {
            Ok(t) => return Ok((t, p)),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AddrInUse)))
}

/// Accepts connections for ever, each served by `app` within `limits`.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits) -> Result<()> {
    let listener =
        tokio::net::TcpListener::from_std(listener).context("cannot use the listening socket")?;
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let permit = permits
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors or a connection reset before accept: try again soon.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(Stalls::new(stream, limits.stall_timeout));
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_header_size(limits.max_header_bytes)
                .serve_connection(io, service)
                .await;
            drop(permit);
        });
    }
}

/// A connection whose writes fail once they made no progress for `limit`:
/// a client that stopped reading gives its place back.
struct Stalls<S> {
    inner: S,
    limit: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> Stalls<S> {
    fn new(inner: S, limit: Duration) -> Stalls<S> {
        Stalls {
            inner,
            limit,
            stalled: None,
        }
    }

    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            )));
        }
        Poll::Pending
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Stalls<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Stalls<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busy(ports: &'static [u16]) -> impl FnMut(u16) -> io::Result<u16> {
        move |p| {
            if ports.contains(&p) {
                Err(io::Error::from(io::ErrorKind::AddrInUse))
            } else {
                Ok(p)
            }
        }
    }

    #[test]
    fn a_busy_default_port_moves_to_the_next_free_one() {
        assert_eq!(pick_port(None, busy(&[])).expect("free").1, DEFAULT_PORT);
        assert_eq!(
            pick_port(None, busy(&[DEFAULT_PORT, DEFAULT_PORT + 1]))
                .expect("free")
                .1,
            DEFAULT_PORT + 2
        );
    }

    #[test]
    fn an_asked_port_does_not_move() {
        let err = pick_port(Some(4000), busy(&[4000])).expect_err("busy");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        assert_eq!(pick_port(Some(4000), busy(&[])).expect("free").1, 4000);
    }

    #[test]
    fn all_busy_is_an_error() {
        let all: Vec<u16> = (DEFAULT_PORT..=DEFAULT_PORT + PORT_TRIES).collect();
        let all: &'static [u16] = all.leak();
        assert!(pick_port(None, busy(all)).is_err());
    }

    #[test]
    fn other_errors_stop_the_search() {
        let err = pick_port(None, |_| -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::PermissionDenied))
        })
        .expect_err("denied");
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
    }
}
