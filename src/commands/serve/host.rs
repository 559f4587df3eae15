//! Which `Host` a request to the dev server may name. A web page on another
//! site can point its own host name at 127.0.0.1 (DNS rebinding) and then read
//! the dev server, drafts included, as if it were that site: the browser still
//! sends the page's host name, so answering only local names and IP addresses
//! closes that door. Requests for any other host get 400.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The host names the server answers to, from the address it listens on.
#[derive(Debug, Clone, Copy)]
pub struct AllowedHosts {
    bind: IpAddr,
}

impl AllowedHosts {
    pub fn new(bind: IpAddr) -> AllowedHosts {
        AllowedHosts { bind }
    }

    /// Whether a request with this `Host` header (name or address, optional
    /// port) is answered: `localhost`, `127.0.0.1`, `[::1]` and the bound
    /// address. Bound to every interface (`0.0.0.0`, `::`), any IP address is
    /// answered too, since other machines reach the server by one of this
    /// machine's addresses, and no DNS answer can change an address.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match ip_literal(name) {
            Some(ip) => ip.is_loopback() || ip == self.bind || self.bind.is_unspecified(),
            None => false,
        }
    }
}

/// The host of a `Host` header without its port; `None` when malformed.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let end = rest.find(']')? + 1;
            (&host[..=end], &host[end + 1..])
        }
        None => host.split_at(host.find(':').unwrap_or(host.len())),
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (!name.is_empty() && port_ok).then_some(name)
}

/// An IPv4 address, or an IPv6 address in brackets.
fn ip_literal(name: &str) -> Option<IpAddr> {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

/// Middleware: 400 for a request whose `Host` the server does not answer to.
pub async fn check(State(allowed): State<AllowedHosts>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if allowed.allows(host) {
        return next.run(req).await;
    }
    let mut res = (
        StatusCode::BAD_REQUEST,
        "this dev server answers only requests for localhost or its own address\n",
    )
        .into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_and_the_bound_address() {
        let loopback = AllowedHosts::new(Ipv4Addr::LOCALHOST.into());
        for host in [
            "localhost",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:8080",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.5:1111",
            "localhost:",
            "localhost:x",
            "[::1",
            "::1",
            "evil@localhost",
            "localhost:1111@evil.example",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        let lan = AllowedHosts::new("192.168.1.5".parse().expect("ip"));
        assert!(lan.allows("192.168.1.5:1111"));
        assert!(lan.allows("localhost:1111"));
        assert!(!lan.allows("10.0.0.1:1111"));
        assert!(!lan.allows("attacker.example:1111"));
        let every = AllowedHosts::new(Ipv6Addr::UNSPECIFIED.into());
        assert!(every.allows("10.0.0.1:1111"));
        assert!(every.allows("[fe80::1]:1111"));
        assert!(!every.allows("attacker.example:1111"));
    }
}
