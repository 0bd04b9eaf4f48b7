//! The seccomp filter of a native command, compiled by seccompiler from
//! rules (no hand-written BPF). Denied calls fail with EPERM, never kill:
//! ptrace and cross-process memory access, new user namespaces, setns,
//! io_uring (it would bypass this filter), bpf, kernel keyrings,
//! perf_event_open, every mount call, memfd_create (fileless exec),
//! userfaultfd, kexec and module loading, and the ioctls that type into a
//! terminal (TIOCSTI, TIOCLINUX). `clone3` fails with ENOSYS, as in
//! Docker: its flags are behind a pointer seccomp cannot read, and libc then
//! falls back to `clone`, whose flags are checked. Under a port rule only
//! unix sockets and TCP sockets can be created (no UDP, raw or SCTP);
//! under `--no-net` only unix sockets.
//!
//! On x86_64 the same numbers with the x32 bit set, and x32's own numbers
//! for them, are denied too. A call
//! made through another ABI (32-bit `int 0x80`) does not match the filter's
//! architecture and kills the process: that is seccompiler's fixed policy.

// Syscall numbers are `c_long`, i64 only on 64-bit targets.
#![allow(clippy::unnecessary_cast)]

use crate::native::policy::Net;
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op, SeccompCondition as Cond, SeccompFilter,
    SeccompRule, TargetArch,
};
use std::collections::BTreeMap;

const DENIED: &[libc::c_long] = &[
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_setns,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_bpf,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_perf_event_open,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_move_mount,
    libc::SYS_open_tree,
    libc::SYS_mount_setattr,
    libc::SYS_memfd_create,
    libc::SYS_memfd_secret,
    libc::SYS_userfaultfd,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_open_by_handle_at,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
];

#[cfg(target_arch = "x86_64")]
const X32_BIT: i64 = 0x4000_0000;
/// x32's own numbers for calls above (ptrace, kexec_load,
/// process_vm_readv, process_vm_writev), from the kernel's syscall_64.tbl.
#[cfg(target_arch = "x86_64")]
const X32_ONLY: &[i64] = &[521, 528, 539, 540];

/// `TIOCLINUX` (include/uapi/asm-generic/ioctls.h), not in every libc.
const TIOCLINUX: u64 = 0x541C;

fn cond(arg: u8, op: Op, value: u64) -> Result<Cond, String> {
    Cond::new(arg, Len::Dword, op, value).map_err(|e| e.to_string())
}

fn rule(conds: Vec<Cond>) -> Result<SeccompRule, String> {
    SeccompRule::new(conds).map_err(|e| e.to_string())
}

/// The socket(domain, type, protocol) calls the network policy denies, as
/// alternatives (any rule matching denies).
fn socket_rules(net: &Net) -> Result<Vec<SeccompRule>, String> {
    let (unix, inet, inet6) = (libc::AF_UNIX as u64, libc::AF_INET as u64, libc::AF_INET6 as u64);
    Ok(match net {
        Net::Open => Vec::new(),
        Net::None => vec![rule(vec![cond(0, Op::Ne, unix)?])?],
        Net::TcpPorts(_) => {
            let mut rules = vec![rule(vec![cond(0, Op::Ne, unix)?, cond(0, Op::Ne, inet)?, cond(0, Op::Ne, inet6)?])?];
            for family in [inet, inet6] {
                // The type's low 4 bits (SOCK_NONBLOCK/CLOEXEC above them):
                // anything but SOCK_STREAM.
                for ty in (0..16u64).filter(|&t| t != libc::SOCK_STREAM as u64) {
                    rules.push(rule(vec![cond(0, Op::Eq, family)?, cond(1, Op::MaskedEq(0xf), ty)?])?);
                }
                // A stream socket of another protocol (SCTP, MPTCP) is not TCP.
                rules.push(rule(vec![
                    cond(0, Op::Eq, family)?,
                    cond(2, Op::Ne, 0)?,
                    cond(2, Op::Ne, libc::IPPROTO_TCP as u64)?,
                ])?);
            }
            rules
        }
    })
}

fn compile(rules: BTreeMap<i64, Vec<SeccompRule>>, errno: i32) -> Result<BpfProgram, String> {
    let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|e| e.to_string())?;
    let filter = SeccompFilter::new(rules, SeccompAction::Allow, SeccompAction::Errno(errno as u32), arch)
        .map_err(|e| e.to_string())?;
    BpfProgram::try_from(filter).map_err(|e| e.to_string())
}

/// The two programs: EPERM denials, and clone3's ENOSYS.
pub fn programs(net: &Net) -> Result<Vec<BpfProgram>, String> {
    let newuser = libc::CLONE_NEWUSER as u64;
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = DENIED.iter().map(|&nr| (nr as i64, Vec::new())).collect();
    for nr in [libc::SYS_unshare, libc::SYS_clone] {
        rules.insert(nr as i64, vec![rule(vec![cond(0, Op::MaskedEq(newuser), newuser)?])?]);
    }
    // Typing into the terminal porta was started from (TIOCSTI, and
    // TIOCLINUX on a console) would run commands outside once porta exits.
    // The kernel reads the request as a 32-bit number, as this compares it.
    rules.insert(
        libc::SYS_ioctl as i64,
        vec![rule(vec![cond(1, Op::Eq, libc::TIOCSTI as u64)?])?, rule(vec![cond(1, Op::Eq, TIOCLINUX)?])?],
    );
    let sockets = socket_rules(net)?;
    if !sockets.is_empty() {
        rules.insert(libc::SYS_socket as i64, sockets);
    }
    let mut enosys: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::from([(libc::SYS_clone3 as i64, Vec::new())]);
    #[cfg(target_arch = "x86_64")]
    {
        let x32: Vec<(i64, Vec<SeccompRule>)> = rules.iter().map(|(nr, r)| (nr | X32_BIT, r.clone())).collect();
        rules.extend(x32);
        rules.extend(X32_ONLY.iter().map(|nr| (nr | X32_BIT, Vec::new())));
        enosys.insert(libc::SYS_clone3 as i64 | X32_BIT, Vec::new());
    }
    Ok(vec![compile(enosys, libc::ENOSYS)?, compile(rules, libc::EPERM)?])
}

/// Installs the filters on the calling thread (no_new_privs is already set
/// by Landlock's restrict_self).
pub fn apply(net: &Net) -> Result<(), String> {
    for p in programs(net)? {
        seccompiler::apply_filter(&p).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_compiles() {
        for net in [Net::Open, Net::None, Net::TcpPorts(vec![443, 53])] {
            let p = programs(&net).unwrap();
            assert_eq!(p.len(), 2);
            assert!(p[1].len() > DENIED.len(), "{net:?}");
        }
    }
}
