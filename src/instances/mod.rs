//! Detached instances (SPEC §8): `run -d` and `up -d` start a supervisor
//! process in its own session that runs the target (with its restart
//! policy) and records it under `$PORTA_HOME/instances/<id>/`. `home` owns
//! that directory (ids, atomic writes, locks), `record` the
//! `instance.json` file and whether its process still lives, `supervisor`
//! the start and the supervising process. The commands that read them
//! (`ps`, `stop`, `kill`, `logs`, `rm`) are in `commands::instances`.

pub mod home;
pub mod record;
pub mod supervisor;
