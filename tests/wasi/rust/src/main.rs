//! Rust std on WASI under porta: each case is argv[1]; prints `ok <case>`
//! and exits 0, or prints `FAIL <case>: <why>` on stderr and exits 1.
//! Cases that touch files expect a writable mount at /sandbox.

mod rights;

use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::process::exit;

fn check(case: &str, cond: bool, why: &str) {
    if !cond {
        eprintln!("FAIL {case}: {why}");
        exit(1);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let case = args.get(1).map(String::as_str).unwrap_or("list");
    match case {
        "list" => {
            for c in ["files", "dirs", "escape", "env", "time", "std_tree"] {
                println!("{c}");
            }
            for (c, _) in rights::CASES {
                println!("{c}");
            }
            return;
        }
        "std_tree" => {
            // Under a plain `-v DIR`: the guest sees the mount at DIR itself.
            let root = args.get(2).map(String::as_str).unwrap_or("/sandbox");
            let top = format!("{root}/tree");
            fs::create_dir_all(format!("{top}/a/b")).unwrap();
            for (i, name) in ["a/one.txt", "a/two.txt", "a/b/three.txt"].iter().enumerate() {
                fs::write(format!("{top}/{name}"), format!("{i}\n")).unwrap();
            }
            let mut names: Vec<String> =
                fs::read_dir(format!("{top}/a")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
            names.sort();
            check(case, names == ["b", "one.txt", "two.txt"], &format!("entries {names:?}"));
            check(case, fs::metadata(format!("{top}/a/b")).unwrap().is_dir(), "b is a directory");
            fs::rename(format!("{top}/a/one.txt"), format!("{top}/a/two.txt")).unwrap();
            check(case, fs::read_to_string(format!("{top}/a/two.txt")).unwrap() == "0\n", "rename over a file");
            check(case, fs::rename(format!("{top}/a/b"), format!("{top}/a/two.txt")).is_err(), "dir over a file");
            fs::create_dir(format!("{top}/empty")).unwrap();
            fs::rename(format!("{top}/a/b"), format!("{top}/empty")).unwrap();
            check(case, fs::read_to_string(format!("{top}/empty/three.txt")).unwrap() == "2\n", "dir over an empty dir");
            let mut f = fs::File::options().append(true).open(format!("{top}/a/two.txt")).unwrap();
            f.write_all(b"more\n").unwrap();
            f.sync_all().unwrap();
            check(case, fs::read_to_string(format!("{top}/a/two.txt")).unwrap() == "0\nmore\n", "append");
            fs::remove_dir_all(format!("{top}/empty")).unwrap();
        }
        "files" => {
            let p = "/sandbox/rust.txt";
            fs::write(p, b"hello rust").unwrap();
            let mut f = fs::OpenOptions::new().read(true).write(true).open(p).unwrap();
            f.seek(SeekFrom::Start(6)).unwrap();
            f.write_all(b"RUST").unwrap();
            f.seek(SeekFrom::Start(0)).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            check(case, s == "hello RUST", &format!("read back {s:?}"));
            check(case, fs::metadata(p).unwrap().len() == 10, "size");
            let mut a = fs::OpenOptions::new().append(true).open(p).unwrap();
            a.write_all(b"!").unwrap();
            check(case, fs::read_to_string(p).unwrap() == "hello RUST!", "append");
            fs::rename(p, "/sandbox/renamed.txt").unwrap();
            check(case, fs::metadata(p).is_err(), "old name gone");
            fs::remove_file("/sandbox/renamed.txt").unwrap();
        }
        "dirs" => {
            fs::create_dir_all("/sandbox/a/b/c").unwrap();
            for i in 0..150 {
                fs::write(format!("/sandbox/a/f{i:03}"), i.to_string()).unwrap();
            }
            let mut names: Vec<String> =
                fs::read_dir("/sandbox/a").unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
            names.sort();
            check(case, names.len() == 151, &format!("{} entries", names.len()));
            check(case, names[0] == "b" && names[150] == "f149", "names");
            check(case, fs::remove_dir("/sandbox/a").is_err(), "removing a non-empty dir fails");
            fs::remove_dir_all("/sandbox/a").unwrap();
            check(case, fs::metadata("/sandbox/a").is_err(), "removed");
        }
        "escape" => {
            for p in ["/sandbox/../etc/passwd", "/etc/passwd", "/sandbox/../../../etc/passwd"] {
                check(case, fs::read(p).is_err(), &format!("{p} was readable"));
            }
            check(case, fs::write("/sandbox/../escaped.txt", b"x").is_err(), "wrote outside");
        }
        "env" => {
            check(case, args.len() == 3 && args[2] == "extra arg", &format!("args {args:?}"));
            check(case, std::env::var("PORTA_TEST").as_deref() == Ok("yes"), "env var");
        }
        "time" => {
            let t0 = std::time::Instant::now();
            std::thread::sleep(std::time::Duration::from_millis(20));
            check(case, t0.elapsed().as_millis() >= 20, "slept");
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
            check(case, now.as_secs() > 1_600_000_000, "wall clock");
        }
        other => match rights::CASES.iter().find(|(c, _)| *c == other) {
            Some((_, run)) => {
                if let Err(why) = run() {
                    eprintln!("FAIL {other}: {why}");
                    exit(1);
                }
            }
            None => {
                eprintln!("FAIL {other}: unknown case");
                exit(2);
            }
        },
    }
    println!("ok {case}");
}
