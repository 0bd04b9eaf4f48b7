//! `porta serve` per-call cost: a trivial tool (`add` of the example agent)
//! with a fresh instance per call, over a real stdio connection to the
//! release binary (`cargo build --release -p porta` first; compare.sh does).
//!
//! - `mcp/sequential`: one call, wait for its reply: the latency a client
//!   sees (calls per second = 1 / this).
//! - `mcp/batch64`: 64 calls written at once, then their 64 replies: with
//!   the server's concurrent calls, throughput is 64 / this.
//! - `mcp/cpython_cold` and `mcp/cpython_prewarm`: one call at a time of
//!   the CPython agent `tests/python/agent.py` (`echo`), from `_start` and
//!   from `--prewarm`'s state (both `--deterministic`, which prewarm needs
//!   for CPython; the same server flags otherwise).

use criterion::{criterion_group, criterion_main, Criterion};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next: u64,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

impl Server {
    fn start() -> Server {
        Server::serve(&[root().join("examples/agent.wasm").to_str().unwrap()])
    }

    /// The CPython agent, prewarmed or not.
    fn python(prewarm: bool) -> Server {
        let python = porta_bench::cpython_wasm();
        let scripts = format!("{}:/s:ro", root().join("tests/python").display());
        let manifest = root().join("tests/python/agent.manifest.json");
        let mut args = vec![python.to_str().unwrap(), "--manifest", manifest.to_str().unwrap(), "-v", &scripts];
        args.extend(["--deterministic", "--max-concurrent", "1"]);
        if prewarm {
            args.push("--prewarm");
        }
        args.extend(["--", "/s/agent.py"]);
        Server::serve(&args)
    }

    fn serve(args: &[&str]) -> Server {
        let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"));
        let porta = target.join("release/porta");
        assert!(porta.exists(), "{} is missing: run `cargo build --release -p porta` first", porta.display());
        let mut child = Command::new(&porta)
            .arg("serve")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("porta serve starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Server { child, stdin, stdout, next: 0 }
    }

    fn send(&mut self) {
        self.next += 1;
        let id = self.next;
        writeln!(
            self.stdin,
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"add","arguments":{{"a":{id},"b":1}}}}}}"#
        )
        .unwrap();
    }

    fn receive(&mut self) {
        self.receive_containing("\"sum\"");
    }

    fn receive_containing(&mut self, want: &str) {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert!(line.contains(want), "unexpected reply: {line}");
    }

    fn echo(&mut self) {
        self.next += 1;
        let id = self.next;
        writeln!(self.stdin, r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"echo","arguments":{{"text":"call {id}"}}}}}}"#).unwrap();
        self.receive_containing(&format!("\"echo\":\"call {id}\""));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mcp(c: &mut Criterion) {
    let mut server = Server::start();
    server.send();
    server.receive();
    let mut group = c.benchmark_group("mcp");
    group.sample_size(20).measurement_time(Duration::from_secs(4));
    group.bench_function("sequential", |b| {
        b.iter(|| {
            server.send();
            server.receive();
        })
    });
    group.bench_function("batch64", |b| {
        b.iter(|| {
            for _ in 0..64 {
                server.send();
            }
            server.stdin.flush().unwrap();
            for _ in 0..64 {
                server.receive();
            }
        })
    });
    group.finish();
    drop(server);

    if !porta_bench::wanted(["mcp/cpython_cold".to_string(), "mcp/cpython_prewarm".to_string()]) {
        return;
    }
    let mut group = c.benchmark_group("mcp");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    for (name, prewarm) in [("cpython_cold", false), ("cpython_prewarm", true)] {
        let mut server = Server::python(prewarm);
        server.echo();
        group.bench_function(name, |b| b.iter(|| server.echo()));
    }
    group.finish();
}

criterion_group!(benches, mcp);
criterion_main!(benches);
