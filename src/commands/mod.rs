//! One module per `porta` command.

pub mod run;
