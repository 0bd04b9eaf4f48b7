//! Printing reports to stdout. A reader that closes the pipe early
//! (`porta inspect x.wasm | head`) ends porta quietly, as it ends other Unix
//! tools, instead of a panic from `println!`.

use std::io::{ErrorKind, Write};

pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// `println!` for reports: see [`print`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::print(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use outln;
