//! Guest calls in flight: every call id the server has accepted and not yet
//! answered, a bounded queue of calls waiting for a slot, at most
//! `max_concurrent` worker threads running them, and one watchdog thread for
//! timeouts and progress. A queued call holds no thread: a worker is started
//! for a call only while a slot is free, and drains the queue before it exits.

use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How often a call with a progress token reports progress.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);
/// Most bytes of requests the queued calls hold between them (one message
/// may be 16 MiB): past it the queue is full whatever its length.
pub const MAX_QUEUED_BYTES: usize = 32 << 20;

/// Runs one call; it calls [`Calls::finish`] before it replies.
pub type Job = Box<dyn FnOnce(&Control) + Send>;
/// Sends one progress notification (milliseconds since the call started).
pub type Progress = Box<dyn Fn(u64) + Send>;

/// Why a call was not accepted.
pub enum Refused {
    /// Another call in flight has this id.
    Duplicate,
    /// The queue is full (by count or bytes): how many calls wait.
    Busy(usize),
    /// No worker thread could be started for it.
    NoThread(String),
}

pub struct Calls {
    state: Mutex<State>,
    /// Wakes the watchdog when a call starts.
    started: Condvar,
    max_concurrent: usize,
    max_queue: usize,
    timeout: Option<Duration>,
    /// Joined when the session closes, so no thread outlives it.
    watchdog: Mutex<Option<std::thread::JoinHandle<()>>>,
    workers: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

#[derive(Default)]
struct State {
    /// Every id accepted and not yet answered (or cancelled).
    calls: HashMap<String, Slot>,
    queue: VecDeque<Queued>,
    /// Bytes of the queued calls' requests.
    queued_bytes: usize,
    workers: usize,
    /// Calls started so far: the watchdog looks again when it changed.
    starts: u64,
    /// The session is over: the watchdog ends.
    closed: bool,
}

enum Slot {
    Queued,
    Running(Arc<Control>),
}

struct Queued {
    key: String,
    size: usize,
    progress: Option<Progress>,
    job: Job,
}

/// A running call: how the guest is stopped, and whether it was.
pub struct Control {
    key: String,
    /// Set on cancel or timeout; the store polls it.
    interrupt: Arc<AtomicBool>,
    cancelled: AtomicBool,
    timed_out: AtomicBool,
    started: Instant,
    deadline: Option<Instant>,
    progress_sent: AtomicU64,
    /// Taken when the call finishes, under this lock, so no progress
    /// notification follows the reply.
    progress: Mutex<Option<Progress>>,
}

impl Control {
    pub fn interrupt_handle(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    pub fn timed_out(&self) -> bool {
        self.timed_out.load(Ordering::Relaxed)
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
        self.interrupt.store(true, Ordering::Relaxed);
    }

    /// Times the call out if its deadline passed, sends progress if due, and
    /// says when it next needs looking at.
    fn tick(&self, now: Instant) -> Option<Instant> {
        if self.deadline.is_some_and(|d| now >= d) && !self.timed_out.swap(true, Ordering::Relaxed) {
            self.interrupt.store(true, Ordering::Relaxed);
        }
        let progress = lock(&self.progress);
        let next_progress = progress.as_ref().map(|send| {
            let n = self.progress_sent.load(Ordering::Relaxed);
            let due = self.started + PROGRESS_EVERY * (n as u32 + 1);
            if now < due {
                return due;
            }
            send(now.duration_since(self.started).as_millis() as u64);
            self.progress_sent.store(n + 1, Ordering::Relaxed);
            due + PROGRESS_EVERY
        });
        let deadline = self.deadline.filter(|_| !self.timed_out());
        [deadline, next_progress].into_iter().flatten().min()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Calls {
    /// The call table, and its watchdog thread.
    pub fn start(max_concurrent: usize, max_queue: usize, timeout: Option<Duration>) -> std::io::Result<Arc<Calls>> {
        let calls = Arc::new(Calls {
            state: Mutex::new(State::default()),
            started: Condvar::new(),
            max_concurrent,
            max_queue,
            timeout,
            watchdog: Mutex::new(None),
            workers: Mutex::new(Vec::new()),
        });
        let watched = calls.clone();
        let watchdog = std::thread::Builder::new().name("porta-watchdog".into()).spawn(move || watched.watchdog())?;
        *lock(&calls.watchdog) = Some(watchdog);
        Ok(calls)
    }

    /// Accepts a call: it starts on a new worker when a slot is free, else
    /// waits in the queue.
    pub fn submit(self: &Arc<Self>, key: String, size: usize, progress: Option<Progress>, job: Job) -> Result<(), Refused> {
        let mut st = lock(&self.state);
        if st.calls.contains_key(&key) {
            return Err(Refused::Duplicate);
        }
        if st.workers >= self.max_concurrent {
            let too_big = !st.queue.is_empty() && st.queued_bytes + size > MAX_QUEUED_BYTES;
            if st.queue.len() >= self.max_queue || too_big {
                return Err(Refused::Busy(st.queue.len()));
            }
            st.calls.insert(key.clone(), Slot::Queued);
            st.queued_bytes += size;
            st.queue.push_back(Queued { key, size, progress, job });
            return Ok(());
        }
        st.workers += 1;
        let control = self.begin(&mut st, key, progress);
        drop(st);
        let calls = self.clone();
        let first = control.clone();
        let spawned = std::thread::Builder::new().name("porta-call".into()).spawn(move || calls.work(first, job));
        let e = match spawned {
            Ok(worker) => {
                let mut workers = lock(&self.workers);
                workers.retain(|w| !w.is_finished());
                workers.push(worker);
                return Ok(());
            }
            Err(e) => e,
        };
        let mut st = lock(&self.state);
        st.workers -= 1;
        st.calls.remove(&control.key);
        Err(Refused::NoThread(e.to_string()))
    }

    /// A worker: runs its first call, then queued calls until there are none.
    fn work(self: Arc<Self>, control: Arc<Control>, job: Job) {
        let mut next = Some((control, job));
        while let Some((control, job)) = next {
            let run = std::panic::AssertUnwindSafe(|| job(&control));
            if std::panic::catch_unwind(run).is_err() {
                eprintln!("[porta] internal error: a call panicked; it gets no reply");
            }
            self.finish(&control);
            next = self.next_call();
        }
    }

    fn next_call(&self) -> Option<(Arc<Control>, Job)> {
        let mut st = lock(&self.state);
        let Some(q) = st.queue.pop_front() else {
            st.workers -= 1;
            return None;
        };
        st.queued_bytes -= q.size;
        Some((self.begin(&mut st, q.key, q.progress), q.job))
    }

    /// Marks a call running and shows it to the watchdog.
    fn begin(&self, st: &mut State, key: String, progress: Option<Progress>) -> Arc<Control> {
        let started = Instant::now();
        let control = Arc::new(Control {
            key: key.clone(),
            interrupt: Arc::new(AtomicBool::new(false)),
            cancelled: AtomicBool::new(false),
            timed_out: AtomicBool::new(false),
            started,
            deadline: self.timeout.map(|t| started + t),
            progress_sent: AtomicU64::new(0),
            progress: Mutex::new(progress),
        });
        st.calls.insert(key, Slot::Running(control.clone()));
        st.starts += 1;
        self.started.notify_one();
        control
    }

    /// Ends a call before its reply is sent: no more progress, and its id is
    /// free again (a client may reuse it as soon as it has the reply).
    /// Returns false when the call was cancelled and must get no reply.
    pub fn finish(&self, control: &Control) -> bool {
        lock(&control.progress).take();
        let mut st = lock(&self.state);
        if matches!(st.calls.get(&control.key), Some(Slot::Running(c)) if std::ptr::eq(&**c, control)) {
            st.calls.remove(&control.key);
        }
        !control.cancelled.load(Ordering::Relaxed)
    }

    /// `notifications/cancelled`: a running call is stopped, a queued one
    /// dropped; neither gets a reply. Unknown ids are ignored.
    pub fn cancel(&self, key: &str) {
        let mut st = lock(&self.state);
        match st.calls.get(key) {
            Some(Slot::Running(c)) => c.cancel(),
            Some(Slot::Queued) => {
                st.calls.remove(key);
                if let Some(i) = st.queue.iter().position(|q| q.key == key) {
                    let q = st.queue.remove(i);
                    st.queued_bytes -= q.map_or(0, |q| q.size);
                }
            }
            None => {}
        }
    }

    /// Ends the session (the client went away): every call stops, the
    /// watchdog ends and is waited for, and so are the workers when none
    /// is running a call any more (after the grace period some may still
    /// be, in a host call; the process is about to exit then).
    pub fn close(&self) {
        self.cancel_all();
        if let Some(watchdog) = lock(&self.watchdog).take() {
            let _ = watchdog.join();
        }
        if lock(&self.state).workers == 0 {
            for worker in std::mem::take(&mut *lock(&self.workers)) {
                let _ = worker.join();
            }
        }
    }

    fn cancel_all(&self) {
        let mut st = lock(&self.state);
        st.closed = true;
        self.started.notify_one();
        st.queue.clear();
        st.queued_bytes = 0;
        st.calls.retain(|_, slot| match slot {
            Slot::Running(c) => {
                c.cancel();
                true
            }
            Slot::Queued => false,
        });
    }

    /// No call in flight and none still writing its reply: a worker
    /// leaves only after its last call's reply is out.
    pub fn idle(&self) -> bool {
        let st = lock(&self.state);
        st.calls.is_empty() && st.workers == 0
    }

    /// One thread for every running call's timeout and progress: it sleeps
    /// until the next deadline or progress tick, or until a call starts.
    fn watchdog(&self) {
        let mut st = lock(&self.state);
        loop {
            let seen = st.starts;
            let running: Vec<Arc<Control>> = st
                .calls
                .values()
                .filter_map(|s| match s {
                    Slot::Running(c) => Some(c.clone()),
                    Slot::Queued => None,
                })
                .collect();
            drop(st);
            // Progress is written to stdout: never while holding the table.
            let now = Instant::now();
            let next = running.iter().filter_map(|c| c.tick(now)).min();
            st = lock(&self.state);
            if st.closed {
                return;
            }
            if st.starts != seen {
                continue;
            }
            st = match next {
                Some(at) => self.started.wait_timeout(st, at.saturating_duration_since(Instant::now())),
                None => self.started.wait_timeout(st, Duration::from_secs(3600)),
            }
            .unwrap_or_else(|e| e.into_inner())
            .0;
        }
    }
}

/// A request id as a key of the call table (ids may be strings or numbers).
pub fn key(id: &Value) -> String {
    id.to_string()
}
