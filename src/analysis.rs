//! What a module is made of, for `inspect`, `validate` and `build`: its
//! imports and exports with types, memories, tables, globals, custom
//! sections, code size, the proposals its code uses, and the capabilities its
//! WASI imports need.

use porta_interp::decode::{ExportKind, Op, OpReader};
use porta_interp::wasi::{self, Capabilities};
use porta_interp::{BlockType, ExternType, Module, ValType};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Analysis {
    pub imports: Vec<Import>,
    pub exports: Vec<Export>,
    pub memories: Vec<String>,
    pub tables: Vec<String>,
    pub globals: Vec<String>,
    pub custom_sections: Vec<Custom>,
    pub functions: usize,
    pub code_bytes: usize,
    pub proposals: Vec<&'static str>,
    /// Capabilities each WASI import needs (any one of them).
    pub capabilities_needed: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Import {
    pub module: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
}

#[derive(Debug, Serialize)]
pub struct Export {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
}

#[derive(Debug, Serialize)]
pub struct Custom {
    pub name: String,
    pub bytes: usize,
}

pub fn describe(ty: &ExternType) -> String {
    let limits = |min: u64, max: Option<u64>| match max {
        Some(max) => format!("{min}..{max}"),
        None => format!("{min}.."),
    };
    match ty {
        ExternType::Func(f) => format!("func {f}"),
        ExternType::Memory(m) => format!("memory {} pages", limits(m.limits.min, m.limits.max)),
        ExternType::Table(t) => {
            format!("table {} {}", ValType::Ref(t.element), limits(t.limits.min, t.limits.max))
        }
        ExternType::Global(g) => format!("global {}{}", if g.mutable { "mut " } else { "" }, g.content),
        ExternType::Tag(t) => format!("tag {t}"),
    }
}

pub fn analyze(module: &Module) -> Analysis {
    let d = module.decoded();
    let imports: Vec<Import> = module
        .imports()
        .map(|(m, n, t)| Import { module: m.into(), name: n.into(), ty: describe(&t) })
        .collect();
    let exports = module.exports().map(|(n, t)| Export { name: n.into(), ty: describe(&t) }).collect();
    let mut caps_needed = Vec::new();
    for i in &imports {
        if i.module == wasi::MODULE {
            match Capabilities::for_wasi_import(&i.name) {
                Some(c) if !c.is_empty() => caps_needed.push(format!("{}: {}", i.name, c.names().join(" or "))),
                Some(_) => {}
                None => caps_needed.push(format!("{}: not a WASI preview 1 function", i.name)),
            }
        }
    }
    Analysis {
        imports,
        exports,
        memories: d.memories.iter().map(|m| describe(&ExternType::Memory(*m))).collect(),
        tables: d.tables.iter().map(|t| describe(&ExternType::Table(*t))).collect(),
        globals: d.globals.iter().map(|g| describe(&ExternType::Global(g.ty))).collect(),
        custom_sections: module.custom_sections().map(|(n, b)| Custom { name: n.into(), bytes: b.len() }).collect(),
        functions: d.functions.len(),
        code_bytes: d.bodies.iter().map(|b| b.code.len()).sum(),
        proposals: proposals(module),
        capabilities_needed: caps_needed,
    }
}

/// The post-MVP features the module uses.
fn proposals(module: &Module) -> Vec<&'static str> {
    let d = module.decoded();
    let mut found = std::collections::BTreeSet::new();
    if d.types.iter().any(|t| t.results().len() > 1) {
        found.insert("multi-value");
    }
    if d.data_count.is_some() || d.elements.iter().any(|e| !matches!(e.mode, porta_interp::decode::SegmentMode::Active { .. })) {
        found.insert("bulk-memory");
    }
    if d.tables.len() > 1 || d.types.iter().any(|t| t.params().iter().chain(t.results()).any(|v| matches!(v, ValType::Ref(_)))) {
        found.insert("reference-types");
    }
    let memories: Vec<_> = module
        .imports()
        .filter_map(|(_, _, t)| match t {
            ExternType::Memory(m) => Some(m),
            _ => None,
        })
        .chain(d.memories.iter().copied())
        .collect();
    if memories.len() > 1 {
        found.insert("multi-memory");
    }
    let table64 = module.imports().any(|(_, _, t)| matches!(t, ExternType::Table(t) if t.table64));
    if memories.iter().any(|m| m.memory64) || table64 || d.tables.iter().any(|t| t.table64) {
        found.insert("memory64");
    }
    if !d.tags.is_empty() || module.imports().any(|(_, _, t)| matches!(t, ExternType::Tag(_))) {
        found.insert("exception-handling");
    }
    let mutable_import = module.imports().any(|(_, _, t)| matches!(t, ExternType::Global(g) if g.mutable));
    let mutable_export = d.exports.iter().any(|e| {
        e.kind == ExportKind::Global && matches!(module.exports().find(|(n, _)| *n == e.name), Some((_, ExternType::Global(g))) if g.mutable)
    });
    if mutable_import || mutable_export {
        found.insert("mutable-global");
    }
    for body in &d.bodies {
        let mut ops = OpReader::new(&module.bytes()[body.code.clone()], body.code.start);
        while let Ok(op) = ops.read() {
            if let Some(p) = proposal_of(&op) {
                found.insert(p);
            }
            if ops.is_empty() {
                break;
            }
        }
    }
    found.into_iter().collect()
}

fn proposal_of(op: &Op) -> Option<&'static str> {
    Some(match op {
        Op::I32Extend8S | Op::I32Extend16S | Op::I64Extend8S | Op::I64Extend16S | Op::I64Extend32S => "sign-extension",
        Op::I32TruncSatF32S | Op::I32TruncSatF32U | Op::I32TruncSatF64S | Op::I32TruncSatF64U
        | Op::I64TruncSatF32S | Op::I64TruncSatF32U | Op::I64TruncSatF64S | Op::I64TruncSatF64U => {
            "nontrapping-float-to-int"
        }
        Op::MemoryInit { .. } | Op::MemoryCopy { .. } | Op::MemoryFill(_) | Op::DataDrop(_) | Op::TableInit { .. }
        | Op::TableCopy { .. } | Op::ElemDrop(_) => "bulk-memory",
        Op::RefNull(_) | Op::RefIsNull | Op::RefFunc(_) | Op::TableGet(_) | Op::TableSet(_) | Op::TableSize(_)
        | Op::TableGrow(_) | Op::TableFill(_) | Op::Select(Some(_)) => "reference-types",
        Op::Block(BlockType::Func(_)) | Op::Loop(BlockType::Func(_)) | Op::If(BlockType::Func(_)) => "multi-value",
        Op::ReturnCall(_) | Op::ReturnCallIndirect { .. } => "tail-call",
        Op::Throw(_) | Op::ThrowRef | Op::TryTable { .. } => "exception-handling",
        Op::Try(_) | Op::Catch(_) | Op::CatchAll | Op::Rethrow(_) | Op::Delegate(_) => "legacy-exceptions",
        Op::CallRef(_) | Op::ReturnCallRef(_) | Op::RefAsNonNull | Op::BrOnNull(_) | Op::BrOnNonNull(_) => {
            "function-references"
        }
        Op::Simd(c) | Op::SimdMem(c, _) | Op::SimdLane(c, _) | Op::SimdMemLane(c, ..) | Op::SimdBytes(c, _) => {
            if c.is_relaxed() {
                "relaxed-simd"
            } else {
                "simd"
            }
        }
        _ => return None,
    })
}
