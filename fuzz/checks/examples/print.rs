//! Prints the module a fuzz input generates, as text:
//! `cargo run -p porta-fuzz-checks --example print -- INPUT [runnable|any]`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = std::fs::read(&args[0]).expect("read the input");
    let mut u = arbitrary::Unstructured::new(&data);
    let bytes = match args.get(1).map(String::as_str) {
        Some("any") => porta_fuzz_checks::generate::any(&mut u),
        _ => porta_fuzz_checks::generate::runnable(&mut u),
    }
    .expect("a module");
    println!("{}", wasmprinter::print_bytes(&bytes).expect("printable"));
}
