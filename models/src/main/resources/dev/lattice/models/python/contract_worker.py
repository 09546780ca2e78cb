# One worker of a Python contract (models/.../python/ContractWorker.java starts it as
# `python3 -I -B -c THIS_FILE MEMORY_MB TMP_DIR`). It reads one JSON object per line on stdin and
# answers one per line on stdout:
#   {"source": "..."}                   -> {"ready": true, "numpy": bool} | {"error": "...", "phase": "load"}
#   {"op": "pre", "request": R}         -> {"inputs": {tensor: nested list}, "sizes": [n, ...]} | {"error": ...}
#   {"op": "post", "outputs": {...}}    -> {"answer": A} | {"error": ...}
# A request that is a JSON array is a batch: each item is preprocessed, the inputs are joined
# along the batch dimension (one model run), and each item's slice of the outputs is postprocessed.
#
# Before the contract's first line runs, the worker confines itself, and nothing it does later can
# undo that (no_new_privs, Landlock and seccomp are inherited and irrevocable):
# - Landlock: reads only below the Python installation's folders and /usr, /lib*; writes only in
#   its own TMP_DIR; no TCP bind or connect; no signals to, or abstract sockets of, processes
#   outside itself (kernel ABI 6+).
# - seccomp: no sockets at all, no new processes (threads only), no exec, no ptrace, no kill, no
#   namespaces, mounts, BPF, io_uring or keyrings.
# - rlimits: its address space grows by at most MEMORY_MB beyond what the interpreter holds when
#   the contract starts; 16 MiB per file; no core dumps.
# Time is capped by the JVM, which kills a worker that does not answer in time.
# - a worker started as root (an unconfined platform) becomes nobody, with no capabilities, first.
# If any step of the confinement fails, the worker refuses to run the contract.
import ctypes, json, os, platform, resource, sys

proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)  # the contract's print() goes to stderr, never into the protocol
sys.stdout = sys.stderr

try:
    import numpy
except ImportError:  # nested lists, then
    numpy = None

MEMORY_MB = int(sys.argv[1])
TMP_DIR = sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.prctl.restype = ctypes.c_int


def send(obj):
    proto_out.write(json.dumps(obj, allow_nan=False, default=plain) + "\n")
    proto_out.flush()


def plain(value):
    if numpy is not None:
        if isinstance(value, numpy.ndarray):
            return value.tolist()
        if isinstance(value, numpy.generic):
            return value.item()
    raise TypeError("cannot answer a " + type(value).__name__ + " as JSON")


def last_line(exc):
    text = str(exc).strip().splitlines()
    return type(exc).__name__ + (": " + text[-1] if text else "")


def fail(what):
    raise OSError(what + ": " + os.strerror(ctypes.get_errno()))


# --- Landlock -----------------------------------------------------------------------------------
class RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


FS_RIGHTS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1}  # ABI 5+ adds IOCTL_DEV: (1 << 16) - 1
FILE_ONLY = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)  # execute, write, read, truncate, ioctl
READ = (1 << 0) | (1 << 2) | (1 << 3)  # execute (shared libraries), read file, read dir


def landlock(readable, writable):
    abi = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))  # LANDLOCK_CREATE_RULESET_VERSION
    if abi < 1:
        fail("Landlock is not available (Linux 5.13+ with landlock among its LSMs)")
    fs = FS_RIGHTS.get(abi, (1 << 16) - 1)
    attr = RulesetAttr(fs, 3 if abi >= 4 else 0, 3 if abi >= 6 else 0)
    size = 8 if abi < 4 else (16 if abi < 6 else 24)
    ruleset = libc.syscall(444, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        fail("landlock_create_ruleset")
    for paths, rights in ((readable, READ), (writable, fs)):
        for path in paths:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            allowed = rights & fs if os.path.isdir(path) else rights & fs & FILE_ONLY
            rule = PathBeneath(allowed, fd)
            if libc.syscall(445, ctypes.c_int(ruleset), ctypes.c_int(1), ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                fail("landlock_add_rule " + path)
            os.close(fd)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        fail("no_new_privs")
    if libc.syscall(446, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
        fail("landlock_restrict_self")
    os.close(ruleset)


# --- seccomp ------------------------------------------------------------------------------------
# Syscall numbers per architecture: denied with EPERM, clone3 with ENOSYS (so libc falls back to
# clone, whose flags a filter can read), clone unless it makes a thread.
ARCHES = {
    "x86_64": (0xC000003E, 56, 435, [41, 53, 42, 49, 50, 43, 288, 57, 58, 59, 322, 101, 62, 200, 234, 310, 311, 434,
                                     424, 438, 272, 308, 165, 321, 298, 425, 323, 250, 248, 249]),
    "aarch64": (0xC00000B7, 220, 435, [198, 199, 203, 200, 201, 202, 242, 221, 281, 117, 129, 130, 131, 270, 271, 434,
                                       424, 438, 97, 268, 40, 280, 241, 425, 282, 219, 217, 218]),
}


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(SockFilter))]


def seccomp():
    machine = platform.machine()
    if machine not in ARCHES:
        raise OSError("seccomp: no syscall table for " + machine)
    arch, clone, clone3, denied = ARCHES[machine]
    LD, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
    ALLOW, KILL = 0x7FFF0000, 0x80000000
    EPERM, ENOSYS = 0x50000 | 1, 0x50000 | 38
    p = [(LD, 0, 0, 4), (JEQ, 1, 0, arch), (RET, 0, 0, KILL), (LD, 0, 0, 0)]
    if machine == "x86_64":
        p += [(JGE, 0, 1, 0x40000000), (RET, 0, 0, EPERM)]  # the x32 ABI's numbers
    for nr in denied:
        p += [(JEQ, 0, 1, nr), (RET, 0, 0, EPERM)]
    p += [(JEQ, 0, 1, clone3), (RET, 0, 0, ENOSYS)]
    p += [(JEQ, 0, 3, clone), (LD, 0, 0, 16), (JSET, 1, 0, 0x10000), (RET, 0, 0, EPERM)]  # CLONE_THREAD
    p += [(RET, 0, 0, ALLOW)]
    prog = (SockFilter * len(p))(*[SockFilter(*i) for i in p])
    fprog = SockFprog(len(p), ctypes.cast(prog, ctypes.POINTER(SockFilter)))
    if libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        fail("seccomp")


def confine():
    if os.geteuid() == 0:  # root could undo everything below (load a kernel module...): become nobody first
        os.chown(TMP_DIR, 65534, 65534)
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    try:  # if the replica's memory runs out after all, the kernel ends a worker, not the server
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    vm = int([l for l in open("/proc/self/status") if l.startswith("VmSize:")][0].split()[1]) * 1024
    readable = {"/usr", "/lib", "/lib64", "/lib32", sys.prefix, sys.base_prefix, sys.exec_prefix}
    readable |= {p for p in sys.path if p and os.path.isabs(p)}
    landlock(sorted(readable), [TMP_DIR])
    seccomp()
    cap = vm + MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 20, 16 << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.chdir(TMP_DIR)


# --- the contract -------------------------------------------------------------------------------
def load(source):
    module = {"__name__": "contract", "__file__": "contract.py", "__builtins__": __builtins__}
    exec(compile(source, "contract.py", "exec"), module)
    for name in ("preprocess", "postprocess"):
        if not callable(module.get(name)):
            raise NameError("contract.py defines no function " + name + "()")
    return module["preprocess"], module["postprocess"]


def as_lists(value):
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [as_lists(v) for v in value]
    return value


def inputs_of(pre, request):
    inputs = pre(request)
    if not isinstance(inputs, dict) or not inputs:
        raise TypeError("preprocess() must return a dict of input tensor name -> values, not " + type(inputs).__name__)
    out = {}
    for name, value in inputs.items():
        value = as_lists(value)
        if not isinstance(value, list):
            raise TypeError("preprocess(): input '" + str(name) + "' must be a list or array with a batch dimension")
        out[str(name)] = value
    return out


def main():
    init = json.loads(sys.stdin.readline())
    try:
        confine()
    except Exception as e:  # refuse, rather than run the contract unconfined
        send({"error": "the contract's sandbox could not be set up: " + last_line(e), "phase": "sandbox"})
        return
    try:
        pre, post = load(init["source"])
    except BaseException as e:
        send({"error": last_line(e), "phase": "load"})
        return
    send({"ready": True, "numpy": numpy is not None})
    request, sizes = None, None
    for line in sys.stdin:
        msg = json.loads(line)
        phase = "preprocess" if msg["op"] == "pre" else "postprocess"
        try:
            if msg["op"] == "pre":
                request = msg["request"]
                if isinstance(request, list):
                    parts = [inputs_of(pre, item) for item in request]
                    names = list(parts[0]) if parts else []
                    sizes = [len(p[names[0]]) for p in parts]
                    joined = {n: [row for p in parts for row in p[n]] for n in names}
                    send({"inputs": joined, "sizes": sizes})
                else:
                    sizes = None
                    send({"inputs": inputs_of(pre, request), "sizes": None})
            else:
                outputs = msg["outputs"]
                if numpy is not None:
                    outputs = {k: numpy.asarray(v) for k, v in outputs.items()}
                if sizes is None:
                    answer = post(outputs, request)
                else:
                    answer, at = [], 0
                    for item, n in zip(request, sizes):
                        answer.append(post({k: v[at:at + n] for k, v in outputs.items()}, item))
                        at += n
                send({"answer": answer})
        except MemoryError:
            send({"error": "MemoryError: over the contract's memory cap of " + str(MEMORY_MB) + " MiB",
                  "phase": phase, "memory": True})
            return
        except BaseException as e:
            send({"error": last_line(e), "phase": phase})


main()
