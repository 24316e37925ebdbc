//! Builds the calculator engine (`calculator-wasm`) for the browser and writes ONE classic script,
//! `$OUT_DIR/calculator.js`: the wasm-bindgen glue (no-modules, global `atlas_calc`), the wasm
//! bytes as base64, and a synchronous `initSync`. A classic script is the only thing a page
//! opened from `file://` can load (no fetch, no ES modules); the module is far below the 8 MB
//! limit of synchronous compilation on the main thread.
//!
//! Pages use it as `atlas_calc.run_json(bundle_json, input_json)`.
//!
//! `ATLAS_SKIP_WASM=1` writes a stub whose `run_json` throws a clear error (fast local builds only).

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;

const TARGET: &str = "wasm32-unknown-unknown";
const GLOBAL: &str = "atlas_calc";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir
        .parent()
        .expect("the generator lives inside the workspace")
        .to_path_buf();
    let engine = workspace.join("calculator-wasm");
    println!("cargo:rerun-if-changed={}", engine.join("src").display());
    println!(
        "cargo:rerun-if-changed={}",
        engine.join("Cargo.toml").display()
    );
    // The engine compiles in the default theme's words (calculator-wasm/build.rs).
    println!(
        "cargo:rerun-if-changed={}",
        engine.join("build.rs").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        workspace.join("themes/default/engine.toml").display()
    );
    println!("cargo:rerun-if-env-changed=ATLAS_SKIP_WASM");
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("calculator.js");

    if env::var("ATLAS_SKIP_WASM").is_ok_and(|v| v == "1") {
        println!(
            "cargo:warning=ATLAS_SKIP_WASM=1: calculator.js is a stub; calculators will not run"
        );
        write(&out, &stub());
        return;
    }

    ensure_target();
    // The outer cargo holds the lock on `target/`, so the inner build needs its own directory.
    let target_dir = workspace.join("target").join("wasm-build");
    build_wasm(&workspace, &target_dir);
    let wasm = target_dir
        .join(TARGET)
        .join("release")
        .join("calculator_wasm.wasm");
    let script = bindgen(&wasm);
    write(&out, &script);
}

/// Installs the wasm target through rustup when it is missing (idempotent and fast when present).
fn ensure_target() {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == TARGET)
        })
        .unwrap_or(false);
    if installed {
        return;
    }
    println!("cargo:warning=installing the {TARGET} target with rustup");
    let status = Command::new("rustup")
        .args(["target", "add", TARGET])
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "`rustup target add {TARGET}` failed ({s}). The calculators need this target: install it by hand \
             (`rustup target add {TARGET}`), or build with ATLAS_SKIP_WASM=1 to skip them."
        ),
        Err(e) => panic!(
            "could not run rustup to add the {TARGET} target ({e}). Install the target for the toolchain in use, \
             or build with ATLAS_SKIP_WASM=1 to skip the calculators."
        ),
    }
}

/// `cargo build --release -p calculator-wasm --target wasm32-unknown-unknown`, size-optimised.
fn build_wasm(workspace: &Path, target_dir: &Path) {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .arg("--release")
        .args(["-p", "calculator-wasm", "--lib"])
        .args(["--target", TARGET])
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        // Size profile; no `strip`: wasm-bindgen needs the custom sections it would remove.
        .args(["--config", "profile.release.opt-level=\"z\""])
        .args(["--config", "profile.release.lto=true"])
        .args(["--config", "profile.release.codegen-units=1"])
        .args(["--config", "profile.release.panic=\"abort\""])
        .args(["--config", "profile.release.debug=false"]);
    // Flags meant for the host build (coverage, sanitizers, a target override) must not leak in.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_RUSTFLAGS",
    ] {
        cmd.env_remove(var);
    }
    let status = cmd
        .status()
        .expect("could not run cargo to build calculator-wasm");
    assert!(
        status.success(),
        "building calculator-wasm for {TARGET} failed ({status}); see the errors above"
    );
}

/// Runs wasm-bindgen (as a library: its version is pinned with the crate's, so they always match)
/// and returns the single classic script.
fn bindgen(wasm: &Path) -> String {
    let mut output = wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .no_modules(true)
        .and_then(|b| b.no_modules_global(GLOBAL))
        .map(|b| {
            b.typescript(false)
                .remove_name_section(true)
                .remove_producers_section(true)
        })
        .and_then(|b| b.generate_output())
        .unwrap_or_else(|e| panic!("wasm-bindgen failed on {}: {e:#}", wasm.display()));
    let glue = output.js().to_string();
    let bytes = output.wasm_mut().emit_wasm();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let mut js = String::with_capacity(glue.len() + b64.len() + 512);
    js.push_str(
        "// JointLab Atlas calculator engine (calculator-wasm), generated by generator/build.rs.\n",
    );
    js.push_str("// Classic script: wasm-bindgen glue + the module inlined as base64, instantiated synchronously.\n");
    js.push_str(&glue);
    let _ = write!(
        js,
        "\n;(function () {{\n  var b64 = \"{b64}\";\n  var bin = atob(b64);\n  var bytes = new Uint8Array(bin.length);\n  \
         for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);\n  {GLOBAL}.initSync({{ module: bytes }});\n}})();\n"
    );
    js
}

/// The stand-in written under `ATLAS_SKIP_WASM=1`.
fn stub() -> String {
    format!(
        "// JointLab Atlas calculator stub: built with ATLAS_SKIP_WASM=1.\n\
         let {GLOBAL} = {{\n  run_json: function () {{\n    throw new Error(\"JointLab Atlas: the calculators were not built \
         (this site was generated with ATLAS_SKIP_WASM=1). Rebuild without it to enable them.\");\n  }}\n}};\n"
    )
}

fn write(path: &Path, text: &str) {
    fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
