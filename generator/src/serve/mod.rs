//! `atlas serve`: the site built in memory and served on 127.0.0.1, rebuilt when a file under
//! `content/` or the theme changes, with open pages reloading themselves. A content error is
//! shown as an overlay in the page (and in the terminal) while the last good site stays served.
//!
//! The reload script exists only in served pages (injected here); a built site never has it.
//! tiny_http serves (a small, mature HTTP/1.1 server); notify watches the files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use tiny_http::{Header, Response, Server};

use crate::cli::Options;
use rebuild::{Served, Session};

mod rebuild;

/// The live-reload client: listens to server-sent events; reloads on `reload`, shows an
/// overlay on `error`.
const CLIENT: &str = include_str!("client.js");

/// What the server currently serves.
struct State {
    files: RwLock<Arc<Served>>,
    /// The last build error, shown as an overlay until a build succeeds.
    error: RwLock<Option<String>>,
    /// Open event streams.
    listeners: Mutex<Vec<Sender<String>>>,
}

impl State {
    /// The site served now.
    fn current(&self) -> Arc<Served> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serves `files` from now on.
    fn publish(&self, files: Served) {
        *self.files.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(files);
    }

    fn broadcast(&self, event: &str, data: &str) {
        let msg = format!(
            "event: {event}\ndata: {}\n\n",
            serde_json::to_string(data).unwrap_or_default()
        );
        let mut list = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        list.retain(|tx| tx.send(msg.clone()).is_ok());
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

fn header(k: &str, v: &str) -> Header {
    // Both are ASCII constants or ASCII MIME types: always valid.
    Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header")
}

/// The served page: the policy lets the page talk to this server, and the client is added.
fn inject(html: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(html).replace("connect-src 'none'", "connect-src 'self'");
    let script = format!("<script>{CLIENT}</script></body>");
    s.replacen("</body>", &script, 1).into_bytes()
}

/// Percent-decodes a URL path; `None` if it is not valid UTF-8.
fn decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn respond(state: &State, request: tiny_http::Request) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == "/__atlas/events" {
        let (tx, rx) = channel();
        // Tell the new page where things stand.
        let first = match &*state.error.read().unwrap_or_else(|e| e.into_inner()) {
            Some(e) => format!(
                "event: error\ndata: {}\n\n",
                serde_json::to_string(e).unwrap_or_default()
            ),
            None => "event: ok\ndata: \"\"\n\n".to_string(),
        };
        let _ = tx.send(first);
        state
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        // The raw connection: each event must reach the page at once, and a chunked body
        // would sit in the server's buffer until it filled.
        let mut w = request.into_writer();
        std::thread::spawn(move || {
            use std::io::Write;
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
            if w.write_all(head.as_bytes())
                .and_then(|()| w.flush())
                .is_err()
            {
                return;
            }
            loop {
                let msg = match rx.recv_timeout(Duration::from_secs(15)) {
                    Ok(m) => m,
                    // A comment keeps the browser from timing the stream out.
                    Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
                    Err(RecvTimeoutError::Disconnected) => return,
                };
                if w.write_all(msg.as_bytes())
                    .and_then(|()| w.flush())
                    .is_err()
                {
                    return; // the page went away
                }
            }
        });
        return;
    }
    if path == "/__atlas/status" {
        let e = state
            .error
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let body = serde_json::json!({ "ok": e.is_none(), "error": e }).to_string();
        let _ = request.respond(
            Response::from_string(body).with_header(header("Content-Type", "application/json")),
        );
        return;
    }
    let mut rel = decode(path.trim_start_matches('/')).unwrap_or_default();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let files = state.current();
    // Files are looked up in the rendered map only: no path ever reaches the file system.
    match files.get(&PathBuf::from(&rel)) {
        Some(bytes) => {
            let body = if rel.ends_with(".html") {
                inject(bytes)
            } else {
                bytes.to_vec()
            };
            let _ = request.respond(
                Response::from_data(body)
                    .with_header(header("Content-Type", content_type(&rel)))
                    .with_header(header("Cache-Control", "no-store")),
            );
        }
        None => {
            let _ = request
                .respond(Response::from_string(format!("not found: /{rel}")).with_status_code(404));
        }
    }
}

/// Runs the server until the process is stopped.
pub fn serve(o: &Options, port: u16) -> Result<(), String> {
    let state = Arc::new(State {
        files: RwLock::new(Arc::new(BTreeMap::new())),
        error: RwLock::new(None),
        listeners: Mutex::new(Vec::new()),
    });
    let mut session = Session::default();
    rebuild(&mut session, o, &state, Instant::now());
    let server = Server::http(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_default();
    // The first line of standard output is the address, for scripts and tests.
    println!("http://{addr}/");
    eprintln!(
        "atlas serve: serving http://{addr}/ — watching {} and {}",
        o.content.display(),
        o.theme.display()
    );

    let (tx, rx) = channel();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in [&o.content, &o.theme] {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    }
    let watch_state = Arc::clone(&state);
    let opts = o.clone();
    std::thread::spawn(move || {
        let _keep = watcher;
        rebuild_loop(&rx, &watch_state, &opts, session);
    });
    for request in server.incoming_requests() {
        respond(&state, request);
    }
    Ok(())
}

/// Rebuilds what changed and serves it: the pages first (and the open pages reload), then the
/// search index and data files. On an error the last good site stays and the pages show it.
fn rebuild(session: &mut Session, o: &Options, state: &State, seen: Instant) {
    let t = Instant::now();
    match session.pages(o, &state.current()) {
        Ok(pages) => {
            let data_stale = pages.data_stale;
            state.publish(pages.files);
            *state.error.write().unwrap_or_else(|e| e.into_inner()) = None;
            eprintln!(
                "atlas serve: {} page(s) rendered in {} ms, served {} ms after the change was seen",
                pages.rendered,
                t.elapsed().as_millis(),
                seen.elapsed().as_millis()
            );
            state.broadcast("reload", "");
            if data_stale {
                let t = Instant::now();
                match session.data(o, &state.current()) {
                    Ok(files) => {
                        state.publish(files);
                        eprintln!(
                            "atlas serve: search index and data updated in {} ms",
                            t.elapsed().as_millis()
                        );
                    }
                    Err(e) => eprintln!("atlas serve: data files: {e}"),
                }
            }
        }
        Err(e) => {
            eprintln!("{e}\natlas serve: the last good site is still served");
            *state.error.write().unwrap_or_else(|e| e.into_inner()) = Some(e.clone());
            state.broadcast("error", &e);
        }
    }
}

/// Waits for changes, lets a burst of events settle, rebuilds, and tells the pages.
fn rebuild_loop(
    rx: &Receiver<notify::Result<notify::Event>>,
    state: &State,
    o: &Options,
    mut session: Session,
) {
    while let Ok(first) = rx.recv() {
        let seen = Instant::now();
        let mut relevant = is_relevant(&first);
        let mut theme = touches(&first, &o.theme);
        // Editors write files in several steps: collect what arrives within a short moment.
        while let Ok(ev) = rx.recv_timeout(Duration::from_millis(30)) {
            relevant |= is_relevant(&ev);
            theme |= touches(&ev, &o.theme);
        }
        if !relevant {
            continue;
        }
        if theme {
            session.theme_changed();
        }
        rebuild(&mut session, o, state, seen);
    }
}

/// Whether the event concerns a file under `dir` (an error event counts, to be safe).
fn touches(ev: &notify::Result<notify::Event>, dir: &std::path::Path) -> bool {
    // Watched paths may be reported as given or absolute.
    let full = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    match ev {
        Ok(e) => e
            .paths
            .iter()
            .any(|p| p.starts_with(dir) || p.starts_with(&full)),
        Err(_) => true,
    }
}

fn is_relevant(ev: &notify::Result<notify::Event>) -> bool {
    match ev {
        // Editors' swap and backup files do not change the site.
        Ok(e) => {
            !e.kind.is_access()
                && e.paths.iter().any(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    !(name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp"))
                })
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_paths() {
        assert_eq!(
            decode("measures/a%20b.html").as_deref(),
            Some("measures/a b.html")
        );
        assert_eq!(decode("%E5%A4%96").as_deref(), Some("外"));
        assert_eq!(decode("%zz").as_deref(), Some("%zz"));
        assert_eq!(decode("%").as_deref(), Some("%"));
    }

    #[test]
    fn injects_client_and_relaxes_only_connect() {
        let html = b"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; connect-src 'none'\"><body>x</body>";
        let out = String::from_utf8(inject(html)).unwrap();
        assert!(
            out.contains("connect-src 'self'")
                && out.contains("EventSource")
                && out.ends_with("</script></body>")
        );
    }
}
