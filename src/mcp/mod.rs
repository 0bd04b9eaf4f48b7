//! `porta serve`: an MCP server over stdio that turns a `.wasm` agent into
//! tools, resources and prompts (SPEC §4, §6).

mod agent;
mod calls;
mod catalog;
mod http;
mod prewarm;
mod server;
pub mod transport;

use crate::cli::ServeArgs;
use crate::sandbox::Sandbox;
use crate::{commands, exit};
use server::Server;
use std::sync::Arc;
use std::time::{Duration, Instant};
use transport::{Incoming, Reader, Writer};

/// How long calls in flight may finish after stdin closes.
const EXIT_GRACE: Duration = Duration::from_secs(5);

pub fn serve(args: ServeArgs) -> u8 {
    serve_stream(&args, std::io::stdin().lock(), Box::new(std::io::stdout()), EXIT_GRACE)
}

/// Serves the messages read from `input` until it ends, replying on
/// `output`; calls still running then get `grace` to finish before they
/// are stopped. Returns porta's exit status.
pub fn serve_stream(args: &ServeArgs, input: impl std::io::BufRead, output: Box<dyn std::io::Write + Send>, grace: Duration) -> u8 {
    // `--prewarm`'s snapshot stays in the process, with this very module.
    match Sandbox::new(&args.module, &args.sandbox(), false) {
        Ok(sandbox) => serve_sandbox(args, Sandbox { guest_args: args.args.clone(), ..sandbox }, input, output, grace),
        Err(e) => {
            eprintln!("porta: {e}");
            exit::REFUSED
        }
    }
}

/// [`serve_stream`] with the sandbox already built from `args` (the fuzz
/// target builds it once for many sessions).
pub fn serve_sandbox(
    args: &ServeArgs,
    sandbox: Sandbox,
    input: impl std::io::BufRead,
    output: Box<dyn std::io::Write + Send>,
    grace: Duration,
) -> u8 {
    let manifest = sandbox.manifest.clone().unwrap_or_else(|| {
        let name = args.module.file_stem().map_or("agent".into(), |s| s.to_string_lossy().into_owned());
        commands::build::manifest_for(&sandbox.module, &name)
    });
    let missing = missing_manifest(args, &sandbox);
    let audit = match &args.audit {
        None => None,
        Some(path) => match std::fs::OpenOptions::new().create(true).append(true).open(path) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("porta: cannot open audit log {}: {e}", path.display());
                return exit::REFUSED;
            }
        },
    };
    let mut linker = porta_interp::Linker::new();
    porta_interp::wasi::add_to_linker(&mut linker);
    let mut catalog = catalog::Catalog::new(&manifest);
    // porta.http needs both the capability and a list of where it may go.
    let http = if sandbox.caps.contains(porta_interp::wasi::Capabilities::NET) && !args.sandbox.allow_net.is_empty() {
        // Only a --timeout the user gave: serve's default is for guests.
        let timeout = args.sandbox.timeout.and(sandbox.timeout);
        match http::HttpTool::new(&args.sandbox.allow_net, timeout) {
            Ok(t) => {
                catalog.tools.push(http::HttpTool::definition());
                Some(t)
            }
            Err(e) => {
                eprintln!("porta: {e}");
                return exit::REFUSED;
            }
        }
    } else {
        None
    };
    // porta.exec needs both the capability and the list of commands.
    let exec = if sandbox.caps.contains(porta_interp::wasi::Capabilities::EXEC) && !args.sandbox.allow_exec.is_empty() {
        let timeout = args.sandbox().timeout.filter(|t| *t > 0.0).map(std::time::Duration::from_secs_f64);
        match crate::native::exec::ExecTool::new(&args.sandbox.allow_exec, &sandbox.mounts, &args.sandbox.allow_net, timeout) {
            Ok((t, notes)) => {
                for n in notes {
                    eprintln!("[porta] note: {n}");
                }
                catalog.tools.push(t.definition());
                Some(t)
            }
            Err(e) => {
                eprintln!("porta: {e}");
                return exit::REFUSED;
            }
        }
    } else {
        None
    };
    if catalog.tools.is_empty() && catalog.resources.is_empty() && catalog.prompts.is_empty() {
        let why = missing.unwrap_or_else(|| match sandbox.manifest {
            Some(_) => "its manifest lists no tools, resources or prompts".into(),
            None => format!("{} exports no functions and has no manifest", args.module.display()),
        });
        eprintln!("porta: nothing to serve: {why}");
        return exit::REFUSED;
    }
    if let Some(why) = missing {
        // Builtins alone are served; the agent's own tools are missing.
        eprintln!("[porta] the agent offers no tools: {why}");
    }
    eprintln!(
        "[porta] serving {} ({} tools, {} resources, {} prompts; capabilities: {})",
        args.module.display(),
        catalog.tools.len(),
        catalog.resources.len(),
        catalog.prompts.len(),
        sandbox.caps
    );
    let prewarm = match args.prewarm {
        false => None,
        true => match prewarm::Prewarm::new(&sandbox, &linker) {
            Ok(p) => {
                eprintln!("[porta] prewarmed: calls start at step {} (the agent's first read of stdin)", p.steps);
                Some(p)
            }
            Err(e) => {
                eprintln!("porta: {e}");
                return exit::REFUSED;
            }
        },
    };
    let writer = Writer::new(output);
    let options = server::Options {
        page_size: args.page_size as usize,
        max_concurrent: args.max_concurrent,
        max_queue: args.max_queue,
        audit,
        http,
        exec,
        prewarm,
    };
    let server = match Server::new(sandbox, linker, catalog, writer, options) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    let mut reader = Reader::new(input);
    loop {
        match reader.next_message() {
            Ok(Incoming::Message(bytes, framing)) => server.handle(&bytes, framing),
            Ok(Incoming::Oversized(framing)) => server.too_large(framing),
            Ok(Incoming::BadFraming(why)) => server.bad_framing(&why),
            Ok(Incoming::Eof) | Err(_) => break,
        }
    }
    // The client closed stdin. Calls it sent before get a few seconds to
    // answer (so `echo REQUEST | porta serve` works), then are stopped.
    let deadline = Instant::now() + grace;
    while !server.idle() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    server.close();
    0
}

/// What was found, and what to do, when a command module comes without a
/// manifest: its tools are in the manifest only (a library's exports are
/// served directly).
fn missing_manifest(args: &ServeArgs, sandbox: &Sandbox) -> Option<String> {
    let command = sandbox.module.exports().any(|(name, _)| name == "_start");
    if sandbox.manifest.is_some() || !command {
        return None;
    }
    let module = args.module.display();
    let beside = crate::manifest::beside(&args.module);
    Some(format!(
        "{module} is a command module (it exports `_start`) with no manifest ({} not found); \
         write one with `porta build {module}` and list the agent's tools in it",
        beside.display()
    ))
}
