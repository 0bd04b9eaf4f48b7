//! The `porta` library behind the CLI: the command-line syntax, one module
//! per command, the MCP server, native mode (commands under OS
//! restrictions), the manifest and the sandbox settings that
//! `run` and `serve` share. `main.rs` only dispatches; the fuzz targets
//! (`fuzz/`) drive the manifest parser and the MCP server through here.

mod analysis;
pub mod cli;
pub mod commands;
mod envfile;
pub mod exit;
mod imports;
pub mod instances;
pub mod manifest;
pub mod mcp;
mod module_file;
pub mod native;
mod netlist;
pub mod output;
mod profile;
pub mod project;
mod restart;
pub mod snapshot;
pub mod sandbox;
pub mod terminate;
mod v128_text;
