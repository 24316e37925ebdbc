//! `atlas serve`: the site built in memory and served on 127.0.0.1, rebuilt when a file under
//! `content/` or the theme changes, with open pages reloading themselves. A content error is
//! shown as an overlay in the page (and in the terminal) while the last good site stays served.
//!
//! The reload script exists only in served pages (injected here); a built site never has it.
//! The HTTP server is [`http`] (a bounded pool of workers, with timeouts and size limits);
//! notify watches the files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use atlas::site::{Options, Pages, Session};

use super::http::{self, Body, Reply, Request};

/// Files served, by path from the site root. Shared between versions of the site, so that a
/// rebuild copies pointers, not bytes.
type Served = BTreeMap<PathBuf, Arc<Vec<u8>>>;

/// The live-reload client: listens to server-sent events; reloads on `reload`, shows an
/// overlay on `error`.
const CLIENT: &str = include_str!("client.js");

/// What the server currently serves.
struct State {
    site: RwLock<Current>,
    /// The last build error, shown as an overlay until a build succeeds.
    error: RwLock<Option<String>>,
    /// Open event streams.
    listeners: Mutex<Vec<Sender<String>>>,
    /// Counts the builds started: a build's data step stops as soon as a newer build starts,
    /// rather than compete with it for the cores until the newer one's pages are served.
    builds: std::sync::atomic::AtomicU64,
}

/// The site served now, and where it comes from.
#[derive(Default)]
struct Current {
    files: Arc<Served>,
    /// The paths of the data files (search index, exports …) among `files`.
    data: BTreeSet<PathBuf>,
    /// Counts the builds whose pages were published.
    generation: u64,
    /// The build whose data files are served, if they are its own.
    data_of: Option<u64>,
}

impl State {
    /// The site served now.
    fn current(&self) -> Arc<Served> {
        self.site
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .clone()
    }

    /// The number of the last build whose pages are served, and of the build whose data files
    /// are.
    fn generations(&self) -> (u64, Option<u64>) {
        let c = self.site.read().unwrap_or_else(|e| e.into_inner());
        (c.generation, c.data_of)
    }

    /// Serves a build's new pages (and no more its removed ones) from now on; returns the
    /// build's number.
    fn publish_pages(&self, pages: Pages) -> u64 {
        let mut c = self.site.write().unwrap_or_else(|e| e.into_inner());
        let files = Arc::make_mut(&mut c.files);
        for gone in &pages.removed {
            files.remove(gone);
        }
        for (path, bytes) in pages.changed {
            files.insert(path, Arc::new(bytes));
        }
        c.generation += 1;
        c.generation
    }

    /// Serves the data files of build `generation`, unless a newer build's pages are served by
    /// now (its own data step follows). Returns whether they were published.
    fn publish_data(&self, generation: u64, data: BTreeMap<PathBuf, Vec<u8>>) -> bool {
        let mut c = self.site.write().unwrap_or_else(|e| e.into_inner());
        if c.generation != generation {
            return false;
        }
        let Current {
            files, data: paths, ..
        } = &mut *c;
        let files = Arc::make_mut(files);
        for gone in paths.iter().filter(|p| !data.contains_key(*p)) {
            files.remove(gone);
        }
        *paths = data.keys().cloned().collect();
        for (path, bytes) in data {
            files.insert(path, Arc::new(bytes));
        }
        c.data_of = Some(generation);
        true
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

/// The served page: the policy lets the page talk to this server, and the client is added.
fn inject(html: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(html).replace("connect-src 'none'", "connect-src 'self'");
    let script = format!("<script>{CLIENT}</script></body>");
    s.replacen("</body>", &script, 1).into_bytes()
}

/// The answer to a request for `path` (decoded, without the leading `/`).
fn respond(state: &State, request: &Request) -> Reply {
    let path = request.path.as_str();
    if path == "__atlas/events" {
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
        // Each event is written to the connection at once (its writes time out, so a page
        // that stops reading ends its stream).
        return Reply::Stream(Box::new(move |mut w| {
            use std::io::Write;
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
        }));
    }
    if path == "__atlas/status" {
        let e = state
            .error
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let body = serde_json::json!({ "ok": e.is_none(), "error": e }).to_string();
        return Reply::Full {
            status: 200,
            content_type: "application/json",
            body: Body::Owned(body.into_bytes()),
        };
    }
    let mut rel = path.to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let files = state.current();
    // Files are looked up in the rendered map only: no path ever reaches the file system.
    match files.get(&PathBuf::from(&rel)) {
        Some(bytes) => Reply::Full {
            status: 200,
            content_type: content_type(&rel),
            body: if rel.ends_with(".html") {
                Body::Owned(inject(bytes))
            } else {
                Body::Shared(Arc::clone(bytes))
            },
        },
        None => Reply::Full {
            status: 404,
            content_type: "text/plain; charset=utf-8",
            body: Body::Owned(format!("not found: /{rel}").into_bytes()),
        },
    }
}

/// Runs the server until the process is stopped.
pub(crate) fn serve(o: &Options, port: u16) -> Result<(), String> {
    let state = Arc::new(State {
        site: RwLock::new(Current::default()),
        error: RwLock::new(None),
        listeners: Mutex::new(Vec::new()),
        builds: Default::default(),
    });
    // Watching starts before the first build reads the files, so that no edit falls between.
    let (tx, rx) = channel();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in [&o.content, &o.theme] {
        if !dir.is_dir() {
            return Err(format!(
                "{}: directory not found; run atlas from the project root, or pass --content DIR / --theme DIR",
                dir.display()
            ));
        }
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    }
    let mut session = Session::default();
    // The first build's data files are there before the first request is answered.
    rebuild(&mut session, o, &state, Instant::now(), false);
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    // The first line of standard output is the address, for scripts and tests.
    println!("http://{addr}/");
    eprintln!(
        "atlas serve: serving http://{addr}/ — watching {} and {}",
        o.content.display(),
        o.theme.display()
    );

    let watch_state = Arc::clone(&state);
    let opts = o.clone();
    std::thread::spawn(move || {
        let _keep = watcher;
        rebuild_loop(&rx, &watch_state, &opts, session);
    });
    http::run(
        &listener,
        http::Limits::default(),
        Arc::new(move |r: &Request| respond(&state, r)),
    );
    Ok(())
}

/// Rebuilds what changed and serves it: the pages first (and the open pages reload), then the
/// search index and data files — on their own thread when `background`, so that the next edit
/// need not wait for them (a newer build makes them stop). On an error the last good site stays
/// and the pages show it.
fn rebuild(
    session: &mut Session,
    o: &Options,
    state: &Arc<State>,
    seen: Instant,
    background: bool,
) {
    let t = Instant::now();
    let build = state.builds.fetch_add(1, Ordering::SeqCst) + 1;
    let (before, data_of) = state.generations();
    match session.pages(o) {
        Ok(pages) => {
            let (rendered, stale) = (pages.changed.len(), pages.data_stale);
            let generation = state.publish_pages(pages);
            *state.error.write().unwrap_or_else(|e| e.into_inner()) = None;
            eprintln!(
                "atlas serve: {rendered} page(s) rendered in {} ms, served {} ms after the change was seen",
                t.elapsed().as_millis(),
                seen.elapsed().as_millis()
            );
            state.broadcast("reload", "");
            // The data files follow if they changed since the last build, or if the last
            // build's own were never served (a newer build stopped them).
            if stale || data_of != Some(before) {
                data_step(session, o, state, generation, build, background);
            }
        }
        Err(e) => {
            // The overlay shows every diagnostic, or the error itself.
            let e = match e.diagnostics() {
                [] => e.to_string(),
                found => found
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            eprintln!("{e}\natlas serve: the last good site is still served");
            *state.error.write().unwrap_or_else(|e| e.into_inner()) = Some(e.clone());
            state.broadcast("error", &e);
            // This build stopped the last good build's data step: it runs again, so that the
            // search and exports follow the pages still served.
            let (generation, data_of) = state.generations();
            if data_of != Some(generation) {
                data_step(session, o, state, generation, build, background);
            }
        }
    }
}

/// Renders the data files of the last good build (published as build `generation`, started
/// as the `build`th) and serves them, unless a newer build starts meanwhile.
fn data_step(
    session: &Session,
    o: &Options,
    state: &Arc<State>,
    generation: u64,
    build: u64,
    background: bool,
) {
    let Some(job) = session.data_job(o) else {
        return;
    };
    let state = Arc::clone(state);
    let run = move || {
        let t = Instant::now();
        let live = || state.builds.load(Ordering::SeqCst) == build;
        match job.run(&live) {
            Ok(data) => {
                if state.publish_data(generation, data) {
                    eprintln!(
                        "atlas serve: search index and data updated in {} ms",
                        t.elapsed().as_millis()
                    );
                }
            }
            // A newer build took over: its own data step follows.
            Err(_) if !live() => {}
            Err(e) => eprintln!("atlas serve: data files: {e}"),
        }
    };
    if background {
        std::thread::spawn(run);
    } else {
        run();
    }
}

/// Waits for changes, lets a burst of events settle, rebuilds, and tells the pages.
fn rebuild_loop(
    rx: &Receiver<notify::Result<notify::Event>>,
    state: &Arc<State>,
    o: &Options,
    mut session: Session,
) {
    while let Ok(first) = rx.recv() {
        let seen = Instant::now();
        let mut relevant = is_relevant(&first);
        // Reading the theme (the data step copies its static files) is not changing it.
        let mut theme = relevant && touches(&first, &o.theme);
        // Editors write files in several steps: collect what arrives within a short moment.
        while let Ok(ev) = rx.recv_timeout(Duration::from_millis(30)) {
            let r = is_relevant(&ev);
            relevant |= r;
            theme |= r && touches(&ev, &o.theme);
        }
        if !relevant {
            continue;
        }
        if theme {
            session.theme_changed();
        }
        rebuild(&mut session, o, state, seen, true);
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

    fn state() -> State {
        State {
            site: RwLock::new(Current::default()),
            error: RwLock::new(None),
            listeners: Mutex::new(Vec::new()),
            builds: Default::default(),
        }
    }

    fn pages(changed: &[&str], removed: &[&str]) -> Pages {
        Pages {
            changed: changed
                .iter()
                .map(|p| (PathBuf::from(p), p.as_bytes().to_vec()))
                .collect(),
            removed: removed.iter().map(PathBuf::from).collect(),
            data_stale: true,
        }
    }

    fn data(paths: &[&str], tag: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        paths
            .iter()
            .map(|p| (PathBuf::from(p), tag.as_bytes().to_vec()))
            .collect()
    }

    /// A build's data files are served only while its pages are the newest; a newer build's
    /// replace them, dropping the files it no longer has; pages and data files do not clobber
    /// each other.
    #[test]
    fn data_files_of_a_superseded_build_are_not_served() {
        let s = state();
        let first = s.publish_pages(pages(&["a.html", "b.html"], &[]));
        assert!(s.publish_data(first, data(&["data/x.json", "assets/search/d-0.js"], "1")));
        assert_eq!(s.generations(), (first, Some(first)));
        let second = s.publish_pages(pages(&["a.html"], &["b.html"]));
        let third = s.publish_pages(pages(&["c.html"], &[]));
        // The second build's data step finishes late: refused.
        assert!(!s.publish_data(second, data(&["data/x.json"], "2")));
        assert_eq!(s.generations(), (third, Some(first)));
        assert!(s.publish_data(third, data(&["data/x.json"], "3")));
        let files = s.current();
        let names: Vec<&str> = files.keys().filter_map(|p| p.to_str()).collect();
        assert_eq!(names, ["a.html", "c.html", "data/x.json"]);
        assert_eq!(files[&PathBuf::from("data/x.json")].as_slice(), b"3");
        assert_eq!(s.generations(), (third, Some(third)));
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
