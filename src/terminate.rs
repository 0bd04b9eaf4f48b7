//! SIGTERM as a request to stop (`porta stop`, a service manager): porta
//! notes it, a wasm guest is interrupted at its next step boundary (exit
//! 143, with the metrics line), and no restart follows. A signal handler may
//! only set a flag, so one watcher thread carries it to the running store.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

static REQUESTED: AtomicBool = AtomicBool::new(false);
/// The interrupt flag of the store running now, if any.
static CURRENT: Mutex<Option<Arc<AtomicBool>>> = Mutex::new(None);
const POLL: Duration = Duration::from_millis(10);

/// Exit status of a run stopped by SIGTERM (128 + 15, as a shell reports).
pub const EXIT: u8 = 143;

extern "C" fn on_sigterm(_: libc::c_int) {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Handles SIGTERM from now on (once per process).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: the handler only stores to an atomic.
        unsafe { libc::signal(libc::SIGTERM, on_sigterm as *const () as libc::sighandler_t) };
        std::thread::spawn(|| loop {
            std::thread::sleep(POLL);
            if REQUESTED.load(Ordering::SeqCst) {
                if let Some(flag) = CURRENT.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                    flag.store(true, Ordering::SeqCst);
                }
            }
        });
    });
}

/// Whether SIGTERM has arrived.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Interrupts `flag` on SIGTERM until the guard is dropped.
pub fn watch(flag: Arc<AtomicBool>) -> Watch {
    if requested() {
        flag.store(true, Ordering::SeqCst);
    }
    *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some(flag);
    Watch
}

pub struct Watch;

impl Drop for Watch {
    fn drop(&mut self) {
        *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
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
