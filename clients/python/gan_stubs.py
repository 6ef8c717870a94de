"""gan.v1 Python stubs, generated at run time from the repository's .proto files.

Nothing generated is committed: the first run compiles proto/src/main/proto/gan/v1/sampling.proto and
tensor.proto (the public contract, which imports nothing else) with grpc_tools into
clients/python/build/stubs-<hash>/ (or under $GAN_STUBS_DIR), named by a hash of the .proto files and
the compiler's version, so an edited contract is compiled again and an unchanged one is reused.
"""

import hashlib
import importlib
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROTO_ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "proto", "src", "main", "proto"))
PUBLIC_PROTOS = ("gan/v1/sampling.proto", "gan/v1/tensor.proto")


def _protoc_version():
    try:
        from importlib import metadata
        return metadata.version("grpcio-tools")
    except Exception:  # Debian's python3-grpc-tools has no distribution metadata
        import grpc_tools
        return getattr(grpc_tools, "__version__", "unknown")


def load(proto_root=None, build_root=None):
    """Returns the modules (sampling_pb2, sampling_pb2_grpc, tensor_pb2), compiling them first if needed."""
    from grpc_tools import protoc  # imported here so that a missing package is reported by the caller

    proto_root = proto_root or os.environ.get("GAN_PROTO_ROOT") or DEFAULT_PROTO_ROOT
    digest = hashlib.sha256(_protoc_version().encode())
    for name in PUBLIC_PROTOS:
        path = os.path.join(proto_root, name)
        if not os.path.isfile(path):
            raise FileNotFoundError("no %s under %s (set --proto-root or GAN_PROTO_ROOT to the folder "
                                    "holding gan/v1/)" % (name, proto_root))
        with open(path, "rb") as f:
            digest.update(name.encode() + b"\0" + f.read())
    build_root = build_root or os.environ.get("GAN_STUBS_DIR") or os.path.join(HERE, "build")
    out = os.path.join(build_root, "stubs-" + digest.hexdigest()[:16])
    if not os.path.isfile(os.path.join(out, "gan", "v1", "sampling_pb2_grpc.py")):
        os.makedirs(build_root, exist_ok=True)
        # compile into a fresh folder, then rename: concurrent first runs never see half a package
        tmp = tempfile.mkdtemp(prefix="stubs-", dir=build_root)
        args = ["grpc_tools.protoc", "-I" + proto_root, "--python_out=" + tmp, "--grpc_python_out=" + tmp]
        if protoc.main(args + list(PUBLIC_PROTOS)) != 0:
            raise RuntimeError("protoc failed on %s (see its message above)" % ", ".join(PUBLIC_PROTOS))
        try:
            os.rename(tmp, out)
        except OSError:  # another run got there first
            shutil.rmtree(tmp, ignore_errors=True)
    if out not in sys.path:
        sys.path.insert(0, out)
    return (importlib.import_module("gan.v1.sampling_pb2"), importlib.import_module("gan.v1.sampling_pb2_grpc"),
            importlib.import_module("gan.v1.tensor_pb2"))
