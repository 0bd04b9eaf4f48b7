//! Rebuilds the committed `.wasm` examples from their `.wat` sources:
//! `cargo run --example wat2wasm -- IN.wat OUT.wasm` (see examples/build.sh).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: wat2wasm IN.wat OUT.wasm");
        std::process::exit(2);
    };
    let bytes = wat::parse_file(input).unwrap_or_else(|e| {
        eprintln!("{input}: {e}");
        std::process::exit(1);
    });
    std::fs::write(output, bytes).unwrap_or_else(|e| {
        eprintln!("{output}: {e}");
        std::process::exit(1);
    });
}
