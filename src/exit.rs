//! Exit statuses of `porta run` (SPEC §5).

/// Refused before start: bad flag, invalid module, missing file.
pub const REFUSED: u8 = 125;
/// The guest trapped.
pub const TRAPPED: u8 = 134;
/// The step limit was reached.
pub const STEP_LIMIT: u8 = 152;
/// `--timeout` elapsed.
pub const TIMEOUT: u8 = 124;
