//! SIGTERM as a request to stop (`porta stop`, a service manager): porta
//! notes it, a wasm guest is interrupted at its next step boundary (exit
//! 143, with the metrics line), and no restart follows.
//!
//! A signal handler may only do async-signal-safe things, such as storing
//! to an atomic: it sets the interrupt flag of the running store itself,
//! which is one flag for the whole process ([`flag`]), so no thread has to
//! carry the signal over (a watcher thread cost every run its start-up).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once, OnceLock};
use std::time::{Duration, Instant};

static REQUESTED: AtomicBool = AtomicBool::new(false);
/// The interrupt flag that [`flag`] hands to stores. Set before the
/// handler is installed and never dropped, so the handler may store to it.
static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
const POLL: Duration = Duration::from_millis(10);

/// Exit status of a run stopped by SIGTERM (128 + 15, as a shell reports).
pub const EXIT: u8 = 143;

extern "C" fn on_sigterm(_: libc::c_int) {
    REQUESTED.store(true, Ordering::SeqCst);
    // An atomic load (the lock is initialised) and an atomic store.
    if let Some(flag) = FLAG.get() {
        flag.store(true, Ordering::SeqCst);
    }
}

/// Handles SIGTERM from now on (once per process).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)));
        // SAFETY: the handler only loads and stores atomics.
        unsafe { libc::signal(libc::SIGTERM, on_sigterm as *const () as libc::sighandler_t) };
    });
}

/// The interrupt flag for the store about to run, which SIGTERM sets: one
/// store at a time (a run, a resume, one attempt of a restarting run). It
/// starts set if SIGTERM came already.
pub fn flag() -> Arc<AtomicBool> {
    let flag = FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)));
    flag.store(requested(), Ordering::SeqCst);
    flag.clone()
}

/// Whether SIGTERM has arrived.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Sleeps `d`, or less if SIGTERM arrives; whether it did.
pub fn sleep(d: Duration) -> bool {
    let end = Instant::now() + d;
    while Instant::now() < end {
        if requested() {
            return true;
        }
        std::thread::sleep(POLL.min(end.saturating_duration_since(Instant::now())));
    }
    requested()
}
