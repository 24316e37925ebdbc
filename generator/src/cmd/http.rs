//! The HTTP/1.1 server of `atlas serve`: GET and HEAD of files held in memory, on loopback, for
//! the person editing the content.
//!
//! A fixed pool of worker threads answers one connection each, so a slow client holds one
//! worker and the others answer everyone else. Every connection is bounded: its request head
//! must arrive whole within [`Limits::read`], in at most [`Limits::head`] bytes with a request
//! line of at most [`Limits::line`]; each write of the answer must progress within
//! [`Limits::write`] and the whole answer end within [`Limits::answer`]. One request is answered
//! per connection (`Connection: close`), so a client that pipelines requests and reads nothing
//! holds its worker only until the write times out. Connections beyond the pool and its queue
//! get `503` at once. The Host header must name this server (127.0.0.1 or localhost, with its
//! port), so a page elsewhere cannot reach it through a rebound DNS name.
//!
//! Why threads and not an async server: the server answers one person's browser on loopback;
//! a bounded pool with timeouts bounds its threads, memory and waits, and keeps the server as
//! synchronous as the watcher and rebuilds beside it. The request head is parsed by `httparse`
//! (the parser under hyper, already in the lock file), not by hand.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the server allows each connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Longest request line (method, target, version), in bytes; longer: `414`.
    pub(crate) line: usize,
    /// Largest request head (request line and headers), in bytes; larger: `431`.
    pub(crate) head: usize,
    /// Time for a client to send its whole request head; slower: `408` and closed.
    pub(crate) read: Duration,
    /// Time for each write of an answer to progress; slower: the connection is closed.
    pub(crate) write: Duration,
    /// Time for a whole answer (not an event stream) to be taken; slower: closed.
    pub(crate) answer: Duration,
    /// Connections answered at once (worker threads).
    pub(crate) workers: usize,
    /// Connections accepted and waiting for a worker; beyond: `503`.
    pub(crate) queue: usize,
    /// Event streams open at once (each has its own thread); beyond: `503`.
    pub(crate) streams: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            line: 8 * 1024,
            head: 32 * 1024,
            read: Duration::from_secs(10),
            write: Duration::from_secs(10),
            answer: Duration::from_secs(120),
            workers: 32,
            queue: 64,
            streams: 32,
        }
    }
}

/// A request as the handler sees it.
pub(crate) struct Request {
    /// The path, percent-decoded, without the leading `/` or the query.
    pub(crate) path: String,
}

/// An answer's body.
pub(crate) enum Body {
    /// Bytes shared with the site served (no copy per request).
    Shared(Arc<Vec<u8>>),
    /// Bytes made for this answer.
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Shared(b) => b,
            Body::Owned(b) => b,
        }
    }
}

/// What the handler answers.
pub(crate) enum Reply {
    /// A whole answer.
    Full {
        /// `200`, `404` …
        status: u16,
        /// Its Content-Type.
        content_type: &'static str,
        /// Its body.
        body: Body,
    },
    /// An event stream: the handler's function gets the connection, after the head of a
    /// `200 text/event-stream` answer is written, on a thread of its own. The connection's
    /// writes time out after [`Limits::write`].
    Stream(Box<dyn FnOnce(TcpStream) + Send>),
}

/// Turns a request into a reply; called on the worker threads.
pub(crate) type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// Answers connections on `listener` until the process stops.
pub(crate) fn run(listener: &TcpListener, limits: Limits, handler: Arc<Handler>) {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let (tx, rx) = sync_channel::<TcpStream>(limits.queue);
    let rx = Arc::new(Mutex::new(rx));
    let streams = Arc::new(AtomicUsize::new(0));
    for _ in 0..limits.workers.max(1) {
        let (rx, handler, streams) = (Arc::clone(&rx), Arc::clone(&handler), Arc::clone(&streams));
        std::thread::spawn(move || worker(&rx, &limits, port, &*handler, &streams));
    }
    for conn in listener.incoming() {
        let Ok(conn) = conn else {
            // Out of file descriptors, say: wait a moment rather than spin.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        match tx.try_send(conn) {
            Ok(()) => {}
            // Every worker busy and the queue full: say so at once rather than wait.
            Err(TrySendError::Full(conn)) => busy(conn),
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

/// Answers `503` on the accepting thread, never waiting: what the client has sent so far is
/// read and dropped (so that closing does not reset the connection), the answer written into
/// the empty socket buffer.
fn busy(mut conn: TcpStream) {
    if conn.set_nonblocking(true).is_ok() {
        let mut sink = [0u8; 4096];
        for _ in 0..16 {
            match conn.read(&mut sink) {
                Ok(n) if n > 0 => {}
                _ => break,
            }
        }
    }
    let body = b"503 Service Unavailable\n";
    let mut bytes = head(
        503,
        "text/plain; charset=utf-8",
        body.len(),
        &[("Retry-After", "1")],
    );
    bytes.extend_from_slice(body);
    let _ = conn.write_all(&bytes);
    let _ = conn.shutdown(Shutdown::Write);
}

/// Takes connections off the queue and answers each.
fn worker(
    rx: &Mutex<Receiver<TcpStream>>,
    limits: &Limits,
    port: u16,
    handler: &Handler,
    streams: &Arc<AtomicUsize>,
) {
    loop {
        // The lock is held only while waiting for the next connection.
        let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(conn) = next else { return };
        connection(conn, limits, port, handler, streams);
    }
}

/// Answers one connection.
fn connection(
    mut conn: TcpStream,
    limits: &Limits,
    port: u16,
    handler: &Handler,
    streams: &Arc<AtomicUsize>,
) {
    let _ = conn.set_nodelay(true);
    let (status, head_only, path) = match read_request(&mut conn, limits, port) {
        Ok((path, head_only)) => (200, head_only, path),
        Err(Refused::Gone) => return,
        Err(Refused::Status(status)) => (status, false, String::new()),
    };
    let deadline = Instant::now() + limits.answer;
    if status != 200 {
        let body = format!("{status} {}\n", reason(status));
        let extra: &[(&str, &str)] = if status == 405 {
            &[("Allow", "GET, HEAD")]
        } else {
            &[]
        };
        let mut bytes = head(status, "text/plain; charset=utf-8", body.len(), extra);
        bytes.extend_from_slice(body.as_bytes());
        if send(&mut conn, &bytes, limits, deadline).is_ok() {
            close(conn);
        }
        return;
    }
    match handler(&Request { path }) {
        Reply::Full {
            status,
            content_type,
            body,
        } => {
            let body = body.as_ref();
            let h = head(status, content_type, body.len(), &[]);
            let ok = send(&mut conn, &h, limits, deadline)
                .and_then(|()| match head_only {
                    true => Ok(()),
                    false => send(&mut conn, body, limits, deadline),
                })
                .is_ok();
            if ok {
                close(conn);
            }
        }
        Reply::Stream(run) => {
            let open = streams.fetch_add(1, Ordering::SeqCst);
            let guard = Streams(Arc::clone(streams));
            if open >= limits.streams {
                drop(guard);
                let _ = send(
                    &mut conn,
                    &head(503, "text/plain", 0, &[]),
                    limits,
                    deadline,
                );
                return;
            }
            let h = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
            if send(&mut conn, h.as_bytes(), limits, deadline).is_err() || head_only {
                return;
            }
            let _ = conn.set_write_timeout(Some(limits.write));
            std::thread::spawn(move || {
                let _guard = guard;
                run(conn);
            });
        }
    }
}

/// Counts an open event stream until dropped.
struct Streams(Arc<AtomicUsize>);

impl Drop for Streams {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why a request gets no answer from the handler.
#[derive(Debug, PartialEq, Eq)]
enum Refused {
    /// The client went away (or sent nothing): nothing to answer.
    Gone,
    /// Answered with this status.
    Status(u16),
}

/// Reads and checks the request head: the decoded path, and whether the method is HEAD.
fn read_request(
    conn: &mut TcpStream,
    limits: &Limits,
    port: u16,
) -> Result<(String, bool), Refused> {
    let deadline = Instant::now() + limits.read;
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        // The request line is checked first: a long target is 414, not 431.
        match buf.iter().position(|&b| b == b'\n') {
            Some(end) if end > limits.line => return Err(Refused::Status(414)),
            None if buf.len() > limits.line => return Err(Refused::Status(414)),
            _ => {}
        }
        if buf.len() > limits.head {
            return Err(Refused::Status(431));
        }
        if !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(&buf) {
                Ok(httparse::Status::Complete(_)) => return check(&req, port),
                Ok(httparse::Status::Partial) => {}
                Err(httparse::Error::TooManyHeaders) => return Err(Refused::Status(431)),
                Err(_) => return Err(Refused::Status(400)),
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Refused::Status(408));
        }
        let _ = conn.set_read_timeout(Some(left));
        // Never more than one byte past the limit is read.
        let room = (limits.head + 1 - buf.len()).min(chunk.len());
        match conn.read(&mut chunk[..room]) {
            Ok(0) => return Err(Refused::Gone),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if timed_out(&e) => return Err(Refused::Status(408)),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Refused::Gone),
        }
    }
}

fn timed_out(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Checks a complete request head: the Host, the method, the path.
fn check(req: &httparse::Request<'_, '_>, port: u16) -> Result<(String, bool), Refused> {
    let hosts: Vec<&[u8]> = req
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| h.value)
        .collect();
    match hosts.as_slice() {
        // HTTP/1.1 requires the header; HTTP/1.0 clients may leave it out.
        [] if req.version == Some(1) => return Err(Refused::Status(400)),
        [] => {}
        [host] if is_own_host(host, port) => {}
        [_] => return Err(Refused::Status(421)),
        _ => return Err(Refused::Status(400)),
    }
    let head_only = match req.method {
        Some("GET") => false,
        Some("HEAD") => true,
        _ => return Err(Refused::Status(405)),
    };
    let target = req.path.unwrap_or("");
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = path.strip_prefix('/') else {
        return Err(Refused::Status(400));
    };
    decode(path)
        .map(|p| (p, head_only))
        .ok_or(Refused::Status(400))
}

/// Whether a Host header names this server: `127.0.0.1` or `localhost`, with this server's
/// port or none.
fn is_own_host(host: &[u8], port: u16) -> bool {
    let Ok(host) = std::str::from_utf8(host) else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    let (name, p) = match host.rsplit_once(':') {
        Some((name, p)) => (name, Some(p)),
        None => (host.as_str(), None),
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    matches!(name, "127.0.0.1" | "localhost") && p.is_none_or(|p| p == port.to_string())
}

/// Percent-decodes a URL path; `None` for a malformed escape, bytes that are not UTF-8, a
/// control character, a backslash or a `.` or `..` segment.
pub(crate) fn decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    let bad_segment = s.split('/').any(|seg| seg == "." || seg == "..");
    (!bad_segment && !s.chars().any(|c| c.is_control() || c == '\\')).then_some(s)
}

/// The head of an answer.
fn head(status: u16, content_type: &str, len: usize, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut h = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reason(status)
    );
    for (k, v) in extra {
        h.push_str(k);
        h.push_str(": ");
        h.push_str(v);
        h.push_str("\r\n");
    }
    h.push_str("\r\n");
    h.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes `bytes`, each write given [`Limits::write`] to progress and all of them `deadline`.
fn send(
    conn: &mut TcpStream,
    bytes: &[u8],
    limits: &Limits,
    deadline: Instant,
) -> std::io::Result<()> {
    for part in bytes.chunks(64 * 1024) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        conn.set_write_timeout(Some(left.min(limits.write)))?;
        conn.write_all(part)?;
    }
    Ok(())
}

/// Ends a connection after its answer: the write side first, then what the client still
/// sends is read and dropped for a moment, so that closing does not reset the connection
/// (which can discard the answer before the client has read it).
fn close(mut conn: TcpStream) {
    let _ = conn.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_millis(500);
    let mut sink = [0u8; 4096];
    let mut read = 0;
    while read < 64 * 1024 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || conn.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match conn.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;

    /// A server of one 8 MiB file (`big`) and a small one (`small`) with `limits`.
    fn server(limits: Limits) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let big = Arc::new(vec![b'x'; 8 << 20]);
        let handler: Arc<Handler> = Arc::new(move |r: &Request| {
            let (status, body) = match r.path.as_str() {
                "big" => (200, Body::Shared(Arc::clone(&big))),
                "small" => (200, Body::Owned(b"small".to_vec())),
                _ => (404, Body::Owned(Vec::new())),
            };
            Reply::Full {
                status,
                content_type: "text/plain",
                body,
            }
        });
        std::thread::spawn(move || run(&listener, limits, handler));
        addr
    }

    fn ask(addr: SocketAddr, raw: &[u8]) -> String {
        let mut c = TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        c.write_all(raw).unwrap();
        let mut out = Vec::new();
        let _ = c.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    fn status(answer: &str) -> &str {
        answer.split(' ').nth(1).unwrap_or("")
    }

    fn get(addr: SocketAddr, path: &str) -> String {
        ask(
            addr,
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
        )
    }

    #[test]
    fn decodes_paths_and_refuses_malformed_ones() {
        assert_eq!(
            decode("measures/a%20b.html").as_deref(),
            Some("measures/a b.html")
        );
        assert_eq!(decode("%E5%A4%96").as_deref(), Some("外"));
        for bad in [
            "%ff",
            "%zz",
            "%",
            "%4",
            "a/../b",
            "..",
            "./a",
            "a%2F..%2Fb",
            "a%00b",
            "a\\b",
            "%0a",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn hosts_other_than_this_server_are_refused() {
        for ok in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST",
            "127.0.0.1",
            "localhost.:8000",
        ] {
            assert!(is_own_host(ok.as_bytes(), 8000), "{ok}");
        }
        for bad in [
            "127.0.0.1:8001",
            "evil.example:8000",
            "evil.example",
            "127.0.0.2:8000",
            "[::1]:8000",
            "",
            "localhost:",
        ] {
            assert!(!is_own_host(bad.as_bytes(), 8000), "{bad}");
        }
    }

    /// Each limit answers with its status: the figures are the defaults' edges.
    #[test]
    fn limits_answer_with_their_status() {
        let addr = server(Limits::default());
        assert_eq!(status(&get(addr, "/small")), "200");
        assert!(get(addr, "/small").ends_with("\r\n\r\nsmall"));
        assert_eq!(status(&get(addr, "/nothing")), "404");
        let head = ask(
            addr,
            format!("HEAD /small HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
        );
        assert!(
            status(&head) == "200"
                && head.ends_with("\r\n\r\n")
                && head.contains("Content-Length: 5")
        );
        // A target of 8 KiB passes (404), one byte more of request line is 414.
        let line = |n: usize| format!("GET /{} HTTP/1.1\r\nHost: {addr}\r\n\r\n", "a".repeat(n));
        let fits = 8 * 1024 - "GET / HTTP/1.1\r".len();
        assert_eq!(status(&ask(addr, line(fits).as_bytes())), "404");
        assert_eq!(status(&ask(addr, line(fits + 1).as_bytes())), "414");
        // A request line without end: refused after 8 KiB; the rest is never read. (200 MB
        // took the old server to 1 GB; the answer may then be lost to the reset that closing
        // on unread bytes sends, but the server answers the next client at once.)
        let endless = format!("GET /{}", "a".repeat(16 * 1024));
        assert_eq!(status(&ask(addr, endless.as_bytes())), "414");
        let mut c = TcpStream::connect(addr).unwrap();
        c.write_all(b"GET /").unwrap();
        let chunk = vec![b'a'; 1 << 20];
        let sent = (0..200).take_while(|_| c.write_all(&chunk).is_ok()).count();
        assert!(sent < 200, "the server stopped reading");
        assert_eq!(status(&get(addr, "/small")), "200");
        // Headers over 32 KiB in all, or more than 64 of them: 431.
        let big = format!(
            "GET /small HTTP/1.1\r\nHost: {addr}\r\nX-A: {}\r\n\r\n",
            "b".repeat(33 * 1024)
        );
        assert_eq!(status(&ask(addr, big.as_bytes())), "431");
        let many = format!(
            "GET /small HTTP/1.1\r\nHost: {addr}\r\n{}\r\n",
            "X-A: 1\r\n".repeat(64)
        );
        assert_eq!(status(&ask(addr, many.as_bytes())), "431");
        // Another Host (DNS rebinding), none on HTTP/1.1, two: refused.
        let port = addr.port();
        for (raw, want) in [
            (
                format!("GET /small HTTP/1.1\r\nHost: rebound.example:{port}\r\n\r\n"),
                "421",
            ),
            (
                format!(
                    "GET /small HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
                    port.wrapping_add(1)
                ),
                "421",
            ),
            ("GET /small HTTP/1.1\r\n\r\n".to_string(), "400"),
            (
                format!("GET /small HTTP/1.1\r\nHost: {addr}\r\nHost: {addr}\r\n\r\n"),
                "400",
            ),
            ("GET /small HTTP/1.0\r\n\r\n".to_string(), "200"),
            (
                format!("GET /small HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"),
                "200",
            ),
        ] {
            assert_eq!(status(&ask(addr, raw.as_bytes())), want, "{raw}");
        }
        // Only GET and HEAD.
        for m in [
            "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH", "CONNECT",
        ] {
            let a = ask(
                addr,
                format!("{m} /small HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n")
                    .as_bytes(),
            );
            assert_eq!(status(&a), "405", "{m}");
            assert!(a.contains("Allow: GET, HEAD"), "{a}");
        }
        // Malformed paths and request lines.
        for target in [
            "/%ff",
            "/%zz",
            "/a/../small",
            "small",
            "http://127.0.0.1/small",
        ] {
            let a = ask(
                addr,
                format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
            );
            assert_eq!(status(&a), "400", "{target}");
        }
        assert_eq!(status(&ask(addr, b"GARBAGE\0\r\n\r\n")), "400");
    }

    /// Slow clients hold one worker each, and only until their time is up; everyone else is
    /// answered meanwhile.
    #[test]
    fn slow_clients_do_not_hold_up_others() {
        let limits = Limits {
            read: Duration::from_millis(600),
            write: Duration::from_millis(600),
            workers: 4,
            ..Limits::default()
        };
        let addr = server(limits);
        // A client that sends half a request line and waits.
        let mut slow_head = TcpStream::connect(addr).unwrap();
        slow_head.write_all(b"GET /sm").unwrap();
        // A client that asks for 8 MiB eight times over and reads nothing: the answer fills
        // the socket buffers and the worker's write waits.
        let mut slow_reader = TcpStream::connect(addr).unwrap();
        let one = format!("GET /big HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        slow_reader.write_all(one.repeat(8).as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // Others are answered while both wait (well before either is timed out).
        for _ in 0..20 {
            let t = Instant::now();
            assert_eq!(status(&get(addr, "/small")), "200");
            assert!(
                t.elapsed() < Duration::from_millis(500),
                "{:?}",
                t.elapsed()
            );
        }
        // The slow header gets 408 once its time is up; the slow reader is cut off.
        slow_head
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut out = Vec::new();
        let _ = slow_head.read_to_end(&mut out);
        assert_eq!(status(&String::from_utf8_lossy(&out)), "408");
        std::thread::sleep(Duration::from_millis(1500));
        slow_reader
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut got = Vec::new();
        let _ = slow_reader.read_to_end(&mut got);
        assert!(
            got.len() < 8 << 20,
            "the stalled answer was cut off ({} bytes)",
            got.len()
        );
    }

    /// More slow clients than workers and queue: the rest get 503 at once, never a thread each.
    #[test]
    fn connections_beyond_the_pool_get_503() {
        let limits = Limits {
            read: Duration::from_secs(3),
            workers: 2,
            queue: 2,
            ..Limits::default()
        };
        let addr = server(limits);
        let held: Vec<TcpStream> = (0..4)
            .map(|_| {
                let c = TcpStream::connect(addr).unwrap();
                (&c).write_all(b"GET /").unwrap();
                // Time for a worker to take it off the queue.
                std::thread::sleep(Duration::from_millis(100));
                c
            })
            .collect();
        let t = Instant::now();
        let answer = get(addr, "/small");
        assert_eq!(status(&answer), "503", "{answer}");
        assert!(t.elapsed() < Duration::from_secs(1));
        drop(held);
        // Once they go, the server answers again.
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(status(&get(addr, "/small")), "200");
    }
}
