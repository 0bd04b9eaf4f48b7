//! The module-level structure of the binary format: header, sections in
//! their required order, and the contents of each section.
//!
//! [`decode`] builds a [`DecodedModule`]. It also decodes every function body
//! once, instruction by instruction, so that a body it accepts can later be
//! read lazily without any binary-format error; that pass is also how it
//! finds `memory.init`/`data.drop` in a module without a data count section.
//! Type checking is left to the validator.

use super::error::DecodeError;
use super::op::Op;
use super::op_reader::OpReader;
use super::reader::{Reader, Result};
use super::{
    ConstExpr, CustomSection, DataSegment, DecodedModule, ElementItems, ElementSegment, Export,
    ExportKind, FuncBody, Global, Import, ImportKind, SegmentMode,
};
use crate::types::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};

/// wasmparser's limit on parameters plus declared locals of one function.
/// Matching it exactly keeps our acceptance equal to the validator's, and it
/// also covers the spec's rule that the locals' total must fit in a `u32`.
const MAX_LOCALS: u64 = 50_000;

const CUSTOM: u8 = 0;
const TYPE: u8 = 1;
const IMPORT: u8 = 2;
const FUNCTION: u8 = 3;
const TABLE: u8 = 4;
const MEMORY: u8 = 5;
const GLOBAL: u8 = 6;
const EXPORT: u8 = 7;
const START: u8 = 8;
const ELEMENT: u8 = 9;
const CODE: u8 = 10;
const DATA: u8 = 11;
const DATA_COUNT: u8 = 12;
/// The tag section of exception handling, which 2.0 does not have.
const TAG: u8 = 13;

/// Decodes a whole module.
pub fn decode(bytes: &[u8]) -> Result<DecodedModule> {
    decode_with(bytes, true)
}

/// Decodes a module with its function bodies delimited (and their locals
/// read) but their instructions unread: what loading needs when the
/// validator reads every body anyway and translation decodes each one it
/// runs. It accepts whatever [`decode`] accepts.
pub fn decode_sections(bytes: &[u8]) -> Result<DecodedModule> {
    decode_with(bytes, false)
}

fn decode_with(bytes: &[u8], check_bodies: bool) -> Result<DecodedModule> {
    let mut reader = Reader::module(bytes);
    read_header(&mut reader)?;
    let mut builder = Builder { check_bodies, ..Builder::default() };
    while !reader.is_empty() {
        builder.section(&mut reader)?;
    }
    builder.finish(&reader)
}

fn read_header(r: &mut Reader<'_>) -> Result<()> {
    if r.take(4)? != b"\0asm" {
        return Err(r.error_at(0, "magic header not detected"));
    }
    if r.take(4)? != [1, 0, 0, 0] {
        return Err(r.error_at(4, "unknown binary version"));
    }
    Ok(())
}

fn section_name(id: u8) -> Option<&'static str> {
    Some(match id {
        CUSTOM => "custom",
        TYPE => "type",
        IMPORT => "import",
        FUNCTION => "function",
        TABLE => "table",
        MEMORY => "memory",
        GLOBAL => "global",
        EXPORT => "export",
        START => "start",
        ELEMENT => "element",
        CODE => "code",
        DATA => "data",
        DATA_COUNT => "data count",
        TAG => "tag",
        _ => return None,
    })
}

/// Position of a non-custom section in the required order. The tag section
/// (id 13) sits between memory (5) and global (6), the data count section
/// (id 12) between element (9) and code (10).
fn section_rank(id: u8) -> u8 {
    match id {
        TAG => 6,
        GLOBAL..=ELEMENT => id + 1,
        DATA_COUNT => 11,
        CODE => 12,
        DATA => 13,
        other => other,
    }
}

/// The module being built plus what the cross-section checks need.
#[derive(Default)]
struct Builder {
    module: DecodedModule,
    /// Rank of the last non-custom section, to enforce order and uniqueness.
    last_rank: u8,
    saw_code: bool,
    saw_data: bool,
    /// Whether function bodies' instructions are decoded (see
    /// [`decode_sections`]).
    check_bodies: bool,
}

impl Builder {
    /// Decodes one section: id, size, contents, and the size check.
    fn section(&mut self, r: &mut Reader<'_>) -> Result<()> {
        r.set_section("module");
        let id_at = r.offset();
        let id = r.u8()?;
        let name = section_name(id).ok_or_else(|| r.error_at(id_at, "malformed section id"))?;
        r.set_section(name);
        if id != CUSTOM {
            let rank = section_rank(id);
            if rank <= self.last_rank {
                return Err(r.error_at(id_at, "unexpected content after last section"));
            }
            self.last_rank = rank;
        }
        let mut content = r.sized_window(name)?;
        self.contents(id, &mut content)?;
        if !content.is_empty() {
            return Err(content.error("section size mismatch"));
        }
        Ok(())
    }

    fn contents(&mut self, id: u8, r: &mut Reader<'_>) -> Result<()> {
        let m = &mut self.module;
        match id {
            CUSTOM => m.customs.push(custom_section(r)?),
            TYPE => m.types = r.vec(3, func_type)?,
            IMPORT => m.imports = r.vec(4, import)?,
            FUNCTION => m.functions = r.vec(1, Reader::u32)?,
            TABLE => (m.tables, m.table_inits) = r.vec(3, table)?.into_iter().unzip(),
            TAG => m.tags = r.vec(2, tag_type)?,
            MEMORY => m.memories = r.vec(2, memory_type)?,
            GLOBAL => m.globals = r.vec(3, global)?,
            EXPORT => m.exports = r.vec(3, export)?,
            START => m.start = Some(r.u32()?),
            ELEMENT => m.elements = r.vec(3, element_segment)?,
            DATA_COUNT => m.data_count = Some(r.u32()?),
            CODE => self.code_section(r)?,
            _ => self.data_section(r)?,
        }
        Ok(())
    }

    fn code_section(&mut self, r: &mut Reader<'_>) -> Result<()> {
        self.saw_code = true;
        let count_at = r.offset();
        // Compared before anything is allocated: the function section's
        // length was already bounded by that section's bytes.
        if r.u32()? as usize != self.module.functions.len() {
            return Err(r.error_at(count_at, "function and code section have inconsistent lengths"));
        }
        let mut bodies = Vec::with_capacity(self.module.functions.len());
        for &type_index in &self.module.functions {
            let params = self.module.types.get(type_index as usize).map_or(0, |t| t.params().len());
            let (body, data_use) = function_body(r, params, self.check_bodies)?;
            if let (Some(at), None) = (data_use, self.module.data_count) {
                return Err(r.error_at(at, "data count section required"));
            }
            bodies.push(body);
        }
        self.module.bodies = bodies;
        Ok(())
    }

    fn data_section(&mut self, r: &mut Reader<'_>) -> Result<()> {
        self.saw_data = true;
        let start = r.offset();
        self.module.data = r.vec(2, data_segment)?;
        if let Some(expected) = self.module.data_count {
            if expected as usize != self.module.data.len() {
                return Err(
                    r.error_at(start, "data count and data section have inconsistent lengths")
                );
            }
        }
        Ok(())
    }

    /// Checks between sections that can only be made once all are seen.
    fn finish(self, r: &Reader<'_>) -> Result<DecodedModule> {
        let end = r.offset();
        if !self.saw_code && !self.module.functions.is_empty() {
            return Err(DecodeError::new(
                "module",
                end,
                "function and code section have inconsistent lengths",
            ));
        }
        if let (Some(n), false) = (self.module.data_count, self.saw_data) {
            if n > 0 {
                return Err(DecodeError::new(
                    "module",
                    end,
                    "data count and data section have inconsistent lengths",
                ));
            }
        }
        Ok(self.module)
    }
}

fn custom_section(r: &mut Reader<'_>) -> Result<CustomSection> {
    let name = r.name()?.to_owned();
    let start = r.offset();
    let len = r.remaining();
    r.take(len)?;
    Ok(CustomSection { name, data: start..start.saturating_add(len) })
}

fn func_type(r: &mut Reader<'_>) -> Result<FuncType> {
    let at = r.offset();
    match r.u8()? {
        0x60 => {}
        0x4e | 0x4f | 0x50 | 0x5e | 0x5f => {
            return Err(r.unsupported_at(at, "gc", "a recursive, sub, struct or array type"))
        }
        // The form is a one-byte signed LEB in the spec's grammar.
        b if b & 0x80 != 0 => return Err(r.error_at(at, "integer representation too long")),
        _ => return Err(r.error_at(at, "malformed function type")),
    }
    let params = r.vec(1, Reader::val_type)?;
    let results = r.vec(1, Reader::val_type)?;
    Ok(FuncType::new(params, results))
}

/// A tag: attribute 0 (an exception), then its function type index.
fn tag_type(r: &mut Reader<'_>) -> Result<u32> {
    let at = r.offset();
    if r.u8()? != 0x00 {
        return Err(r.error_at(at, "malformed tag attribute"));
    }
    r.u32()
}

fn import(r: &mut Reader<'_>) -> Result<Import> {
    let module = r.name()?.to_owned();
    let name = r.name()?.to_owned();
    let at = r.offset();
    let kind = match r.u8()? {
        0x00 => ImportKind::Func(r.u32()?),
        0x01 => ImportKind::Table(table_type(r)?),
        0x02 => ImportKind::Memory(memory_type(r)?),
        0x03 => ImportKind::Global(global_type(r)?),
        0x04 => ImportKind::Tag(tag_type(r)?),
        _ => return Err(r.error_at(at, "malformed import kind")),
    };
    Ok(Import { module, name, kind })
}

/// A table of the table section: its type, and the expression its
/// elements start as (typed function references) after `0x40 0x00`.
fn table(r: &mut Reader<'_>) -> Result<(TableType, Option<ConstExpr>)> {
    if r.peek() != Some(0x40) {
        return Ok((table_type(r)?, None));
    }
    r.u8()?;
    let at = r.offset();
    if r.u8()? != 0x00 {
        return Err(r.error_at(at, "malformed table"));
    }
    Ok((table_type(r)?, Some(const_expr(r)?)))
}

/// Table limits: bit 0 maximum, bit 2 a 64-bit table (table64); bit 1
/// (shared) has no meaning for tables.
fn table_type(r: &mut Reader<'_>) -> Result<TableType> {
    let element = r.ref_type()?;
    let at = r.offset();
    let flags = limits_flags(r, 0x05)?;
    if flags & 0x02 != 0 {
        return Err(r.error_at(at, "malformed limits flags: integer too large"));
    }
    let table64 = flags & 0x04 != 0;
    let limits = limits(r, flags & 0x01 != 0, table64)?;
    Ok(TableType { element, limits, table64 })
}

/// Memory limits: bit 0 maximum, bit 1 shared (threads), bit 2 memory64,
/// bit 3 a custom page size. The engine runs neither threads nor custom
/// page sizes yet, so each is named by its proposal rather than left to the
/// validator.
fn memory_type(r: &mut Reader<'_>) -> Result<MemoryType> {
    let at = r.offset();
    let flags = limits_flags(r, 0x0f)?;
    let later = match flags {
        f if f & 0x08 != 0 => Some(("custom-page-sizes", "a custom page size")),
        f if f & 0x02 != 0 => Some(("threads", "a shared memory")),
        _ => None,
    };
    if let Some((proposal, what)) = later {
        return Err(r.unsupported_at(at, proposal, what));
    }
    let memory64 = flags & 0x04 != 0;
    let limits = limits(r, flags & 0x01 != 0, memory64)?;
    Ok(MemoryType { limits, memory64, shared: false })
}

fn limits_flags(r: &mut Reader<'_>, max: u8) -> Result<u8> {
    let at = r.offset();
    match r.u8()? {
        flags if flags <= max => Ok(flags),
        flags if flags & 0x80 != 0 => {
            Err(r.error_at(at, "malformed limits flags: integer representation too long"))
        }
        _ => Err(r.error_at(at, "malformed limits flags: integer too large")),
    }
}

fn limits(r: &mut Reader<'_>, has_max: bool, wide: bool) -> Result<Limits> {
    let bound = |r: &mut Reader<'_>| if wide { r.u64() } else { r.u32().map(u64::from) };
    let min = bound(r)?;
    let max = if has_max { Some(bound(r)?) } else { None };
    Ok(Limits { min, max })
}

fn global_type(r: &mut Reader<'_>) -> Result<GlobalType> {
    let content = r.val_type()?;
    let at = r.offset();
    let mutable = match r.u8()? {
        0x00 => false,
        0x01 => true,
        _ => return Err(r.error_at(at, "malformed mutability")),
    };
    Ok(GlobalType { content, mutable })
}

fn global(r: &mut Reader<'_>) -> Result<Global> {
    let ty = global_type(r)?;
    let init = const_expr(r)?;
    Ok(Global { ty, init })
}

fn export(r: &mut Reader<'_>) -> Result<Export> {
    let name = r.name()?.to_owned();
    let at = r.offset();
    let kind = match r.u8()? {
        0x00 => ExportKind::Func,
        0x01 => ExportKind::Table,
        0x02 => ExportKind::Memory,
        0x03 => ExportKind::Global,
        0x04 => ExportKind::Tag,
        _ => return Err(r.error_at(at, "malformed export kind")),
    };
    let index = r.u32()?;
    Ok(Export { name, kind, index })
}

/// The eight element segment encodings. The flags are a `u32` whose bits
/// mean: 0 passive/declarative (else active), 1 explicit table index (if
/// active) or declarative (if not), 2 items are expressions (else function
/// indices). Encodings 0 and 4 imply `funcref` and carry no type byte.
fn element_segment(r: &mut Reader<'_>) -> Result<ElementSegment> {
    let at = r.offset();
    let flags = r.u32()?;
    if flags > 7 {
        return Err(r.error_at(at, "malformed elements segment kind"));
    }
    let mode = if flags & 0b001 == 0 {
        let index = if flags & 0b010 != 0 { r.u32()? } else { 0 };
        SegmentMode::Active { index, offset: const_expr(r)? }
    } else if flags & 0b010 == 0 {
        SegmentMode::Passive
    } else {
        SegmentMode::Declared
    };
    let exprs = flags & 0b100 != 0;
    let ty = match (flags & 0b011 == 0, exprs) {
        (true, _) => RefType::FUNCREF,
        (false, true) => r.ref_type()?,
        (false, false) => elem_kind(r)?,
    };
    let items = if exprs {
        ElementItems::Exprs(r.vec(1, const_expr)?)
    } else {
        ElementItems::Functions(r.vec(1, Reader::u32)?)
    };
    Ok(ElementSegment { mode, ty, items })
}

/// `elemkind`: only 0x00 (functions) exists.
fn elem_kind(r: &mut Reader<'_>) -> Result<RefType> {
    let at = r.offset();
    match r.u8()? {
        0x00 => Ok(RefType::FUNCREF),
        _ => Err(r.error_at(at, "malformed element kind")),
    }
}

/// The three data segment encodings: 0 active in memory 0, 1 passive,
/// 2 active with an explicit memory index.
fn data_segment(r: &mut Reader<'_>) -> Result<DataSegment> {
    let at = r.offset();
    let mode = match r.u32()? {
        0 => SegmentMode::Active { index: 0, offset: const_expr(r)? },
        1 => SegmentMode::Passive,
        2 => {
            let index = r.u32()?;
            SegmentMode::Active { index, offset: const_expr(r)? }
        }
        _ => return Err(r.error_at(at, "malformed data segment kind")),
    };
    let (start, bytes) = r.byte_vec()?;
    Ok(DataSegment { mode, bytes: start..start.saturating_add(bytes.len()) })
}

/// A constant expression: instructions up to the `end` that closes it. Which
/// instructions are allowed (extended constants' arithmetic included) is
/// the validator's business.
fn const_expr(r: &mut Reader<'_>) -> Result<ConstExpr> {
    let mut ops = OpReader::from_reader(r.clone());
    let mut out = Vec::new();
    read_sequence(&mut ops, |op, _| out.push(op))?;
    *r = ops.into_reader();
    Ok(ConstExpr { ops: out })
}

/// One function body: its size, locals, and instructions. Returns the body
/// and the offset of its first `memory.init`/`data.drop`, if any.
fn function_body(r: &mut Reader<'_>, params: usize, check: bool) -> Result<(FuncBody, Option<usize>)> {
    let mut body = r.sized_window("code")?;
    let locals = locals(&mut body, params)?;
    let start = body.offset();
    let code = start..start.saturating_add(body.remaining());
    let data_use = if check { check_instructions(OpReader::from_reader(body))? } else { None };
    Ok((FuncBody { locals, code }, data_use))
}

/// The runs of declared locals, as written (zero-count runs included).
fn locals(r: &mut Reader<'_>, params: usize) -> Result<Vec<(u32, ValType)>> {
    let start = r.offset();
    let too_many = |r: &Reader<'_>| r.error_at(start, "too many locals");
    let mut total = params as u64;
    let runs = r.vec(2, |r| {
        let count = r.u32()?;
        // Checked per run so the total stays far from overflowing.
        total = total.saturating_add(u64::from(count));
        if total > MAX_LOCALS {
            return Err(too_many(r));
        }
        Ok((count, r.val_type()?))
    })?;
    if total > MAX_LOCALS {
        return Err(too_many(r));
    }
    Ok(runs)
}

/// Decodes every instruction of a body, which must end exactly at the `end`
/// that closes it. Returns the offset of its first data segment index.
fn check_instructions(mut ops: OpReader<'_>) -> Result<Option<usize>> {
    let mut data_use = None;
    read_sequence(&mut ops, |op, at| {
        if data_use.is_none() && matches!(op, Op::MemoryInit { .. } | Op::DataDrop(_)) {
            data_use = Some(at);
        }
    })?;
    if !ops.is_empty() {
        // As in the spec interpreter: the body's size covers more than its code.
        return Err(ops.error_at(ops.offset(), "section size mismatch"));
    }
    Ok(data_use)
}

/// Reads instructions up to and including the `end` that closes the
/// sequence, passing each other one (with its offset) to `visit`, and checks
/// the block structure on the way: every `else` must belong to an `if`.
/// Running out of bytes first is the reader's "unexpected end of section or
/// function".
fn read_sequence(ops: &mut OpReader<'_>, mut visit: impl FnMut(Op, usize)) -> Result<()> {
    let mut nesting = Nesting::new();
    loop {
        let at = ops.offset();
        let op = ops.read()?;
        if nesting.step(&op).map_err(|msg| ops.error_at(at, msg))? {
            return Ok(());
        }
        visit(op, at);
    }
}

/// A frame of block structure.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// A `block`, a `loop`, or the implicit frame of the whole sequence.
    Block,
    If,
    /// An `if` whose `else` has been seen.
    Else,
}

/// Tracks block nesting to find the `end` that closes a sequence.
struct Nesting {
    frames: Vec<Frame>,
}

impl Nesting {
    fn new() -> Self {
        Nesting { frames: vec![Frame::Block] }
    }

    /// Accounts for `op`; returns whether it closed the whole sequence.
    fn step(&mut self, op: &Op) -> std::result::Result<bool, &'static str> {
        match op {
            Op::Block(_) | Op::Loop(_) | Op::TryTable { .. } | Op::Try(_) => self.frames.push(Frame::Block),
            Op::If(_) => self.frames.push(Frame::If),
            Op::Else => match self.frames.last_mut() {
                Some(frame @ Frame::If) => *frame = Frame::Else,
                _ => return Err("misplaced ELSE opcode"),
            },
            // A legacy `delegate` ends its `try`.
            Op::End | Op::Delegate(_) => {
                self.frames.pop();
                return Ok(self.frames.is_empty());
            }
            _ => {}
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{CustomSection as EncCustom, Module, RawSection, Section};
    use wasmparser::WasmFeatures;

    /// The header plus raw sections (id, contents); sizes are filled in.
    fn module(sections: &[(u8, &[u8])]) -> Vec<u8> {
        let mut m = Module::new();
        for &(id, data) in sections {
            m.section(&RawSection { id, data });
        }
        m.finish()
    }

    fn msg(bytes: &[u8]) -> String {
        decode(bytes).unwrap_err().message().to_string()
    }

    /// WebAssembly 2.0 and relaxed SIMD, the feature set we promise to cover.
    fn wasmparser_accepts(bytes: &[u8]) -> bool {
        let features = crate::module::features();
        wasmparser::Validator::new_with_features(features).validate_all(bytes).is_ok()
    }

    fn body_ops(bytes: &[u8], body: &FuncBody) -> Vec<Op> {
        let mut ops = OpReader::new(&bytes[body.code.clone()], body.code.start);
        let mut out = Vec::new();
        while !ops.is_empty() {
            out.push(ops.read().unwrap());
        }
        out
    }

    #[test]
    fn hand_written_minimal_module() {
        let bytes = module(&[
            (TYPE, &[0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]),
            (FUNCTION, &[0x01, 0x00]),
            (EXPORT, &[0x01, 0x02, b'i', b'd', 0x00, 0x00]),
            // One body: one run of two i64 locals, `local.get 0`, `end`.
            (CODE, &[0x01, 0x06, 0x01, 0x02, 0x7e, 0x20, 0x00, 0x0b]),
        ]);
        let m = decode(&bytes).unwrap();
        assert_eq!(m.types, [FuncType::new([ValType::I32], [ValType::I32])]);
        assert_eq!(m.functions, [0]);
        assert_eq!(m.exports, [Export { name: "id".into(), kind: ExportKind::Func, index: 0 }]);
        assert_eq!(m.bodies.len(), 1);
        assert_eq!(m.bodies[0].locals, [(2, ValType::I64)]);
        assert_eq!(&bytes[m.bodies[0].code.clone()], &[0x20, 0x00, 0x0b]);
        assert_eq!(body_ops(&bytes, &m.bodies[0]), [Op::LocalGet(0), Op::End]);
        assert!(wasmparser_accepts(&bytes));
    }

    #[test]
    fn header() {
        assert!(decode(b"\0asm\x01\0\0\0").is_ok());
        assert_eq!(msg(b""), "unexpected end");
        assert_eq!(msg(b"\0as"), "unexpected end");
        assert_eq!(msg(b"\0asm\x01\0\0"), "unexpected end");
        assert_eq!(msg(b"\0ASM\x01\0\0\0"), "magic header not detected");
        assert_eq!(msg(b"\0asm\x02\0\0\0"), "unknown binary version");
        assert_eq!(msg(b"\0asm\x01\0\0\0\x0e\x00"), "malformed section id");
        assert_eq!(decode(b"\0asm\x01\0\0\0\x0d\x01\x00").unwrap().tags, Vec::<u32>::new());
        assert_eq!(msg(b"\0asm\x01\0\0\0\x01"), "unexpected end");
    }

    #[test]
    fn a_full_module_from_wat() {
        let mut bytes = wat::parse_str(
            r#"(module
              (type $t (func (param i32) (result i32)))
              (import "m" "f" (func (type $t)))
              (import "m" "t" (table 1 2 externref))
              (import "m" "mem" (memory 1 2))
              (import "m" "g" (global i64))
              (table $tab 3 funcref)
              (global $g (mut i32) (i32.const 7))
              (export "f" (func $f))
              (export "tab" (table $tab))
              (export "mem" (memory 0))
              (export "g" (global $g))
              (start $s)
              (elem (table $tab) (i32.const 0) func $f $s)
              (elem declare func $f)
              (data (i32.const 8) "hello")
              (data "passive")
              (func $f (type $t) (local i64 i64 f32) local.get 0)
              (func $s)
              (func data.drop 1 (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0))))"#,
        )
        .unwrap();
        EncCustom { name: "trailer".into(), data: b"xyz".as_slice().into() }.append_to(&mut bytes);
        assert!(wasmparser_accepts(&bytes));
        let m = decode(&bytes).unwrap();
        assert_eq!(m.types.len(), 2);
        let kinds: Vec<_> =
            m.imports.iter().map(|i| (i.module.as_str(), i.name.as_str())).collect();
        assert_eq!(kinds, [("m", "f"), ("m", "t"), ("m", "mem"), ("m", "g")]);
        assert_eq!(m.imports[0].kind, ImportKind::Func(0));
        let table = TableType { element: RefType::EXTERNREF, limits: Limits { min: 1, max: Some(2) }, table64: false };
        assert_eq!(m.imports[1].kind, ImportKind::Table(table));
        let memory =
            MemoryType { limits: Limits { min: 1, max: Some(2) }, memory64: false, shared: false };
        assert_eq!(m.imports[2].kind, ImportKind::Memory(memory));
        let global = GlobalType { content: ValType::I64, mutable: false };
        assert_eq!(m.imports[3].kind, ImportKind::Global(global));
        assert_eq!(m.functions, [0, 1, 1]);
        assert_eq!(
            m.tables,
            [TableType { element: RefType::FUNCREF, limits: Limits { min: 3, max: None }, table64: false }]
        );
        assert_eq!(m.globals.len(), 1);
        assert_eq!(m.globals[0].ty, GlobalType { content: ValType::I32, mutable: true });
        assert_eq!(m.globals[0].init.ops, [Op::I32Const(7)]);
        let exports: Vec<_> =
            m.exports.iter().map(|e| (e.name.as_str(), e.kind, e.index)).collect();
        assert_eq!(
            exports,
            [
                ("f", ExportKind::Func, 1),
                ("tab", ExportKind::Table, 1),
                ("mem", ExportKind::Memory, 0),
                ("g", ExportKind::Global, 1)
            ]
        );
        assert_eq!(m.start, Some(2));
        assert_eq!(m.elements.len(), 2);
        assert_eq!(m.elements[1].mode, SegmentMode::Declared);
        assert_eq!(m.data_count, Some(2));
        assert_eq!(&bytes[m.data[0].bytes.clone()], b"hello");
        assert_eq!(&bytes[m.data[1].bytes.clone()], b"passive");
        assert_eq!(m.data[1].mode, SegmentMode::Passive);
        assert_eq!(m.bodies[0].locals, [(2, ValType::I64), (1, ValType::F32)]);
        assert_eq!(body_ops(&bytes, &m.bodies[1]), [Op::End]);
        // wat writes a "name" section for the `$` identifiers.
        let names: Vec<_> = m.customs.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["name", "trailer"]);
        assert_eq!(&bytes[m.customs[1].data.clone()], b"xyz");
    }

    #[test]
    fn every_element_segment_encoding() {
        let segments: &[u8] = &[
            0x08, // eight segments
            0x00, 0x41, 0x01, 0x0b, 0x02, 0x00, 0x01, // 0: active table 0, func indices
            0x01, 0x00, 0x01, 0x02, // 1: passive, elemkind, func indices
            0x02, 0x03, 0x41, 0x02, 0x0b, 0x00, 0x01, 0x00, // 2: active table 3, elemkind
            0x03, 0x00, 0x01, 0x01, // 3: declarative, elemkind
            0x04, 0x41, 0x03, 0x0b, 0x02, 0xd2, 0x00, 0x0b, 0xd0, 0x70, 0x0b, // 4: exprs
            0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b, // 5: passive, reftype, exprs
            0x06, 0x02, 0x41, 0x04, 0x0b, 0x70, 0x01, 0xd2, 0x01, 0x0b, // 6: active table 2
            0x07, 0x70, 0x01, 0xd2, 0x02, 0x0b, // 7: declarative, reftype, exprs
        ];
        let m = decode(&module(&[(ELEMENT, segments)])).unwrap();
        let active = |index, value| SegmentMode::Active {
            index,
            offset: ConstExpr { ops: vec![Op::I32Const(value)] },
        };
        let exprs = |ops: &[Op]| {
            ElementItems::Exprs(ops.iter().map(|op| ConstExpr { ops: vec![op.clone()] }).collect())
        };
        let seg = |mode, ty, items| ElementSegment { mode, ty, items };
        let expected = [
            seg(active(0, 1), RefType::FUNCREF, ElementItems::Functions(vec![0, 1])),
            seg(SegmentMode::Passive, RefType::FUNCREF, ElementItems::Functions(vec![2])),
            seg(active(3, 2), RefType::FUNCREF, ElementItems::Functions(vec![0])),
            seg(SegmentMode::Declared, RefType::FUNCREF, ElementItems::Functions(vec![1])),
            seg(active(0, 3), RefType::FUNCREF, exprs(&[Op::RefFunc(0), Op::RefNull(RefType::FUNCREF)])),
            seg(SegmentMode::Passive, RefType::EXTERNREF, exprs(&[Op::RefNull(RefType::EXTERNREF)])),
            seg(active(2, 4), RefType::FUNCREF, exprs(&[Op::RefFunc(1)])),
            seg(SegmentMode::Declared, RefType::FUNCREF, exprs(&[Op::RefFunc(2)])),
        ];
        assert_eq!(m.elements, expected);
    }

    #[test]
    fn malformed_element_segments() {
        let elem = |seg: &[u8]| msg(&module(&[(ELEMENT, &[&[0x01], seg].concat())]));
        assert_eq!(elem(&[0x08, 0x00, 0x00]), "malformed elements segment kind");
        assert_eq!(elem(&[0x01, 0x01, 0x00]), "malformed element kind");
        assert_eq!(elem(&[0x01, 0x00]), "unexpected end of section or function");
        assert_eq!(elem(&[0x05, 0x7f, 0x01, 0xd2, 0x00, 0x0b]), "malformed reference type");
        assert_eq!(elem(&[0x05, 0x70, 0x01, 0xf3, 0x00, 0x0b]), "illegal opcode 0xf3");
        // A LEB-padded flags field is still a u32, as wasmparser reads it.
        let m = decode(&module(&[(ELEMENT, &[0x01, 0x81, 0x00, 0x00, 0x00])])).unwrap();
        assert_eq!(m.elements[0].mode, SegmentMode::Passive);
    }

    #[test]
    fn data_segments_and_data_count() {
        let data: &[u8] = &[
            0x03, //
            0x00, 0x41, 0x08, 0x0b, 0x02, b'h', b'i', // active in memory 0
            0x01, 0x01, b'p', // passive
            0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, // active in memory 1, empty
        ];
        let bytes = module(&[(DATA_COUNT, &[0x03]), (DATA, data)]);
        let m = decode(&bytes).unwrap();
        assert_eq!(m.data_count, Some(3));
        let offset = |v| ConstExpr { ops: vec![Op::I32Const(v)] };
        assert_eq!(m.data[0].mode, SegmentMode::Active { index: 0, offset: offset(8) });
        assert_eq!(&bytes[m.data[0].bytes.clone()], b"hi");
        assert_eq!(m.data[1].mode, SegmentMode::Passive);
        assert_eq!(&bytes[m.data[1].bytes.clone()], b"p");
        assert_eq!(m.data[2].mode, SegmentMode::Active { index: 1, offset: offset(0) });
        assert!(m.data[2].bytes.is_empty());

        let mismatch = "data count and data section have inconsistent lengths";
        assert_eq!(msg(&module(&[(DATA_COUNT, &[0x02]), (DATA, data)])), mismatch);
        assert_eq!(msg(&module(&[(DATA_COUNT, &[0x01])])), mismatch);
        assert!(decode(&module(&[(DATA_COUNT, &[0x00])])).is_ok());
        assert_eq!(msg(&module(&[(DATA, &[0x01, 0x03, 0x00])])), "malformed data segment kind");
        assert_eq!(
            msg(&module(&[(DATA, &[0x01, 0x01, 0x05, 0x00])])),
            "unexpected end of section or function"
        );
    }

    #[test]
    fn data_count_section_required_for_data_indices() {
        let sections = |code: &'static [u8]| {
            let body = [&[code.len() as u8 + 2, 0x00][..], code, &[0x0b]].concat();
            let code_section = [&[0x01][..], &body].concat();
            (code_section, [(TYPE, &[0x01u8, 0x60, 0x00, 0x00][..]), (FUNCTION, &[0x01, 0x00][..])])
        };
        for code in [&[0xfc, 0x09, 0x00][..], &[0xfc, 0x08, 0x00, 0x00]] {
            let (code_section, head) = sections(code);
            let without = module(&[head[0], head[1], (CODE, &code_section)]);
            let e = decode(&without).unwrap_err();
            assert_eq!((e.message(), e.section()), ("data count section required", "code"));
            let with = module(&[head[0], head[1], (DATA_COUNT, &[0x00]), (CODE, &code_section)]);
            assert!(decode(&with).is_ok());
        }
        // Other bulk instructions do not need it.
        let (code_section, head) = sections(&[0xfc, 0x0d, 0x00]);
        assert!(decode(&module(&[head[0], head[1], (CODE, &code_section)])).is_ok());
    }

    #[test]
    fn function_and_code_counts_must_agree() {
        let mismatch = "function and code section have inconsistent lengths";
        let ty = (TYPE, &[0x01u8, 0x60, 0x00, 0x00][..]);
        assert_eq!(msg(&module(&[ty, (FUNCTION, &[0x01, 0x00])])), mismatch);
        assert_eq!(msg(&module(&[ty, (CODE, &[0x01, 0x02, 0x00, 0x0b])])), mismatch);
        let two = module(&[ty, (FUNCTION, &[0x02, 0x00, 0x00]), (CODE, &[0x01, 0x02, 0x00, 0x0b])]);
        assert_eq!(msg(&two), mismatch);
        assert!(decode(&module(&[(FUNCTION, &[0x00]), (CODE, &[0x00])])).is_ok());
    }

    #[test]
    fn section_order_and_sizes() {
        let ty = (TYPE, &[0x00u8][..]);
        let func = (FUNCTION, &[0x00u8][..]);
        let after_last = "unexpected content after last section";
        assert_eq!(msg(&module(&[func, ty])), after_last);
        assert_eq!(msg(&module(&[ty, ty])), after_last);
        assert_eq!(msg(&module(&[(CODE, &[0x00]), (DATA_COUNT, &[0x00])])), after_last);
        assert!(
            decode(&module(&[(ELEMENT, &[0x00]), (DATA_COUNT, &[0x00]), (CODE, &[0x00])])).is_ok()
        );
        // Custom sections may appear anywhere, any number of times.
        let custom = (CUSTOM, &[0x01, b'a', 0xff][..]);
        let m = decode(&module(&[custom, ty, custom, func, custom])).unwrap();
        assert_eq!(m.customs.len(), 3);
        assert!(m.customs.iter().all(|c| c.name == "a" && c.data.len() == 1));
        assert_eq!(msg(&module(&[(CUSTOM, &[0x02, 0xff, 0xfe])])), "malformed UTF-8 encoding");
        // Contents shorter or longer than the section's size.
        assert_eq!(msg(&module(&[(TYPE, &[0x00, 0x00])])), "section size mismatch");
        assert_eq!(
            msg(&module(&[(TYPE, &[0x01, 0x60, 0x00])])),
            "unexpected end of section or function"
        );
        assert_eq!(msg(b"\0asm\x01\0\0\0\x01\x07\x02\x60\x00\x00"), "length out of bounds");
        assert_eq!(msg(&module(&[(START, &[0x00, 0x00])])), "section size mismatch");
    }

    #[test]
    fn errors_name_their_section_and_offset() {
        let bytes = module(&[(IMPORT, &[0x01, 0x00, 0x00, 0x05, 0x00])]);
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e.message(), "malformed import kind");
        assert_eq!(e.section(), "import");
        assert_eq!(e.offset(), bytes.len() - 2);
        let e = decode(&module(&[(EXPORT, &[0x01, 0x00, 0x05, 0x00])])).unwrap_err();
        assert_eq!((e.section(), e.message()), ("export", "malformed export kind"));
        let e = decode(&module(&[(GLOBAL, &[0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b])])).unwrap_err();
        assert_eq!((e.section(), e.message()), ("global", "malformed mutability"));
        let e = decode(&module(&[(GLOBAL, &[0x01, 0x7f, 0x00, 0x41, 0x00])])).unwrap_err();
        assert_eq!((e.section(), e.message()), ("global", "unexpected end of section or function"));
        let e = decode(&module(&[(TYPE, &[0x01, 0x5d, 0x00, 0x00])])).unwrap_err();
        assert_eq!((e.section(), e.message()), ("type", "malformed function type"));
    }

    #[test]
    fn limits_flags() {
        let memory = |contents: &[u8]| decode(&module(&[(MEMORY, contents)]));
        let m = memory(&[0x01, 0x01, 0x01, 0x02]).unwrap();
        assert_eq!(
            m.memories,
            [MemoryType { limits: Limits { min: 1, max: Some(2) }, memory64: false, shared: false }]
        );
        // Shared, 64-bit and custom-page-size memories are later proposals'.
        for (flags, proposal) in [(0x03, "threads"), (0x07, "threads"), (0x08, "custom-page-sizes")] {
            let e = memory(&[0x01, flags, 0x00, 0x01]).unwrap_err();
            assert_eq!((e.proposal(), e.offset()), (Some(proposal), 11), "{flags:#x}");
        }
        // A 64-bit memory's limits are u64s.
        let m = memory(&[0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x10]).unwrap();
        assert_eq!(m.memories, [MemoryType { limits: Limits { min: 1 << 32, max: None }, memory64: true, shared: false }]);
        let e = memory(&[0x01, 0x10, 0x00]).unwrap_err();
        assert_eq!(e.message(), "malformed limits flags: integer too large");
        let e = memory(&[0x01, 0x81, 0x00]).unwrap_err();
        assert_eq!(e.message(), "malformed limits flags: integer representation too long");
        // A 32-bit memory's limits are u32.
        let e = memory(&[0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10]).unwrap_err();
        assert_eq!(e.message(), "integer too large");
        let table = |contents: &[u8]| decode(&module(&[(TABLE, contents)]));
        assert!(table(&[0x01, 0x70, 0x01, 0x00, 0x00]).is_ok());
        let e = table(&[0x01, 0x70, 0x02, 0x00]).unwrap_err();
        assert_eq!(e.message(), "malformed limits flags: integer too large");
        let t = table(&[0x01, 0x70, 0x05, 0x80, 0x80, 0x80, 0x80, 0x10, 0x81, 0x80, 0x80, 0x80, 0x10]).unwrap();
        let limits = Limits { min: 1 << 32, max: Some((1 << 32) + 1) };
        assert_eq!(t.tables, [TableType { element: RefType::FUNCREF, limits, table64: true }]);
        assert_eq!(table(&[0x01, 0x70, 0x06, 0x00]).unwrap_err().proposal(), None);
        assert_eq!(
            table(&[0x01, 0x7f, 0x00, 0x00]).unwrap_err().message(),
            "malformed reference type"
        );
    }

    /// A module with one `(func (param i32*params))` whose body declares
    /// i32 locals in `runs` and is just `end`.
    fn with_locals(params: usize, runs: &[u32]) -> Vec<u8> {
        let mut f =
            wasm_encoder::Function::new(runs.iter().map(|&n| (n, wasm_encoder::ValType::I32)));
        f.instructions().end();
        let mut m = Module::new();
        let mut types = wasm_encoder::TypeSection::new();
        types.ty().function(vec![wasm_encoder::ValType::I32; params], []);
        m.section(&types);
        let mut funcs = wasm_encoder::FunctionSection::new();
        funcs.function(0);
        m.section(&funcs);
        let mut code = wasm_encoder::CodeSection::new();
        code.function(&f);
        m.section(&code);
        m.finish()
    }

    #[test]
    fn locals_limit_matches_wasmparser() {
        let cases: [(usize, &[u32], bool); 6] = [
            (0, &[50_000], true),
            (0, &[25_000, 25_000], true),
            (0, &[50_001], false),
            (1, &[50_000], false),
            (0, &[u32::MAX, 2], false),
            (3, &[0, 49_997], true),
        ];
        for (params, runs, ok) in cases {
            let bytes = with_locals(params, runs);
            assert_eq!(wasmparser_accepts(&bytes), ok, "wasmparser on {params} {runs:?}");
            match decode(&bytes) {
                Ok(m) => {
                    assert!(ok, "{params} {runs:?}");
                    let declared: Vec<u32> = m.bodies[0].locals.iter().map(|l| l.0).collect();
                    assert_eq!(declared, runs);
                }
                Err(e) => {
                    assert!(!ok, "{params} {runs:?}");
                    assert_eq!(e.message(), "too many locals");
                }
            }
        }
    }

    #[test]
    fn body_structure() {
        let one_body = |code: &[u8]| {
            let body = [&[code.len() as u8 + 1, 0x00][..], code].concat();
            module(&[
                (TYPE, &[0x01, 0x60, 0x00, 0x00]),
                (FUNCTION, &[0x01, 0x00]),
                (CODE, &[&[0x01][..], &body].concat()),
            ])
        };
        assert!(decode(&one_body(&[0x04, 0x40, 0x05, 0x0b, 0x0b])).is_ok());
        assert!(decode(&one_body(&[0x02, 0x40, 0x03, 0x40, 0x0b, 0x0b, 0x0b])).is_ok());
        assert_eq!(msg(&one_body(&[0x05, 0x0b])), "misplaced ELSE opcode");
        assert_eq!(msg(&one_body(&[0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b])), "misplaced ELSE opcode");
        assert_eq!(msg(&one_body(&[0x02, 0x40, 0x05, 0x0b, 0x0b])), "misplaced ELSE opcode");
        assert_eq!(msg(&one_body(&[0x0b, 0x01])), "section size mismatch");
        let cut = "unexpected end of section or function";
        assert_eq!(msg(&one_body(&[0x02, 0x40, 0x0b])), cut);
        assert_eq!(msg(&one_body(&[0x41, 0x01, 0x1a])), cut);
        // v128.const needs its 16 bytes.
        assert_eq!(msg(&one_body(&[0xfd, 0x0c, 0x0b])), cut);
        // Well-formed, if invalid: the validator reports the arity.
        assert!(decode(&one_body(&[0x1c, 0x02, 0x7f, 0x7f, 0x0b])).is_ok());
    }

    #[test]
    fn multi_byte_call_indirect_table_index_in_a_module() {
        let bytes = module(&[
            (TYPE, &[0x01, 0x60, 0x00, 0x00]),
            (FUNCTION, &[0x01, 0x00]),
            (TABLE, &[0x01, 0x70, 0x00, 0x01]),
            // i32.const 0, call_indirect type 0 table 0 (as 0x80 0x80 0x80 0x80 0x00), end
            (CODE, &[0x01, 0x0b, 0x00, 0x41, 0x00, 0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b]),
        ]);
        assert!(wasmparser_accepts(&bytes));
        let m = decode(&bytes).unwrap();
        assert_eq!(
            body_ops(&bytes, &m.bodies[0]),
            [Op::I32Const(0), Op::CallIndirect { type_index: 0, table: 0 }, Op::End]
        );
    }

    fn sample_module() -> Vec<u8> {
        let mut bytes = wat::parse_str(
            r#"(module
              (type $t (func (param i32) (result i32)))
              (import "m" "f" (func (type $t)))
              (import "m" "g" (global (mut f64)))
              (table $tab 3 10 funcref)
              (memory 1)
              (global $g i64 (i64.const -5))
              (export "f" (func $f))
              (start $s)
              (elem (i32.const 1) func $f)
              (elem funcref (ref.null func) (ref.func $s))
              (data (i32.const 8) "hello")
              (func $f (type $t) (local i64)
                block (result i32)
                  local.get 0
                  local.get 0
                  br_table 0 0 0
                end
                if (result i32) i32.const 1 else i32.const 2 end)
              (func $s
                i32.const 0 i32.const 1 i32.const 2 memory.init 0
                (drop (call_indirect (type $t) (i32.const 0) (i32.const 0)))))"#,
        )
        .unwrap();
        EncCustom { name: "c".into(), data: b"data".as_slice().into() }.append_to(&mut bytes);
        bytes
    }

    /// Cutting a module anywhere never panics, and every prefix wasmparser
    /// accepts (those ending between sections) we accept too.
    #[test]
    fn truncation_at_every_byte() {
        let bytes = sample_module();
        assert!(wasmparser_accepts(&bytes));
        assert!(decode(&bytes).is_ok());
        for len in 0..bytes.len() {
            let prefix = &bytes[..len];
            let ours = decode(prefix);
            if wasmparser_accepts(prefix) {
                assert!(ours.is_ok(), "prefix of {len} bytes: {ours:?}");
            }
        }
    }

    /// Changing any byte to a handful of values never panics, and whatever
    /// wasmparser still accepts we accept.
    #[test]
    fn mutating_any_byte() {
        let bytes = sample_module();
        for i in 8..bytes.len() {
            for value in [0x00, 0x01, 0x0b, 0x40, 0x60, 0x6f, 0x7f, 0x80, 0xff, bytes[i] ^ 0x01] {
                let mut mutated = bytes.clone();
                mutated[i] = value;
                let ours = decode(&mutated);
                if wasmparser_accepts(&mutated) {
                    assert!(ours.is_ok(), "byte {i} = {value:#x}: {ours:?}");
                }
            }
        }
    }

    /// Modules of each 3.0 proposal the engine does not run yet, in WAT.
    const LATER: &[(&str, &str)] = &[
        ("gc", "(module (type (struct (field i32))))"),
        ("gc", "(module (func (drop (ref.i31 (i32.const 0)))))"),
        ("gc", "(module (global anyref (ref.null any)))"),
        ("threads", "(module (memory 1 1 shared))"),
        ("threads", "(module (memory 1) (func (atomic.fence)))"),
    ];

    /// Through the embedder's entry point, whichever of decoder and validator
    /// would complain first: the error names the proposal, and the
    /// validator (the reference) agrees the module is not 2.0 but is valid
    /// with every feature.
    #[test]
    fn later_proposals_are_named_not_malformed() {
        let cases = LATER
            .iter()
            .map(|(p, wat)| (*p, *wat, wat::parse_str(wat).unwrap_or_else(|e| panic!("{wat}: {e}"))));
        for (proposal, wat, bytes) in cases {
            let all = wasmparser::Validator::new_with_features(WasmFeatures::all()).validate_all(&bytes);
            assert!(all.is_ok(), "{wat} is valid with every feature: {:?}", all.err());
            assert!(!wasmparser_accepts(&bytes), "{wat}");
            let e = crate::Module::new(&crate::Engine::default(), &bytes).unwrap_err();
            let crate::Error::Decode(d) = &e else { panic!("{wat}: {e}") };
            assert_eq!(d.proposal(), Some(proposal), "{wat}: {e}");
            assert!(e.to_string().starts_with(&format!("not supported yet (proposal {proposal}): ")), "{e}");
        }
    }
}
