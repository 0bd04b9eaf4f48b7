//! Our decoder and `wasmparser`'s validator (the reference for validity) must
//! agree: a module the validator accepts decodes, with the same structure and
//! every instruction at the same offset, and whatever our decoder rejects the
//! validator rejects too. Modules come
//! from `wasm-encoder` with random sections and instruction sequences (many
//! of them invalid on purpose), then random byte mutations on top.

use porta_interp::decode;
use proptest::prelude::*;
use std::borrow::Cow;
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataSection, ElementSection, Elements, ExportKind,
    ExportSection, Function, FunctionSection, GlobalSection, GlobalType, Instruction, MemArg, MemArgTarget,
    MemorySection, MemoryType, Module, TableSection, TableType, TypeSection, ValType,
};

fn features() -> wasmparser::WasmFeatures {
    porta_interp::features()
}

fn valid(bytes: &[u8]) -> bool {
    wasmparser::Validator::new_with_features(features()).validate_all(bytes).is_ok()
}

fn instruction(code: u8, imm: i32) -> Instruction<'static> {
    // Two memories (multi-memory): memory 1 takes an explicit index.
    let memory = (imm as u32 >> 8) % 2;
    let mem = MemArg { offset: (imm as u32 % 64) as u64, align: 0, target: MemArgTarget::Memory(memory), ordering: None };
    match code % 34 {
        0 => Instruction::I32Const(imm),
        1 => Instruction::I64Const(imm as i64 * 31),
        2 => Instruction::I32Add,
        3 => Instruction::Drop,
        4 => Instruction::LocalGet((imm as u32) % 4),
        5 => Instruction::LocalSet((imm as u32) % 4),
        6 => Instruction::Block(BlockType::Empty),
        7 => Instruction::Loop(BlockType::Result(ValType::I32)),
        8 => Instruction::If(BlockType::Empty),
        9 => Instruction::Else,
        10 => Instruction::End,
        11 => Instruction::Br((imm as u32) % 3),
        12 => Instruction::BrIf((imm as u32) % 2),
        13 => Instruction::I32Load(mem),
        14 => Instruction::I64Store(mem),
        15 => Instruction::Call((imm as u32) % 3),
        16 => Instruction::CallIndirect { type_index: 0, table_index: 0 },
        17 => Instruction::MemoryGrow(memory),
        18 => Instruction::F64Const((imm as f64).into()),
        19 => Instruction::Select,
        20 => Instruction::BrTable(Cow::Owned(vec![0, (imm as u32) % 2]), 0),
        21 => Instruction::I32TruncSatF64S,
        22 => Instruction::MemoryFill(memory),
        23 => Instruction::V128Const(imm as i128 * 0x1_0000_0001_0000_0001),
        24 => Instruction::I32x4Add,
        25 => Instruction::I8x16Shuffle([0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31]),
        26 => Instruction::V128Load(mem),
        27 => Instruction::I8x16ExtractLaneS((imm as u32 % 16) as u8),
        28 => Instruction::V128Load16Lane { memarg: mem, lane: (imm as u32 % 8) as u8 },
        29 => Instruction::F32x4Mul,
        30 => Instruction::I32x4RelaxedDotI8x16I7x16AddS,
        31 => Instruction::I64x2ReplaceLane((imm as u32 % 2) as u8),
        32 => Instruction::V128Store(mem),
        _ => Instruction::Return,
    }
}

/// A random module description: body instruction codes per function, plus
/// which optional sections to include.
fn module_bytes(bodies: &[Vec<(u8, i32)>], sections: u8) -> Vec<u8> {
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], [ValType::I32]);
    types.ty().function([], []);
    m.section(&types);
    let mut funcs = FunctionSection::new();
    for i in 0..bodies.len() {
        funcs.function((i % 2) as u32);
    }
    m.section(&funcs);
    if sections & 1 != 0 {
        let mut t = TableSection::new();
        t.table(TableType {
            element_type: wasm_encoder::RefType::FUNCREF,
            minimum: 2,
            maximum: None,
            table64: false,
            shared: false,
        });
        m.section(&t);
    }
    if sections & 2 != 0 {
        let mut mem = MemorySection::new();
        mem.memory(MemoryType { minimum: 1, maximum: Some(2), memory64: false, shared: false, page_size_log2: None });
        mem.memory(MemoryType { minimum: 0, maximum: None, memory64: false, shared: false, page_size_log2: None });
        m.section(&mem);
    }
    if sections & 4 != 0 {
        let mut g = GlobalSection::new();
        g.global(GlobalType { val_type: ValType::I32, mutable: true, shared: false }, &ConstExpr::i32_const(7));
        m.section(&g);
    }
    let mut exports = ExportSection::new();
    if !bodies.is_empty() {
        exports.export("f0", ExportKind::Func, 0);
    }
    m.section(&exports);
    if sections & 8 != 0 && !bodies.is_empty() {
        let mut e = ElementSection::new();
        e.active(None, &ConstExpr::i32_const(0), Elements::Functions(Cow::Owned(vec![0])));
        e.passive(Elements::Functions(Cow::Owned(vec![0])));
        m.section(&e);
    }
    let mut code = CodeSection::new();
    for body in bodies {
        let mut f = Function::new([(1, ValType::I32), (1, ValType::I64), (1, ValType::V128)]);
        for &(c, imm) in body {
            f.instruction(&instruction(c, imm));
        }
        f.instruction(&Instruction::End);
        code.function(&f);
    }
    m.section(&code);
    if sections & 16 != 0 {
        let mut d = DataSection::new();
        d.active(0, &ConstExpr::i32_const(3), b"hello".iter().copied());
        m.section(&d);
    }
    m.finish()
}

/// The agreement property for one byte string.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let ours = decode::decode(bytes);
    if valid(bytes) {
        let decoded = ours.map_err(|e| TestCaseError::fail(format!("valid module rejected: {e}")))?;
        let types = wasmparser::Validator::new_with_features(features()).validate_all(bytes).unwrap();
        let reference = types.as_ref();
        prop_assert_eq!(decoded.types.len() as u32, reference.core_type_count_in_module());
        prop_assert_eq!(
            decoded.functions.len() as u32 + decoded.imports.len() as u32,
            reference.function_count()
        );
        prop_assert_eq!(decoded.bodies.len(), decoded.functions.len());
        prop_assert_eq!(decoded.memories.len() as u32, reference.memory_count());
        prop_assert_eq!(decoded.globals.len() as u32, reference.global_count());
        prop_assert_eq!(decoded.elements.len() as u32, reference.element_count());
        for (body, offsets) in decoded.bodies.iter().zip(reference_offsets(bytes)) {
            let mut ops = decode::OpReader::new(&bytes[body.code.clone()], body.code.start);
            let mut ours = Vec::new();
            while !ops.is_empty() {
                ours.push(ops.offset() as u32);
                ops.read().map_err(|e| TestCaseError::fail(format!("valid body rejected: {e}")))?;
            }
            prop_assert_eq!(ours, offsets);
        }
        // The whole pipeline accepts it too.
        porta_interp::Module::new(&porta_interp::Engine::default(), bytes)
            .map_err(|e| TestCaseError::fail(format!("valid module refused: {e}")))?;
    } else if ours.is_ok() {
        // Well-formed but invalid: fine for the decoder, but the pipeline
        // must still refuse it.
        prop_assert!(porta_interp::Module::new(&porta_interp::Engine::default(), bytes).is_err());
    }
    Ok(())
}

/// The offset of every instruction of every body, by wasmparser.
fn reference_offsets(bytes: &[u8]) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Ok(wasmparser::Payload::CodeSectionEntry(body)) = payload {
            let mut reader = body.get_operators_reader().expect("a valid body");
            let mut offsets = Vec::new();
            while !reader.eof() {
                offsets.push(reader.read_with_offset().expect("a valid body").1 as u32);
            }
            out.push(offsets);
        }
    }
    out
}

fn bodies() -> impl Strategy<Value = Vec<Vec<(u8, i32)>>> {
    prop::collection::vec(prop::collection::vec((any::<u8>(), -100i32..100), 0..12), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn generated_modules_agree(bodies in bodies(), sections in any::<u8>()) {
        check(&module_bytes(&bodies, sections))?;
    }

    #[test]
    fn mutated_modules_agree(
        bodies in bodies(),
        sections in any::<u8>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4),
    ) {
        let mut bytes = module_bytes(&bodies, sections);
        for (at, byte, kind) in edits {
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => bytes.truncate(i.max(8)),
            }
        }
        check(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_after_the_header_agree(tail in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        bytes.extend(tail);
        check(&bytes)?;
    }
}

/// The generator must produce valid modules too, or the first branch of
/// `check` would never run.
#[test]
fn the_generator_makes_valid_modules() {
    let bytes = module_bytes(&[vec![(4, 0)], vec![(0, 5), (3, 0)]], 0xff);
    assert!(valid(&bytes));
    check(&bytes).unwrap();
    let mut valid_count = 0;
    for seed in 0..200u32 {
        let body: Vec<(u8, i32)> = (0..(seed % 5)).map(|k| (((seed * 7 + k * 13) % 34) as u8, k as i32)).collect();
        if valid(&module_bytes(&[vec![(4, 0)], body], (seed % 32) as u8)) {
            valid_count += 1;
        }
    }
    assert!(valid_count > 20, "only {valid_count} of 200 generated modules are valid");
}
