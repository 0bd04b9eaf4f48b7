"""Escape attempts of porta's own (issue 18, point 5), run *inside*
`porta run` by tests/native_escape.rs. Each attempt prints one line:
RESULT<TAB>attempt<TAB>held|escaped<TAB>detail. An attempt that must fail is
"held" when it fails; one that must work (the "works:" lines) is "held"
when it works. The test starts the targets (listeners, an outside process)
and passes them in the JSON argument."""

import ctypes
import json
import os
import signal
import socket
import sys

cfg = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.ptrace.restype = ctypes.c_long
# Syscall numbers Python has no wrapper for.
NR = {
    "x86_64": {"io_uring_setup": 425, "bpf": 321, "keyctl": 250, "perf_event_open": 298},
    "aarch64": {"io_uring_setup": 425, "bpf": 280, "keyctl": 219, "perf_event_open": 241},
}[os.uname().machine]


def report(name, held, detail):
    detail = str(detail).replace("\t", " ").replace("\n", " ")[:120]
    print(f"RESULT\t{name}\t{'held' if held else 'escaped'}\t{detail}", flush=True)


def must_fail(name, fn):
    """Held if fn raises or returns a false value."""
    try:
        got = fn()
    except Exception as e:  # noqa: BLE001 - any failure is a hold
        report(name, True, f"{type(e).__name__}: {e}")
        return
    report(name, not got, f"succeeded: {got!r}" if got else f"refused: {got!r}")


def must_work(name, fn):
    try:
        got = fn()
        report("works: " + name, bool(got), repr(got))
    except Exception as e:  # noqa: BLE001
        report("works: " + name, False, f"{type(e).__name__}: {e}")


def errno_call(ret):
    """A libc call's result: True (success) unless it returned -1."""
    if ret == -1:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return True


def write(path, text="escaped\n"):
    with open(path, "w") as f:
        f.write(text)
    return True


mount, outside, home = cfg["mount"], cfg["outside_dir"], cfg["home"]
pid = cfg["outside_pid"]

# --- file system --------------------------------------------------------
must_fail("write outside every mount", lambda: write(os.path.join(outside, "new-file")))
must_fail("append to an outside file", lambda: open(cfg["outside_file"], "a").write("x"))
must_fail("write in $HOME", lambda: write(os.path.join(home, "new-file")))
must_fail("write in /dev/shm", lambda: write(f"/dev/shm/porta-escape-{os.getpid()}"))
must_fail("write in /tmp outside TMPDIR", lambda: write(f"/tmp/porta-escape-{os.getpid()}"))
must_fail("read a private key in ~/.ssh", lambda: open(cfg["key"]).read())
must_fail("list ~/.ssh", lambda: os.listdir(os.path.join(home, ".ssh")))
must_fail("read ~/.aws/credentials", lambda: open(os.path.join(home, ".aws", "credentials")).read())
must_fail("read the key via /proc/self/root", lambda: open("/proc/self/root" + cfg["key"]).read())


def symlink_file():
    link = os.path.join(mount, "link-to-outside")
    os.symlink(os.path.join(outside, "via-symlink"), link)
    return write(link)


def symlink_dir():
    link = os.path.join(mount, "dirlink")
    os.symlink(outside, link)
    return write(os.path.join(link, "via-dir-symlink"))


must_fail("write outside via a symlink made in the mount", symlink_file)
must_fail("write outside via a directory symlink in the mount", symlink_dir)
must_fail("hard-link an outside file into the mount",
          lambda: os.link(cfg["outside_file"], os.path.join(mount, "hardlink")) or True)
must_fail("rename an outside file into the mount",
          lambda: os.rename(cfg["outside_file"], os.path.join(mount, "renamed")) or True)
must_fail("rename a mount file out", lambda: (write(os.path.join(mount, "to-move")),
                                               os.rename(os.path.join(mount, "to-move"),
                                                         os.path.join(outside, "moved")))[0])

# --- network ------------------------------------------------------------


def tcp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect(("127.0.0.1", port))
    s.sendall(b"hello from the sandbox\n")
    s.close()
    return True


def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"udp from the sandbox", ("127.0.0.1", cfg["udp_port"]))
    return True


must_fail("TCP to a port not allowed", lambda: tcp(cfg["denied_port"]))
must_fail("UDP under a TCP port rule", udp)
must_fail("an SCTP stream socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132))
must_fail("a raw socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))


def abstract():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect("\0" + cfg["abstract"])
    return True


must_fail("connect to an abstract unix socket outside", abstract)

# --- processes ----------------------------------------------------------
PTRACE_ATTACH = 16
must_fail("ptrace a process outside", lambda: errno_call(libc.ptrace(PTRACE_ATTACH, pid, None, None)))
must_fail("signal a process outside", lambda: os.kill(pid, signal.SIGTERM) or True)
must_fail("signal the sandbox's parent (outside the Landlock domain)",
          lambda: os.kill(os.getppid(), signal.SIGCONT) or True)


def environ_of_others():
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if cfg["secret"].encode() in f.read():
                        found.append(entry)
            except OSError:
                pass
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            if cfg["secret"].encode() in f.read():
                found.append(pid)
    except OSError:
        pass
    return found


must_fail("read another process's environment", environ_of_others)
must_fail("read another process's arguments", lambda: open(f"/proc/{pid}/cmdline").read())

CLONE_NEWUSER = 0x10000000
must_fail("a new user namespace", lambda: errno_call(libc.unshare(CLONE_NEWUSER)))
must_fail("a new user namespace with `unshare -U`",
          lambda: os.system("unshare -U true 2>/dev/null") == 0)
must_fail("io_uring_setup", lambda: errno_call(libc.syscall(NR['io_uring_setup'], 4, ctypes.create_string_buffer(120))))
must_fail("memfd_create (fileless exec)", lambda: os.memfd_create("payload"))
must_fail("bpf", lambda: errno_call(libc.syscall(NR['bpf'], 0, ctypes.create_string_buffer(128), 128)))
must_fail("keyctl", lambda: errno_call(libc.syscall(NR['keyctl'], 0, -3, 0)))
must_fail("perf_event_open", lambda: errno_call(libc.syscall(NR['perf_event_open'], ctypes.create_string_buffer(128), 0, -1, -1, 0)))
def tiocsti():
    import fcntl
    import termios
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSTI, b"x")
    return True


must_fail("type into a terminal (TIOCSTI)", tiocsti)
must_fail("mount a tmpfs", lambda: errno_call(libc.mount(b"none", mount.encode(), b"tmpfs", 0, None)))

# --- what must work ------------------------------------------------------


def mount_roundtrip():
    p = os.path.join(mount, "written-inside.txt")
    write(p, "inside\n")
    return open(p).read() == "inside\n"


must_work("write and read back in the mount", mount_roundtrip)
must_work("write in TMPDIR", lambda: write(os.path.join(os.environ["TMPDIR"], "t")))
must_work("TCP to the allowed port", lambda: tcp(cfg["allowed_port"]))
must_work("read a file outside the mounts", lambda: open(cfg["outside_file"]).read() == "outside\n")
must_work("read /etc/passwd", lambda: len(open("/etc/passwd").read()) > 0)
must_work("/dev/null", lambda: write("/dev/null"))
must_work("fork and exec a child", lambda: os.system("true") == 0)
print("DONE", flush=True)
