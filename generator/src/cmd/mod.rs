//! The command layer of the `atlas` binary: arguments parsed, the library's pipeline
//! ([`atlas::site`]) called, its findings and errors printed, an exit code returned; and
//! `atlas serve`'s HTTP server and file watcher ([`serve`]). Nothing in the library imports it.

mod http;
mod serve;

use std::collections::BTreeMap;
use std::path::PathBuf;

use atlas::diagnostics::{escape_controls, Report};
use atlas::site::Options;

/// Runs the command line and returns the process exit code.
pub fn main(args: Vec<String>) -> i32 {
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return 2;
    };
    match cmd.as_str() {
        "import" => import(rest),
        "check" => check(rest),
        "build" => build(rest),
        "calc" => calc(rest),
        "bundle" => bundle(rest),
        "synth" => synth(rest),
        "serve" => serve(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            0
        }
        other => {
            eprintln!("atlas: unknown command '{other}'\n\n{USAGE}");
            2
        }
    }
}

const USAGE: &str = "usage: atlas <command> [options]

commands:
  check  [--content DIR]                       validate all content, report every problem
  build  [--content DIR] [--out DIR] [--as-of YYYY-MM-DD]
                                               check, then render the site (default out: site/)
  import SOURCE.txt                            print a TOML skeleton of a measure's text
  bundle [--out DIR] [--dist DIR] [--as-of D]  build, then write dist/jointlab-atlas-<date>.zip and .html
  serve  [--port N] [--content DIR] [--as-of D] serve on 127.0.0.1 (default port 8000), rebuild and reload on change
  calc list                                    every calculator with its inputs, as JSON
  calc run ID --input FILE|-                   run one calculator on a JSON object of inputs
  calc run ID --csv FILE [--out FILE]          run it once per CSV row (header = input names)
  synth  --measures N --out DIR [--seed S] [--content DIR]
                                               write DIR/content/ with N synthetic measures (benchmarks)";

fn import(args: &[String]) -> i32 {
    let [path] = args else {
        eprintln!("usage: atlas import SOURCE.txt");
        return 2;
    };
    let path = PathBuf::from(path);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            print!("{}", atlas::import::skeleton(&text, &name));
            0
        }
        Err(e) => {
            eprintln!(
                "{}: error: cannot read source: {e}\n  hint: give the path of a UTF-8 text file",
                path.display()
            );
            1
        }
    }
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    parse_options_with(args, &[]).map(|(o, _)| o)
}

/// The shared options plus a command's own value flags (`extra`, e.g. `--dist`), returned by name.
fn parse_options_with(
    args: &[String],
    extra: &[&str],
) -> Result<(Options, BTreeMap<String, String>), String> {
    let mut o = Options::default();
    let mut own = BTreeMap::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--content" => o.content = value("--content")?.into(),
            "--theme" => o.theme = value("--theme")?.into(),
            "--out" => o.out = value("--out")?.into(),
            "--as-of" => o.as_of = Some(value("--as-of")?),
            flag if extra.contains(&flag) => {
                own.insert(flag.to_string(), value(flag)?);
            }
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    Ok((o, own))
}

/// Prints every finding of `report` to standard error, in order.
fn print(report: &Report) {
    for d in &report.items {
        eprintln!("{d}");
    }
}

/// Prints the findings, then the error of `command` (its diagnostics are among the findings);
/// returns the exit code 1.
fn failed(command: &str, report: &Report, e: &atlas::Error) -> i32 {
    print(report);
    eprintln!(
        "atlas {command}: error: {}; nothing was written",
        escape_controls(&e.to_string())
    );
    1
}

/// Reads and checks the content, printing every finding; `None` when there are errors.
fn checked(o: &Options) -> Option<atlas::site::Checked> {
    let mut report = Report::default();
    let c = atlas::site::check(&o.content, &mut report);
    print(&report);
    if c.is_none() {
        eprintln!(
            "atlas: {} error(s); nothing was written",
            report.error_count()
        );
    }
    c
}

fn check(args: &[String]) -> i32 {
    let o = match parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("atlas check: {e}\n\n{USAGE}");
            return 2;
        }
    };
    match checked(&o) {
        Some(c) => {
            eprintln!(
                "atlas check: {} measure(s), no errors",
                c.corpus.measures.len()
            );
            0
        }
        None => 1,
    }
}

fn bundle(args: &[String]) -> i32 {
    let (o, own) = match parse_options_with(args, &["--dist"]) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("atlas bundle: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let dist = own
        .get("--dist")
        .map_or_else(|| PathBuf::from("dist"), PathBuf::from);
    let mut report = Report::default();
    match atlas::site::bundle(&o, &dist, &mut report) {
        Ok((z, h)) => {
            print(&report);
            eprintln!("atlas bundle: wrote {} and {}", z.display(), h.display());
            0
        }
        Err(e) => failed("bundle", &report, &e),
    }
}

fn build(args: &[String]) -> i32 {
    let o = match parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("atlas build: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let mut report = Report::default();
    match atlas::site::build(&o, &mut report) {
        Ok(n) => {
            print(&report);
            eprintln!("atlas build: wrote {n} files to {}", o.out.display());
            0
        }
        Err(e) => failed("build", &report, &e),
    }
}

fn calc(args: &[String]) -> i32 {
    let Some((sub, rest)) = args.split_first() else {
        eprintln!("usage: atlas calc list | atlas calc run ID --input FILE|- | atlas calc run ID --csv FILE [--out FILE]");
        return 2;
    };
    // Options of calc itself, then the shared --content.
    let mut input: Option<String> = None;
    let mut csv_in: Option<String> = None;
    let mut out: Option<String> = None;
    let mut id: Option<String> = None;
    let mut shared = Vec::new();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut take = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let r = match a.as_str() {
            "--input" => take("--input").map(|v| input = Some(v)),
            "--csv" => take("--csv").map(|v| csv_in = Some(v)),
            "--out" => take("--out").map(|v| out = Some(v)),
            "--content" => take("--content").map(|v| shared.extend(["--content".to_string(), v])),
            other if !other.starts_with('-') && id.is_none() => {
                id = Some(other.to_string());
                Ok(())
            }
            other => Err(format!("unknown option '{other}'")),
        };
        if let Err(e) = r {
            eprintln!("atlas calc: {e}");
            return 2;
        }
    }
    let o = match parse_options(&shared) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("atlas calc: {e}");
            return 2;
        }
    };
    let Some(checked) = checked(&o) else {
        return 1;
    };
    let Some(calcs) = checked.calculators else {
        eprintln!("atlas calc: the content defines no calculators");
        return 1;
    };
    match sub.as_str() {
        "list" => {
            let list: Vec<serde_json::Value> = calcs
                .defs
                .iter()
                .map(|d| serde_json::json!({"id": d.def.id, "title": d.def.title, "title_en": d.def.title_en, "measure": d.def.measure, "primitive": d.def.primitive, "inputs": d.def.inputs}))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
            0
        }
        "run" => {
            let Some(id) = id else {
                eprintln!("atlas calc run: which calculator? `atlas calc list` shows the ids");
                return 2;
            };
            if calcs.get(&id).is_none() {
                let ids: Vec<&str> = calcs.defs.iter().map(|d| d.def.id.as_str()).collect();
                eprintln!(
                    "atlas calc run: no calculator '{id}'; known: {}",
                    ids.join(", ")
                );
                return 2;
            }
            if let Some(path) = csv_in {
                return calc_csv(&calcs, &id, &path, out.as_deref());
            }
            let text = match input.as_deref() {
                Some("-") => {
                    let mut s = String::new();
                    match std::io::Read::read_to_string(&mut std::io::stdin(), &mut s) {
                        Ok(_) => s,
                        Err(e) => {
                            eprintln!("atlas calc run: cannot read standard input: {e}");
                            return 2;
                        }
                    }
                }
                Some(p) => match std::fs::read_to_string(p) {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("atlas calc run: cannot read {p}: {e}");
                        return 2;
                    }
                },
                None => {
                    eprintln!(
                        "atlas calc run: give --input FILE (or - for standard input) or --csv FILE"
                    );
                    return 2;
                }
            };
            match calcs.run(&id, &text) {
                Ok(out) => {
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                    0
                }
                Err(e) => {
                    eprintln!(
                        "atlas calc run: invalid input: field '{}' {} ({})",
                        escape_controls(&e.field),
                        escape_controls(&e.message),
                        e.message_zh
                    );
                    2
                }
            }
        }
        other => {
            eprintln!("atlas calc: unknown subcommand '{other}' (list, run)");
            2
        }
    }
}

/// `atlas calc run ID --csv FILE [--out FILE]`: rows streamed from `path` to standard output,
/// or to `out`, which is written beside and renamed into place only when complete (a failed
/// run leaves the previous file as it was).
fn calc_csv(calcs: &atlas::calc::Calculators, id: &str, path: &str, out: Option<&str>) -> i32 {
    use atlas::calc::csv::{run_csv, CsvError};
    use std::io::Write;
    let open = || std::fs::File::open(path).map(std::io::BufReader::new);
    let report = |e: CsvError| {
        eprintln!("atlas calc run: {}", escape_controls(&e.to_string()));
        match e {
            CsvError::Input(_) => 2,
            CsvError::Io(_) => 1,
        }
    };
    if let Err(e) = open() {
        eprintln!("atlas calc run: cannot read {}: {e}", escape_controls(path));
        return 2;
    }
    let Some(out) = out else {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        return match run_csv(calcs, id, &open, &mut stdout)
            .and_then(|()| stdout.flush().map_err(CsvError::Io))
        {
            Ok(()) => 0,
            Err(e) => report(e),
        };
    };
    let target = std::path::Path::new(out);
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let written = tempfile_in(dir).and_then(|(tmp, file)| {
        let mut w = std::io::BufWriter::new(file);
        let r = run_csv(calcs, id, &open, &mut w)
            .and_then(|()| w.flush().map_err(CsvError::Io))
            .and_then(|()| std::fs::rename(&tmp, target).map_err(CsvError::Io));
        if r.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        r
    });
    match written {
        Ok(()) => 0,
        Err(e) => report(e),
    }
}

/// A new file in `dir` for output to be renamed into place, and its path.
fn tempfile_in(
    dir: &std::path::Path,
) -> Result<(PathBuf, std::fs::File), atlas::calc::csv::CsvError> {
    let mut n = std::process::id();
    loop {
        let p = dir.join(format!(".atlas-calc-{n}.csv.tmp"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n = n.wrapping_add(1),
            Err(e) => return Err(atlas::calc::csv::CsvError::Io(e)),
        }
    }
}

fn serve(args: &[String]) -> i32 {
    let (o, own) = match parse_options_with(args, &["--port"]) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("atlas serve: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let port: u16 = match own.get("--port").map(|p| p.parse()) {
        None => 8000,
        Some(Ok(p)) => p,
        Some(Err(_)) => {
            eprintln!("atlas serve: --port needs a number (0 picks a free port)");
            return 2;
        }
    };
    match serve::serve(&o, port) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("atlas serve: error: {e}");
            1
        }
    }
}

/// `atlas synth --measures N --out DIR [--seed S] [--content DIR]`: a synthetic corpus derived
/// from the real content, for benchmarks and scale tests (see `atlas::synth`).
fn synth(args: &[String]) -> i32 {
    let (mut n, mut out, mut seed, mut content) = (None, None, 1u64, PathBuf::from("content"));
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let Some(v) = it.next() else {
            eprintln!("atlas synth: {a} needs a value");
            return 2;
        };
        match a.as_str() {
            "--measures" => match v.parse::<usize>() {
                Ok(x) => n = Some(x),
                Err(_) => {
                    eprintln!("atlas synth: --measures '{v}' is not a number");
                    return 2;
                }
            },
            "--seed" => match v.parse::<u64>() {
                Ok(x) => seed = x,
                Err(_) => {
                    eprintln!("atlas synth: --seed '{v}' is not a number");
                    return 2;
                }
            },
            "--out" => out = Some(PathBuf::from(v)),
            "--content" => content = v.into(),
            other => {
                eprintln!("atlas synth: unknown option '{other}'\n\n{USAGE}");
                return 2;
            }
        }
    }
    let (Some(n), Some(out)) = (n, out) else {
        eprintln!("usage: atlas synth --measures N --out DIR [--seed S] [--content DIR]");
        return 2;
    };
    match atlas::synth::run(&content, &out, n, seed) {
        Ok(dir) => {
            eprintln!(
                "atlas synth: wrote {n} synthetic measure(s) to {} (atlas build --content {})",
                dir.display(),
                dir.display()
            );
            0
        }
        Err(e) => {
            eprintln!("atlas synth: error: {e}");
            1
        }
    }
}
