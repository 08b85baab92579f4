//! The client's address behind a reverse proxy. Handlers and services read the address from
//! axum's `ConnectInfo` (rate limits, audit log, sessions). When the connection comes from a
//! proxy named in `MOTCUA_TRUSTED_PROXIES`, this layer replaces it with the client's address
//! from `X-Forwarded-For`: the last address there that is not itself a trusted proxy (the
//! ones before it were written by the client and prove nothing). From anyone else the header
//! is ignored, so a client cannot pick its own address to dodge a limit.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

/// Rewrites `ConnectInfo` for requests relayed by a trusted proxy.
pub async fn from_trusted_proxy(
    State(trusted): State<Arc<Vec<IpNet>>>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied()
        && let Some(client) = client_address(&trusted, peer.ip(), request.headers())
    {
        request.extensions_mut().insert(ConnectInfo(SocketAddr::new(client, peer.port())));
    }
    next.run(request).await
}

/// The client's address when `peer` is a trusted proxy and the header names one.
fn client_address(trusted: &[IpNet], peer: IpAddr, headers: &http::HeaderMap) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return None;
    }
    // several headers are one list, in order
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect::<Option<Vec<_>>>()?;
    hops.into_iter().rev().find(|ip| !is_trusted(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().expect("net")).collect()
    }

    fn forwarded(values: &[&str]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().expect("header"));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn only_a_trusted_peer_is_believed() {
        let trusted = nets(&["10.0.0.0/8"]);
        let h = forwarded(&["203.0.113.7"]);
        assert_eq!(client_address(&trusted, ip("10.1.2.3"), &h), Some(ip("203.0.113.7")));
        assert_eq!(client_address(&trusted, ip("198.51.100.1"), &h), None, "a client's own header");
        assert_eq!(client_address(&[], ip("10.1.2.3"), &h), None, "no proxies configured");
    }

    #[test]
    fn the_last_untrusted_hop_is_the_client_whatever_the_client_wrote_before_it() {
        let trusted = nets(&["10.0.0.0/8", "127.0.0.1/32"]);
        // the client claimed 1.1.1.1; the edge proxy appended the real address; an inner proxy its own
        let h = forwarded(&["1.1.1.1, 203.0.113.7", "10.0.0.5"]);
        assert_eq!(client_address(&trusted, ip("127.0.0.1"), &h), Some(ip("203.0.113.7")));
    }

    #[test]
    fn a_missing_or_garbled_header_keeps_the_connection_address() {
        let trusted = nets(&["127.0.0.1/32"]);
        assert_eq!(client_address(&trusted, ip("127.0.0.1"), &http::HeaderMap::new()), None);
        assert_eq!(client_address(&trusted, ip("127.0.0.1"), &forwarded(&["nonsense, 203.0.113.7"])), None);
        assert_eq!(
            client_address(&trusted, ip("127.0.0.1"), &forwarded(&["127.0.0.1"])),
            None,
            "only proxies"
        );
    }
}
